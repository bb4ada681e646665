"""In-page JavaScript shared by the finders: the page's elements (open shadow roots included),
what counts as a control, visibility, plain text and label keys, and a control's fingerprint.

Kept as source text (``DOM_JS``) that the finders prefix to their own functions, so that one
``evaluate`` runs every strategy in the page and answers with the element marked and described.
The label key matches ``bots.web.text.label_key``: spaces (non-breaking ones too) collapsed,
lower case, without a trailing ':' or '*'.
"""

from __future__ import annotations

MARK = "data-bots-found"  # the attribute a finder sets on the element it found (its locator)

DOM_JS = r"""
const MARK = 'data-bots-found';
const SPACES = /[\s\u00a0\u2007\u202f\u200b]+/g;
const plain = t => (t || '').replace(SPACES, ' ').trim();
const labelKey = t => plain(plain(t).replace(/[:*]+$/, '')).replace(/[:*]+$/, '').trim()
  .toLowerCase();
const NOT_FIELDS = new Set(['hidden', 'submit', 'button', 'image', 'reset']);
const BUTTON_TYPES = new Set(['submit', 'button', 'image', 'reset']);

// every element in document order, the insides of open shadow roots right after their host
function walk(root, out = []) {
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) walk(el.shadowRoot, out);
  }
  return out;
}

// widgets drawn from divs say what they are by their role (aria-checked for the ticks)
const ROLE_CONTROLS = new Set(['checkbox', 'switch', 'radio', 'textbox', 'searchbox']);
const roleControl = el => ROLE_CONTROLS.has(el.getAttribute('role'));

function isControl(el) {
  const tag = el.tagName;
  if (tag === 'INPUT') return !NOT_FIELDS.has(el.type);
  if (tag === 'SELECT' || tag === 'TEXTAREA') return true;
  if (el.isContentEditable) return !(el.parentElement && el.parentElement.isContentEditable);
  return roleControl(el) && !el.querySelector('input, select, textarea');  // else: the input
}

function isButton(el) {
  const tag = el.tagName;
  if (tag === 'BUTTON' || tag === 'A') return true;
  if (tag === 'INPUT') return BUTTON_TYPES.has(el.type);
  return ['button', 'link', 'menuitem', 'tab'].includes(el.getAttribute('role'));
}

// asked again and again for the same elements within one search: computed once per call
const SEEN = new Map(), INSIDE = new Map();
function visible(el) {
  if (!SEEN.has(el)) SEEN.set(el, el.checkVisibility({visibilityProperty: true}));
  return SEEN.get(el);
}
const textOf = el => plain(el.innerText === undefined ? el.textContent : el.innerText);
const parentOf = node => node.parentElement || (node.parentNode && node.parentNode.host) || null;
function controlsIn(el) {
  if (INSIDE.has(el)) return INSIDE.get(el);
  const out = walk(el);
  if (el.shadowRoot) walk(el.shadowRoot, out);
  const controls = (isControl(el) ? [el] : []).concat(out.filter(isControl));
  INSIDE.set(el, controls);
  return controls;
}

function kindOf(el) {
  const tag = el.tagName.toLowerCase();
  if (tag === 'input') return 'input:' + el.type;
  if (tag === 'select' || tag === 'textarea') return tag;
  if (el.isContentEditable) return 'contenteditable';
  return roleControl(el) ? 'role:' + el.getAttribute('role') : tag;
}

const ROLES = {checkbox: 'checkbox', radio: 'radio', number: 'spinbutton', range: 'slider',
               button: 'button', submit: 'button', reset: 'button', image: 'button'};
function roleOf(el) {
  const role = el.getAttribute('role');
  if (role) return role;
  const tag = el.tagName;
  if (tag === 'INPUT') return ROLES[el.type] || 'textbox';
  if (tag === 'SELECT') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
  if (tag === 'TEXTAREA' || el.isContentEditable) return 'textbox';
  if (tag === 'BUTTON') return 'button';
  if (tag === 'A') return el.hasAttribute('href') ? 'link' : '';
  if (tag === 'FIELDSET') return 'group';
  return '';
}

function labelledBy(el) {
  const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  const root = el.getRootNode();
  return plain(ids.map(id => root.getElementById ? root.getElementById(id) : null)
    .filter(Boolean).map(textOf).join(' '));
}

// the nearest text before (step -1) or after (step 1) a node, climbing a few containers
function nearText(node, step) {
  for (let depth = 0; node && depth < 3; depth++, node = parentOf(node)) {
    for (let s = step < 0 ? node.previousSibling : node.nextSibling; s;
         s = step < 0 ? s.previousSibling : s.nextSibling) {
      const text = s.nodeType === 3 ? plain(s.textContent) :
        s.nodeType === 1 && !['SCRIPT', 'STYLE'].includes(s.tagName) ? textOf(s) : '';
      if (text) return text.slice(0, 80);
    }
  }
  return '';
}

function fingerprint(el, anchor, label, how, name) {
  const box = el.getBoundingClientRect();
  return {label, how, tag: el.tagName.toLowerCase(), type: anchor.type || '',
          role: el === anchor ? roleOf(el) : 'radiogroup', accessible_name: name || label,
          id: el.id || anchor.id || '', name: anchor.getAttribute('name') || '',
          placeholder: anchor.getAttribute('placeholder') || '',
          near: nearText(anchor, -1) || nearText(el, 1), near_after: nearText(el, 1),
          box: {x: Math.round(box.x + scrollX), y: Math.round(box.y + scrollY),
                w: Math.round(box.width), h: Math.round(box.height)},
          visible: visible(el)};
}

function describe(el, label, how) {
  const box = el.getBoundingClientRect();
  const what = el.tagName.toLowerCase() + (el.tagName === 'INPUT' ? `[${el.type}]` : '');
  const name = el.getAttribute('name');
  const id = el.id ? ` #${el.id}` : name ? ` name=${name}` : '';
  return `${what}${id} '${label}' (${how}) at x=${Math.round(box.x)}, y=${Math.round(box.y)}`;
}
"""
