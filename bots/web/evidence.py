"""Evidence of what a page looked like: a full-page screenshot and its HTML, secrets masked.

Password inputs are masked in the screenshot and blanked in the HTML; every registered secret
value is replaced by ``***`` (``bots.secrets.redact``). The HTML keeps what the bot typed into
other fields, so a person sees the form as it was. Capture is best effort: it runs when
something already went wrong, so a dead page yields what could be saved, never a new error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from bots.secrets import redact

PASSWORDS = "input[type=password]"

# The live values of fields are properties, not attributes: copy them into a clone so the saved
# HTML shows what was typed, and blank passwords there.
SNAPSHOT_JS = """() => {
  const copy = document.documentElement.cloneNode(true);
  const live = document.querySelectorAll('input, textarea, select');
  const cloned = copy.querySelectorAll('input, textarea, select');
  live.forEach((el, i) => {
    const twin = cloned[i];
    if (el.type === 'password') twin.setAttribute('value', '');
    else if (el.tagName === 'TEXTAREA') twin.textContent = el.value;
    else if (el.tagName === 'SELECT') [...el.options].forEach((o, j) =>
      o.selected ? twin.options[j].setAttribute('selected', '') :
                   twin.options[j].removeAttribute('selected'));
    else if (el.type === 'checkbox' || el.type === 'radio')
      el.checked ? twin.setAttribute('checked', '') : twin.removeAttribute('checked');
    else twin.setAttribute('value', el.value);
  });
  return '<!DOCTYPE html>\\n' + copy.outerHTML;
}"""


def evidence_name(label: str) -> str:
    """A file-name-safe form of an evidence label ("submit claim#2" -> "submit_claim_2")."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", label).strip("_.") or "page"


async def capture_page(page: Page, evidence_dir: Path, label: str) -> dict[str, Any]:
    """Save a screenshot and the HTML of a page; returns their paths and the page URL."""
    evidence_dir.mkdir(parents=True, exist_ok=True)
    base = evidence_dir / evidence_name(label)
    saved: dict[str, Any] = {"url": redact(_url(page))}
    problems = []
    for kind, save in (("screenshot", _screenshot), ("html", _html)):
        try:
            saved[kind] = str(await save(page, base))
        except PlaywrightError as error:
            problems.append(f"{kind}: {str(error).splitlines()[0] if str(error) else error!r}")
    if problems:
        saved["error"] = redact("; ".join(problems))
    return saved


def _url(page: Page) -> str:
    try:
        return str(page.url)
    except PlaywrightError:
        return ""


async def _screenshot(page: Page, base: Path) -> Path:
    path = base.parent / (base.name + ".png")
    await page.screenshot(path=str(path), full_page=True, mask=[page.locator(PASSWORDS)],
                          animations="disabled")
    return path


async def _html(page: Page, base: Path) -> Path:
    path = base.parent / (base.name + ".html")
    html = await page.evaluate(SNAPSHOT_JS)
    path.write_text(redact(html), encoding="utf-8")
    return path
