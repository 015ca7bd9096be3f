// Pelican's "Key: value" metadata, the format of every content file: the
// lines up to the first empty line are metadata, the rest is Markdown.
// Pure functions, so that they can be tested with Node as well.

const KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]?(.*)$/;
const CONTINUATION = /^ {4,}|^\t/; // Python-Markdown's meta extension: an indented line goes on
// The file as it was read, kept with the entry (a key no file can have: keys start with
// a letter): a value the writer did not change is written back as it was, in its place.
export const AS_READ = '_as_read';

export function isListField(field) {
  return field.widget === 'list' || field.multiple === true;
}

export function splitList(value) {
  return String(value).split(',').map(part => part.trim()).filter(Boolean);
}

// The entry's data from a file: keys as the editor's fields spell them
// (Pelican itself reads keys in any case), lists as arrays, the text as body.
// A field with `implied` has that value when the file has no line for it.
export function parse(text, fields = []) {
  const names = new Map(fields.map(field => [field.name.toLowerCase(), field]));
  const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
  const data = {};
  const asRead = [];
  let index = 0;
  let last = null;
  for (; index < lines.length; index += 1) {
    const line = lines[index];
    if (line.trim() === '') break;
    const match = KEY_LINE.exec(line);
    if (match) {
      last = names.get(match[1].toLowerCase())?.name ?? match[1];
      data[last] = match[2].trim();
      asRead.push([last, line]);
    } else if (last !== null && CONTINUATION.test(line)) {
      data[last] = `${data[last]} ${line.trim()}`.trim();
      asRead[asRead.length - 1][1] += `\n${line}`;
    } else {
      break; // no metadata line: the text starts here
    }
  }
  for (const [key, field] of names) {
    const name = field.name;
    if (key !== 'body' && name in data && isListField(field)) data[name] = splitList(data[name]);
    if (field.implied !== undefined && !(name in data)) data[name] = field.implied;
  }
  const rest = lines.slice(index).join('\n');
  data.body = rest.replace(/^\n+/, '');
  data[AS_READ] = { keys: asRead, rest };
  return data;
}

function asText(value) {
  if (Array.isArray(value)) return value.map(item => String(item).trim()).filter(Boolean).join(', ');
  // One line each: a line break would end the metadata in the middle of a value.
  return String(value ?? '').replace(/\s*\n\s*/g, ' ').trim();
}

function bodyText(body) {
  const text = String(body ?? '').replace(/\s+$/, '');
  return text ? `${text}\n` : '';
}

// The file for the entry's data. A new file has the fields in the editor's
// order (the order `.venv/bin/python tasks.py new-post` writes them), then any other keys.
// A file read before keeps its lines: each unchanged value as it was, in its place; a
// changed one rewritten there; a new one after them. Empty values are left out, unless
// the field keeps them (an empty `Save_as:` means something to Pelican); an implied one too.
export function serialize(data, fields = []) {
  const byName = new Map(fields.map(field => [field.name, field]));
  const asRead = data[AS_READ] || { keys: [], rest: null };
  const readValues = parse(asRead.keys.map(([, line]) => line).join('\n'), fields);
  const lines = [];
  const written = new Set(['body', AS_READ]);
  const write = (name, value, keepEmpty) => {
    written.add(name);
    const field = byName.get(name);
    if (value === undefined || value === null || field?.file_name_only) return;
    if (field?.implied !== undefined && asText(value) === asText(field.implied)) return;
    const text = asText(value);
    if (text === '' && !keepEmpty) return;
    lines.push(text === '' ? `${name}:` : `${name}: ${text}`);
  };
  for (const [name, line] of asRead.keys) {
    if (written.has(name)) continue;
    if (name in data && asText(data[name]) === asText(readValues[name])) {
      written.add(name);
      lines.push(line);
    } else {
      write(name, data[name], byName.get(name)?.keep_empty);
    }
  }
  for (const field of fields) {
    if (!written.has(field.name)) write(field.name, data[field.name], field.keep_empty);
  }
  for (const [name, value] of Object.entries(data)) {
    if (!written.has(name)) write(name, value, true);
  }
  const unchanged = asRead.rest !== null && bodyText(data.body) === bodyText(asRead.rest.replace(/^\n+/, ''));
  return `${lines.join('\n')}\n${unchanged ? asRead.rest : `\n${bodyText(data.body)}`}`;
}
