"""The docs say what the code does: a generated step reference, CI running the README."""

from __future__ import annotations

import re
from pathlib import Path

from bots.commands.steps import reference
from bots.engine.summary import EXIT_CODES

ROOT = Path(__file__).resolve().parents[1]


def test_step_reference_is_up_to_date() -> None:
    generated = (ROOT / "docs" / "steps.md").read_text(encoding="utf-8")
    assert generated == reference(), "run: python runner.py steps --markdown > docs/steps.md"


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    demo, tests = readme_commands()[:2]
    assert "runner.py demo" in demo
    assert (ROOT / ".ci" / "run").read_text().strip().endswith(tests)


def test_readme_documents_every_exit_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"| {code} |" in readme, f"exit code {code} is not in the README"
