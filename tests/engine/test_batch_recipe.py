"""Recipes with before_items / after_items: bound to their step types, every problem reported
at its line (ids, ${batch.<id>.<field>} references, side effects, unknown keys)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.kernel import RecipeError, StepType
from bots.recipe import load_recipe
from bots.steps.registry import all_steps
from tests.engine.engine_fakes import Params

HEAD = "recipe: batch-check\nsource: {folder: .}\n"


def _noop(params: Params, ctx: object) -> dict[str, str]:
    return {}


@pytest.fixture(autouse=True)
def step_types(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(all_steps(), "test.read", StepType("test.read", Params, _noop))
    monkeypatch.setitem(all_steps(), "test.submit",
                        StepType("test.submit", Params, _noop, side_effect=True))


def problems(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "batch-check.yaml"
    path.write_text(HEAD + body)
    with pytest.raises(RecipeError) as raised:
        load_recipe(str(path))
    return [f"{p.line}: {p.message} ({p.hint})" for p in raised.value.problems]


def test_a_valid_recipe_binds_its_batch_steps(tmp_path):
    path = tmp_path / "batch-check.yaml"
    path.write_text(HEAD + """\
before_items:
  - {id: start, uses: test.read}
  - {id: header, uses: test.read, with: {value: '${start.token} ${batch.start.token}'}}
steps:
  - {id: key, uses: test.read, with: {value: '${batch.header.date} ${item.name}'}}
after_items:
  - {id: final, uses: test.read, with: {value: '${batch.start.token}'}}
  - {id: bye, uses: test.read, with: {value: '${final.text} ${batch.final.text}'}}
""")
    recipe = load_recipe(str(path))
    assert [s.id for s in recipe.before_items] == ["start", "header"]
    assert [s.id for s in recipe.after_items] == ["final", "bye"]
    assert recipe.before_items[0].type.name == "test.read"


def test_batch_references_name_steps_that_ran_before(tmp_path):
    found = problems(tmp_path, """\
before_items:
  - {id: start, uses: test.read, with: {value: '${batch.strat.token}'}}
steps:
  - {id: key, uses: test.read, with: {value: '${batch.final.text}'}}
  - {id: other, uses: test.read, with: {value: '${batch.nothing.x}'}}
after_items:
  - {id: final, uses: test.read}
""")
    assert any(p.startswith("4: '${batch.strat.token}' names no batch step 'strat'")
               for p in found), found
    assert any(p.startswith("6: '${batch.final.text}' refers to after_items step 'final', "
                            "which runs after the items") for p in found), found
    assert any(p.startswith("7: '${batch.nothing.x}' names no batch step 'nothing'")
               for p in found), found


def test_batch_steps_have_no_item_no_side_effect_and_ids_of_their_own(tmp_path):
    found = problems(tmp_path, """\
before_items:
  - {id: key, uses: test.read, with: {value: '${item.name}'}}
  - {id: press, uses: test.submit}
steps:
  - {id: key, uses: test.read}
after_items:
  - {id: press, uses: test.read}
  - {id: batch, uses: test.read}
""")
    assert any("4: '${item.name}': before_items steps run once per batch" in p
               for p in found), found
    assert any("5: test.submit changes another system" in p for p in found), found
    assert any(p.startswith("4: duplicate step id 'key'") for p in found), found
    assert any(p.startswith("9: duplicate step id 'press'") for p in found), found
    assert any(p.startswith("10: the step id 'batch' is reserved") for p in found), found


def test_unknown_keys_in_batch_steps_are_reported_at_their_line(tmp_path):
    found = problems(tmp_path, """\
steps:
  - {id: key, uses: test.read}
before_itmes:
  - {id: start, uses: test.read}
after_items:
  - {id: final, uses: test.read, colour: red}
""")
    assert any(p.startswith("5: unknown key 'before_itmes'") and "did you mean 'before_items'"
               in p for p in found), found
    assert any(p.startswith("8: unknown key 'colour'") for p in found), found


def test_an_unknown_step_type_in_after_items_is_reported(tmp_path):
    found = problems(tmp_path, """\
steps:
  - {id: key, uses: test.read}
after_items:
  - {id: final, uses: test.raed}
""")
    assert any(p.startswith("6: unknown step type 'test.raed'") and "test.read" in p
               for p in found), found


def test_report_steps_may_read_batch_outputs(tmp_path):
    found = problems(tmp_path, """\
before_items:
  - {id: start, uses: test.read}
steps:
  - {id: key, uses: test.read}
report:
  - {uses: test.read, with: {value: '${batch.start.token} ${batch.missing.x}'}}
""")
    assert len(found) == 1 and "names no batch step 'missing'" in found[0], found
