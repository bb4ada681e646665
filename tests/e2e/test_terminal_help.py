"""A terminal that helps (issue 12 item 4), on real runs against the fixture app: the live line
on a pseudo-terminal and its absence when stdout is piped (JSON for schedulers), `exceptions
show` as a page for a business exception, a system failure and an order with lines, and every
ID that `exceptions` prints accepted by `exceptions show`."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bots.commands.exception_show import show_exception
from bots.commands.exceptions import list_exceptions
from bots.engine.live_line import ERASE
from fixtures.legacy_app import LegacyApp
from fixtures.recipe_copy import recipe_copy
from tests.e2e.runner_support import CLAIMS, ROOT, run_runner, runner_env, write_recipe

pytestmark = pytest.mark.browser
LIVE = re.compile(r"claims-intake: \d in flight · \d done · \d exceptions? · \d waiting · \d:\d\d")
PLAIN_EVERY_S = 0.5


def inbox_with(tmp_path: Path, *names: str, source: Path = CLAIMS) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for name in names:
        (inbox / name).write_bytes((source / name).read_bytes())
    return inbox


def run_on_terminal(app: LegacyApp, state: Path, *args: str,
                    errors: Path | None = None) -> tuple[int, str]:
    """The runner with stdout (and stderr, unless `errors` names a file for it) on a
    pseudo-terminal; its exit code and what the terminal showed. A plain progress line comes
    after half a second of quiet (PLAIN_EVERY_S), so a short slow spell shows several."""
    primary, secondary = pty.openpty()
    with (errors or Path(os.devnull)).open("w") as error_file:
        process = subprocess.Popen([sys.executable, "runner.py", *args], cwd=ROOT,
                                   env={**runner_env(app, state), "COLUMNS": "100",
                                        "BOTS_PROGRESS_EVERY_S": str(PLAIN_EVERY_S)},
                                   stdin=secondary, stdout=secondary,
                                   stderr=error_file if errors else secondary)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return process.wait(timeout=240), b"".join(chunks).decode(errors="replace")


def shown(state: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          ident: str) -> str:
    monkeypatch.setenv("BOTS_STATE_DIR", str(state))
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    capsys.readouterr()
    assert show_exception(ident) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def listed_ids(state: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """Item name -> the ID `exceptions` printed for it."""
    monkeypatch.setenv("BOTS_STATE_DIR", str(state))
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    capsys.readouterr()
    assert list_exceptions() == 0
    table = capsys.readouterr().out.split("\n\n")[0].splitlines()[1:]  # up to the total line
    return {line.split()[-1]: line.split()[0] for line in table}


def test_a_run_on_a_terminal_shows_a_live_line_that_never_mixes_with_item_lines(
        app: LegacyApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    inbox = inbox_with(tmp_path, "claim-01-acme-water.pdf", "claim-02-acme-theft.pdf",
                       "claim-09-harbor-lapsed.pdf")
    recipe = write_recipe(tmp_path, inbox, concurrency=1)
    # a slow target: seconds with items in flight (the line is redrawn four times a second
    # and its clock ticks each second; at 200 ms a request each item is in flight for seconds)
    app.set_faults(latency_ms=200)
    code, printed = run_on_terminal(app, tmp_path / "state", str(recipe))
    app.set_faults(latency_ms=0)
    assert code == 0, printed
    assert len(LIVE.findall(printed)) >= 3  # redrawn while items were in flight
    assert "claims-intake: 1 in flight · 0 done · 0 exceptions · 2 waiting" in printed
    for line in re.findall(r"[^\n]*\[\d/3\][^\n]*", printed):
        assert line.lstrip("\r").startswith("[") or f"{ERASE}[" in line, line
    closing = printed.split("[3/3]")[1]
    assert "in flight" not in closing  # erased for good once every item was counted
    assert "claims-intake: 2 done, 1 exception(s)" in closing
    assert json.loads(printed.strip().splitlines()[-1])["exit_code"] == 0

    page = shown(tmp_path / "state", monkeypatch, capsys,
                 listed_ids(tmp_path / "state", monkeypatch, capsys)["claim-09-harbor-lapsed.pdf"])
    business_exception_page(page)


def test_stderr_in_a_file_gets_a_plain_progress_line_when_nothing_else_is_said(
        app: LegacyApp, tmp_path: Path) -> None:
    recipe = write_recipe(tmp_path, inbox_with(tmp_path, "claim-01-acme-water.pdf"))
    app.set_faults(latency_ms=300)  # some seconds in flight: several quiet half seconds
    code, printed = run_on_terminal(app, tmp_path / "state", str(recipe),
                                    errors=tmp_path / "stderr.txt")
    app.set_faults(latency_ms=0)
    errors = (tmp_path / "stderr.txt").read_text()
    assert code == 0, errors
    plain = [line for line in errors.splitlines() if "in flight" in line]
    assert len(plain) >= 2 and "\r" not in errors and "\x1b" not in errors, errors
    assert all(LIVE.fullmatch(line) for line in plain), plain
    assert "[1/1] claim-01-acme-water.pdf" in errors and "in flight" not in printed


def business_exception_page(page: str) -> None:
    ident = re.search(r"id (\S+) · recipe claims-intake · exception \(open\)", page)
    assert ident, page
    assert "POLICY_LAPSED (business exception) at step rules" in page
    assert "The policy was not in force on the date of loss." in page  # what the code means
    assert re.search(r"claim\.loss_date +2026-04-15 +page 1, form_field 'loss_date'", page)
    assert re.search(r"policy\.expiry_date +2026-03-31 +policies\.xlsx, Register!F\d+", page)
    assert re.search(r"inquiry\.status +ACTIVE +screen \(step inquiry", page)
    assert f"exceptions retry {ident[1]} --set claim.loss_date=VALUE" in page
    assert f"exceptions resolve {ident[1]} --reference REF" in page
    assert f"exceptions reject {ident[1]}" in page
    assert "step rules: exception POLICY_LAPSED (1 attempt" in page
    assert '"provenance"' not in page and "{" not in page  # no raw JSON


def test_a_system_failure_offers_a_retry_as_it_is(app: LegacyApp, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    recipe = write_recipe(tmp_path, inbox_with(tmp_path, "claim-01-acme-water.pdf"))
    result = run_runner(app, tmp_path / "state", str(recipe),
                        extra_env={"LEGACY_PASSWORD": "not-the-password"})
    assert result.returncode == 77, result.stderr
    ids = listed_ids(tmp_path / "state", monkeypatch, capsys)
    page = shown(tmp_path / "state", monkeypatch, capsys, ids["claim-01-acme-water.pdf"])
    assert "LOGIN_FAILED (system failure)" in page
    assert "check the user and password" in page
    ident = re.escape(ids["claim-01-acme-water.pdf"])
    assert re.search(rf"retry it as it is: +python runner.py exceptions retry {ident}\n", page)
    assert "--set" not in page


def order_recipe(tmp_path: Path, inbox: Path) -> Path:
    def only_the_inbox(data: Any) -> None:
        data["sources"] = [{"name": "po_inbox", "folder": str(inbox), "include": ["*.pdf"]}]

    return recipe_copy(tmp_path, "order-entry", only_the_inbox)


def test_an_order_shows_its_lines_and_a_piped_run_has_no_live_line(
        app: LegacyApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    inbox = inbox_with(tmp_path, "po-05-demir-DC-7741.pdf", "po-03-demir-DC-7719.pdf",
                       source=ROOT / "fixtures" / "orders" / "inbox")
    app.set_faults(latency_ms=300)
    result = run_runner(app, tmp_path / "state", str(order_recipe(tmp_path, inbox)),
                        extra_env={"BOTS_PROGRESS_EVERY_S": "1"})
    app.set_faults(latency_ms=0)
    assert result.returncode == 0, result.stderr
    assert "in flight" not in result.stderr + result.stdout and "\r" not in result.stderr
    assert all(json.loads(line) for line in result.stdout.splitlines())  # pure JSON lines

    ids = listed_ids(tmp_path / "state", monkeypatch, capsys)
    for ident in ids.values():  # every printed ID is accepted
        assert show_exception(ident) == 0
    page = shown(tmp_path / "state", monkeypatch, capsys, ids["po-05-demir-DC-7741.pdf"])
    assert "PRODUCT_NOT_FOUND (business exception) at step key" in page
    assert "order.lines: 3 entries" in page
    assert re.search(r"#  product_code  quantity  unit_price  from", page)
    assert re.search(r"2  PIPE-28-CU +6 +27\.80 +page 1, table with header", page)
    assert re.search(r"screenshot  \S+key-attempt1\.png", page)
    assert Path(re.search(r"screenshot  (\S+)", page)[1]).is_file()  # type: ignore[index]
