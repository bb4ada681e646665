"""A refused sign-on stops the run at once with its own exit code (77), never "retry later"."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.legacy_app import LegacyApp
from tests.e2e.runner_support import CLAIMS, run_runner, write_recipe

pytestmark = pytest.mark.browser
CLAIMS_IN_INBOX = 3  # one more than the concurrency: a claim no worker had begun is left


def inbox_of(tmp_path: Path, count: int) -> Path:
    """An inbox of `count` valid claims (the fixtures keyed without an exception)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for source in sorted(CLAIMS.glob("claim-0[1-5]-*.pdf"))[:count]:
        (inbox / source.name).write_bytes(source.read_bytes())
    return inbox


@pytest.mark.parametrize("concurrency", [1, 2])
def test_a_wrong_password_stops_the_run_at_the_first_refusal(app: LegacyApp, tmp_path: Path,
                                                             concurrency: int) -> None:
    recipe = write_recipe(tmp_path, inbox_of(tmp_path, CLAIMS_IN_INBOX))
    result = run_runner(app, tmp_path / "state", str(recipe), "--concurrency", str(concurrency),
                        extra_env={"LEGACY_PASSWORD": "not-the-password"})
    assert result.returncode == 77, result.stderr
    assert app.refused_sign_ons() <= concurrency  # no item signs on after the first refusal
    summary = result.summary
    assert summary["halted_by"] == "credentials" and "credentials" in summary["reason"]
    failed = summary["exceptions"].get("LOGIN_FAILED", 0)
    assert 1 <= failed <= concurrency and summary["not_finished"] >= CLAIMS_IN_INBOX - concurrency
    assert "refused the sign-on" in result.stderr and "77" in result.stderr
    assert app.claims() == []
    assert "Asyncio task cancelled" not in result.stderr  # no library warning with a payload
    again = run_runner(app, tmp_path / "state", str(recipe))  # fixed: the rest are keyed
    # an item whose refused sign-on was checkpointed before the stop replays it (a retry is a
    # person's or a policy's call), but a replay says nothing about today's credentials
    assert again.summary["halted"] is False, again.stderr
    refused = again.summary["exceptions"].get("LOGIN_FAILED", 0)
    assert again.summary["done"] + refused == CLAIMS_IN_INBOX and refused <= concurrency
    assert len(app.claims()) == again.summary["done"] >= CLAIMS_IN_INBOX - concurrency
    assert app.refused_sign_ons() <= concurrency
