import { escapeHtml } from '@dashtam/platform';

export interface ResultPage {
  status: 200 | 400 | 502;
  title: string;
  message: string;
  next: string;
}

/** The page a person sees after the institution sends them back. Every value passes escapeHtml. */
export function renderResultPage(page: ResultPage): string {
  const ok = page.status === 200;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)} · Dashtam</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;background:#f5f6f8;color:#1d2330;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;max-width:32rem;padding:2rem 2.5rem;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin:0 0 .75rem;color:${ok ? '#13795b' : '#b42318'}}
p{line-height:1.5;margin:.5rem 0}
</style>
</head>
<body>
<main data-result="${ok ? 'success' : 'failure'}">
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>
<p>${escapeHtml(page.next)}</p>
</main>
</body>
</html>
`;
}
