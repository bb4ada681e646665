"""What a runner subprocess did, shared by the test folders that run `runner.py`.

Its own module name (the folders' conftest.py files would clash), imported as
`tests.runner_result`: the repository root is on `pythonpath` in pyproject.toml.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class RunResult:
    """A runner subprocess's exit code, its output, and its last stdout line parsed."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def summary(self) -> dict[str, Any]:
        """The run's last stdout line: the JSON summary."""
        lines = self.stdout.strip().splitlines()
        assert lines, f"the runner printed no summary (exit {self.returncode}): {self.stderr}"
        return json.loads(lines[-1])
