// GET /api/auth: the editor's sign-in window starts here (functions/_oauth.js).
import { startLogin } from '../_oauth.js';

export const onRequestGet = ({ request, env }) => startLogin(request, env);
