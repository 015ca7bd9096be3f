// The staff editor at /admin/: Decap CMS with our format, widgets, Finnish
// interface and previews. The configuration (config.json) is written by the
// build from the same schemas that check the content (plugins/editor).
import { watchDeletion } from './delete-entry.js';
import { watchDraftStatus } from './draft-status.js';
import fi from './fi.js';
import { AS_READ, parse, serialize } from './pelican-format.js';
import { registerPreviews } from './preview.js';
import { freeSlugFor, registerWidgets } from './widgets.js';

// An image without alternative text fails the build: say so before saving.
const IMAGE = /!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g;

export function imagesWithoutAlt(markdown) {
  return [...String(markdown ?? '').matchAll(IMAGE)].filter(m => !m[1].trim()).map(m => m[2]);
}

async function beforeSave({ entry }) {
  let data = entry.get('data');
  if (entry.get('newRecord')) {
    data = data.delete(AS_READ); // a copy of an entry is a new file, in the fields' order
    if (data.has('Slug')) data = data.set('Slug', await freeSlugFor(entry.get('collection'), data.get('Title') || ''));
  }
  const missing = imagesWithoutAlt(data.get('body'));
  if (missing.length) {
    throw new Error(`kuvalta ${missing.join(', ')} puuttuu vaihtoehtoinen teksti. `
      + 'Valitse kuva tekstistä ja kirjoita Alt-kenttään, mitä kuvassa on.');
  }
  return data;
}

// The image button of the text field, with Finnish labels, the build's size
// limit for uploads and alternative text asked for (an image without it fails the build).
function imageComponent(maxBytes) {
  return {
    id: 'image',
    label: 'Kuva',
    fields: [
      { label: 'Kuva', name: 'image', widget: 'image', choose_url: false, media_library: { allow_multiple: false, config: { max_file_size: maxBytes } } },
      { label: 'Vaihtoehtoinen teksti (pakollinen)', name: 'alt', widget: 'string', hint: 'Kerro lyhyesti, mitä kuvassa on.' },
    ],
    pattern: /^!\[(.*)\]\((.*?)(\s"(.*)")?\)$/,
    fromBlock: match => match && { image: match[2], alt: match[1] },
    toBlock: ({ alt, image }) => `![${(alt || '').trim()}](${image || ''})`,
    toPreview: ({ alt, image }, getAsset, fields) => {
      const field = fields?.find(f => f.get('widget') === 'image');
      return window.h('img', { src: String(getAsset(image, field) || ''), alt: alt || '' });
    },
  };
}

// Decap counts a list's items with its label ("2 liitteet"); after a number Finnish
// takes the partitive ("2 liitettä"): a list field's `count_label` (plugins/editor).
export function countWords(collections) {
  const words = new Map();
  for (const collection of collections) {
    for (const field of collection.fields) {
      if (field.count_label) words.set(field.label.toLowerCase(), field.count_label);
    }
  }
  return words;
}

export function finnishCount(text, words) {
  const match = /^(\d+) (.+)$/.exec(text);
  return match && match[1] !== '1' && words.has(match[2]) ? `${match[1]} ${words.get(match[2])}` : text;
}

function watchCounts(words) {
  if (!words.size) return;
  const fix = node => {
    if (node.parentElement?.closest('[contenteditable="true"]')) return; // the writer's own text
    const text = finnishCount(node.nodeValue, words);
    if (text !== node.nodeValue) node.nodeValue = text;
  };
  new MutationObserver(records => {
    for (const record of records) {
      if (record.type === 'characterData') fix(record.target);
      for (const added of record.addedNodes) {
        if (added.nodeType === Node.TEXT_NODE) fix(added);
        const walker = document.createTreeWalker(added, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) fix(walker.currentNode);
      }
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}

// Decap writes a text's lists with "*"; the site's files have "-": a text edited in the
// editor keeps its lists as they were (a remark plugin, run after Decap's own settings).
function dashLists() {
  if (this.Compiler) this.Compiler.prototype.options = { ...this.Compiler.prototype.options, bullet: '-' };
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${src} ei latautunut`));
    document.head.append(script);
  });
}

// The sign-in screen's heading: the association's icon (the page's own) and
// name; editor.css shows it only while Decap shows its sign-in screen.
function brandHeader(siteName) {
  const header = document.createElement('header');
  header.className = 'kl-brand';
  const icon = document.createElement('img');
  icon.src = document.querySelector('link[rel="icon"]')?.href || '';
  icon.alt = '';
  const heading = document.createElement('h1');
  for (const [className, text] of [['kl-brand-name', siteName], ['kl-brand-app', 'Sivuston muokkain']]) {
    const part = document.createElement('span');
    part.className = className;
    part.textContent = text;
    heading.append(part, ' ');
  }
  header.append(icon, heading);
  return header;
}

async function start() {
  const options = document.querySelector('script[data-config]').dataset;
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = new URL('editor.css', import.meta.url).href;
  document.head.append(style);
  window.CMS_MANUAL_INIT = true;
  const [config] = await Promise.all([
    fetch(options.config, { cache: 'no-cache' }).then(response => response.json()),
    loadScript(options.bundle),
  ]);
  const { CMS } = window;
  CMS.registerLocale('fi', fi);
  for (const collection of config.collections) {
    CMS.registerCustomFormat(collection.format, 'md', {
      fromFile: text => parse(text, collection.fields),
      toFile: data => serialize(data, collection.fields),
    });
  }
  registerWidgets(CMS, config);
  CMS.registerEditorComponent(imageComponent(config.image_max_bytes));
  CMS.registerRemarkPlugin(dashLists);
  // Decap's own code block, under a Finnish name.
  CMS.registerEditorComponent({ id: 'code-block', label: 'Koodilohko', widget: 'code', type: 'code-block' });
  registerPreviews(CMS, config);
  if (options.previewStyle) CMS.registerPreviewStyle(options.previewStyle);
  CMS.registerEventListener({ name: 'preSave', handler: beforeSave });
  document.body.prepend(brandHeader(config.site_name));
  watchCounts(countWords(config.collections));
  watchDraftStatus(CMS, config.backend);
  watchDeletion(config);
  CMS.init({ config });
}

if (typeof document !== 'undefined') start();
