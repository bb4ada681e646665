"""The history and the next commands `exceptions show` gives, from ledger rows as the engine
and the analysts' actions write them (pure: no database)."""

from __future__ import annotations

import json
from typing import Any

from bots.commands.item_story import history_lines
from bots.commands.next_steps import next_lines

ROW: dict[str, Any] = {
       "item_id": "claims-intake/abc", "id": "abc1234567", "recipe": "claims-intake",
       "status": "exception", "review_state": "open", "code": "TIMEOUT", "step": "submit",
       "created_at": "2026-12-01T01:00:00+00:00",
       "events": [{"at": "2026-12-01T01:00:05+00:00", "event": "step.finished",
                   "data": {"step_id": "submit", "outcome": "exception", "code": "TIMEOUT",
                            "attempts": 4, "duration_s": 61.2}},
                  {"at": "2026-12-01T01:00:05+00:00", "event": "item.ended",
                   "data": {"status": "exception", "code": "TIMEOUT",
                            "kind": "ApplicationError"}}],
       "audit": [{"at": "2026-12-01T02:00:00+00:00", "who": "auto-retry", "action": "retry",
                  "after_json": json.dumps({"attempt": 1, "of": 2, "run_id": "r2"}),
                  "note": ""}]}


def test_a_system_failure_tells_its_attempts_and_its_automatic_retries() -> None:
    lines = history_lines(ROW)
    assert "  2026-12-01 01:00:05 step submit: exception TIMEOUT (4 attempts, 61.2 s)" in lines
    assert "  2026-12-01 02:00:00 retried by run r2 (auto-retry 1 of 2)" in lines
    assert lines[-1] == "  auto-retried 1 of 2 time(s) by later runs"
    nexts = next_lines(ROW, None)
    assert nexts[0].split(":", 1)[1].strip() == "python runner.py exceptions retry abc1234567"
    assert "or wait: a later run retries it by itself (done 1 of 2 times)" in nexts[1]
    assert not any("--set" in line for line in nexts)


def test_a_business_exception_offers_a_correction_and_whole_commands_when_narrow() -> None:
    row = {**ROW, "code": "POLICY_LAPSED", "audit": [],
           "events": [{**ROW["events"][1], "data": {"kind": "BusinessError"}}]}
    lines = next_lines(row, None, 60)
    assert "      python runner.py exceptions retry abc1234567 --set STEP.FIELD=VALUE" in lines
    assert all(not line.endswith("…") for line in lines)


def test_a_long_history_shows_its_latest_entries() -> None:
    events = [{"at": f"2026-12-01T01:{n:02d}:00+00:00", "event": "step.finished",
               "data": {"step_id": f"s{n}", "outcome": "ok", "attempts": 1, "duration_s": 1}}
              for n in range(30)]
    lines = history_lines({**ROW, "events": events, "audit": []})
    assert lines[0] == "  (16 earlier entries: exceptions show ID --json)"
    assert lines[-1].endswith("step s29: ok (1 attempt, 1 s)")
