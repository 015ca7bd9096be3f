// Deleting a published entry through a pull request (issue 25). With the GitHub backend,
// Decap's own "Poista julkaistu" and "Peru julkaisu" commit straight to the configured
// branch (decap-cms-backend-github API.ts, deleteFiles), which a protected main refuses;
// they are hidden there (plugins/editor: delete: false). Instead, while a published entry
// is open, our own "Poista sivustolta" deletes its file on a branch of its own and opens a
// pull request that GitHub merges when the checks pass: the strict build stops at a link
// to the deleted entry, naming the file, before anything leaves the site. Like
// draft-status.js it lives outside Decap's tree and reads only Decap's address.
import { entryKey, noticeRegions } from './draft-status.js';
import { githubRequest, openDraftPulls } from './github.js';
import { parse } from './pelican-format.js';

// What the writer reads (docs/kirjoittajan-opas.md names these).
export const TEXTS = {
  button: 'Poista sivustolta',
  confirm: 'Poista',
  cancel: 'Peruuta',
  waiting: 'Poisto odottaa tarkistusta: sivusto päivittyy, kun tarkistukset ovat valmiit',
  pullLink: 'Näytä poistopyyntö',
  manual: 'GitHub ei voi yhdistää poistoa itsestään, kun tarkistukset ovat valmiit.',
  manualNote: 'Avaa poistopyyntö ja paina Merge pull request, kun tarkistukset ovat valmiit.',
  waitingAlready: 'Tämän sisällön poisto odottaa jo tarkistusta.',
  failed: 'Poisto epäonnistui',
  unchanged: 'Sivustolla ei muuttunut mitään.',
};

// What deleting the entry at `key` (<collection>/<file slug>) changes: its file (the
// collection's folder, the file slug and extension, as in the configuration Decap got)
// and the branch it is deleted on; null for a collection of no folder.
export function deletionPlan(config, key) {
  const [name, ...rest] = key.split('/');
  const collection = config.collections.find(c => c.name === name);
  if (!collection?.folder) return null;
  const slug = rest.join('/');
  return { collection, slug, path: `${collection.folder}/${slug}.${collection.extension || 'md'}`,
           branch: `poisto/${key}` };
}

const utf8 = base64 => new TextDecoder().decode(Uint8Array.from(atob(base64.replace(/\s/g, '')), c => c.charCodeAt(0)));
const contentsPath = (backend, plan, ref) =>
  `/repos/${backend.repo}/contents/${plan.path.split('/').map(encodeURIComponent).join('/')}?ref=${encodeURIComponent(ref)}`;

// The open entry's file on the configured branch ({sha, title}), or null: not published
// (a new entry's draft), or it has a draft open (the draft is deleted in Decap's own way).
export async function publishedEntry(backend, plan, request) {
  const pulls = await openDraftPulls(backend);
  if (pulls.some(pull => pull.head.ref === `cms/${plan.collection.name}/${plan.slug}`)) return null;
  let file;
  try {
    file = await request('GET', contentsPath(backend, plan, backend.branch));
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
  return { sha: file.sha, title: parse(utf8(file.content || '')).Title || plan.slug };
}

function fill(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) => values[name] ?? '');
}

// GitHub's GraphQL API: its root beside the REST API's.
const GRAPHQL = '/graphql';

// Ask GitHub to merge the pull request when its checks pass: true if it agreed. Refused when
// the repository does not allow auto-merge, or the branch has no protection to wait for.
async function enableAutoMerge(backend, pull, request) {
  const repo = await request('GET', `/repos/${backend.repo}`);
  if (repo.allow_auto_merge === false) return false;
  const mergeMethod = repo.allow_merge_commit === false && repo.allow_squash_merge !== false ? 'SQUASH' : 'MERGE';
  const answer = await request('POST', GRAPHQL, {
    query: 'mutation($id: ID!, $method: PullRequestMergeMethod!) { enablePullRequestAutoMerge('
      + 'input: {pullRequestId: $id, mergeMethod: $method}) { pullRequest { number } } }',
    variables: { id: pull.node_id, method: mergeMethod },
  });
  return !answer?.errors?.length && Boolean(answer?.data?.enablePullRequestAutoMerge);
}

// Delete the entry's file on a branch of its own, open a pull request and ask for it to be
// merged when the checks pass. The notice that tells what happened. If a step fails after
// the branch is made, the branch is deleted: nothing is left for the writer to clean up.
export async function deleteEntry(backend, plan, title, request) {
  const repo = `/repos/${backend.repo}`;
  const label = plan.collection.label_singular || plan.collection.label;
  const head = await request('GET', `${repo}/git/ref/heads/${backend.branch}`);
  try {
    await request('POST', `${repo}/git/refs`, { ref: `refs/heads/${plan.branch}`, sha: head.object.sha });
  } catch (error) {
    if (error.status !== 422) throw error; // 422: the branch exists
    const [waiting] = await request('GET', `${repo}/pulls?state=open&head=${encodeURIComponent(
      `${backend.repo.split('/')[0]}:${plan.branch}`)}`).catch(() => []);
    return { role: 'alert', kind: 'failure', text: TEXTS.waitingAlready,
             note: waiting ? null : `Haara ${plan.branch} on jo olemassa: poista se GitHubissa ja yritä uudelleen.`,
             link: waiting && { href: waiting.html_url, text: TEXTS.pullLink } };
  }
  let pull;
  try {
    const file = await request('GET', contentsPath(backend, plan, plan.branch));
    await request('DELETE', `${repo}/contents/${plan.path.split('/').map(encodeURIComponent).join('/')}`, {
      message: fill(backend.commit_messages?.delete || 'Poistettu: {{collection}} ”{{slug}}”',
                    { collection: label, slug: plan.slug }),
      sha: file.sha, branch: plan.branch });
    pull = await request('POST', `${repo}/pulls`, {
      title: `Poisto: ${label} ”${title}”`, head: plan.branch, base: backend.branch,
      body: `Poistaa tiedoston \`${plan.path}\` sivustolta (muokkaimen painike *${TEXTS.button}*).\n\n`
        + 'Tarkistukset kokoavat sivuston ilman sitä: jos jokin sivu vielä linkittää siihen, tarkistus '
        + 'epäonnistuu ja nimeää tiedoston, jossa linkki on. Korjaa linkki tai sulje tämä pyyntö.',
    });
  } catch (error) {
    await request('DELETE', `${repo}/git/refs/heads/${plan.branch}`).catch(() => {});
    throw error;
  }
  const link = { href: pull.html_url, text: TEXTS.pullLink };
  let merging = false;
  try {
    merging = await enableAutoMerge(backend, pull, request);
  } catch (error) {
    console.warn('Automaattista yhdistämistä ei saatu päälle:', error);
  }
  return merging ? { role: 'status', kind: 'pending', text: TEXTS.waiting, link }
    : { role: 'alert', kind: 'failure', text: TEXTS.manual, note: TEXTS.manualNote, link };
}

// The failure's notice: never a silent one.
export function failureNotice(error) {
  return { role: 'alert', kind: 'failure', text: `${TEXTS.failed}: ${error.message}`, note: TEXTS.unchanged };
}

// The button and its confirm dialog (a modal <dialog>: focus stays in it, Esc cancels).
function controls(onConfirm) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'kl-delete-entry';
  button.textContent = TEXTS.button;
  button.hidden = true;
  const dialog = document.createElement('dialog');
  dialog.className = 'kl-delete-dialog';
  dialog.setAttribute('aria-labelledby', 'kl-delete-question');
  const question = document.createElement('p');
  question.id = 'kl-delete-question';
  const explained = document.createElement('p');
  const confirm = document.createElement('button');
  const cancel = document.createElement('button');
  Object.assign(confirm, { type: 'button', textContent: TEXTS.confirm, className: 'kl-delete-confirm' });
  Object.assign(cancel, { type: 'button', textContent: TEXTS.cancel });
  cancel.addEventListener('click', () => dialog.close());
  confirm.addEventListener('click', () => {
    dialog.close();
    onConfirm();
  });
  dialog.append(question, explained, confirm, cancel);
  document.body.append(button, dialog);
  return {
    offer(entry) {
      button.hidden = !entry;
      if (!entry) return;
      question.textContent = `Poistetaanko ${entry.label} ”${entry.title}” sivustolta?`;
      explained.textContent = 'Poisto tehdään pull requestina: sivusto päivittyy, kun tarkistukset ovat '
        + 'valmiit. Jos jokin sivu linkittää tähän, tarkistus pysähtyy ja kertoo, missä linkki on.';
    },
    ask: () => dialog.showModal(),
    button,
  };
}

export function watchDeletion(config) {
  const { backend } = config;
  if (backend.name !== 'github') return; // decap-server: Decap's own button (a local branch)
  const request = githubRequest(backend);
  const show = noticeRegions('deletion');
  let open = null;
  let asked = 0;
  const ui = controls(async () => {
    const entry = open;
    ui.button.disabled = true;
    try {
      show(await deleteEntry(backend, entry.plan, entry.title, request));
      ui.offer(null);
    } catch (error) {
      show(failureNotice(error));
    } finally {
      ui.button.disabled = false;
    }
  });
  ui.button.addEventListener('click', () => ui.ask());
  const look = async () => {
    const turn = ++asked;
    open = null;
    ui.offer(null);
    const key = entryKey(location.hash);
    const plan = key && deletionPlan(config, key);
    if (!plan) return;
    try {
      const file = await publishedEntry(backend, plan, request);
      if (turn !== asked || !file) return;
      open = { plan, title: file.title, label: plan.collection.label_singular || plan.collection.label };
      ui.offer(open);
    } catch (error) {
      console.warn('Julkaistun sisällön tietoja ei saatu luettua:', error);
    }
  };
  addEventListener('hashchange', () => {
    show(null);
    look();
  });
  look();
}
