"""A review server that knows its ground: its state from any folder, its database named, the
settings it lacks said; and the `users` command that makes the accounts."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.requests import Request
from starlette.testclient import TestClient

from bots.commands import review as review_command
from bots.review import create_app
from bots.review.ground import database_label
from bots.review.roles import action_problem
from bots.review.session import Person
from tests.review.review_helpers import ROOT, StateFolder, sign_on

LEGACY = ("LEGACY_URL", "LEGACY_USER", "LEGACY_PASSWORD")


def _runner(*args: str, cwd: Path, env: dict[str, str], stdin: str = ""
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "runner.py"), *args], cwd=cwd,
                          env={**os.environ, **env}, input=stdin, capture_output=True,
                          text=True, timeout=120, check=False)


def test_state_is_found_from_another_folder_or_refused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOTS_STATE_DIR", raising=False)
    monkeypatch.delenv("BOTS_DATABASE_URL", raising=False)
    monkeypatch.setattr(review_command, "PROJECT_ROOT", tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    refused = review_command.find_ground()
    assert isinstance(refused, str) and "no ledger to review" in refused
    assert str(tmp_path / "state" / "bots.sqlite") in refused
    assert str(tmp_path / "project" / "state" / "bots.sqlite") in refused
    (tmp_path / "project" / "state").mkdir(parents=True)
    (tmp_path / "project" / "state" / "bots.sqlite").touch()
    assert review_command.find_ground() == (
        tmp_path / "project" / "state", f"sqlite:///{tmp_path / 'project/state/bots.sqlite'}")


def test_runner_review_refuses_an_empty_state_folder(tmp_path: Path) -> None:
    done = _runner("review", "--port", "18171", cwd=tmp_path,
                   env={"BOTS_STATE_DIR": str(tmp_path / "empty")})
    assert done.returncode == 2 and "no ledger to review" in done.stderr
    assert "Traceback" not in done.stderr


def test_runner_review_from_another_folder_serves_its_state_and_says_which(
        state: StateFolder, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(state.path, elsewhere / "state")
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("BOTS_STATE_DIR", "BOTS_DATABASE_URL", *LEGACY)}
    server = subprocess.Popen([sys.executable, str(ROOT / "runner.py"), "review", "--port",
                               str(port)], cwd=elsewhere, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        said = [server.stdout.readline() for _ in range(2)] if server.stdout else []
        assert f"SQLite {elsewhere / 'state' / 'bots.sqlite'}" in said[0], said
        answer = _get_when_up(f"http://127.0.0.1:{port}/")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/signon")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get_when_up(url: str) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, follow_redirects=False)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_database_label_never_shows_a_password() -> None:
    label = database_label("postgresql://bots:s3cret@db.example:5433/ledger")
    assert label == "postgresql database 'ledger' on db.example:5433 as bots"
    assert database_label("sqlite:////srv/state/bots.sqlite") == "SQLite /srv/state/bots.sqlite"


def test_missing_settings_are_shown_and_refuse_a_resubmit(state: StateFolder,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    for name in LEGACY:
        monkeypatch.delenv(name, raising=False)
    app = create_app(state.url, state.path, goals={})
    with TestClient(app) as client:
        sign_on(client)
        page = client.get("/").text
        assert "<b>order-entry</b>:" in page and "LEGACY_PASSWORD, LEGACY_URL" in page
    review = app.state.review
    assert "LEGACY_URL" in review.missing_env["order-entry"]
    scope = {"type": "http", "state": {"person": Person("ana", "analyst")}, "headers": []}
    problem = action_problem(Request(scope), "retry", "order-entry", review)
    assert problem and "LEGACY_PASSWORD" in problem and "order-entry" in problem
    assert action_problem(Request(scope), "comment", "order-entry", review) is None
    assert "supervisor" in (action_problem(Request(scope), "confirm-approval",
                                           "no-such-recipe", review) or "")


def test_users_command_adds_lists_and_disables(tmp_path: Path) -> None:
    env = {"BOTS_STATE_DIR": str(tmp_path / "state")}
    env.pop("BOTS_DATABASE_URL", None)
    added = _runner("users", "add", "zed", "--role", "supervisor", "--password-stdin",
                    cwd=ROOT, env=env, stdin="a long enough password\n")
    assert added.returncode == 0, added.stderr
    listed = _runner("users", "list", "--json", cwd=ROOT, env=env)
    assert '"name": "zed"' in listed.stdout and '"role": "supervisor"' in listed.stdout
    assert "a long enough password" not in listed.stdout + added.stdout + added.stderr
    bad = _runner("users", "add", "amy", "--role", "boss", "--password-stdin", cwd=ROOT,
                  env=env, stdin="a long enough password\n")
    assert bad.returncode == 2 and "not a role" in bad.stderr and "Traceback" not in bad.stderr
    short = _runner("users", "passwd", "zed", "--password-stdin", cwd=ROOT, env=env,
                    stdin="short\n")
    assert short.returncode == 2 and "10 to 256 characters" in short.stderr
    assert _runner("users", "disable", "zed", cwd=ROOT, env=env).returncode == 0
    assert '"disabled": true' in _runner("users", "list", "--json", cwd=ROOT, env=env).stdout
