// The editor's sign-in service: GitHub's OAuth web flow for Decap CMS.
//
// One code base, two ways to run it (docs/muokkain.md):
// - Cloudflare Pages Functions on the site's own origin: functions/api/auth.js
//   and functions/api/callback.js (deployed with the site by `wrangler pages deploy`);
// - a Cloudflare Worker on a subdomain for a web hotel: functions/_login_worker.js.
//
// The OAuth app's client secret lives only in the Pages project's (or the
// Worker's) encrypted environment variables; the browser gets nothing but the
// user's access token, and only through the postMessage handshake Decap
// expects, addressed to the site's own origin. Threats it answers:
// - a forged callback (login CSRF: someone else's code or token slipped into a
//   writer's editor): `state` is a random value in an HttpOnly, Secure,
//   SameSite=Lax cookie with the __Host- prefix (no subdomain can set it),
//   compared with the one GitHub sends back; a missing or wrong one gets a
//   Finnish message and no token;
// - another site opening the sign-in window to catch the token: every message
//   names the site's origin as its target (never "*"), and the window answers
//   only a handshake from that origin;
// - the code or token leaking from the page: no-store, no referrer, a CSP
//   allowing only this page's own script and style (by nonce).

export const PROVIDER = 'github';
const GITHUB = 'https://github.com';
const STATE_COOKIE = '__Host-kl-oauth-state';
const STATE_MAX_AGE = 600; // seconds: time to sign in on GitHub's page
const SCOPES = ['repo', 'public_repo'];

// What the writer sees, in Finnish, in the editor (which closes the window)
// or, when no editor waits for it, in the window with AGAIN after it; the
// details in brackets are for the site's administrator.
const MESSAGES = {
  notConfigured: 'Kirjautumispalvelua ei ole vielä otettu käyttöön. Pyydä sivuston ylläpitäjää '
    + 'lisäämään palvelun asetukset (ohje: docs/muokkain.md).',
  denied: 'Kirjautuminen peruttiin: GitHubissa ei annettu lupaa.',
  badState: 'Kirjautumista ei voitu varmistaa: se ei alkanut tämän sivuston muokkaimesta tai kesti liian kauan.',
  githubFailed: 'GitHub ei hyväksynyt kirjautumista. Jos virhe toistuu, kerro siitä sivuston ylläpitäjälle.',
  success: 'Kirjautuminen onnistui. Voit sulkea tämän ikkunan, jos se ei sulkeudu itsestään.',
};
const AGAIN = 'Sulje tämä ikkuna ja kirjaudu uudelleen muokkaimen Kirjaudu-painikkeella.';

// The service's settings from its environment variables, checked. An
// administrator's mistake is reported by name in `problem` (never a secret).
export function readSettings(env, request, { worker = false } = {}) {
  const clientId = (env.GITHUB_CLIENT_ID || '').trim();
  const clientSecret = (env.GITHUB_CLIENT_SECRET || '').trim();
  const scope = (env.GITHUB_SCOPE || 'repo').trim();
  const missing = [];
  if (!clientId) missing.push('GITHUB_CLIENT_ID');
  if (!clientSecret) missing.push('GITHUB_CLIENT_SECRET');
  let problem = missing.length ? `puuttuu ${missing.join(', ')}` : '';
  if (!SCOPES.includes(scope)) problem = `GITHUB_SCOPE on "${scope}"; sallitut: ${SCOPES.join(', ')}`;
  // The tests' stand-in for GitHub: only ever on this machine, so that a
  // stray setting in production can never send codes or secrets elsewhere.
  let github = GITHUB;
  if (env.GITHUB_URL_FOR_TESTS) {
    const url = URL.canParse(env.GITHUB_URL_FOR_TESTS) ? new URL(env.GITHUB_URL_FOR_TESTS) : null;
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url?.hostname)) github = url.origin;
    else problem = 'GITHUB_URL_FOR_TESTS kelpaa vain testeissä (127.0.0.1)';
  }
  // On Pages the site is this origin; a Worker on a subdomain names it.
  let siteOrigin = new URL(request.url).origin;
  if (worker && !env.SITE_ORIGIN) problem = 'puuttuu SITE_ORIGIN (sivuston osoite)';
  if (env.SITE_ORIGIN && URL.canParse(env.SITE_ORIGIN)) siteOrigin = new URL(env.SITE_ORIGIN).origin;
  else if (env.SITE_ORIGIN) problem = `SITE_ORIGIN "${env.SITE_ORIGIN}" ei ole osoite`;
  return { clientId, clientSecret, scope, github, siteOrigin, problem };
}

function randomToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function stateCookie(value, maxAge) {
  return `${STATE_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Lax`;
}

export function cookieValue(header, name) {
  for (const part of (header || '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return '';
}

// Equal strings, compared in time that does not depend on where they differ.
export function sameSecret(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

// The page the sign-in window ends on: a Finnish message for the writer and
// Decap's handshake. It says "authorizing:github" to the site's origin; when
// the editor there answers the same, it sends the result, again only there.
export function handshakePage({ siteOrigin, status, payload, text, httpStatus = 200, cookies = [] }) {
  const nonce = randomToken();
  const message = `authorization:${PROVIDER}:${status}:${JSON.stringify(payload)}`;
  const script = `
(() => {
  const origin = ${JSON.stringify(siteOrigin)};
  const hello = ${JSON.stringify(`authorizing:${PROVIDER}`)};
  const message = ${JSON.stringify(message)};
  if (!window.opener) return;
  window.addEventListener('message', event => {
    if (event.origin !== origin || event.data !== hello) return;
    window.opener.postMessage(message, origin);
  });
  window.opener.postMessage(hello, origin);
})();`.replace(/</g, '\\u003c');
  const title = status === 'success' ? 'Kirjautuminen onnistui' : 'Kirjautuminen ei onnistunut';
  const html = `<!DOCTYPE html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title} – muokkain</title>
<style nonce="${nonce}">
body { font: 1.125rem/1.5 system-ui, sans-serif; color: #1a1a1a; background: #fff; }
main { max-width: 36rem; margin: 3rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.5rem; }
</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p id="viesti">${escapeHtml(text)}</p>
</main>
<script nonce="${nonce}">${script}</script>
</body>
</html>
`;
  const headers = new Headers({
    ...NO_STORE,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; `
      + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(html, { status: httpStatus, headers });
}

function failure(settings, key, httpStatus, detail = '', cookies = []) {
  const message = MESSAGES[key] + (detail ? ` (${detail})` : '');
  return handshakePage({ siteOrigin: settings.siteOrigin, status: 'error', payload: { message },
                         text: `${message} ${AGAIN}`, httpStatus, cookies });
}

// GET …/auth: to GitHub's authorisation page, with a fresh state in a cookie.
export function startLogin(request, env, options) {
  const settings = readSettings(env, request, options);
  if (settings.problem) return failure(settings, 'notConfigured', 500, settings.problem);
  const state = randomToken();
  const authorize = new URL('/login/oauth/authorize', settings.github);
  authorize.search = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: new URL('callback', request.url).href,
    scope: settings.scope,
    state,
    allow_signup: 'false',
  }).toString();
  return new Response(null, {
    status: 302,
    headers: { ...NO_STORE, Location: authorize.href, 'Set-Cookie': stateCookie(state, STATE_MAX_AGE) },
  });
}

// GET …/callback: check the state, trade the code for a token, hand it over.
export async function finishLogin(request, env, options) {
  const settings = readSettings(env, request, options);
  const forget = [stateCookie('', 0)];
  if (settings.problem) return failure(settings, 'notConfigured', 500, settings.problem, forget);
  const url = new URL(request.url);
  const params = url.searchParams;
  const expected = cookieValue(request.headers.get('Cookie'), STATE_COOKIE);
  if (!sameSecret(params.get('state') || '', expected)) return failure(settings, 'badState', 403, '', forget);
  if (params.get('error')) {
    const key = params.get('error') === 'access_denied' ? 'denied' : 'githubFailed';
    return failure(settings, key, 403, key === 'denied' ? '' : params.get('error').slice(0, 100), forget);
  }
  const code = params.get('code');
  if (!code) return failure(settings, 'githubFailed', 400, 'code puuttuu', forget);
  let answer;
  try {
    const response = await fetch(new URL('/login/oauth/access_token', settings.github), {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded',
                 'User-Agent': 'konservatorioliitto-muokkain' },
      body: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, code,
                                  redirect_uri: url.origin + url.pathname }),
    });
    answer = await response.json();
  } catch (error) {
    return failure(settings, 'githubFailed', 502, 'GitHub ei vastannut', forget);
  }
  if (!answer || typeof answer.access_token !== 'string' || !answer.access_token) {
    return failure(settings, 'githubFailed', 502, String(answer?.error || 'ei avainta'), forget);
  }
  return handshakePage({ siteOrigin: settings.siteOrigin, status: 'success', text: MESSAGES.success,
                         payload: { token: answer.access_token, provider: PROVIDER }, cookies: forget });
}
