// A draft whose check failed says so in the editor (issue 25). The pull-request workflow
// sets the draft's preview status (deploy/report.py; the config's backend.preview_context)
// and Decap CMS reads it, but shows only a success, as its "Katso esikatselu" link: pending
// and failure alike stay "Onko esikatselu valmis?" (decap-cms-core's EditorToolbar,
// renderDeployPreviewControls). So while a draft is open, a notice of ours tells what the
// check found. It lives outside Decap's tree (a body element, like the sign-in heading) and
// uses public means only: the address Decap's router shows and its postSave event.
import { openDraftPulls, repoApi } from './github.js';

// What the writer reads (docs/kirjoittajan-opas.md names these).
export const TEXTS = {
  failure: 'Tarkistus epäonnistui',
  failureLink: 'Näytä virheet',
  failureNote: 'Luonnosta ei voi julkaista, ennen kuin virheet on korjattu ja luonnos tallennettu uudelleen.',
  errorLink: 'Näytä ajon tiedot',
  pending: 'Esikatselua kootaan…',
};
// While a draft is open its status is asked again this often (two requests to GitHub).
const RECHECK_MS = 30_000;

// The content key (<collection>/<file slug>) of the entry open at Decap's address
// #/collections/<name>/entries/<file slug>, or null (a list, a new entry, the workflow).
export function entryKey(hash) {
  const match = /^#\/collections\/([^/?]+)\/entries\/([^?]+)/.exec(hash);
  return match ? `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}` : null;
}

// The draft's preview status (GitHub's commit status of its pull request's head, as Decap's
// getStatuses reads it), or null: the entry is no open draft, or has not been checked yet.
export async function previewStatus(backend, key, fetchJsonWith) {
  const pull = (await openDraftPulls(backend, fetchJsonWith)).find(p => p.head.ref === `cms/${key}`);
  if (!pull) return null;
  const combined = await repoApi(backend, fetchJsonWith)(`/commits/${pull.head.sha}/status`);
  return combined.statuses.find(status => status.context === backend.preview_context) || null;
}

// A link only to a web address (the status comes from GitHub, set by the workflow).
function webAddress(url) {
  try {
    return ['https:', 'http:'].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

// What the writer is told of a status, or null (none yet, or a success: Decap links it).
export function noticeFor(status) {
  const href = webAddress(status?.target_url);
  switch (status?.state) {
    case 'failure':
      return { role: 'alert', kind: 'failure',
               text: status.description ? `${TEXTS.failure}: ${status.description}` : TEXTS.failure,
               link: href && { href, text: TEXTS.failureLink }, note: TEXTS.failureNote };
    case 'error':
      return { role: 'alert', kind: 'error', text: status.description || TEXTS.failure,
               link: href && { href, text: TEXTS.errorLink } };
    case 'pending':
      return { role: 'status', kind: 'pending', text: TEXTS.pending };
    default:
      return null;
  }
}

// The notice for the entry open at `hash`, or null. A failed look-up shows nothing (Decap's
// own button still asks) and is told in the console.
export async function draftNotice(backend, hash, fetchJsonWith) {
  const key = entryKey(hash);
  if (!key) return null;
  try {
    return noticeFor(await previewStatus(backend, key, fetchJsonWith));
  } catch (error) {
    console.warn('Luonnoksen tarkistuksen tilaa ei saatu luettua:', error);
    return null;
  }
}

// Two live regions that stay in the page (a region added with its text may go unheard):
// a failure is an alert, a build in progress a polite status (delete-entry.js has its own). A notice shown already is not
// written again, so that the 30-second re-check does not repeat it to a screen reader.
export function noticeRegions(name = 'draft') {
  const regions = {};
  for (const role of ['status', 'alert']) {
    const region = document.createElement('div');
    region.setAttribute('role', role);
    region.dataset.notice = name;
    region.className = 'kl-draft-status';
    document.body.append(region);
    regions[role] = region;
  }
  return notice => {
    for (const [role, region] of Object.entries(regions)) {
      const shown = notice?.role === role ? notice : null;
      if (region.dataset.shown === JSON.stringify(shown)) continue;
      region.dataset.shown = JSON.stringify(shown);
      region.className = shown ? `kl-draft-status kl-draft-status--${shown.kind}` : 'kl-draft-status';
      const parts = [];
      if (shown) {
        const text = document.createElement('p');
        text.textContent = shown.text;
        parts.push(text);
        if (shown.note) {
          const note = document.createElement('p');
          note.textContent = shown.note;
          parts.push(note);
        }
        if (shown.link) {
          const link = document.createElement('a');
          Object.assign(link, { href: shown.link.href, target: '_blank', rel: 'noopener noreferrer',
                                textContent: shown.link.text });
          parts.push(link);
        }
      }
      region.replaceChildren(...parts);
    }
  };
}

export function watchDraftStatus(CMS, backend) {
  if (backend.name !== 'github') return; // decap-server on the writer's machine runs no checks
  const show = noticeRegions();
  let asked = 0;
  const check = async () => {
    const turn = ++asked;
    const notice = await draftNotice(backend, location.hash);
    if (turn === asked) show(notice); // only the newest answer counts
  };
  addEventListener('hashchange', () => {
    show(null); // another entry's notice never stays on this one
    check();
  });
  // A save makes a new head commit: its check starts over (Decap's handlers return nothing).
  CMS.registerEventListener({ name: 'postSave', handler: () => { check(); } });
  setInterval(() => {
    if (entryKey(location.hash) && !document.hidden) check();
  }, RECHECK_MS);
  check();
}
