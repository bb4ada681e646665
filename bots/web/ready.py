"""Why a control cannot take a click: hidden, disabled, covered by another element, gone.

Playwright's click waits until its target is visible, enabled, stable and the one that would
receive the click (a button enabled a moment later is then clicked); when that wait runs out it
says only "timeout". Then we ask the page once what a person would see: the control hidden,
disabled (``disabled``, inside a disabled fieldset, ``aria-disabled``), inert (``inert``,
``pointer-events: none``), or covered by another element (``elementFromPoint`` at its centre,
walking open shadow roots), and report it as CONTROL_NOT_READY naming the reason. Nothing is
ever clicked blindly (no ``force``: a blind click is a wrong click). Asking only after a failed
click keeps a click on a ready control as fast as Playwright's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Locator

from bots.kernel.errors import ApplicationError
from bots.web.guard import translated

READY_JS = """(els) => {
  const el = els[0];
  if (!el) return {state: 'gone'};
  const describe = (node) => {
    const id = node.id ? ` id="${node.id}"` : '';
    const cls = typeof node.className === 'string' && node.className.trim()
      ? ` class="${node.className.trim().slice(0, 60)}"` : '';
    return `<${node.tagName.toLowerCase()}${id}${cls}>`;
  };
  if (!el.checkVisibility({visibilityProperty: true})) return {state: 'hidden'};
  let box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return {state: 'hidden'};
  if (el.matches(':disabled') || el.closest('[aria-disabled="true"]')) return {state: 'disabled'};
  if (el.closest('[inert]')) return {state: 'inert'};
  if (getComputedStyle(el).pointerEvents === 'none') return {state: 'inert'};
  if (box.bottom < 0 || box.right < 0 || box.top > innerHeight || box.left > innerWidth) {
    el.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    box = el.getBoundingClientRect();
  }
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  if (!hit) return {state: 'ready'};
  for (let node = hit; node; node = node.parentNode || node.host) {
    if (node === el) return {state: 'ready'};
  }
  if (hit.tagName === 'LABEL' && hit.control === el) return {state: 'ready'};
  return {state: 'covered', by: describe(hit)};
}"""

REASONS = {
    "gone": "is no longer on the page",
    "hidden": "is hidden",
    "disabled": "is disabled",
    "inert": "does not take clicks (inert or pointer-events: none)",
    "unstable": "did not become clickable (it kept moving or changing)",
}


@dataclass(frozen=True)
class Readiness:
    """What the page says about a control: 'ready', 'hidden', 'disabled', 'covered' ..."""

    state: str
    by: str | None = None  # the covering element, as '<div class="modal-backdrop">'

    @property
    def ready(self) -> bool:
        """The control can take a click now."""
        return self.state == "ready"

    def reason(self) -> str:
        """Why the control cannot take a click, for a message."""
        if self.state == "covered":
            return f"is covered by {self.by}"
        return REASONS.get(self.state, REASONS["unstable"])


async def readiness(locator: Locator) -> Readiness:
    """Ask the page, in one round trip, whether the control can take a click now."""
    async with translated("checking that the control can be clicked"):
        found = await locator.evaluate_all(READY_JS)
    return Readiness(str(found["state"]), found.get("by"))


def not_ready(name: str, found: Readiness) -> ApplicationError:
    """The error for a control that stayed unready: it names the reason; it was not clicked."""
    state = "unstable" if found.ready else found.state
    return ApplicationError(
        f"'{name}' {Readiness(state, found.by).reason()}, so it was not clicked; the screen "
        f"is not in the state the recipe expects (wait for what covers or disables it to go, "
        f"e.g. wait_for with state: gone, in the step before).",
        code="CONTROL_NOT_READY", button=name, reason=state, covered_by=found.by,
        clicked=False)
