"""Who is signed on: the person of a request, and the signed session cookie that carries them.

The cookie holds the name, how they signed on, the account's session epoch and when; it is
signed (HMAC-SHA256) with a secret from BOTS_REVIEW_SECRET or, without it, one generated once
and kept in the state folder (readable by its owner only): never in the database or a log.
Sessions end after SESSION_HOURS, on sign-off, and when the account's epoch moves on (password,
role changed, disabled).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "review_session"
SESSION_HOURS = 10  # a working day; then the page asks to sign on again
SECRET_ENV = "BOTS_REVIEW_SECRET"
SECRET_FILE = "review-session.key"
MIN_SECRET = 32
ROLE_RANK = {"analyst": 1, "supervisor": 2}


@dataclass(frozen=True)
class Person:
    """The signed-on person: the audit trail's name, the role, and how they signed on
    (password, link: the one-time link of the person who started the page, proxy)."""

    name: str
    role: str
    via: str = "password"

    def may(self, role: str) -> bool:
        """Whether this person holds ``role`` or a higher one (a supervisor may analyse)."""
        return ROLE_RANK.get(self.role, 0) >= ROLE_RANK.get(role, 99)


@dataclass(frozen=True)
class Ticket:
    """What a valid session cookie says."""

    name: str
    via: str
    role: str
    epoch: int
    issued: float
    sid: str


def current_person(request: Request) -> Person | None:
    """The person signed on for this request (set by the sign-on gate), or None."""
    person = request.scope.get("state", {}).get("person")
    return person if isinstance(person, Person) else None


def require_role(request: Request, role: str) -> str | None:
    """Why the signed-on person may not do what needs ``role``, or None when they may."""
    person = current_person(request)
    if person is None:
        return "nobody is signed on; sign on and try again"
    if not person.may(role):
        return f"this needs a {role}; {person.name} is signed on as {person.role}"
    return None


def load_secret(state_dir: Path) -> bytes:
    """The key sessions are signed with: BOTS_REVIEW_SECRET, else the state folder's own."""
    given = os.environ.get(SECRET_ENV, "")
    if given:
        if len(given) < MIN_SECRET:
            raise ValueError(f"{SECRET_ENV} is too short: use at least {MIN_SECRET} random "
                             "characters (every review server of one ledger needs the same)")
        return given.encode()
    path = state_dir / SECRET_FILE
    if not path.is_file():
        state_dir.mkdir(parents=True, exist_ok=True)
        try:  # readable by its owner only; a second server starting at once keeps the first's
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            handle = -1
        if handle >= 0:
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip().encode()


@dataclass
class Sessions:
    """Signs session cookies and reads them back; remembers sessions signed off early."""

    key: bytes
    ended: dict[str, float] = field(default_factory=dict)  # sid -> when it would expire

    def issue(self, response: Response, name: str, via: str, *, role: str = "",
              epoch: int = 0, secure: bool = False) -> None:
        """Sign a person on in this browser."""
        data = {"n": name, "v": via, "r": role, "e": epoch, "t": int(time.time()),
                "s": secrets.token_urlsafe(12)}
        payload = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        response.set_cookie(SESSION_COOKIE, f"{payload}.{self._sign(payload)}",
                            max_age=SESSION_HOURS * 3600, httponly=True, samesite="strict",
                            secure=secure)

    def read(self, cookie: str | None, now: float | None = None) -> Ticket | None:
        """The ticket in a cookie this app signed and that has not ended, else None."""
        payload, _, signature = (cookie or "").rpartition(".")
        if not payload or not hmac.compare_digest(signature.encode(),
                                                  self._sign(payload).encode()):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
            ticket = Ticket(str(data["n"]), str(data["v"]), str(data["r"]), int(data["e"]),
                            float(data["t"]), str(data["s"]))
        except (ValueError, KeyError, TypeError, UnicodeError):
            return None
        now = time.time() if now is None else now
        if now - ticket.issued > SESSION_HOURS * 3600 or ticket.sid in self.ended:
            return None
        return ticket

    def end(self, request: Request, response: Response) -> None:
        """Sign this browser's person off: the cookie goes, and the session cannot come back."""
        ticket = self.read(request.cookies.get(SESSION_COOKIE))
        now = time.time()
        self.ended = {sid: until for sid, until in self.ended.items() if until > now}
        if ticket:
            self.ended[ticket.sid] = ticket.issued + SESSION_HOURS * 3600
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")

    def _sign(self, payload: str) -> str:
        return hmac.new(self.key, f"session|{payload}".encode(), hashlib.sha256).hexdigest()
