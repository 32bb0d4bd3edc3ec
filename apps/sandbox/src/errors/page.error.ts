import { escapeHtml } from '@dashtam/platform';

import { PAGE_HEADERS, renderPage } from '../html/page';
import { SandboxHttpError } from './sandbox-http.error';

/**
 * An HTML error page for the browser-facing authorize endpoints. Used when redirecting back would be
 * unsafe (unknown client, unregistered redirect URI) or impossible (expired consent request).
 */
export class PageError extends SandboxHttpError {
  constructor(
    status: number,
    readonly title: string,
    readonly detail: string,
    headers: Record<string, string> = {},
  ) {
    super(status, detail, { ...PAGE_HEADERS, ...headers });
  }

  contentType(): string {
    return PAGE_HEADERS['content-type'];
  }

  payload(): string {
    return renderPage(
      this.title,
      `<h1>${escapeHtml(this.title)}</h1>\n<p class="error">${escapeHtml(this.detail)}</p>`,
    );
  }
}
