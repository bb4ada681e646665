"""In-page JavaScript that picks the field a recipe names among the page's labelled controls.

A label matches when its key equals the recipe's (``bots.web.text.label_key``). Visible
controls win over hidden ones, then the strongest kind of label (``bots.web.find_labels``);
two distinct controls left at that point are an ambiguity the recipe must settle with
``selector:``. Also here: several fields in one call (``bots.web.find_ahead``), a selector's
matches as one control (a caption it picked stands for the field it labels), and a radio
group's options.
"""

from __future__ import annotations

from bots.web.find_labels import LABELS_LIB

FIELDS_JS = r"""
const bestLabel = labels => labels.reduce((a, b) => (b.tier < a.tier ? b : a), labels[0]);

function answer(u, hit, labels, arg) {
  if (arg.mark) u.el.setAttribute(MARK, arg.token);
  const strong = labels.find(l => l.tier === 1);
  return {status: 'found', kind: u.kind, how: hit.how,
          fingerprint: fingerprint(u.el, u.anchor, hit.text, hit.how, strong ? strong.text : '')};
}

const textShown = (all, key) => all.some(el => !SKIP_TAGS.has(tagOf(el)) &&
  el.textContent.length < 200 && labelKey(el.textContent) === key && visible(el));

function seenLabels(labelled) {
  const seen = [];
  for (const [u, labels] of labelled) {
    if (!labels.length || !visible(u.el)) continue;
    const text = bestLabel(labels).text.slice(0, 60);
    if (!seen.includes(text)) seen.push(text);
  }
  return seen.slice(0, 30);
}

// every control of the page (or of a box on it) with its labels, computed once for one or
// several searches
function labelIndex(root = document) {
  const all = walk(root);
  return {all, labelled: unitsOf(all).map(u => [u, labelsOf(u)])};
}

function searchField(arg, index = labelIndex()) {
  const {all, labelled} = index, hits = [];
  for (const [u, labels] of labelled) {
    for (const l of labels) if (labelKey(l.text) === arg.key) hits.push({u, labels, ...l});
  }
  if (!hits.length) {
    if (!arg.mark || arg.brief) return {status: 'none'};
    return {status: 'none', shown: textShown(all, arg.key), seen: seenLabels(labelled)};
  }
  const shown = hits.filter(h => visible(h.u.el));
  const pool = shown.length ? shown : hits;
  const tier = Math.min(...pool.map(h => h.tier));
  const best = [];
  for (const h of pool) if (h.tier === tier && !best.some(b => b.u.el === h.u.el)) best.push(h);
  if (best.length > 1) {
    return {status: 'ambiguous', candidates: best.map(h => describe(h.u.el, h.text, h.how))};
  }
  return answer(best[0].u, best[0], best[0].labels, arg);
}

// several fields in one call: [key, token] pairs -> the answers, in order
function searchFields(arg) {
  const index = labelIndex();
  return arg.keys.map(([key, token]) => searchField({key, token, mark: true, brief: true}, index));
}

// a selector's matches as one control: a wrapper stands for the one control inside it, and
// several radios of one name are their group
function selectedField(els, arg) {
  const picked = [];
  for (const el of els) {
    const inside = isControl(el) ? [el] : controlsIn(el);
    const target = inside.length === 1 ? inside[0] : el;
    if (!picked.includes(target)) picked.push(target);
  }
  const shown = picked.filter(visible), pool = shown.length ? shown : picked;
  if (!pool.length) return {status: 'none'};
  if (arg.op === 'field' && pool.length === 1 && !controlsIn(pool[0]).length) {
    const named = fieldOfCaption(pool[0], arg);  // a caption picked: the field it labels
    if (named) return named;
  }
  const radios = pool.every(r => tagOf(r) === 'INPUT' && r.type === 'radio' &&
                                 r.name === pool[0].name);
  let u = {el: pool[0], anchor: pool[0], members: [pool[0]], kind: kindOf(pool[0])};
  if (pool.length > 1 && radios) {
    u = {el: groupBox(pool), anchor: pool[0], members: pool, kind: 'radio-group'};
  } else if (pool.length > 1) {
    const named = e => {
      const alone = {el: e, anchor: e, members: [e], kind: kindOf(e)};
      const labels = isControl(e) ? labelsOf(alone) : [];
      return labels.length ? bestLabel(labels).text : textOf(e).slice(0, 40);
    };
    const candidates = pool.map(e => describe(e, named(e), 'selector'));
    return {status: 'ambiguous', candidates};
  }
  const labels = isControl(u.anchor) ? labelsOf(u) : [];
  const text = labels.length ? bestLabel(labels).text : arg.name;
  return answer(u, {text, how: 'selector'}, labels, arg);
}

// a selector that picked a caption (a label, a table cell) with no control of its own: the
// field that caption labels, looked for as a recipe's label is, in the smallest box around
// the caption that holds controls, then in wider ones (a selector scoped to one part of a
// page keeps its search there)
function fieldOfCaption(el, arg) {
  const own = tagOf(el) === 'LABEL' && el.control;
  if (own) return selectedField([own], arg);
  const key = labelKey(textOf(el));
  for (let box = parentOf(el); box; box = parentOf(box)) {
    if (!controlsIn(box).length) continue;
    const found = searchField({...arg, key}, labelIndex(box));
    if (found.status !== 'none') return found;
  }
  return null;
}

// the options of a radio group, each radio marked token-<index> for the click that chooses it
function radioOptions(box, arg) {
  const radios = walk(box).filter(r => r.getAttribute('role') === 'radio' ||
    (tagOf(r) === 'INPUT' && r.type === 'radio' && (!arg.name || r.name === arg.name)));
  return radios.map((r, index) => {
    r.setAttribute(MARK, arg.token + '-' + index);
    const own = [...(r.labels || [])].map(l => labelText(l, r)).join(' ') ||
      plain(r.getAttribute('aria-label')) || labelledBy(r) ||
      (tagOf(r) === 'INPUT' ? textAfter(r, [r]) : textOf(r));
    return [r.value || r.getAttribute('data-value') || '', own, visible(r)];
  });
}
"""

FIELD_LIB = LABELS_LIB + FIELDS_JS
