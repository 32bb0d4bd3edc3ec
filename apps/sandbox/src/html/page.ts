import { escapeHtml } from '@dashtam/platform';

/** Consent and error pages never load anything from elsewhere, are never framed and never cached. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;padding:2rem;color:#1d2733}
main{max-width:32rem;margin:0 auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}dt{font-weight:600}
dd{margin:0;word-break:break-all}label{display:block;margin:1rem 0 .3rem}input[type=text]{width:100%;padding:.4rem;box-sizing:border-box}
.actions{display:flex;gap:1rem;margin-top:1.5rem}button{flex:1;padding:.7rem;font-size:1rem;border-radius:4px;border:1px solid #888;cursor:pointer}
button[value=approve]{background:#0a5ca8;color:#fff;border-color:#0a5ca8}.note{color:#556;font-size:.85rem}`;

/** A complete HTML document. `title` is escaped here; `body` must already be safe HTML. */
export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Dashtam Sandbox</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body>
</html>
`;
}
