// GitHub's API as the signed-in writer, for our own look-ups beside Decap's: the open
// drafts (widgets.js) and a draft's preview status (draft-status.js). Decap keeps the
// writer's token in localStorage (decap-cms-user); it is sent only to the configured API.

// An answer's JSON, or an error naming the address and the HTTP status.
export async function fetchJson(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// The configured API's root, and the writer's token as GitHub wants it (read at each request:
// the writer may sign out and in again). The one place that reads Decap's stored sign-in.
function apiRoot(backend) {
  return backend.api_root || 'https://api.github.com';
}

function authorization() {
  return { Authorization: `token ${JSON.parse(localStorage.getItem('decap-cms-user') || '{}').token}` };
}

// GET `path` under the configured repository (/repos/<owner>/<name>) with the writer's token.
export function repoApi(backend, fetchJsonWith = fetchJson) {
  return path => fetchJsonWith(`${apiRoot(backend)}/repos/${backend.repo}${path}`, { headers: authorization() });
}

// The open pull requests of the drafts: the editorial workflow makes one from a branch
// cms/<collection>/<file slug> into the configured branch for each draft.
export async function openDraftPulls(backend, fetchJsonWith = fetchJson) {
  const pulls = await repoApi(backend, fetchJsonWith)(
    `/pulls?state=open&base=${encodeURIComponent(backend.branch)}&per_page=100`);
  return pulls.filter(pull => pull.head.ref.startsWith('cms/'));
}

// Any request to GitHub's API (a path from the API's root) as the writer: the answer's JSON
// (null when it has none), or an error carrying the HTTP status and GitHub's own message.
export function githubRequest(backend, fetchWith = fetch) {
  return async (method, path, body) => {
    const headers = authorization();
    if (body) headers['Content-Type'] = 'application/json';
    const response = await fetchWith(`${apiRoot(backend)}${path}`,
                                     { method, headers, body: body && JSON.stringify(body) });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      throw Object.assign(new Error(`${method} ${path}: ${response.status} ${data?.message || ''}`.trim()),
                          { status: response.status });
    }
    return data;
  };
}
