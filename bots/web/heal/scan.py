"""Every control on a page that could be the one a changed screen lost, with what identifies it.

One in-page script per frame walks the document (open shadow roots included), describes each
visible field or button the way a fingerprint does (label, tag, type, role, id, name,
placeholder, nearby text, box) and marks it with a one-off attribute, so the chosen one can
be targeted exactly afterwards, whatever its id.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Locator, Page

MARK = "data-bots-heal"
TAKEN = "data-bots-healed"  # set on a control once healed: a later heal on the page skips it

# Kept in one string: it runs in the page, one call per frame, for all candidates at once.
SCAN_SCRIPT = """
([what, token, mark, taken]) => {
  const FIELD = 'input:not([type=hidden]):not([type=submit]):not([type=button])'
    + ':not([type=reset]):not([type=image]), select, textarea';
  const BUTTON = 'button, input[type=submit], input[type=button], input[type=reset], '
    + 'input[type=image], a[href], [role=button], [role=link]';
  const wanted = what === 'button' ? BUTTON : FIELD;
  const text = (node) => (node ? (node.innerText || node.textContent || '') : '')
    .replace(/\\s+/g, ' ').trim();
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.matches(wanted)) found.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  const cellLabel = (el) => {
    let cell = el.closest('td, th');
    if (!cell) return '';
    for (let left = cell.previousElementSibling; left; left = left.previousElementSibling) {
      const said = text(left);
      if (said) return said;
    }
    const row = cell.parentElement, above = row && row.previousElementSibling;
    const over = above && above.children[cell.cellIndex];
    return over ? text(over) : '';
  };
  const siblingLabel = (el) => {
    // the text just before the control, or before the box it sits in (div layouts), 3 levels
    for (let at = el, depth = 0; at && depth < 3; at = at.parentElement, depth++) {
      for (let node = at.previousSibling; node; node = node.previousSibling) {
        const said = node.nodeType === 3 ? node.textContent.trim() : text(node);
        if (said) return said.length <= 80 ? said : '';
      }
    }
    return '';
  };
  const labelOf = (el) => {
    if (what === 'button') {
      return text(el) || el.value || el.getAttribute('aria-label') || el.title || '';
    }
    const labels = el.labels ? Array.from(el.labels).map(text).filter(Boolean) : [];
    if (labels.length) return labels[0];
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const named = by.split(/\\s+/).map((id) => text(document.getElementById(id)));
      if (named.join('').trim()) return named.join(' ').trim();
    }
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
    const dd = el.closest('dd');
    if (dd && dd.previousElementSibling && dd.previousElementSibling.tagName === 'DT') {
      return text(dd.previousElementSibling);
    }
    return cellLabel(el) || siblingLabel(el) || el.placeholder || el.title || '';
  };
  // the nearest text before (step -1) or after (step 1), climbing a few containers: the
  // same "near" bots.web.find puts in a fingerprint, so the two compare
  const nearText = (node, step) => {
    for (let depth = 0; node && depth < 3; depth++, node = node.parentElement) {
      for (let s = step < 0 ? node.previousSibling : node.nextSibling; s;
           s = step < 0 ? s.previousSibling : s.nextSibling) {
        const said = s.nodeType === 3 ? s.textContent.replace(/\\s+/g, ' ').trim()
          : s.nodeType === 1 && !['SCRIPT', 'STYLE'].includes(s.tagName) ? text(s) : '';
        if (said) return said.slice(0, 80);
      }
    }
    return '';
  };
  const nearOf = (el) => nearText(el, -1) || nearText(el, 1);
  const visible = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const out = [];
  for (const el of found) {
    if (!visible(el) || el.hasAttribute(taken)) continue;
    const box = el.getBoundingClientRect();
    const tag = el.tagName.toLowerCase();
    const index = out.length;
    el.setAttribute(mark, token + '-' + index);
    out.push({
      mark: token + '-' + index, tag,
      type: tag === 'input' ? el.type : '',
      role: el.getAttribute('role') || '', label: labelOf(el),
      accessible_name: el.getAttribute('aria-label') || '',
      id: el.id || '', name_attr: el.getAttribute('name') || '',
      placeholder: el.getAttribute('placeholder') || '', near: nearOf(el),
      disabled: !!el.disabled,
      box: {x: Math.round(box.x + window.scrollX), y: Math.round(box.y + window.scrollY),
            w: Math.round(box.width), h: Math.round(box.height)},
    });
  }
  return out;
}
"""


@dataclass
class Candidate:
    """One control on the page: where it is, and what describes it."""

    frame: Frame
    features: dict[str, Any]

    @property
    def locator(self) -> Locator:
        """A locator for exactly this element (its one-off mark)."""
        return self.frame.locator(f'[{MARK}="{self.features["mark"]}"]')

    async def take(self) -> None:
        """Mark it as healed, so that no later heal on this page takes it for another control."""
        await self.locator.evaluate(f"el => el.setAttribute('{TAKEN}', '')")

    @property
    def kind(self) -> str:
        """Its kind as ``Found.kind`` says it: 'input:text', 'select', 'button', 'link'..."""
        tag, kind = self.features["tag"], self.features.get("type") or ""
        if tag == "input":
            return "button" if kind in ("submit", "button", "reset", "image") else f"input:{kind}"
        if tag == "a" or self.features.get("role") == "link":
            return "link"
        return "button" if tag == "button" else tag

    @property
    def fingerprint(self) -> dict[str, Any]:
        """What identifies it, for remembering (the one-off mark left out)."""
        return {key: value for key, value in self.features.items() if key != "mark"}


def frame_name(frame: Frame) -> str:
    """A frame as fingerprints name it: '' for the page itself, else its name or URL."""
    if frame.parent_frame is None:
        return ""
    return frame.name or frame.url


async def candidates(page: Page, what: str) -> list[Candidate]:
    """Every visible field (what='field') or button/link (what='button') in every frame."""
    token = secrets.token_hex(4)
    found: list[Candidate] = []
    for frame in page.frames:
        if frame.is_detached():
            continue
        try:
            described = await frame.evaluate(SCAN_SCRIPT, [what, token, MARK, TAKEN])
        except PlaywrightError:  # a frame that went away or navigated meanwhile: nothing there
            if frame.parent_frame is None:
                raise
            continue
        found.extend(Candidate(frame, {**features, "frame": frame_name(frame)})
                     for features in described)
    return found
