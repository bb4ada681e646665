"""Heal with proof: re-find a control a changed screen lost, from its remembered fingerprint.

(Contract; implemented by the heal work.) ``memory_for(ctx)`` is the step's ``ControlMemory``,
or None when healing is off for it.
"""

from __future__ import annotations

from bots.kernel import StepContext
from bots.web.screen import ControlMemory


def memory_for(ctx: StepContext) -> ControlMemory | None:
    """The step's memory of its controls (None: no healing, nothing remembered)."""
    return None
