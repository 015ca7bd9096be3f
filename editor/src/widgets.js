// Fields the editor fills in itself, shown read-only: a new entry's slug (as
// `.venv/bin/python tasks.py new-post` makes it from the title), an event's permanent Uid and a
// members' item's opaque Id. An existing entry keeps what its file has.
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

function generatedControl(make) {
  return window.createClass({
    componentDidMount() {
      if (!this.props.value) this.props.onChange(make());
    },
    render() {
      return readOnlyInput(this.props);
    },
  });
}

// Decap re-renders a control only when its own value changes: the slug
// control looks at the title while the entry is new (editor.js sets the slug
// once more when saving).
const SlugControl = () => window.createClass({
  componentDidMount() {
    this.follow();
    this.timer = setInterval(() => this.follow(), 300);
  },
  componentWillUnmount() {
    clearInterval(this.timer);
  },
  follow() {
    const { getEntry, field, value, onChange } = this.props;
    const entry = getEntry();
    if (!entry.get('newRecord')) {
      clearInterval(this.timer);
      return;
    }
    const slug = slugify(entry.getIn(['data', field.get('from', 'Title')]) || '');
    if (slug !== (value || '')) onChange(slug);
  },
  render() {
    return readOnlyInput(this.props);
  },
});

export function registerWidgets(CMS) {
  CMS.registerWidget('kl-slug', SlugControl());
  CMS.registerWidget('kl-uuid', generatedControl(() => crypto.randomUUID()));
  CMS.registerWidget('kl-token', generatedControl(() => randomHex(16)));
}
