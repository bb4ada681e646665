"""Every bad claim document through ONE real run of claims-intake: coded, contained, keyed once.

The runner runs as a subprocess over a temp inbox holding the whole claims corpus, against the
fixture legacy app in real Chromium. Each file must end with its expected code in the ledger,
the batch must go on to key the readable claims (the hostile ones with cleaned text, markup
literally), exit 0, and no traceback may reach stdout, stderr or the log file.
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bots.ledger import Ledger
from fixtures.recipe_copy import recipe_copy
from tests.bad_inputs.bad_helpers import (
    CORPUS,
    PASSWORD,
    expected,
    invisible_characters,
    run_runner,
    runner_env,
)

pytestmark = pytest.mark.browser
CLAIMS = expected("claims")


def external_ref(document: Path) -> str:
    return "BOT-" + hashlib.sha256(document.read_bytes()).hexdigest()[:10].upper()


@pytest.fixture(scope="module")
def claims_run(legacy_app: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run of claims-intake over an inbox holding every bad claim document."""
    tmp_path = tmp_path_factory.mktemp("bad-claims")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in CLAIMS:
        shutil.copy(CORPUS / "claims" / name, inbox / name)

    def read_inbox(data: Any) -> None:
        data["source"]["folder"] = str(inbox)

    recipe = recipe_copy(tmp_path, "claims-intake", read_inbox)
    state = tmp_path / "state"
    result = run_runner(runner_env(legacy_app.url, PASSWORD, state), str(recipe),
                        "--concurrency", "2")
    return {"result": result, "state": state, "claims": legacy_app.claims()}


def ledger_rows(state: Path) -> dict[str, dict[str, Any]]:
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return {row["name"]: dict(row) for row in ledger.find_items()}
    finally:
        ledger.close()


def test_the_batch_finishes_with_exit_0_and_the_expected_counts(claims_run):
    result = claims_run["result"]
    assert result.returncode == 0, result.stderr
    summary = result.summary
    codes = Counter(e["code"] for e in CLAIMS.values() if e["outcome"] == "exception")
    done = [name for name, e in CLAIMS.items() if e["outcome"] == "done"]
    assert (summary["items"], summary["done"]) == (len(CLAIMS), len(done))
    assert summary["exceptions"] == dict(codes)


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_each_document_ends_with_its_expected_outcome(claims_run, name):
    row = ledger_rows(claims_run["state"])[name]
    wanted = CLAIMS[name]
    if wanted["outcome"] == "done":
        assert (row["status"], row["code"]) == ("done", None), row.get("message")
    else:
        assert (row["status"], row["code"]) == ("exception", wanted["code"]), row.get("message")
        assert name in row["message"] and "Traceback" not in row["message"]


def test_readable_claims_are_keyed_once_with_cleaned_text_and_literal_markup(claims_run):
    keyed = {claim["external_ref"]: claim for claim in claims_run["claims"]}
    done = {name: e for name, e in CLAIMS.items() if e["outcome"] == "done"}
    assert len(claims_run["claims"]) == len(done)
    for name, wanted in done.items():
        claim = keyed[external_ref(CORPUS / "claims" / name)]
        for field, value in wanted.get("fields", {}).items():
            assert claim[field] == value, (name, field)


def test_no_control_characters_anywhere_in_the_state_database(claims_run):
    assert invisible_characters(claims_run["state"] / "bots.sqlite") == []


def test_no_traceback_reaches_the_user_or_the_log(claims_run):
    result = claims_run["result"]
    log_text = Path(result.summary["log_file"]).read_text(encoding="utf-8")
    for output in (result.stdout, result.stderr, log_text):
        assert "Traceback" not in output
