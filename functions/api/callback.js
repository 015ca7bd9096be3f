// GET /api/callback: GitHub sends the writer back here (functions/_oauth.js).
import { finishLogin } from '../_oauth.js';

export const onRequestGet = ({ request, env }) => finishLogin(request, env);
