"""One step's memory of its controls, kept in files: remember on success, heal on a lost control.

Remembering keeps up to MAX_VARIANTS fingerprints per control (one step may meet the same name
on two screens: a form's "External Reference" and its check's search screen) and writes only
when a fingerprint is new, so steady runs cost one small file read per step and no writes.
Healing scores every candidate on the page against those fingerprints (score.py) and takes
only one clear winner; the heal is logged, its screen kept, and a proposal written.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from pathlib import Path
from typing import Any

import structlog
from playwright.async_api import Page

from bots.web.heal.proposals import Healing, record_heal, record_worked, set_evidence
from bots.web.heal.scan import Candidate, candidates
from bots.web.heal.score import (
    LABEL_KEYS,
    Scored,
    clear_winner,
    first_text,
    meaningful,
    ranked,
)
from bots.web.heal.similarity import normalized
from bots.web.heal.store import HealStore, control_key, now, safe_name
from bots.web.targets import ControlMissing, Found

MAX_VARIANTS = 4
SIGNATURE_KEYS = ("tag", "type", "role", "placeholder", "frame")
SHOWN_CANDIDATES = 3
# generated per page load: hex runs with a digit in them (hashes), counters
GENERATED = re.compile(r"(?=[a-f]*\d)[0-9a-f]{6,}|\d{3,}", re.IGNORECASE)


def signature(kind: str, fingerprint: dict[str, Any]) -> str:
    """What must change for a fingerprint to count as new: what the control is and says.

    Where it sits and what surrounds it are left out: forms that reshuffle their fields (or
    show an error beside one) would otherwise write a file and a screenshot on every item.
    """
    stable = {key: fingerprint.get(key) for key in SIGNATURE_KEYS}
    return json.dumps([kind, first_text(fingerprint, LABEL_KEYS), stable], sort_keys=True,
                      default=str)


class FileMemory:
    """The ControlMemory of one step of one item (see bots.web.screen)."""

    def __init__(self, store: HealStore, step_id: str, item: str, *, heal: bool) -> None:
        self.store, self.step_id, self.item, self.may_heal = store, step_id, item, heal
        self.log = structlog.get_logger()

    async def heal(self, page: Page, what: str, name: str, missing: ControlMissing) -> Found:
        """The one clear candidate for a lost control (``how='healed'``); else raise missing."""
        controls = self.store.controls(self.step_id)
        record = controls.get(control_key(what, name))
        if not self.may_heal or not record or not record.get("variants"):
            raise missing
        found = await candidates(page, what)
        others = [entry["name"] for key, entry in controls.items()
                  if key != control_key(what, name) and entry.get("what") == what]
        scored = ranked([(c.features, c.kind) for c in found], record["variants"], name, what,
                        others)
        winner = clear_winner(scored)
        if winner is None:
            raise _unhealed(missing, what, name, scored) from missing
        chosen = found[winner.index]
        await chosen.take()
        await self._report(page, what, name, record, chosen, scored, shared_label(chosen, found))
        return Found(chosen.locator, chosen.kind, "healed", chosen.fingerprint)

    async def _report(self, page: Page, what: str, name: str, record: dict[str, Any],
                      chosen: Candidate, scored: list[Scored], shared: bool) -> None:
        """Log the heal, keep the new screen, and write (or count) the proposal."""
        label = first_text(chosen.features, LABEL_KEYS).strip().rstrip(":*").strip()
        selector = stable_selector(chosen.features) if shared or not label else ""
        new_label = "" if selector else label  # a label two controls share is no name
        old = _before(record["variants"], label)
        old_label = first_text(old.get("fingerprint") or {}, LABEL_KEYS)
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        healing = Healing(self.step_id, what, name, chosen.kind, new_label, selector,
                          scored[0].score, runner_up, old_label,
                          {"old": str(old.get("evidence") or "")})
        proposal = record_heal(self.store, healing, self.item)
        shot = self.store.evidence_dir / f"{proposal['id']}-new.png"
        if not shot.exists():
            await _outlined_screenshot(page, chosen, shot)
            set_evidence(self.store, proposal["id"], "new", str(shot))
        self.log.warning("healed", recipe=self.store.recipe, step_id=self.step_id, what=what,
                         name=name, old_label=old_label, new_label=label, selector=selector,
                         score=healing.score, runner_up=runner_up, proposal=proposal["id"])

    def remember(self, used: list[tuple[str, str, Found]]) -> None:
        """Keep the fingerprints of the controls a successful step used (new ones only)."""
        shot = self._old_screen_path()
        with self.store.locked():
            controls = self.store.controls(self.step_id)
            changed = [found for what, name, found in used
                       if _kept(controls, what, name, found, shot)]
            if changed:
                self.store.save_controls(self.step_id, controls)
        for what, name, found in used:
            if found.how == "healed":
                record_worked(self.store, self.step_id, what, name, self.item)
        if changed:
            _screenshot_later(changed[0], shot)

    def _old_screen_path(self) -> str:
        stamp = now().replace(":", "").replace("-", "")
        return str(self.store.evidence_dir / f"{safe_name(self.step_id)}-{stamp}.png")


def shared_label(chosen: Candidate, found: list[Candidate]) -> bool:
    """Whether another control on the page shows the same label (the recipe could not name
    the chosen one by it)."""
    mine = normalized(first_text(chosen.features, LABEL_KEYS))
    return sum(normalized(first_text(c.features, LABEL_KEYS)) == mine for c in found) > 1


def _before(variants: list[dict[str, Any]], new_label: str) -> dict[str, Any]:
    """The remembered fingerprint that shows the control as it was (not as healed already)."""
    for variant in variants:
        label = first_text(variant.get("fingerprint") or {}, LABEL_KEYS)
        if normalized(label) != normalized(new_label):
            return variant
    return variants[0]


def _kept(controls: dict[str, Any], what: str, name: str, found: Found, shot: str) -> bool:
    """Add the fingerprint to the control's variants if it is new; whether it was."""
    entry = controls.setdefault(control_key(what, name),
                                {"what": what, "name": name, "variants": []})
    mark = signature(found.kind, found.fingerprint)
    variants = entry["variants"]
    if any(variant.get("signature") == mark for variant in variants):
        return False
    variants.append({"kind": found.kind, "how": found.how, "fingerprint": found.fingerprint,
                     "signature": mark, "first_seen": now(), "evidence": shot})
    del variants[:-MAX_VARIANTS]
    return True


OUTLINE = ("(el, on) => { if (on) { el.dataset.botsOutline = el.style.outline; "
           "el.style.outline = '3px solid #e00'; } else { el.style.outline = "
           "el.dataset.botsOutline || ''; delete el.dataset.botsOutline; } }")


async def _outlined_screenshot(page: Page, chosen: Candidate, path: Path) -> None:
    """The screen a control was healed on, that control outlined in red (best effort)."""
    with contextlib.suppress(Exception):  # evidence must never fail the step
        path.parent.mkdir(parents=True, exist_ok=True)
        await chosen.locator.evaluate(OUTLINE, True)
        try:
            await page.screenshot(path=str(path), full_page=True)
        finally:
            await chosen.locator.evaluate(OUTLINE, False)


def _screenshot_later(found: Found, path: str) -> None:
    """Keep the screen the step ended on, without holding up the step (best effort)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return

    async def take() -> None:
        with contextlib.suppress(Exception):
            await found.locator.page.screenshot(path=path, full_page=True)

    loop.create_task(take())


def stable_selector(features: dict[str, Any]) -> str:
    """A selector for a control without a usable label: an id or name that is not generated."""
    for attribute, key in (("id", "id"), ("name", "name_attr"), ("placeholder", "placeholder")):
        value = str(features.get(key) or "")
        if meaningful(value) and not GENERATED.search(value) and '"' not in value:
            return f'[{attribute}="{value}"]'
    return ""


def _unhealed(missing: ControlMissing, what: str, name: str,
              scored: list[Scored]) -> ControlMissing:
    """The lost control, with why healing did not take any candidate."""
    shown = ", ".join(f"'{s.label}' ({s.score:.2f})" for s in scored[:SHOWN_CANDIDATES])
    why = (f"no one clear candidate to heal it with: {shown}" if shown
           else "nothing of its kind on the screen to heal it with")
    details = {key: value for key, value in missing.details.items()
               if key not in ("what", "name", "candidates")}
    return ControlMissing(f"{missing.message} ({why})", what=what, name=name,
                          heal_candidates=[s.label for s in scored[:SHOWN_CANDIDATES]], **details)
