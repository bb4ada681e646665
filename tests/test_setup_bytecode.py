"""`runner.py setup` writes the project's bytecode, as pip does for the packages it installs,
so that runs where PYTHONDONTWRITEBYTECODE is set do not compile every module again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bots import bootstrap


def test_setup_writes_the_projects_bytecode(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("bots", "fixtures"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "module.py").write_text("VALUE = 1\n")
    (tmp_path / "fixtures" / "hostile.py").write_text("def (\n")  # a fixture made to fail
    monkeypatch.setattr(bootstrap, "ROOT", tmp_path)
    monkeypatch.setattr(bootstrap, "VENV_PYTHON", Path(sys.executable))
    bootstrap._compile_project()  # a file that does not compile stops nothing
    for folder in ("bots", "fixtures"):
        assert list((tmp_path / folder / "__pycache__").glob("module.*.pyc")), folder
