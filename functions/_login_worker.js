// The same sign-in service as a Cloudflare Worker on a subdomain, for a site
// on a web hotel (docs/muokkain.md): /auth and /callback. SITE_ORIGIN names
// the site whose editor may receive the token.
import { finishLogin, startLogin } from './_oauth.js';

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method === 'GET' && pathname === '/auth') return startLogin(request, env, { worker: true });
    if (request.method === 'GET' && pathname === '/callback') return finishLogin(request, env, { worker: true });
    return new Response('Ei löydy.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  },
};
