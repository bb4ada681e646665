"""What every request handler of the review page needs, kept on the application's state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.templating import Jinja2Templates

from bots.ledger import Ledger
from bots.review.queue import Goals


@dataclass
class ReviewState:
    """What every request handler needs: the ledger, where state lives, how to retry."""

    ledger: Ledger
    state_dir: Path
    database_url: str
    project_root: Path
    templates: Jinja2Templates
    goals: Goals
    retrying: set[str] = field(default_factory=set)  # items being resubmitted: no double runs

    @property
    def evidence_dir(self) -> Path:
        return self.state_dir / "evidence"
