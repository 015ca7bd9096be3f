// The slug `.venv/bin/python tasks.py new-post` gives a title (tasks.py `_slug`: Pelican's
// slugify, which turns letters into ASCII with unidecode), for Latin-script
// titles. tests/test_editor.py compares the two on tricky titles.

const SPELLED = {
  ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'OE', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L',
  þ: 'th', Þ: 'Th', ð: 'd', Ð: 'D', '–': '-', '—': '--', '‐': '-', '‑': '-', '’': "'", '‘': "'",
  '€': 'EUR', '£': 'PS', '§': 'SS', '×': 'x',
};

export function slugify(title) {
  let value = String(title ?? '').replace(/<[^>]*>/g, '').normalize('NFKC');
  value = Array.from(value, char => SPELLED[char] ?? char).join('');
  value = value.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\x00-\x7f]/g, '');
  value = value.replace(/[^\w\s-]/g, '').replace(/^\s*/, '').replace(/\s*$/, '').replace(/[-\s]+/g, '-');
  return value.toLowerCase().trim();
}

export function randomHex(bytes) {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, byte => byte.toString(16).padStart(2, '0')).join('');
}
