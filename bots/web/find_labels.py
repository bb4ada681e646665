"""In-page JavaScript that gives each control the labels a page gives it, every way pages do.

Each control (and each radio group) gets the label texts the page gives it, by strength:

1. explicit: ``<label for>``, a wrapping ``<label>``, ``aria-labelledby``, ``aria-label``, a
   fieldset's ``<legend>`` for a radio group;
2. where it stands: the nearest text before it in its container (a ``<label>`` without
   ``for``, a span, a text node; climbing through wrappers that hold no other control), which
   is also the table cell left of it and the ``<dt>`` of its ``<dd>``; the cell above it in a
   table (a header row) when nothing stands left of it; text right after a checkbox or radio,
   or after another control when nothing at all stands before it (a floating label);
3. its placeholder or title.

Matching a recipe's label against them is ``bots.web.find_fields_js``.
"""

from __future__ import annotations

from bots.web.find_dom import DOM_JS

LABELS_JS = r"""
const STOP = {};
const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'BR', 'HR', 'IMG', 'SVG', 'NOSCRIPT']);
const NO_CLIMB = new Set(['TR', 'TBODY', 'THEAD', 'TFOOT', 'TABLE', 'BODY', 'HTML']);
const tagOf = el => el.tagName.toUpperCase();
const RADIOS = new Set(['input:radio', 'role:radio']);  // one radio: by its own label only
const TICKS = new Set([...RADIOS, 'input:checkbox', 'role:checkbox', 'role:switch']);

// a <label>'s own text before and after the control it wraps (never a select's options)
function labelParts(label, control, parts = {before: '', after: '', past: false}) {
  for (const node of label.childNodes) {
    const side = parts.past ? 'after' : 'before';
    if (node.nodeType === 3) parts[side] += ' ' + node.textContent;
    else if (node.nodeType !== 1) continue;
    else if (node === control) parts.past = true;
    else if (isControl(node)) continue;
    else if (node.contains(control)) labelParts(node, control, parts);
    else if (!SKIP_TAGS.has(tagOf(node))) parts[side] += ' ' + textOf(node);
  }
  return parts;
}

const labelText = (label, control) => {
  const parts = labelParts(label, control);
  return plain(parts.before + ' ' + parts.after);
};

function groupBox(radios) {
  const box = radios[0].closest('fieldset, [role=radiogroup]');
  if (box && radios.every(r => box.contains(r))) return box;
  let up = radios[0].parentElement;
  while (up && !radios.every(r => up.contains(r))) up = up.parentElement;
  return up || radios[0];
}

function unitsOf(all) {
  const units = [], groups = [];
  for (const el of all) {
    if (!isControl(el)) continue;
    const kind = kindOf(el);
    units.push({el, anchor: el, members: [el], kind});
    // radios of one name (in one form and root) are a group; role=radio ones by their box
    const box = kind === 'role:radio' ? el.closest('[role=radiogroup]') : null;
    if (!box && (kind !== 'input:radio' || !el.name)) continue;
    const root = el.getRootNode();
    const group = groups.find(g => box ? g.box === box :
      g.name === el.name && g.root === root && g.form === el.form);
    if (group) group.members.push(el);
    else groups.push({name: el.name, root, form: el.form, box, members: [el]});
  }
  for (const g of groups) {
    units.push({el: g.box || groupBox(g.members), anchor: g.members[0], members: g.members,
                kind: 'radio-group'});
  }
  return units;
}

const shortText = (text, how) => (text.length > 120 ? STOP : {text, how});
const foreignLabel = (el, members) =>
  tagOf(el) === 'LABEL' && el.htmlFor && !members.some(m => m.id === el.htmlFor);

function howBefore(sibling, node) {
  if (tagOf(sibling) === 'DT') return 'dl';
  const cell = /^T[DH]$/;
  return cell.test(tagOf(sibling)) && cell.test(tagOf(node)) ? 'table-cell-left' : 'sibling-label';
}

// the text right before a node in its container: {text, how}, STOP (another field's), or null
function textBefore(node, members) {
  for (let s = node.previousSibling; s; s = s.previousSibling) {
    if (s.nodeType === 3) {
      const text = plain(s.textContent);
      if (text) return shortText(text, 'sibling-label');
      continue;
    }
    if (s.nodeType !== 1 || SKIP_TAGS.has(tagOf(s)) || !visible(s) ||
        s.getAttribute('aria-hidden') === 'true') continue;  // an icon, not a label
    if ((isButton(s) && tagOf(s) !== 'A') || foreignLabel(s, members)) return STOP;
    if (controlsIn(s).some(c => !members.includes(c))) return STOP;
    const text = textOf(s);
    if (text) return shortText(text, howBefore(s, node));
  }
  return null;
}

function textAfter(node, members) {
  for (let s = node.nextSibling; s; s = s.nextSibling) {
    if (s.nodeType === 3) {
      const text = plain(s.textContent);
      if (text) return text.length > 120 ? '' : text;
      continue;
    }
    if (s.nodeType !== 1 || SKIP_TAGS.has(tagOf(s)) || !visible(s)) continue;
    if (isButton(s) || controlsIn(s).length || foreignLabel(s, members)) return '';
    const text = textOf(s);
    if (text) return text.length > 120 ? '' : text;
  }
  return '';
}

// climb into a container only when it holds no other field (a table cell or <dd>: when
// this control is its first one)
function climbable(up, members) {
  if (NO_CLIMB.has(tagOf(up))) return false;
  const inside = controlsIn(up);
  if (inside.every(c => members.includes(c))) return true;
  return ['TD', 'TH', 'DD'].includes(tagOf(up)) && members.includes(inside[0]);
}

function columnOf(cell) {
  let column = 0;
  for (let c = cell.previousElementSibling; c; c = c.previousElementSibling) {
    column += c.colSpan || 1;
  }
  return column;
}

function cellAt(row, column) {
  let at = 0;
  for (const c of row.cells) {
    if (at <= column && column < at + c.colSpan) return c;
    at += c.colSpan;
  }
  return null;
}

// the nearest cell above with text and no control (a header row above a grid of inputs);
// remembered per cell, so a grid of many rows costs one look per cell
const ABOVE = new Map();
function textAbove(cell) {
  if (ABOVE.has(cell)) return ABOVE.get(cell);
  const table = cell.closest('table'), column = columnOf(cell);
  let above = null, text = '';
  for (let i = cell.parentElement.rowIndex - 1; table && !above && i >= 0; i--) {
    above = cellAt(table.rows[i], column);
  }
  if (above) {
    const own = controlsIn(above).length ? '' : textOf(above);
    text = own ? (own.length > 120 ? '' : own) : textAbove(above);
  }
  ABOVE.set(cell, text);
  return text;
}

function positional(u, add) {
  let node = u.anchor, left = null, alone = true;  // alone: nothing before it in its container
  for (let depth = 0; !RADIOS.has(u.kind) && node && depth < 6; depth++) {
    left = textBefore(node, u.members);
    alone = alone && (depth > 0 || left === null);
    if (left !== null) break;
    const up = parentOf(node);
    if (!up || !climbable(up, u.members)) break;
    node = up;
  }
  const leftText = left && left !== STOP;
  if (leftText) add(left.text, left.how, 2);
  const cell = u.anchor.closest('td, th');
  if (cell && !leftText && controlsIn(cell)[0] === u.anchor) {
    add(textAbove(cell), 'table-cell-above', 2);
  }
  // text after: a checkbox's or radio's own; another field's only when nothing stands
  // before it (a floating label drawn after its input)
  const ticks = TICKS.has(u.kind);
  if (ticks || (alone && !leftText && !cell && u.kind !== 'radio-group')) {
    add(textAfter(u.anchor, u.members), 'sibling-label', 2);
  }
}

function labelsOf(u) {
  const found = [], el = u.el;
  const add = (text, how, tier) => { if (text) found.push({text, how, tier}); };
  if (u.kind === 'radio-group' && tagOf(el) === 'FIELDSET') {
    const legend = [...el.children].find(c => tagOf(c) === 'LEGEND');
    if (legend) add(textOf(legend), 'legend', 1);
  }
  if (u.kind !== 'radio-group') {
    for (const label of el.labels || []) {
      const how = label.contains(el) ? 'wrapping-label' : 'label-for';
      const parts = labelParts(label, el), before = plain(parts.before), after = plain(parts.after);
      add(plain(before + ' ' + after), how, 1);
      if (before && after) add(before, how, 1);  // "Email <input> we never share it"
    }
  }
  add(labelledBy(el), 'aria-labelledby', 1);
  add(plain(el.getAttribute('aria-label')), 'aria-label', 1);
  if (TICKS.has(u.kind) && u.kind.startsWith('role:')) add(textOf(el), 'text', 1);  // its name
  positional(u, add);
  if (RADIOS.has(u.kind)) return found.filter(l => l.how !== 'table-cell-above');
  add(plain(el.getAttribute('placeholder')), 'placeholder', 3);
  add(plain(el.getAttribute('title')), 'title', 3);
  const first = tagOf(el) === 'SELECT' && el.options[0];
  if (first && first.value === '') add(plain(first.text), 'placeholder', 3);  // "Country"
  return found;
}
"""

LABELS_LIB = DOM_JS + LABELS_JS
