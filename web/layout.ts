import { html, type Html } from './html.js';
import type { WebSession } from './sessions.js';

// htmx reads its configuration here: no inline styles (the CSP forbids them), no eval, and 422 answers (a
// refused action, with the errors beside the fields) are swapped in like successes.
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '422', swap: true },
    { code: '[45]..', swap: false, error: true },
  ],
});

export function page(opts: { title: string; session?: WebSession | null; body: Html; status?: string }): Html {
  const { session } = opts;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${opts.title} · govflow</title>
<link rel="stylesheet" href="/app/assets/app.css">
<script src="/app/assets/htmx.min.js" defer></script>
</head>
<body${session ? html` hx-headers="${JSON.stringify({ 'x-csrf-token': session.csrfToken })}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/app/">govflow</a>
  ${session
    ? html`<nav aria-label="Main"><a href="/app/">Inbox</a><a href="/app/start">Start</a><a href="/app/committee">Committee</a><a href="/app/tech-radar">Radar</a><a href="/app/portfolio">Portfolio</a>
      <form method="post" action="/app/logout"><input type="hidden" name="_csrf" value="${session.csrfToken}"><button type="submit" class="link">Sign out <span class="who">(${session.actor.id})</span></button></form></nav>`
    : ''}
</header>
<main id="main">
${opts.body}
</main>
</body>
</html>`;
}

/** A readable error page (the same GovflowError vocabulary as the JSON API's problem documents). */
export function errorPage(status: number, detail: string, session?: WebSession | null, signIn?: Html): Html {
  const heading = status === 401 ? 'Sign in to govflow' : `Something went wrong (${status})`;
  return page({ title: status === 401 ? 'Sign in' : `Error ${status}`, session, body: html`<h1>${heading}</h1><p role="alert">${detail}</p>${signIn ?? html`<p><a href="/app/">Back to the inbox</a></p>`}` });
}
