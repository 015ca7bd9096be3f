// Pelican's "Key: value" metadata, the format of every content file: the
// lines up to the first empty line are metadata, the rest is Markdown.
// Pure functions, so that they can be tested with Node as well.

const KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]?(.*)$/;
const CONTINUATION = /^ {4,}|^\t/; // Python-Markdown's meta extension: an indented line goes on

export function isListField(field) {
  return field.widget === 'list' || field.multiple === true;
}

export function splitList(value) {
  return String(value).split(',').map(part => part.trim()).filter(Boolean);
}

// The entry's data from a file: keys as the editor's fields spell them
// (Pelican itself reads keys in any case), lists as arrays, the text as body.
export function parse(text, fields = []) {
  const names = new Map(fields.map(field => [field.name.toLowerCase(), field]));
  const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
  const data = {};
  let index = 0;
  let last = null;
  for (; index < lines.length; index += 1) {
    const line = lines[index];
    if (line.trim() === '') break;
    const match = KEY_LINE.exec(line);
    if (match) {
      last = names.get(match[1].toLowerCase())?.name ?? match[1];
      data[last] = match[2].trim();
    } else if (last !== null && CONTINUATION.test(line)) {
      data[last] = `${data[last]} ${line.trim()}`.trim();
    } else {
      break; // no metadata line: the text starts here
    }
  }
  for (const [key, field] of names) {
    const name = field.name;
    if (key !== 'body' && name in data && isListField(field)) data[name] = splitList(data[name]);
  }
  data.body = lines.slice(index).join('\n').replace(/^\n+/, '');
  return data;
}

function asText(value) {
  if (Array.isArray(value)) return value.map(item => String(item).trim()).filter(Boolean).join(', ');
  // One line each: a line break would end the metadata in the middle of a value.
  return String(value).replace(/\s*\n\s*/g, ' ').trim();
}

// The file for the entry's data: fields in the editor's order (the order
// `.venv/bin/python tasks.py new-post` writes them), then any other keys the file had, an empty
// line and the text. Empty values are left out, unless the field keeps them
// (an empty `Save_as:` means something to Pelican).
export function serialize(data, fields = []) {
  const lines = [];
  const known = new Set(['body']);
  const write = (name, value, keepEmpty) => {
    if (value === undefined || value === null) return;
    const text = asText(value);
    if (text === '' && !keepEmpty) return;
    lines.push(text === '' ? `${name}:` : `${name}: ${text}`);
  };
  for (const field of fields) {
    known.add(field.name);
    if (field.name !== 'body' && !field.file_name_only) write(field.name, data[field.name], field.keep_empty);
  }
  for (const [name, value] of Object.entries(data)) {
    if (!known.has(name)) write(name, value, true);
  }
  const body = String(data.body ?? '').replace(/\s+$/, '');
  return `${lines.join('\n')}\n\n${body ? `${body}\n` : ''}`;
}
