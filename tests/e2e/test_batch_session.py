"""before_items / after_items and ``session: batch`` through ``runner.py``, as a scheduler runs it.

Step types come from a plain folder (BOTS_STEPS_PATH) and mark the page they run on. A stop
signal in the middle of the items still runs after_items on the batch's page; a before_items
step that does not find its button stops the run before any item, with exit 2 and one line.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

from fixtures.legacy_app import LegacyApp
from tests.e2e.runner_support import run_runner, start_runner

STEPS = '''
import asyncio
from pydantic import Field
from bots.kernel import ApplicationError, StepContext, StepParams, step
from bots.web.session import web_of


class Params(StepParams):
    hold_s: float = Field(0, description="Stay this long.")
    fail: bool = Field(False, description="Fail as a missing button would.")


@step("marks.count", Params, needs=("web",))
async def count(params: Params, ctx: StepContext) -> dict:
    """Count the calls on the page it runs on."""
    page = await web_of(ctx).page()
    if params.fail:
        raise ApplicationError("no button 'Start' on the screen", code="SCREEN_MISMATCH")
    seen = await page.evaluate("() => (window.__seen = (window.__seen || 0) + 1)")
    await asyncio.sleep(params.hold_s)
    return {"seen": seen, "url": page.url}
'''

RECIPE = """\
recipe: batch-e2e
source: {{folder: {inbox}}}
settings: {{concurrency: 1, retry: {{attempts: 1}}}}
web:
  base_url: ${{env.LEGACY_URL}}
  session: batch
  login: {{url: /login, fields: {{User ID: '${{env.LEGACY_USER}}',
           Password: '${{env.LEGACY_PASSWORD}}'}}, submit: Sign On}}
before_items:
  - {{id: start, uses: marks.count, with: {{fail: {fail}}}}}
steps:
  - {{id: key, uses: marks.count, with: {{hold_s: {hold}}}}}
after_items:
  - {{id: final, uses: marks.count}}
"""


def setup(tmp_path: Path, *, items: int, hold: float = 0, fail: bool = False) -> Path:
    steps, inbox = tmp_path / "steps", tmp_path / "inbox"
    steps.mkdir()
    inbox.mkdir()
    (steps / "marks.py").write_text(STEPS)
    for number in range(items):
        (inbox / f"doc{number}.txt").write_text(f"document {number}")
    recipe = tmp_path / "batch-e2e.yaml"
    recipe.write_text(RECIPE.format(inbox=inbox, hold=hold, fail=str(fail).lower()))
    return recipe


def events(state: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for log in sorted((state / "logs").glob("*.jsonl"))
            for line in log.read_text().splitlines() if line.startswith("{")]


def test_after_items_run_on_the_batch_page_when_a_stop_signal_ends_the_run(app: LegacyApp,
                                                                           tmp_path: Path):
    recipe, state = setup(tmp_path, items=6, hold=1.0), tmp_path / "state"
    process = start_runner(app, state, str(recipe),
                           extra_env={"BOTS_STEPS_PATH": str(tmp_path / "steps")})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
            e.get("event") == "step.finished" and e.get("step_id") == "key"
            for e in events(state) if (state / "logs").exists()):
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    summary = json.loads(stdout.strip().splitlines()[-1])  # stdout still ends with the summary
    assert (summary["event"], summary["exit_code"]) == ("run.summary", 130)
    assert events(state)[-1] == {**events(state)[-1], "event": "run.summary", "exit_code": 130}
    finished = [e for e in events(state) if e.get("event") == "step.finished"]
    final = [e for e in finished if e.get("phase") == "after_items"]
    assert len(final) == 1 and final[0]["outcome"] == "ok", finished
    keyed = [e for e in finished if e.get("step_id") == "key"]
    assert 1 <= len(keyed) < 6  # stopped in the middle


def test_a_before_items_screen_mismatch_stops_the_run_before_any_item(app: LegacyApp,
                                                                      tmp_path: Path):
    recipe = setup(tmp_path, items=2, fail=True)
    result = run_runner(app, tmp_path / "state", str(recipe),
                        extra_env={"BOTS_STEPS_PATH": str(tmp_path / "steps")})
    assert result.returncode == 2, result.stderr
    assert "stopped before any item: before_items step 'start' failed: SCREEN_MISMATCH: " \
           "no button 'Start' on the screen. 2 item(s) were left for the next run " \
           "(exit code 2)." in result.stderr
    summary = result.summary
    assert (summary["items"], summary["exit_code"]) == (0, 2)
    assert summary["batch"]["failed"]["step"] == "start"
    evidence = list((tmp_path / "state" / "evidence").rglob("*.png"))
    assert evidence, "the failed before_items step kept no screenshot"
    keyed = [e for e in events(tmp_path / "state") if e.get("step_id") == "key"]
    assert keyed == [], "an item step ran although before_items failed"
    # the items were queued (and held) while before_items ran: the next run, with the screen
    # fixed, keys each of them once
    recipe.write_text(recipe.read_text().replace("fail: true", "fail: false"))
    again = run_runner(app, tmp_path / "state", str(recipe),
                       extra_env={"BOTS_STEPS_PATH": str(tmp_path / "steps")})
    assert again.returncode == 0, again.stderr
    assert (again.summary["items"], again.summary["done"]) == (2, 2), again.summary
    keyed = [e for e in events(tmp_path / "state")
             if e.get("event") == "step.finished" and e.get("step_id") == "key"]
    assert sorted(e["item"] for e in keyed) == ["doc0.txt", "doc1.txt"], keyed


def test_the_summary_and_its_log_line_carry_the_batch_outputs(app: LegacyApp, tmp_path: Path):
    recipe, state = setup(tmp_path, items=2), tmp_path / "state"
    result = run_runner(app, state, str(recipe),
                        extra_env={"BOTS_STEPS_PATH": str(tmp_path / "steps")})
    assert result.returncode == 0, result.stderr
    batch = result.summary["batch"]
    assert batch["before"]["start"]["seen"] == 1
    assert batch["after"]["final"]["seen"] == 4  # the same page: start, two items, final
    assert result.summary["event"] == "run.summary"  # the JSON log's last line, on stdout
    phases = [e.get("phase") for e in events(state) if e.get("event") == "step.finished"]
    assert phases == ["before_items", None, None, "after_items"]
