"""Secrets: read from the environment (or a `.env` file), and redacted everywhere they could leak.

A value becomes secret when a recipe reads it from an environment variable whose name looks
sensitive (PASSWORD, SECRET, TOKEN, KEY, ...) or that the recipe lists under `secrets:`. Every
secret value is registered here; `redact` replaces it in any text (logs, HTML evidence, ledger
messages, the summary).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MASK = "***"
SENSITIVE_NAME = re.compile(r"PASS|SECRET|TOKEN|KEY|CREDENTIAL|PIN\b", re.IGNORECASE)
_MIN_SECRET_LEN = 3  # masking a 1-2 character value would shred ordinary text

_lock = threading.Lock()
_values: set[str] = set()


def is_sensitive_name(name: str) -> bool:
    """True when an environment variable's name says it holds a secret."""
    return bool(SENSITIVE_NAME.search(name))


def register_secret(value: str) -> None:
    """Remember a value so that every later `redact` masks it."""
    if value and len(value) >= _MIN_SECRET_LEN:
        with _lock:
            _values.add(value)


def secret_values() -> frozenset[str]:
    """The values registered so far (for tests that search artifacts)."""
    with _lock:
        return frozenset(_values)


def redact(text: str) -> str:
    """The text with every registered secret value replaced by a mask."""
    for value in sorted(secret_values(), key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


def redact_data(data: Any) -> Any:
    """A copy of JSON-like data with secrets masked in every string."""
    if isinstance(data, str):
        return redact(data)
    if isinstance(data, dict):
        return {key: redact_data(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [redact_data(value) for value in data]
    return data


def read_env(name: str, *, sensitive: bool = False) -> str | None:
    """An environment variable's value, registered as secret when it is one."""
    value = os.environ.get(name)
    if value is not None and (sensitive or is_sensitive_name(name)):
        register_secret(value)
    return value


def load_dotenv(path: Path) -> list[str]:
    """Set variables from a `.env` file that the environment does not already set."""
    if not path.is_file():
        return []
    loaded = []
    for name, value in _dotenv_pairs(path.read_text(encoding="utf-8").splitlines()):
        if name not in os.environ:
            os.environ[name] = value
            loaded.append(name)
    return loaded


def _dotenv_pairs(lines: Iterable[str]) -> Iterable[tuple[str, str]]:
    """NAME=value pairs of a .env file; comments, blanks and `export` are allowed."""
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.removeprefix("export ").split("=", 1)
        yield name.strip(), value.strip().strip("'\"")


class EnvScope(dict[str, str]):
    """`${env.NAME}`: environment variables, read when referenced; sensitive ones registered."""

    def __init__(self, secret_names: list[str]) -> None:
        super().__init__()
        self.secret_names = set(secret_names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._read(name) is not None

    def __getitem__(self, name: str) -> str:
        value = self._read(name)
        if value is None:
            raise KeyError(name)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        value = self._read(name)
        return default if value is None else value

    def _read(self, name: str) -> str | None:
        return read_env(name, sensitive=name in self.secret_names)
