"""The corpus itself: generated deterministically, committed as generated, each file explained."""

from __future__ import annotations

import json

from bots.kernel.errors import CODES
from fixtures import make_bad_inputs
from tests.bad_inputs.bad_helpers import CORPUS


def snapshot(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_generator_writes_the_same_bytes_twice_and_they_are_committed(tmp_path) -> None:
    make_bad_inputs.write_all(tmp_path / "first")
    make_bad_inputs.write_all(tmp_path / "second")
    first = snapshot(tmp_path / "first")
    assert first == snapshot(tmp_path / "second")
    committed = {name: (CORPUS / name).read_bytes() for name in first}
    stale = sorted(name for name in first if committed[name] != first[name])
    assert stale == [], "run: .venv/bin/python -m fixtures.make_bad_inputs"


def test_every_input_has_a_known_expected_outcome_and_a_reason() -> None:
    inputs = [path for folder in ("claims", "sheets") for path in (CORPUS / folder).iterdir()
              if not path.name.endswith(".expected.json")]
    recipes = list((CORPUS / "recipes").glob("*.yaml"))
    assert len(inputs) + len(recipes) >= 25
    for path in inputs:
        wanted = json.loads(path.with_name(path.name + ".expected.json").read_text())
        assert wanted["outcome"] in ("done", "exception") and wanted["why"], path.name
        codes = [wanted.get("code")] + list(wanted.get("items", {}).values())
        assert all(code in CODES for code in codes if code and code != "ok"), path.name
