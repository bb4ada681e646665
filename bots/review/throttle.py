"""Failed sign-ons, counted per name and per address, so passwords cannot be guessed in bulk;
and the one-time link that signs on the person who started a page with no accounts yet."""

from __future__ import annotations

import getpass
import hmac
import time
from dataclasses import dataclass, field

WINDOW_S = 15 * 60
MAX_PER_NAME = 5  # wrong passwords for one name in the window, then that name waits
MAX_PER_ADDRESS = 20  # from one address (many names tried), then that address waits


@dataclass
class FailedSignOns:
    """Recent failures by name and by address; a sign-on past a limit is not even checked."""

    by_name: dict[str, list[float]] = field(default_factory=dict)
    by_address: dict[str, list[float]] = field(default_factory=dict)

    def wait_s(self, name: str, address: str, now: float | None = None) -> int:
        """Seconds until this name may be tried again from this address (0: now)."""
        now = time.time() if now is None else now
        waits = [_wait(self.by_name, name.lower(), MAX_PER_NAME, now),
                 _wait(self.by_address, address, MAX_PER_ADDRESS, now)]
        return max(waits)

    def failed(self, name: str, address: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.by_name.setdefault(name.lower(), []).append(now)
        self.by_address.setdefault(address, []).append(now)

    def succeeded(self, name: str) -> None:
        self.by_name.pop(name.lower(), None)


def _wait(failures: dict[str, list[float]], key: str, limit: int, now: float) -> int:
    recent = [when for when in failures.get(key, []) if now - when < WINDOW_S]
    if recent:
        failures[key] = recent
    else:
        failures.pop(key, None)
    return int(recent[-limit] + WINDOW_S - now) + 1 if len(recent) >= limit else 0


@dataclass
class OneTimeLink:
    """The link printed when the page starts with no accounts: it signs on, once, the person
    who started it (their login name, as supervisor: they hold the database anyway)."""

    key: str
    name: str = field(default_factory=getpass.getuser)
    used: bool = False

    def take(self, given: str) -> bool:
        """Whether ``given`` is the key and was not used before (it is used now)."""
        if self.used or not given or not hmac.compare_digest(given.encode(), self.key.encode()):
            return False
        self.used = True
        return True
