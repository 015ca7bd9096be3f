// The preview pane in the site's own markup and CSS (registerPreviewStyle
// loads the site's stylesheet into the pane).
import { isListField } from './pelican-format.js';

const NOT_FACTS = new Set(['Title', 'Summary', 'Slug', 'Uid', 'Id', 'body']);

// A value as the form shows it: a choice by its Finnish label ("julkaistu", not "published").
export function text(value, field = {}) {
  if (value && typeof value.toJS === 'function') value = value.toJS();
  const label = item => (field.options || []).find(option => option.value === item)?.label ?? item;
  return Array.isArray(value) ? value.map(label).join(', ') : String(label(value) ?? '');
}

function previewTemplate(collection) {
  const facts = collection.fields.filter(field => !NOT_FACTS.has(field.name) && field.widget !== 'hidden');
  return window.createClass({
    render() {
      const { h } = window;
      const { entry, widgetFor } = this.props;
      const data = entry.get('data');
      const rows = [];
      for (const field of facts) {
        const value = text(data.get(field.name), field);
        if (value) rows.push(h('dt', { key: `t-${field.name}` }, field.label), h('dd', { key: `d-${field.name}` }, value));
      }
      const summary = text(data.get('Summary'));
      return h('main', { className: 'wrap', id: 'sisalto' },
        h('article', { className: 'post' },
          h('header', null,
            h('h1', null, text(data.get('Title')) || collection.label_singular),
            summary ? h('p', { className: 'post-card__summary' }, summary) : null),
          rows.length ? h('dl', { className: 'facts' }, rows) : null,
          h('div', { className: 'prose' }, widgetFor('body'))));
    },
  });
}

export function registerPreviews(CMS, config) {
  for (const collection of config.collections) {
    CMS.registerPreviewTemplate(collection.name, previewTemplate(collection));
  }
}

export { isListField };
