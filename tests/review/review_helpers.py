"""Shared by the review tests: a state folder with a real ledger, items and evidence files
(a uniquely named module, because every test folder has its own ``conftest``)."""

from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from PIL import Image

from bots.kernel import StepContext, WorkItem
from bots.ledger import Ledger, people
from bots.recipe import load_recipe

ROOT = Path(__file__).resolve().parents[2]
CLAIM_PDF = ROOT / "fixtures" / "claims" / "claim-10-acme-over-limit.pdf"
SCRIPT = "<script>alert(1)</script>"
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')
PASSWORD = "correct horse battery"  # every test account's (test accounts only)
PEOPLE = {"ana": "analyst", "sam": "supervisor", "rita": "supervisor"}


def extracted_claim(pdf: Path = CLAIM_PDF) -> dict[str, Any]:
    """The claims-intake recipe's extract step run on a fixture PDF: values and provenance
    (read once per process: a fresh copy each call, so a test may change it)."""
    return copy.deepcopy(_extracted_once(pdf))


@functools.cache
def _extracted_once(pdf: Path) -> dict[str, Any]:
    step = load_recipe(str(ROOT / "recipes" / "claims-intake.yaml")).steps[0]
    params = step.type.params.model_validate({**step.spec.with_, "path": str(pdf)})
    context = StepContext(run_id="t", item=WorkItem(key="k", name=pdf.name), step_id="claim")
    output: dict[str, Any] = step.type.function(params, context)
    return output


@dataclass
class StateFolder:
    """A state folder holding a ledger and evidence, and the ids of the items put in it."""

    path: Path
    url: str
    ids: dict[str, str]

    @property
    def evidence(self) -> Path:
        return self.path / "evidence"

    def ledger(self) -> Ledger:
        return Ledger(self.url)


def add_item(ledger: Ledger, recipe: str, key: str, name: str, path: str,
             **fields: Any) -> str:
    """Put one item in the ledger as the engine would; its id."""
    item_id = f"{recipe}/{key}"
    ledger.item_queued(item_id, recipe, WorkItem(key=key, name=name, path=path,
                                                 arrived_at="2026-07-20T08:00:00+00:00"), "r1")
    ledger.update_item(item_id, **fields)
    return item_id


@functools.cache
def _people_ledger() -> Path:
    """A ledger holding only the test accounts, made once per process: hashing their passwords
    (argon2, slow by design) took most of each review test's setup."""
    folder = Path(tempfile.mkdtemp(prefix="review-people-"))
    atexit.register(shutil.rmtree, folder, True)
    ledger = Ledger(f"sqlite:///{folder / 'bots.sqlite'}")
    for name, role in PEOPLE.items():
        people.add_user(ledger.engine, name, role, PASSWORD)
    ledger.close()
    return folder / "bots.sqlite"


def _copy_database(source: Path, target: Path) -> None:
    with contextlib.closing(sqlite3.connect(source)) as old, \
            contextlib.closing(sqlite3.connect(target)) as new:
        old.backup(new)


def build_state(folder: Path) -> StateFolder:
    """Open exceptions of two recipes, one with hostile text, one with web evidence; plus a
    done item and a resolved one, which the queue must not show; and the test accounts."""
    folder.mkdir(parents=True, exist_ok=True)
    _copy_database(_people_ledger(), folder / "bots.sqlite")
    url = f"sqlite:///{folder / 'bots.sqlite'}"
    ledger = Ledger(url)
    claim = extracted_claim()
    values = {"claim": {k: v for k, v in claim.items() if not k.startswith("_")},
              "policy": {"coverage_limit": "5000.00"}}
    provenance = {"claim": claim["_provenance"], "policy": {"coverage_limit": {
        "sheet": "Register", "cell": "G11", "text": "5000", "file": "fixtures/policies.xlsx"}}}
    ids = {
        "over_limit": add_item(
            ledger, "claims-intake", "a1" * 16, CLAIM_PDF.name, str(CLAIM_PDF),
            status="exception", code="AMOUNT_OVER_LIMIT", step="rules",
            message="9400.00 EUR exceeds the coverage limit 5000.00", values_json=values,
            provenance_json=provenance, outputs_json={"claim": claim}),
        "hostile": add_item(
            ledger, "claims-intake", "b2" * 16, f"evil{SCRIPT}.pdf", str(CLAIM_PDF),
            status="exception", code="POLICY_NOT_FOUND", step="policy",
            message=f"policy {SCRIPT} unknown",
            values_json={"claim": {**values["claim"], "claimant_name": SCRIPT}},
            provenance_json=provenance),
        "web": add_item(
            ledger, "order-entry", "c3" * 16, "order-77", "",
            status="exception", code="VALIDATION_REJECTED", step="submit",
            message="Quantity must be positive", assignee="maria"),
        "done": add_item(ledger, "claims-intake", "d4" * 16, "done.pdf", str(CLAIM_PDF),
                         status="done", reference="CLM-1"),
        "resolved": add_item(ledger, "claims-intake", "e5" * 16, "old.pdf", str(CLAIM_PDF),
                             status="exception", code="POLICY_LAPSED", step="rules",
                             review_state="resolved"),
    }
    _web_evidence(ledger, folder / "evidence", ids["web"])
    ledger.add_event(ids["over_limit"], "step.finished", step_id="rules", outcome="exception",
                     code="AMOUNT_OVER_LIMIT", attempts=1, duration_s=0.01)
    ledger.close()
    return StateFolder(folder, url, ids)


def _web_evidence(ledger: Ledger, evidence: Path, item_id: str) -> None:
    folder = evidence / item_id.replace("/", "_")
    folder.mkdir(parents=True)
    Image.new("RGB", (40, 30), (0, 128, 255)).save(folder / "submit.png")
    (folder / "submit.html").write_text("<html><body><script>alert(3)</script>Order form"
                                        "</body></html>", encoding="utf-8")
    ledger.update_item(item_id, evidence_json={
        "screenshot": str(folder / "submit.png"), "html": str(folder / "submit.html"),
        "url": "http://127.0.0.1:9/orders/new"})


def sign_on(client: Any, name: str = "ana", password: str = PASSWORD) -> Any:
    """Sign a test client on through the sign-on form; the answer to the form's post."""
    page = client.get("/signon")
    form = {"csrf": csrf_of(page.text), "name": name, "password": password}
    return client.post("/signon", data=form, follow_redirects=False)


def sign_on_page(page: Any, base: str, name: str = "ana", password: str = PASSWORD) -> None:
    """Sign on in a real browser page through the sign-on form."""
    page.goto(base + "/signon")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign on").click()
    page.wait_for_load_state()


def unfold(page: Any, inside: str) -> None:
    """Open the folded section (<details>) that holds `inside` on the item page, as a
    person clicks its heading; the actions that do not fit the failure start folded."""
    page.locator(f"details:has({inside}) > summary").click()


def keep_shot(page: Any, name: str, showing: str = "") -> None:
    """A 1366x768 screenshot for the docs (docs/screenshots/NAME.png), scrolled to the
    ``showing`` selector, taken when BOTS_DOC_SCREENSHOTS=1 (an ordinary test run leaves the
    tree as it was)."""
    if os.environ.get("BOTS_DOC_SCREENSHOTS") == "1":
        if showing:
            page.locator(showing).scroll_into_view_if_needed()
        page.screenshot(path=str(ROOT / "docs" / "screenshots" / f"{name}.png"))


def csrf_of(html: str) -> str:
    """The CSRF token in a page's first form."""
    found = CSRF_FIELD.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def review_without_token(state_dir: Path, host: str) -> subprocess.CompletedProcess[str]:
    """`runner.py review --host HOST` with no BOTS_REVIEW_TOKEN set (it should refuse)."""
    env = {k: v for k, v in os.environ.items() if k != "BOTS_REVIEW_TOKEN"}
    return subprocess.run([sys.executable, "runner.py", "review", "--host", host],
                          cwd=ROOT, env={**env, "BOTS_STATE_DIR": str(state_dir)},
                          capture_output=True, text=True, timeout=60, check=False)


@contextlib.contextmanager
def on_loopback(app: Any) -> Iterator[str]:
    """An ASGI app served by uvicorn in a thread on a free loopback port; its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the app did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
