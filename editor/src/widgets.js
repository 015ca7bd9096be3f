// Fields the editor fills in itself, shown read-only: a new entry's slug (as
// `invoke new-post` makes it from the title), an event's permanent Uid and a
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

const SlugControl = () => window.createClass({
  // The slug follows the title, so this control must see the other fields change.
  shouldComponentUpdate() {
    return true;
  },
  componentDidMount() {
    this.follow();
  },
  componentDidUpdate() {
    this.follow();
  },
  follow() {
    const { entry, field, value, onChange } = this.props;
    if (!entry.get('newRecord')) return;
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
