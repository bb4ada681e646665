"""What every request handler of the review page needs, kept on the application's state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.templating import Jinja2Templates

from bots.ledger import Ledger, people
from bots.review.proxy import ProxyTrust
from bots.review.queue import Goals
from bots.review.session import Sessions
from bots.review.throttle import FailedSignOns, OneTimeLink


@dataclass
class ReviewState:
    """What every request handler needs: the ledger, where state lives, how to retry, who may
    sign on and how, and the settings this server lacks (recipe -> variable names)."""

    ledger: Ledger
    state_dir: Path
    database_url: str
    project_root: Path
    templates: Jinja2Templates
    goals: Goals
    sessions: Sessions
    proxy: ProxyTrust | None = None
    first_link: OneTimeLink | None = None
    missing_env: dict[str, list[str]] = field(default_factory=dict)
    failures: FailedSignOns = field(default_factory=FailedSignOns)

    @property
    def evidence_dir(self) -> Path:
        return self.state_dir / "evidence"

    def has_accounts(self) -> bool:
        return people.has_accounts(self.ledger.engine)
