import { escapeHtml } from '@dashtam/platform';

import { renderPage } from '../html/page';
import type { PendingAuthorization } from '../state/grant.store';

export const CONSENT_PATH = '/v1/oauth/consent';

/**
 * The consent page. The authorize request itself stays on the server; the form carries only the
 * unguessable pending-request id (which doubles as the CSRF token), the user name and the decision.
 */
export function renderConsentPage(request: PendingAuthorization, defaultUser: string): string {
  const target = new URL(request.redirectUri);
  return renderPage(
    'Authorize access',
    `<h1>Authorize access</h1>
<p><strong>${escapeHtml(request.clientId)}</strong> asks for read access to your Sandbox brokerage accounts,
balances, positions and transactions.</p>
<dl>
<dt>Application</dt><dd>${escapeHtml(request.clientId)}</dd>
<dt>Returns to</dt><dd>${escapeHtml(`${target.origin}${target.pathname}`)}</dd>
<dt>Scope</dt><dd>${escapeHtml(request.scope ?? 'api')}</dd>
</dl>
<form method="post" action="${CONSENT_PATH}">
<input type="hidden" name="request_id" value="${escapeHtml(request.id)}">
<label for="username">Sign in as</label>
<input type="text" id="username" name="username" value="${escapeHtml(defaultUser)}" autocomplete="off" required>
<div class="actions">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
<p class="note">Dashtam Sandbox: a fake, Schwab-compatible institution for development and tests. Each user name
has its own generated accounts; no password is needed.</p>`,
  );
}
