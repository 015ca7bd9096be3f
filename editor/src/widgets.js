// Fields the editor fills in itself, shown read-only: a new entry's slug (as
// `.venv/bin/python tasks.py new-post` makes it from the title, made free), an event's
// permanent Uid and a members' item's opaque Id. An existing entry keeps what its file
// has. And the date, typed in the form the file has.
import { fetchJson, openDraftPulls } from './github.js';
import { randomHex, slugify } from './slug.js';

function readOnlyInput(props, hintId) {
  const { h } = window;
  return h('input', {
    type: 'text',
    id: props.forID,
    className: props.classNameWrapper,
    value: props.value || '',
    readOnly: true,
    'aria-describedby': hintId,
  });
}

// A new entry (a copy of another one too) gets a value of its own.
function generatedControl(make) {
  return window.createClass({
    componentDidMount() {
      if (!this.props.value || this.props.getEntry().get('newRecord')) this.props.onChange(make());
    },
    render() {
      return readOnlyInput(this.props);
    },
  });
}

// The first of `base`, `base-2`, `base-3` … that no entry has.
export function freeSlug(base, taken) {
  if (!base || !taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

// How each collection's slugs in use are looked up, set by its slug field: Decap's own
// search over the collection's entries (the relation widget's), so the same with
// decap-server and GitHub. The build still checks every address when it is published.
const slugLookups = new Map();

// Decap's search sees only published entries. A draft is a branch cms/<collection>/<file
// slug> (the editorial workflow) until it is published: a second draft with the same title,
// saved before the first is published, must not take its address too (both would reach
// main with one Slug, and main's build would stop). registerWidgets sets how they are listed.
let openDrafts = async () => [];

// The content keys (<collection>/<file slug>) of the open drafts, as the backend lists them:
// decap-server's own action, or GitHub's open pull requests from cms/ branches (read with
// the token Decap keeps for the signed-in writer).
export function draftLister(backend, fetchJsonWith = fetchJson) {
  if (backend.name === 'proxy') {
    return async () => fetchJsonWith(backend.proxy_url, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'unpublishedEntries', params: { branch: backend.branch } }),
    });
  }
  if (backend.name === 'github') {
    return async () => (await openDraftPulls(backend, fetchJsonWith)).map(pull => pull.head.ref.replace(/^cms\//, ''));
  }
  return async () => [];
}

// The Slug in a file slug made by the collection's `slug` template (plugins/editor: the
// Slug, after the Date for dated entries), or undefined.
export function slugInFileSlug(template, fileSlug) {
  const pattern = template.split(/(\{\{fields\.\w+\}\})/).map(part => {
    if (part === '{{fields.Slug}}') return '(.+)';
    if (part === '{{fields.Date}}') return '\\d{4}-\\d{2}-\\d{2}';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${pattern}$`).exec(fileSlug)?.[1];
}

async function draftSlugs(collection) {
  const name = collection.get('name');
  try {
    return (await openDrafts())
      .filter(key => key.startsWith(`${name}/`))
      .map(key => slugInFileSlug(collection.get('slug') || '{{fields.Slug}}', key.slice(name.length + 1)))
      .filter(Boolean);
  } catch (error) {
    // The published entries still count, and the draft's build checks every address.
    console.warn('Avoimia luonnoksia ei saatu luettua:', error);
    return [];
  }
}

export async function freeSlugFor(collectionName, title) {
  const base = slugify(title);
  const lookup = slugLookups.get(collectionName);
  return lookup && base ? freeSlug(base, await lookup(base)) : base;
}

// Decap re-renders a control only when its own value changes: the slug
// control looks at the title while the entry is new (editor.js sets the slug
// once more when saving).
const SlugControl = () => window.createClass({
  componentDidMount() {
    const { query, clearSearch, forID, collection } = this.props;
    slugLookups.set(collection.get('name'), async base => {
      clearSearch(); // Decap keeps a search's answer for 10 s: an entry saved since then counts
      const [found, drafts] = await Promise.all([
        query(forID, collection.get('name'), ['Slug'], base), draftSlugs(collection)]);
      return new Set([...(found?.payload?.hits || []).map(hit => hit.data?.Slug), ...drafts].filter(Boolean));
    });
    this.follow();
    this.timer = setInterval(() => this.follow(), 300);
  },
  componentWillUnmount() {
    clearInterval(this.timer);
  },
  follow() {
    const { getEntry, field, collection, onChange } = this.props;
    const entry = getEntry();
    if (!entry.get('newRecord')) {
      clearInterval(this.timer);
      return;
    }
    const title = entry.getIn(['data', field.get('from', 'Title')]) || '';
    if (title === this.title) return;
    this.title = title;
    // The title's slug at once (the field is required), then the free one.
    if (slugify(title) !== (this.props.value || '')) onChange(slugify(title));
    freeSlugFor(collection.get('name'), title).then(slug => {
      if (this.title === title && slug !== (this.props.value || '')) onChange(slug);
    });
  },
  render() {
    return readOnlyInput(this.props);
  },
});

// Today as the file writes a date (tasks.py new-post: the local date).
export function today(now = new Date()) {
  const pad = number => String(number).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const DateControl = () => window.createClass({
  componentDidMount() {
    if (!this.props.value && this.props.getEntry().get('newRecord')) this.props.onChange(today());
  },
  render() {
    const { h } = window;
    const { forID, classNameWrapper, value, onChange, setActiveStyle, setInactiveStyle } = this.props;
    return h('input', {
      type: 'text', id: forID, className: classNameWrapper, value: value || '', inputMode: 'numeric',
      autoComplete: 'off', placeholder: '2021-01-05', onFocus: setActiveStyle, onBlur: setInactiveStyle,
      onChange: event => onChange(event.target.value.trim()),
    });
  },
});

export function registerWidgets(CMS, config) {
  openDrafts = draftLister(config.backend);
  CMS.registerWidget('kl-slug', SlugControl());
  CMS.registerWidget('kl-uuid', generatedControl(() => crypto.randomUUID()));
  CMS.registerWidget('kl-token', generatedControl(() => randomHex(16)));
  CMS.registerWidget('kl-date', DateControl());
}
