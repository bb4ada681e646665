"""The browser side of reading a page (``bots.web.reading``): one script per question.

Each script runs in one round trip and walks open shadow roots too. Text is compared the way
``bots.web.text.label_key`` does it (spaces, non-breaking spaces, case, a trailing ':' or '*').
``COMMON`` defines the helpers every script shares; each script is a function of one argument.
"""

from __future__ import annotations

COMMON = r"""
const SP = /[\s\u00a0\u2007\u202f\u200b]+/g;
const plain = t => (t || '').replace(SP, ' ').trim();
const keyOf = t => plain(t).replace(/[:*]+$/, '').trim().replace(/[:*]+$/, '').trim()
  .toLowerCase();
const CONTROLS = 'input:not([type=hidden]):not([type=submit]):not([type=button])' +
  ':not([type=reset]):not([type=image]), select, textarea';
const deepAll = (root, out = []) => {
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) deepAll(el.shadowRoot, out);
  }
  return out;
};
const textOf = el => plain(el.innerText) ||
  (el.shadowRoot ? plain([...el.shadowRoot.children].map(textOf).join(' ')) : '');
const controlValue = el => {
  if (el.matches('select')) return plain([...el.selectedOptions].map(o => o.text).join(', '));
  if (el.matches('input[type=checkbox], input[type=radio]')) return el.checked ? 'yes' : 'no';
  return plain(el.value);
};
const shown = el => {
  if (el.matches(CONTROLS)) return controlValue(el);
  const controls = el.querySelectorAll(CONTROLS);
  if (controls.length === 1) return controlValue(controls[0]);
  return textOf(el);
};
const visible = el => el.checkVisibility();
const isBold = cell => !!textOf(cell) && [cell, ...cell.querySelectorAll('*')].some(e =>
  textOf(e) === textOf(cell) && +getComputedStyle(e).fontWeight >= 600);
const parentOf = el => el.parentElement || el.getRootNode().host || null;
const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (el.classList.length ? '.' + el.classList[0] : '');
"""

# The value shown for a label, every way a page shows one; the caller decides what the
# candidates mean (one value, several, a column of a table with several rows, nothing).
READ_VALUE_JS = "(wanted) => {" + COMMON + r"""
const found = [], used = new Set(), several = [];
const add = (how, el, value) => {
  if (el && used.has(el)) return;
  if (el) used.add(el);
  const editable = !!el && (el.matches('input, select, textarea') ||
    !!el.querySelector('input:not([type=hidden]), select, textarea'));
  found.push({how, value, at: el ? describe(el) : '', editable});
};
const CELL = 'td, th, [role=cell], [role=gridcell], [role=columnheader], [role=rowheader]';
const TABLE = 'table, [role=grid], [role=table], [role=treegrid]';
const ROW = 'tr, [role=row]';
const rowOf = cell => cell.parentElement.closest(ROW) || cell.parentElement;
const cellsOf = row => row.cells ? [...row.cells] :
  [...row.querySelectorAll(CELL)].filter(c => rowOf(c) === row);
const columnOf = (cells, cell) => cells.slice(0, cells.indexOf(cell))
  .reduce((n, c) => n + (c.colSpan || 1), 0);
const cellAt = (row, column) => {
  let n = 0;
  for (const c of cellsOf(row)) { if (n === column) return c; n += c.colSpan || 1; }
  return null;
};
const rowsOf = table => table.tagName === 'TABLE' ? [...table.rows] :
  [...table.querySelectorAll('[role=row]')].filter(r => r.closest(TABLE) === table);
const isHeaderRow = (row, cells) => (row.parentElement && row.parentElement.tagName === 'THEAD')
  || (cells.length > 1 && cells.every(c => c.matches('th, [role=columnheader]')));
const isRecord = r => visible(r) && !isHeaderRow(r, cellsOf(r)) && cellsOf(r).length > 1 &&
  cellsOf(r).some(c => textOf(c) || c.querySelector(CONTROLS)) && !isBoldRow(r, cellsOf(r));
// the one record under a column header (several: a table to read, not a value)
const underHeader = (row, cell, cells) => {
  const table = row.closest(TABLE);
  if (!table) return false;
  const rows = rowsOf(table), column = columnOf(cells, cell);
  const data = rows.slice(rows.indexOf(row) + 1).filter(r => isRecord(r) && cellAt(r, column));
  if (data.length === 1) add('column', cellAt(data[0], column), shown(cellAt(data[0], column)));
  else if (data.length > 1) several.push({header: textOf(cell), rows: data.length,
    values: data.slice(0, 5).map(r => shown(cellAt(r, column)))});
  return data.length > 0;
};
// a legacy header row: bold cells without fields (a bold "Total: 99.00" row heads nothing)
const isBoldRow = (row, cells) => cells.length > 1 && !row.querySelector(CONTROLS) &&
  cells.every(isBold);
const below = (row, cell, cells) => {
  const table = row.closest(TABLE), rows = table ? rowsOf(table) : [];
  const next = rows[rows.indexOf(row) + 1];
  return next ? cellAt(next, columnOf(cells, cell)) : null;
};
const fromCell = cell => {
  const row = rowOf(cell), cells = cellsOf(row);
  if (isHeaderRow(row, cells)) return underHeader(row, cell, cells);
  if (isBoldRow(row, cells) && underHeader(row, cell, cells)) return;
  const next = cells[cells.indexOf(cell) + 1], under = below(row, cell, cells);
  // a row of labels over a row of fields; or a label that ends its row, its value below
  const labelsRow = !row.querySelector(CONTROLS) && under && under.querySelector(CONTROLS);
  if (under && (labelsRow || !next)) return add('cell-below', under, shown(under));
  if (next) add('next-cell', next, shown(next));
};
const CHECKABLE = 'input[type=checkbox], input[type=radio]';
const checkedText = box => plain((box.labels && box.labels[0] && box.labels[0].innerText) ||
  box.value);
// a fieldset's legend: the ticked boxes' labels (a radio group), or its one field's value
const fromFieldset = set => {
  const boxes = [...set.querySelectorAll(CHECKABLE)];
  if (boxes.length > 1)
    return add('legend', set, boxes.filter(b => b.checked).map(checkedText).join(', '));
  const controls = set.querySelectorAll(CONTROLS);
  if (controls.length === 1) add('legend', controls[0], controlValue(controls[0]));
};
const nextNode = el => {
  let n = el.nextSibling;
  while (n && n.nodeType === 3 && !n.textContent.trim()) n = n.nextSibling;
  return n && (n.nodeType === 1 || n.nodeType === 3) ? n : null;
};
const isBlock = el => !getComputedStyle(el).display.startsWith('inline');
// The text after a label on the same line: up to a line break, a block or a control.
const inlineAfter = start => {
  const parts = [];
  for (let n = start.nextSibling; n; n = n.nextSibling) {
    if (n.nodeType === 3) { parts.push(n.textContent); continue; }
    if (n.nodeType !== 1) continue;
    if (n.matches('br') || isBlock(n) || n.matches(CONTROLS) || n.querySelector(CONTROLS)) break;
    parts.push(n.innerText);
  }
  return plain(parts.join(''));
};
const fromSibling = el => {
  const inline = inlineAfter(el);
  if (inline) return inline.length <= 300 ? add('text-after', el.parentElement, inline) : undefined;
  const next = el.nextElementSibling;
  if (!next || !visible(next) || next.matches(CELL) || next.querySelector(TABLE)) return;
  const value = shown(next);
  if (value.length <= 500) add('next-element', next, value);
};
const climb = el => {
  while (!nextNode(el) && el.parentElement && !el.matches(CELL + ', dt, label') &&
         keyOf(textOf(el.parentElement)) === wanted) el = el.parentElement;
  return el;
};
// ids that aria-labelledby points at: those labels are answered by the element they label
const referenced = new Set();
const fromLabelElement = el => {
  el = climb(el);
  if ([el, ...el.querySelectorAll('[id]')].some(e => referenced.has(e.id))) return;
  if (el.matches(CELL)) return fromCell(el);
  if (el.matches('dt')) {
    const dd = el.nextElementSibling;
    return dd && dd.matches('dd') ? add('dl', dd, shown(dd)) : undefined;
  }
  if (el.matches('label') && el.control && el.control.matches(CONTROLS))
    return add('label', el.control, controlValue(el.control));
  if (el.matches('legend') && el.parentElement.matches('fieldset'))
    return fromFieldset(el.parentElement);
  const box = el.previousElementSibling;  // a checkbox with its label after it
  if (!nextNode(el) && box && box.matches(CHECKABLE))
    return add('box-before', box, controlValue(box));
  fromSibling(el);
};
const all = deepAll(document).filter(el => !el.matches('script, style, template'));
all.forEach(el => (el.getAttribute('aria-labelledby') || '').split(/\s+/)
  .forEach(id => id && referenced.add(id)));
const rough = el => {
  const t = el.textContent;
  return t.length < 300 && t.toLowerCase().replace(SP, ' ').includes(wanted);
};
// what may be a label: not a button, a link, an option or a field of its own
const NOT_LABELS = 'button, a, option, select, textarea, [role=button], [role=link], ' +
  '[role=tab], [role=menuitem], [role=option]';
const labels = all.filter(el => rough(el) && !el.closest(NOT_LABELS) && visible(el) &&
  keyOf(textOf(el)) === wanted);
const matched = new Set(labels);
labels.filter(el => ![...el.children].some(ch => matched.has(ch))).forEach(fromLabelElement);
// what an aria-label names that is not a value: regions, buttons, links, whole tables
const NOT_VALUES = 'nav, section, main, aside, form, table, button, a, dialog, ' +
  '[role=button], [role=link], [role=navigation], [role=region], [role=dialog], ' + TABLE;
const byId = (el, id) => el.getRootNode().getElementById(id);
for (const el of all) {
  if (!visible(el)) continue;
  const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  const named = ids.map(id => byId(el, id)).filter(Boolean).map(textOf).join(' ');
  if (named && keyOf(named) === wanted) add('aria-labelledby', el, shown(el));
  else if (keyOf(el.getAttribute('aria-label') || '') === wanted && !el.matches(NOT_VALUES))
    add('aria-label', el, shown(el));
  else if (el.matches(CONTROLS) && keyOf(el.getAttribute('placeholder') || '') === wanted)
    add('placeholder', el, controlValue(el));
}
// "Label: value" in one piece of text
const roots = [document, ...all.filter(el => el.shadowRoot).map(el => el.shadowRoot)];
for (const root of roots) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = plain(n.textContent), colon = text.indexOf(':');
    if (colon < 1 || keyOf(text.slice(0, colon)) !== wanted) continue;
    if (!n.parentElement || !visible(n.parentElement)) continue;
    const value = plain(text.slice(colon + 1) + ' ' + inlineAfter(n));
    if (value) add('label-colon', null, value);
  }
}
const seen = found.length || several.length ? [] : [...new Set(all
  .filter(el => el.matches('td, th, dt, label, legend, [role=columnheader], b, strong, span')
    && visible(el) && textOf(el).length < 40 && textOf(el) &&
    (el.matches('dt, label, legend, th, [role=columnheader]') || /:\s*$/.test(textOf(el))))
  .map(textOf))].slice(0, 40);
return {found, several, seen};
}"""

# Every element's text (its value, for a control) for read_selector.
SHOWN_JS = "(els) => {" + COMMON + "return els.map(shown); }"

# The page's visible text with what open shadow roots show, for patterns.
DEEP_TEXT_JS = "() => {" + COMMON + r"""
const hosts = deepAll(document).filter(el => el.shadowRoot && visible(el));
const inner = hosts.map(h => [...h.shadowRoot.children].map(c => c.innerText || '').join('\n'));
return [document.body ? document.body.innerText : '', ...inner].join('\n');
}"""
