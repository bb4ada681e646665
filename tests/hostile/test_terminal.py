"""Names and messages from strangers reach a terminal escaped: a file named with ESC sequences
cannot retitle the window, clear the screen or forge a line."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from bots.commands.common import database_url, print_json
from bots.commands.exception_show import show_exception
from bots.commands.exceptions import list_exceptions
from bots.engine.progress import Progress
from bots.kernel import Outcome, WorkItem
from bots.terminal import printable
from tests.review.review_helpers import add_item

EVIL = "evil\x1b]0;pwned\x07\x1b[2J\r\x9b31m\u202egnp.pdf"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]")  # anything but newline is a defect


def test_printable_escapes_every_control_character() -> None:
    assert printable(EVIL) == "evil\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x9b31m\\u202egnp.pdf"
    assert printable("two\nlines\tkept", lines=True) == "two\nlines\tkept"
    assert printable("one\nline") == "one\\x0aline"
    assert printable(printable(EVIL)) == printable(EVIL)  # escaping twice changes nothing


def test_progress_lines_carry_no_raw_control_character() -> None:
    stream = io.StringIO()
    progress = Progress(True, stream)
    progress.start("claims", 2)
    progress.item_finished(WorkItem(key="k", name=EVIL), Outcome.done({}, {"s": EVIL}, {}),
                           earlier=False)
    failed = Outcome.failed({"code": "FIELD_MISSING", "message": f"no date in {EVIL}"}, "claim",
                            {}, {})
    progress.item_finished(WorkItem(key="j", name=EVIL), failed, earlier=False)
    printed = stream.getvalue()
    assert not RAW.search(printed), printed
    assert printed.count("\\x1b]0;pwned") == 4 and len(printed.splitlines()) == 3


def test_json_for_machines_escapes_what_json_leaves_raw(capsys: pytest.CaptureFixture[str]) -> None:
    print_json({"repeated_files": [EVIL]})
    printed = capsys.readouterr().out
    assert not RAW.search(printed)
    assert json.loads(printed)["repeated_files"] == [EVIL]  # the same data, escaped


def test_exception_queue_commands_escape_names(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BOTS_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    from bots.ledger import Ledger

    ledger = Ledger(database_url())
    add_item(ledger, "claims-intake", "c3" * 16, EVIL, f"/inbox/{EVIL}", status="exception",
             code="FIELD_MISSING", step="claim", message=f"nothing in {EVIL}")
    ledger.close()
    assert list_exceptions() == 0
    assert show_exception("c3c3") == 0
    printed = capsys.readouterr().out
    assert not RAW.search(printed), printed
    assert printed.count("\\x1b[2J") == 4  # list, then name, file and reason of `show`
