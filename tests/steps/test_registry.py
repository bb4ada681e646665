"""The step registry imports what a recipe uses, and finds every built-in by its file name.

A run of a recipe without web or PDF steps must not pay for Playwright, the PDF readers or the
workbook library at its start (bench/overhead.py measures what that costs); the registry finds
a built-in step type from its name alone, so each built-in module must declare exactly the step
type its path names (``bots/steps/<ns>/<verb>_<noun>.py`` -> ``<ns>.<verb>_<noun>``).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bots.steps
from bots.kernel import ResourceType, StepType
from bots.steps.registry import Registry, all_resources, all_steps

ROOT = Path(__file__).resolve().parents[2]
STEPS = Path(bots.steps.__file__).parent
HEAVY = ("playwright", "pypdf", "pypdfium2", "pdfplumber", "openpyxl", "PIL", "bots.web.session",
         "bots.pdf.document", "bots.steps.web", "bots.steps.pdf")
RECIPE = """\
recipe: registry-light
source: {{folder: {inbox}}}
steps:
  - id: rules
    uses: data.check_rules
    with:
      rules: [{{code: EMPTY_NAME, name: File name, value: "${{item.name}}", not_empty: true}}]
"""
RUN_AND_LIST = ("import json, sys; from bots.cli import main; code = main(['run', sys.argv[1]]); "
                "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}), "
                "file=sys.stderr)")


def declarations(module_name: str, kind: type[StepType | ResourceType]) -> list[str]:
    module = importlib.import_module(module_name)
    return [value.name for value in vars(module).values()
            if isinstance(value, (StepType, ResourceType)) and isinstance(value, kind)]


@pytest.mark.parametrize("path", sorted(STEPS.glob("*/*.py")), ids=lambda path: path.stem)
def test_each_builtin_module_declares_the_step_type_its_path_names(path):
    namespace = path.parent.name
    package = f"bots.steps.{namespace}"
    if path.stem == "__init__":
        assert declarations(package, ResourceType) in ([], [namespace])
        assert declarations(package, StepType) == []
    else:
        assert declarations(f"{package}.{path.stem}", StepType) == [f"{namespace}.{path.stem}"]


def test_a_lookup_by_name_imports_that_module_only():
    found = Registry()
    assert found.steps["data.check_rules"].name == "data.check_rules"
    assert list(found.steps.known) == ["data.check_rules"]
    assert found.resources["web"].name == "web"
    assert list(found.resources.known) == ["web"] and list(found.steps.known) == \
        ["data.check_rules"]
    assert "web.fill_form" in list(found.steps)  # listing them loads all
    assert found.steps.get("no.such_step") is None and "no_such" not in found.resources


def test_the_shared_registry_lists_every_builtin():
    assert {"data.check_rules", "pdf.extract_fields", "sheet.lookup_row", "web.fill_form"} <= \
        set(all_steps())
    assert "web" in all_resources()


def test_a_run_without_web_or_pdf_steps_imports_neither(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "one.txt").write_text("one", encoding="utf-8")
    recipe = tmp_path / "registry-light.yaml"
    recipe.write_text(RECIPE.format(inbox=inbox), encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if key not in ("BOTS_DATABASE_URL", "BOTS_STEPS_PATH")}
    env |= {"BOTS_STATE_DIR": str(tmp_path / "state"), "PYTHONPATH": str(ROOT)}
    ran = subprocess.run([sys.executable, "-c", RUN_AND_LIST, str(recipe)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(ran.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, ran.stdout[-2000:]
    assert json.loads(ran.stdout.strip().splitlines()[-1])["done"] == 1
    heavy = [name for name in report["modules"]
             if any(name == root or name.startswith(f"{root}.") for root in HEAVY)]
    assert heavy == []


def test_declaring_the_pdf_and_sheet_steps_imports_no_reader():
    declare = ("import json, sys; import bots.steps.pdf.extract_fields, "
               "bots.steps.sheet.lookup_row, bots.steps.sheet.write_results; "
               "print(json.dumps(sorted(sys.modules)))")
    ran = subprocess.run([sys.executable, "-c", declare], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True,
                         env=os.environ | {"PYTHONPATH": str(ROOT)})
    readers = ("pypdf", "pypdfium2", "pdfplumber", "openpyxl", "PIL", "bots.pdf.document")
    assert [name for name in json.loads(ran.stdout) if name.split(".")[0] in readers
            or name in readers] == []
