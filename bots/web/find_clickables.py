"""In-page JavaScript that finds a button or link by what it says, and an iframe by its name.

A button is a ``<button>``, an ``<a>``, an ``input[type=submit|button|image|reset]`` or an
element with role button, link, menuitem or tab; its names are its text (or an image's alt),
its value, ``aria-label``, ``aria-labelledby`` and title, compared as label keys. An exact name
wins over one that only contains the recipe's words; visible buttons over hidden ones (a
hidden duplicate is no ambiguity); of nested matches the innermost. When no visible button has
the name, a visible element whose whole text is the name and that looks clickable (pointer
cursor or an onclick handler) is taken (``how='text'``): single-page apps draw buttons from
divs. A hidden button is the last resort (the click then waits for it to show).
"""

from __future__ import annotations

from bots.web.find_fields_js import FIELD_LIB

BUTTONS_JS = r"""
function buttonNames(el) {
  const names = [];
  const add = (text, how) => { text = plain(text); if (text) names.push([text, how]); };
  if (tagOf(el) === 'INPUT') {
    add(el.value || {submit: 'Submit', reset: 'Reset'}[el.type] || '', 'value');
    add(el.getAttribute('alt'), 'alt');
  } else {
    add(textOf(el), 'text');
    const image = el.querySelector('img[alt]');
    if (image) add(image.alt, 'alt');
  }
  add(el.getAttribute('aria-label'), 'aria-label');
  add(labelledBy(el), 'aria-labelledby');
  add(el.getAttribute('title'), 'title');
  return names;
}

const WORD = /[\p{L}\p{N}_]/u;
function hasWords(text, key) {  // the key in the text as whole words
  for (let at = text.indexOf(key); key && at >= 0; at = text.indexOf(key, at + 1)) {
    const before = text[at - 1] || ' ', after = text[at + key.length] || ' ';
    if (!(WORD.test(key[0]) && WORD.test(before)) &&
        !(WORD.test(key[key.length - 1]) && WORD.test(after))) return true;
  }
  return false;
}

const innermost = hits => hits.filter(h => !hits.some(o => o !== h && h.el.contains(o.el)));

function clickableText(all, key) {
  const hits = all.filter(el => !SKIP_TAGS.has(tagOf(el)) && el.textContent.length < 200 &&
    labelKey(el.textContent) === key && visible(el) &&
    (el.hasAttribute('onclick') || getComputedStyle(el).cursor === 'pointer'));
  return innermost(hits.map(el => ({el, exact: true, text: textOf(el), how: 'text', names: []})));
}

function buttonAnswer(hit, arg) {
  if (arg.mark) hit.el.setAttribute(MARK, arg.token);
  const name = hit.names.length ? hit.names[0][0] : hit.text;
  return {status: 'found', kind: 'button', how: hit.how,
          fingerprint: fingerprint(hit.el, hit.el, hit.text, hit.how, name)};
}

function chooseButton(hits, arg) {
  const shown = hits.filter(h => visible(h.el)), pool = shown.length ? shown : hits;
  const exact = pool.filter(h => h.exact), best = exact.length ? exact : pool;
  if (best.length > 1) {
    return {status: 'ambiguous', candidates: best.map(h => describe(h.el, h.text, h.how))};
  }
  return best.length ? buttonAnswer(best[0], arg) : null;
}

function searchButton(arg) {
  const all = walk(document), hits = [], seen = [];
  for (const el of all) {
    if (!isButton(el)) continue;
    const names = buttonNames(el);
    const exact = names.find(([text]) => labelKey(text) === arg.key);
    const part = exact || names.find(([text]) => hasWords(labelKey(text), arg.key));
    if (part) hits.push({el, exact: !!exact, text: part[0], how: part[1], names});
    else if (arg.mark && names.length && visible(el)) seen.push(names[0][0].slice(0, 60));
  }
  // a hidden button loses to a visible element that looks clickable and says the name
  const inner = innermost(hits), shown = inner.some(h => visible(h.el));
  const chosen = (shown && chooseButton(inner, arg)) ||
    chooseButton(clickableText(all, arg.key), arg) || chooseButton(inner, arg);
  if (chosen) return chosen;
  if (!arg.mark) return {status: 'none'};
  return {status: 'none', shown: textShown(all, arg.key), seen: [...new Set(seen)].slice(0, 30)};
}

function selectedButton(els, arg) {
  const hits = els.map(el => {
    const names = buttonNames(el);
    return {el, exact: true, text: names.length ? names[0][0] : arg.name, how: 'selector', names};
  });
  return chooseButton(hits, arg) || {status: 'none'};
}

function searchFrame(arg) {
  const frames = walk(document).filter(el => /^I?FRAME$/.test(tagOf(el)));
  const css = el => { try { return el.matches(arg.part); } catch (e) { return false; } };
  const hit = frames.find(f => f.name === arg.part || f.id === arg.part) ||
    frames.find(f => labelKey(f.title) === arg.key) || frames.find(css);
  if (hit && arg.mark) hit.setAttribute(MARK, arg.token);
  return {status: hit ? 'found' : 'none',
          seen: frames.map(f => f.name || f.title || f.id || f.src).filter(Boolean)};
}

// a loaded page, network-idle when the wait began (arg.idle), whose DOM has not changed for
// arg.quietMs, at least arg.minMs into the wait: what is not there yet will not come
const WATCH = Symbol.for('bots.find.quiet');
function settledWithout(arg) {
  if (!arg.idle || document.readyState !== 'complete') return false;
  if (!window[WATCH]) {
    const watch = window[WATCH] = {last: performance.now(), started: {}};
    new MutationObserver(records => {
      if (records.some(r => r.attributeName !== MARK)) watch.last = performance.now();
    }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  const watch = window[WATCH], now = performance.now();
  watch.started[arg.token] = watch.started[arg.token] || now;
  return now - watch.started[arg.token] >= arg.minMs && now - watch.last >= arg.quietMs;
}

function search(arg) {
  if (arg.op === 'button') return searchButton(arg);
  if (arg.op === 'fields') return searchFields(arg);
  return arg.op === 'frame' ? searchFrame(arg) : searchField(arg);
}
"""

LIB = FIELD_LIB + BUTTONS_JS

# Answers go back as JSON text (``bots.web.find_search.answer_of`` reads them): a returned
# object is checked and converted by Playwright node by node, which cost a form's find about as
# much again as the search itself; one string is one node.
SEARCH_JS = "(arg) => {" + LIB + "\nreturn JSON.stringify(search(arg));\n}"
READY_JS = ("(arg) => {" + LIB + "\nreturn search(arg).status !== 'none' ? 'found' : "
            "settledWithout(arg) ? 'settled' : false;\n}")
SELECTED_JS = ("(els, arg) => {" + LIB + "\nreturn JSON.stringify(arg.op === 'button' ? "
               "selectedButton(els, arg) : selectedField(els, arg));\n}")
RADIOS_JS = "(box, arg) => {" + LIB + "\nreturn radioOptions(box, arg);\n}"
