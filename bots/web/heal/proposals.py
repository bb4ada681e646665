"""Proposed recipe changes: a healed control, what the recipe should say now, and the proof.

One file per (step, control, new label): healing the same control again on later items adds to
its count and its items, so a batch of a thousand claims leaves one proposal, not a thousand.
A proposal is 'pending' until a person accepts it (the recipe is rewritten) or rejects it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from bots.web.heal.store import HealStore, now, read_json, write_json

KEEP_ITEMS = 20  # item keys kept per list: enough to look at, never a flood


@dataclass
class Healing:
    """One heal, as the memory saw it: which control, what it became, how sure, the proof."""

    step: str
    what: str
    name: str  # the recipe's name for it (field label or button text)
    kind: str
    new_label: str
    selector: str  # when the new control has no usable label; else ''
    score: float
    runner_up: float
    old_label: str
    evidence: dict[str, str]


def proposal_id(recipe: str, healing: Healing) -> str:
    """A short stable id: the same control healed the same way is the same proposal."""
    text = "\x00".join((recipe, healing.step, healing.what, healing.name,
                        healing.new_label or healing.selector))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def record_heal(store: HealStore, healing: Healing, item: str) -> dict[str, Any]:
    """Create or update the proposal for this heal; the proposal as now written."""
    ident = proposal_id(store.recipe, healing)
    path = store.proposals_dir / f"{ident}.json"
    with store.locked():
        proposal = read_json(path) or _new(store.recipe, ident, healing)
        proposal["count"] = int(proposal.get("count", 0)) + 1
        proposal["last_seen"] = now()
        proposal.update(score=healing.score, runner_up=healing.runner_up)
        proposal["evidence"] = {**healing.evidence, **proposal.get("evidence", {})}
        _add(proposal, "items_healed", item)
        write_json(path, proposal)
    return proposal


def _new(recipe: str, ident: str, healing: Healing) -> dict[str, Any]:
    return {"id": ident, "recipe": recipe, "status": "pending", "step": healing.step,
            "what": healing.what, "name": healing.name, "kind": healing.kind,
            "old_label": healing.old_label, "new_label": healing.new_label,
            "selector": healing.selector, "count": 0, "first_seen": now(),
            "items_healed": [], "items_worked": [], "evidence": {}}


def _add(proposal: dict[str, Any], key: str, item: str) -> None:
    items = list(proposal.get(key) or [])
    if item and item not in items and len(items) < KEEP_ITEMS:
        items.append(item)
    proposal[key] = items


def record_worked(store: HealStore, step: str, what: str, name: str, item: str) -> None:
    """The step that used a healed control succeeded: its pending proposal worked for the item."""
    with store.locked():
        for proposal in proposals(store):
            if (proposal.get("status"), proposal.get("step"), proposal.get("what"),
                    proposal.get("name")) == ("pending", step, what, name):
                _add(proposal, "items_worked", item)
                write_json(store.proposals_dir / f"{proposal['id']}.json", proposal)


def proposals(store: HealStore) -> list[dict[str, Any]]:
    """Every proposal of the recipe, oldest first."""
    if not store.proposals_dir.is_dir():
        return []
    found = [read_json(path) for path in store.proposals_dir.glob("*.json")]
    return sorted((p for p in found if p.get("id")), key=lambda p: str(p.get("first_seen")))


def set_status(store: HealStore, proposal: dict[str, Any], status: str, **extra: Any) -> None:
    """Mark a proposal accepted or rejected (with when, and anything else worth keeping)."""
    with store.locked():
        proposal.update(status=status, decided_at=now(), **extra)
        write_json(store.proposals_dir / f"{proposal['id']}.json", proposal)


def set_evidence(store: HealStore, ident: str, which: str, path: str) -> None:
    """Note a screenshot in a proposal's evidence ('old' or 'new')."""
    target = store.proposals_dir / f"{ident}.json"
    with store.locked():
        proposal = read_json(target)
        if proposal:
            proposal.setdefault("evidence", {})[which] = path
            write_json(target, proposal)


def healed_since(store: HealStore, since: str) -> list[dict[str, Any]]:
    """The pending proposals a heal added to or created at or after `since` (a run's start)."""
    return [p for p in proposals(store)
            if p.get("status") == "pending" and str(p.get("last_seen", "")) >= since]
