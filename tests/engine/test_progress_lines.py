"""What a person at a terminal reads: lines that fit its width, cut between words, and a
closing line with the next command."""

from __future__ import annotations

import io

from bots.engine.progress import Progress, closing_lines, fitted
from bots.kernel import Outcome, WorkItem

MESSAGE = ("claim-07.pdf (layout northwind): field 'loss_date' reads '31/02/2026', which is "
           "not a valid date: day is out of range for month. Correct the value by hand, or fix "
           "the layout's rule")


def printed(width: int) -> list[str]:
    stream = io.StringIO()
    progress = Progress(True, stream, width=width)
    progress.start("claims-intake", 12)
    failed = Outcome.failed({"code": "FIELD_INVALID", "message": MESSAGE}, "claim", {}, {})
    progress.item_finished(WorkItem(key="k", name="claim-07-northwind-bad-date.pdf"), failed,
                           earlier=False)
    return stream.getvalue().splitlines()


def test_an_item_line_fits_an_80_column_terminal_and_ends_between_words() -> None:
    line = printed(80)[1]
    assert len(line) <= 80 and line.endswith(" …")
    kept = line.removesuffix(" …").split()[-1]
    assert kept in MESSAGE.split()  # a whole word, never a word cut in two
    assert line.startswith("[ 1/12] claim-07-northwind-bad-date.pdf")
    assert "EXCEPTION FIELD_INVALID" in line


def test_a_wide_terminal_shows_the_whole_message() -> None:
    assert printed(400)[1].endswith("fix the layout's rule")


def test_a_name_too_long_for_the_line_puts_the_outcome_under_it() -> None:
    lines = fitted("[1/2] " + "very-long-file-name-" * 5 + ".pdf", "done CLM-1", 60).split("\n")
    assert len(lines) == 2 and all(len(line) <= 60 for line in lines)
    assert lines[1].strip() == "done CLM-1"


def test_the_closing_lines_say_what_happened_and_what_to_run_next() -> None:
    lines = closing_lines({"recipe": "claims-intake", "done": 7, "duration_s": 12.5,
                           "exceptions": {"POLICY_NOT_FOUND": 3, "FIELD_INVALID": 1},
                           "exit_code": 0, "reason": "every item done, or routed",
                           "not_finished": 0})
    assert lines[0].startswith("claims-intake: 7 done, 4 exception(s) (POLICY_NOT_FOUND 3, "
                               "FIELD_INVALID 1) in 12.5 s; exit 0")
    assert lines[1] == "next: python runner.py exceptions --recipe claims-intake"
    stopped = closing_lines({"recipe": "r", "done": 0, "exceptions": {}, "exit_code": 75,
                             "reason": "down", "not_finished": 5})
    assert stopped[-1] == "5 item(s) wait for the next run: python runner.py r"
