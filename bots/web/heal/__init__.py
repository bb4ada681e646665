"""Heal with proof: re-find a control a changed screen lost, from its remembered fingerprint.

``memory_for(ctx)`` is the step's ``ControlMemory``: it remembers the controls a successful
step used (always) and heals a lost one (only when ``ctx.heal``: ``--no-heal`` and side-effect
steps without a check turn it off). What it keeps lives under ``<state>/heal/<recipe>/``
(store.py); a heal leaves a proposed recipe change there for a person (``runner.py heal``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bots.kernel import StepContext
from bots.web.heal.store import HealStore

if TYPE_CHECKING:  # the memory works on pages: a run without a web step never imports it
    from bots.web.screen import ControlMemory


def memory_for(ctx: StepContext) -> ControlMemory | None:
    """The step's memory of its controls (None: no recipe name, nothing to keep it under)."""
    from bots.web.heal.memory import FileMemory

    if not ctx.recipe:
        return None
    return FileMemory(HealStore(ctx.state_dir, ctx.recipe), ctx.step_id, ctx.item.key,
                      heal=ctx.heal)
