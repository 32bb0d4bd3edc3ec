import { escapeHtml } from '@dashtam/platform';

import { renderPage } from './page';

describe('escapeHtml', () => {
  it('neutralises markup and attribute breakouts', () => {
    expect(escapeHtml(`<script>alert("x")</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(escapeHtml(`' onmouseover='x' \` &amp;`)).toBe('&#39; onmouseover=&#39;x&#39; &#96; &amp;amp;');
  });

  it('renderPage escapes the title', () => {
    expect(renderPage('<b>', '<p>ok</p>')).toContain('<title>&lt;b&gt; · Dashtam Sandbox</title>');
  });
});
