"""Correct-and-resubmit from the review page: `runner.py exceptions retry` in a subprocess.

A retry needs the browser, DBOS and the legacy system; the page process hosts none of them. It
runs the same command an analyst would type, from the project root, against the same state the
page shows, and reads the outcome from its JSON line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bots.kernel import Outcome

RETRY_TIMEOUT_S = 600
SCALARS = (str, int, float, bool, type(None))
FIELD_NAME = re.compile(r"^[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*$")


class BadCorrection(ValueError):
    """A correction the form sent that cannot be passed on (a malformed step.field name)."""


def editable_fields(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(step, field, current text) for every value a person can correct in a text input."""
    return [(step, field, as_text(value))
            for step, fields in (values or {}).items() if isinstance(fields, dict)
            for field, value in fields.items() if isinstance(value, SCALARS)]


def as_text(value: Any) -> str:
    """A value as the text an input shows (None as empty)."""
    return "" if value is None else str(value)


def changed_values(values: dict[str, Any], form: Mapping[str, Any]) -> list[str]:
    """`step.field=value` for each input whose text differs from the item's current value."""
    changes = []
    for step, field, current in editable_fields(values):
        sent = form.get(f"{step}.{field}")
        if isinstance(sent, str) and sent.strip() != current.strip():
            changes.append(f"{step}.{field}={sent.strip()}")
    extra_name, extra_value = form.get("extra_name", ""), form.get("extra_value", "")
    if isinstance(extra_name, str) and extra_name.strip():
        if not FIELD_NAME.match(extra_name.strip()):
            raise BadCorrection(f"'{extra_name.strip()}' is not step.field (e.g. claim.amount)")
        changes.append(f"{extra_name.strip()}={str(extra_value).strip()}")
    return changes


def retry_command(item_id: str, changes: list[str], who: str) -> list[str]:
    """The command line of the retry, as an analyst would type it."""
    sets = [arg for change in changes for arg in ("--set", change)]
    return [sys.executable, "runner.py", "exceptions", "retry", item_id, *sets,
            "--who", who, "--json"]


def run_retry(command: list[str], root: Path, env: Mapping[str, str]) -> Outcome | str:
    """Run the retry; its outcome, or why it was refused."""
    try:
        done = subprocess.run(command, cwd=root, env=dict(env), capture_output=True, text=True,
                              timeout=RETRY_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return (f"the retry took over {RETRY_TIMEOUT_S} s and was stopped; see the state "
                "folder's logs")
    return outcome_of(done.stdout, done.stderr, done.returncode)


def outcome_of(stdout: str, stderr: str, returncode: int) -> Outcome | str:
    """A finished retry's outcome from its JSON line, or why it was refused."""
    outcome = _last_json(stdout)
    if outcome is not None:
        return Outcome.from_data(outcome)
    return _reason(stderr, returncode)


def retry_env(state_dir: Path, database_url: str) -> dict[str, str]:
    """The page's environment, pointed at the same state folder and database as the page."""
    return {**os.environ, "BOTS_STATE_DIR": str(state_dir), "BOTS_DATABASE_URL": database_url}


def describe_outcome(outcome: Outcome | str) -> tuple[str, str]:
    """A flash message (kind, text) for a retry's outcome, or for why it was refused."""
    if isinstance(outcome, str):
        return "error", f"Resubmit refused: {outcome}"
    if outcome.is_done:
        return "ok", f"Resubmitted: done, reference {outcome.reference or '-'}."
    return "error", (f"Resubmitted, still an exception: {outcome.code} in step "
                     f"{outcome.step}: {outcome.message}")


def _last_json(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.strip().splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return None


def _reason(stderr: str, code: int) -> str:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    errors = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
    if errors:
        return errors[-1]
    return (lines[-1] if lines else "no output") + f" (exit code {code})"
