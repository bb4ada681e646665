"""The browser side of reading tables (``bots.web.tables``): one script for the whole answer.

It is given every table-like element in scope (``<table>``, ``role=grid|table|treegrid``, open
shadow roots included, or those a selector matched) and what the recipe knows of the one it
wants (caption, text near it, headers it has: compared as ``label_key`` does). It answers with
the tables that fit, each with its column headers and data rows (cell texts as a person sees
them), and a short description of every table for the message when none fits.
"""

from __future__ import annotations

from bots.web.reading_js import COMMON

# Rows, cells and spans the same way for HTML tables and ARIA grids.
LAYOUT = r"""
const TABLE = 'table, [role=grid], [role=table], [role=treegrid]';
const ROLE_CELLS = '[role=cell], [role=gridcell], [role=columnheader], [role=rowheader]';
const rowsOf = t => (t.tagName === 'TABLE' ? [...t.rows] :
  [...t.querySelectorAll('[role=row]')].filter(r => r.parentElement.closest(TABLE) === t))
  .filter(visible);
const cellsOf = row => row.cells ? [...row.cells] :
  [...row.querySelectorAll(ROLE_CELLS)].filter(c => c.closest('[role=row]') === row);
const span = (cell, property, attribute) =>
  Math.min(Math.max(cell[property] || +cell.getAttribute(attribute) || 1, 1), 1000);
const isHead = (row, cells) => (row.parentElement && row.parentElement.tagName === 'THEAD') ||
  (cells.length > 0 && cells.every(c => c.matches('th, [role=columnheader]')));
const isBoldEntry = entry => cellsOf(entry.row).some(c => textOf(c)) &&
  cellsOf(entry.row).every(c => !textOf(c) || isBold(c));
// Rows as slots of text, spans spread out: a header over two columns names both, a data cell
// over two rows belongs to both; `stop` ends the walk early (a row limit).
const layout = (rows, stop) => {
  const carry = [], entries = [];
  for (const row of rows) {
    const cells = cellsOf(row), head = isHead(row, cells), slots = [];
    let col = 0, wide = false;
    const carried = () => { while (carry[col] && carry[col].left > 0) {
      slots[col] = carry[col].text; carry[col].left--; col++; } };
    for (const cell of cells) {
      carried();
      const text = shown(cell), across = span(cell, 'colSpan', 'aria-colspan');
      const down = span(cell, 'rowSpan', 'aria-rowspan');
      wide = wide || across > 1;
      for (let k = 0; k < across; k++) {
        slots[col + k] = head || k === 0 ? text : '';
        if (down > 1) carry[col + k] = {text: slots[col + k], left: down - 1};
      }
      col += across;
    }
    carry.forEach((c, i) => { if (i >= col && c.left > 0) { slots[i] = c.text; c.left--; } });
    for (let i = 0; i < slots.length; i++) slots[i] = slots[i] || '';
    entries.push({row, slots, head, wide, cells: cells.length});
    if (stop(entries)) break;
  }
  return entries;
};
const filled = entry => entry.slots.filter(Boolean).length;
const isTitle = (entry, width) => width > 1 && entry.cells === 1 && filled(entry) === 1;
const isFiller = (entry, width) => !filled(entry) || isTitle(entry, width) ||
  (entry.wide && filled(entry) <= 1 && width > 1);
"""

# What names a table: its caption (or aria label, or title rows) and the text just before it.
NAMES = r"""
const lastLine = t => plain((t || '').split('\n').filter(l => l.trim()).pop() || '');
const before = el => {
  for (let at = el, depth = 0; at && depth < 5; at = parentOf(at), depth++) {
    for (let n = at.previousSibling; n; n = n.previousSibling) {
      const t = n.nodeType === 3 ? n.textContent : n.nodeType === 1 && visible(n) ? textOf(n)
        : '';
      if (plain(t)) return lastLine(n.nodeType === 1 ? n.innerText || t : t).slice(0, 200);
    }
  }
  return '';
};
const captionOf = t => {
  const ids = (t.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  const named = ids.map(id => t.getRootNode().getElementById(id)).filter(Boolean);
  return plain((t.caption && t.caption.innerText) || t.getAttribute('aria-label') ||
    named.map(textOf).join(' '));
};
const fits = (want, texts) => !want ? 2 : texts.some(t => keyOf(t) === want) ? 2 :
  texts.some(t => keyOf(t).includes(want)) ? 1 : 0;
"""

TABLES_JS = "(elements, want) => {" + COMMON + LAYOUT + NAMES + r"""
const headOf = entries => {
  const width = Math.max(0, ...entries.map(e => e.slots.length));
  let start = 0;
  const titles = [];
  while (start < entries.length && isTitle(entries[start], width))
    titles.push(entries[start++].slots.find(Boolean));
  let count = 0;
  while (start + count < entries.length && entries[start + count].head) count++;
  const headed = count > 0 || (start < entries.length && isBoldEntry(entries[start]));
  if (!count && start < entries.length) count = 1;  // else the first row names the columns
  const headers = [];
  for (let c = 0; c < width; c++) {
    const parts = [...new Set(entries.slice(start, start + count).map(e => e.slots[c] || '')
      .filter(Boolean))];
    headers.push({text: parts.join(' '), last: parts.length ? parts[parts.length - 1] : ''});
  }
  return {titles, start, count, headed, width, headers};
};
const summary = t => {
  const head = headOf(layout(rowsOf(t), entries => entries.length >= 8));
  const caption = captionOf(t), names = [caption, ...head.titles].filter(Boolean);
  return {t, head, caption: names.join(' '), near: before(t), names};
};
const fitting = s => {
  if (want.any) return s.head.headed ? 2 : 0;
  const keys = new Set(s.head.headers.flatMap(h => [keyOf(h.text), keyOf(h.last)]));
  const headers = want.headers.every(k => keys.has(k)) ? 2 : 0;
  return Math.min(fits(want.caption, s.names), fits(want.near, [s.near, ...s.names]), headers);
};
const dataOf = s => {
  const headerKeys = s.head.headers.map(h => keyOf(h.last)).join('|');
  const isData = e => !e.head && !isFiller(e, s.head.width) &&
    e.slots.map(keyOf).join('|') !== headerKeys;
  let count = 0;
  const entries = layout(rowsOf(s.t), all => isData(all[all.length - 1]) &&
    ++count > want.maxRows);
  const rows = entries.slice(s.head.start + s.head.count).filter(isData);
  return {rows: rows.slice(0, want.maxRows).map(e => e.slots), more: rows.length > want.maxRows};
};
const outline = s => ({where: s.t.tagName.toLowerCase() + (s.t.id ? '#' + s.t.id : ''),
  caption: s.caption, near: s.near, headers: s.head.headers.map(h => h.text)});
const all = elements.filter(el => el.matches(TABLE) && visible(el)).map(summary);
const scored = all.map(s => ({s, score: fitting(s)})).filter(x => x.score > 0);
const inner = scored.filter(x => !scored.some(o => o !== x && x.s.t.contains(o.s.t)));
return {
  tables: inner.slice(0, 5).map(x => ({...outline(x.s), exact: x.score === 2, ...dataOf(x.s)})),
  seen: all.slice(0, 20).map(outline),
};
}"""
