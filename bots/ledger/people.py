"""The people who sign on to the review page: local accounts, their roles and password hashes.

Passwords are kept only as Argon2id hashes (argon2-cffi). Each account has a session epoch:
changing the password, the role or disabling the account moves it on, so every session signed
for the old epoch stops working at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bots.ledger.tables import metadata

ROLES = ("analyst", "supervisor")
NAME = re.compile(r"^[A-Za-z0-9][\w.@-]{0,59}$")
MIN_PASSWORD, MAX_PASSWORD = 10, 256

users = sa.Table(
    "bots_users", metadata,
    sa.Column("name", sa.String(60), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("epoch", sa.Integer, nullable=False, default=1),  # moves on: old sessions end
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)

_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """The hash verified when the name is unknown, so a wrong name costs what a wrong password
    does; made on first use (0.2 s or more, which a run must not pay at import)."""
    return _HASHER.hash("no such account: this hash is never matched")


class PeopleError(ValueError):
    """An account change refused: the message says what to do instead."""


@dataclass(frozen=True)
class Account:
    """One local account as the page needs it (never its hash)."""

    name: str
    role: str
    disabled: bool
    epoch: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    """The account name, or PeopleError saying which names are allowed."""
    if not NAME.match(name or ""):
        raise PeopleError(f"'{name}' is not an account name: use 1 to 60 letters, digits and "
                          ". _ @ - (starting with a letter or digit), e.g. maria.lopez")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise PeopleError(f"'{role}' is not a role: use one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise PeopleError(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters "
                          f"(this one has {len(password)})")
    return password


def add_user(engine: sa.Engine, name: str, role: str, password: str) -> None:
    """Create an account; PeopleError when the name is taken or a value is not allowed."""
    row = {"name": check_name(name), "role": check_role(role), "disabled": False, "epoch": 1,
           "password_hash": _HASHER.hash(check_password(password)),
           "created_at": _now(), "updated_at": _now()}
    with engine.begin() as db:
        if db.execute(sa.select(users.c.name).where(users.c.name == name)).first():
            raise PeopleError(f"an account named '{name}' exists already (change its password "
                              f"with `users passwd {name}`)")
        db.execute(users.insert().values(**row))


def accounts(engine: sa.Engine) -> list[Account]:
    """Every account, by name."""
    with engine.connect() as db:
        rows = db.execute(sa.select(users).order_by(users.c.name)).mappings().all()
    return [_account(row) for row in rows]


def find_account(engine: sa.Engine, name: str) -> Account | None:
    with engine.connect() as db:
        row = db.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    return _account(row) if row else None


def has_accounts(engine: sa.Engine) -> bool:
    with engine.connect() as db:
        return db.execute(sa.select(users.c.name).limit(1)).first() is not None


def verify(engine: sa.Engine, name: str, password: str) -> Account | None:
    """The account when the name and password match and it is not disabled, else None."""
    with engine.connect() as db:
        row = db.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    try:
        _HASHER.verify(row["password_hash"] if row else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row["disabled"]:
        return None
    if _HASHER.check_needs_rehash(row["password_hash"]):  # the library's defaults moved on
        _update(engine, name, password_hash=_HASHER.hash(password))
    return _account(row)


def set_password(engine: sa.Engine, name: str, password: str) -> None:
    """A new password; every session of the account ends."""
    _change(engine, name, password_hash=_HASHER.hash(check_password(password)))


def set_role(engine: sa.Engine, name: str, role: str) -> None:
    _change(engine, name, role=check_role(role))


def set_disabled(engine: sa.Engine, name: str, disabled: bool) -> None:
    """Disable (or enable again) an account; a disabled one cannot sign on, its sessions end."""
    _change(engine, name, disabled=disabled)


def _change(engine: sa.Engine, name: str, **values: Any) -> None:
    if not _update(engine, name, epoch=users.c.epoch + 1, **values):
        raise PeopleError(f"no account named '{name}' (see `users list`)")


def _update(engine: sa.Engine, name: str, **values: Any) -> bool:
    with engine.begin() as db:
        result = db.execute(users.update().where(users.c.name == name)
                            .values(updated_at=_now(), **values))
    return bool(result.rowcount)


def _account(row: Any) -> Account:
    return Account(row["name"], row["role"], bool(row["disabled"]), int(row["epoch"]))
