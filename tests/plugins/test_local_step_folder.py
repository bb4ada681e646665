"""A step type from a plain folder of modules (BOTS_STEPS_PATH): listed, checked and run like a
built-in one, with no package to build; a module that fails to load is reported, never fatal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOUT = '''
from pathlib import Path
from pydantic import Field
from bots.kernel import StepContext, StepParams, step


class Params(StepParams):
    path: str = Field(description="The text file to read.")


@step("local.shout_text", Params, example="- id: loud\\n  uses: local.shout_text\\n")
def shout_text(params: Params, ctx: StepContext) -> dict:
    """Read a text file and return it in capitals."""
    return {"text": Path(params.path).read_text().strip().upper()}
'''


def runner(steps: Path, state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BOTS_STEPS_PATH": str(steps), "BOTS_STATE_DIR": str(state)}
    env.pop("BOTS_DATABASE_URL", None)
    return subprocess.run([sys.executable, "runner.py", *args], cwd=ROOT, env=env, text=True,
                          capture_output=True, check=False, timeout=180)


def test_a_step_module_in_a_folder_is_listed_checked_and_run(tmp_path):
    steps, inbox = tmp_path / "my-steps", tmp_path / "inbox"
    steps.mkdir()
    inbox.mkdir()
    (steps / "shout.py").write_text(SHOUT)
    (steps / "broken.py").write_text("import not_a_module_anywhere\n")
    (inbox / "note.txt").write_text("hello there\n")
    recipe = tmp_path / "shout.yaml"
    recipe.write_text(f"recipe: shout\nsource: {{folder: {inbox}}}\nsteps:\n"
                      "  - {id: loud, uses: local.shout_text, with: {path: '${item.path}'}}\n")
    listed = runner(steps, tmp_path / "state", "steps")
    assert "local.shout_text" in listed.stdout
    assert "broken.py failed to load: ModuleNotFoundError" in listed.stdout + listed.stderr
    assert runner(steps, tmp_path / "state", "check", str(recipe)).returncode == 0
    ran = runner(steps, tmp_path / "state", str(recipe))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert json.loads(ran.stdout.strip().splitlines()[-1])["done"] == 1
