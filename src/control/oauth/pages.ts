// The authorization server's pages: sign-in, consent and errors. Plain HTML, no script; every
// value is escaped. The consent page names the application and each scope it asks for.
const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Pages must not be framed (a framed consent page invites clickjacking) nor cached. */
export const pageHeaders: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 4rem auto; padding: 0 1rem; color: #1d2433; line-height: 1.5; }
  label { display: block; margin: .8rem 0 .2rem; } input { width: 100%; padding: .5rem; box-sizing: border-box; }
  button { margin-top: 1rem; padding: .5rem 1rem; margin-right: .5rem; }
  .error { color: #a11; } ul { padding-left: 1.2rem; } code { background: #f1f4f8; padding: .1rem .3rem; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const hidden = (csrf: string) => `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;

export function loginPage(uid: string, csrf: string, application: string, problem?: string): string {
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p><strong>${escapeHtml(application)}</strong> asks you to sign in.</p>
${problem ? `<p class="error" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/login">
${hidden(csrf)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/abort">${hidden(csrf)}<button type="submit">Cancel</button></form>`,
  );
}

export interface ScopeLine {
  name: string;
  description: string;
}

export function consentPage(uid: string, csrf: string, application: string, scopes: ScopeLine[]): string {
  const items = scopes
    .map(
      (s) =>
        `<li><code>${escapeHtml(s.name)}</code>${s.description ? ` — ${escapeHtml(s.description)}` : ''}</li>`,
    )
    .join('\n');
  return layout(
    'Allow access?',
    `<h1>Allow access?</h1>
<p><strong>${escapeHtml(application)}</strong> asks to act for you with these permissions:</p>
<ul>
${items || '<li>Confirm who you are</li>'}
</ul>
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/confirm">${hidden(csrf)}<button type="submit">Allow</button></form>
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/abort">${hidden(csrf)}<button type="submit">Deny</button></form>`,
  );
}

export function errorPage(error: string, description: string): string {
  return layout(
    'Sign-in failed',
    `<h1>Something went wrong</h1>
<p class="error"><code>${escapeHtml(error)}</code></p>
<p>${escapeHtml(description)}</p>
<p>Go back to the application and try again.</p>`,
  );
}
