"""The rule authors' guide cannot rot: every YAML example validates against pdf.extract_fields'
schema, and every `python runner.py` line parses as a command the CLI knows."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.cli import COMMANDS, parser
from bots.steps.registry import registry

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "documents.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```yaml\n(.*?)```", GUIDE, flags=re.S)
COMMAND_LINES = [line.split("#")[0].strip()
                 for block in re.findall(r"```sh\n(.*?)```", GUIDE, flags=re.S)
                 for line in block.splitlines() if line.startswith("python runner.py")]


def validate(example: Any) -> None:
    """A whole pdf step (validated by its type's schema) or a list of layouts."""
    assert isinstance(example, list) and example, "an example is a step or a list of layouts"
    params = registry().steps["pdf.extract_fields"].params
    for entry in example:
        if "uses" in entry:
            params_of = registry().steps[entry["uses"]].params
            params_of.model_validate(entry["with"])
        else:
            params.model_validate({"path": "document.pdf", "layouts": [entry]})


def test_the_guide_has_an_example_per_rule_family() -> None:
    assert len(EXAMPLES) >= 12
    for key in ("where: below", "where: left", "where: above", "within:", "until:", "pattern:",
                "value:", "template:", "format:", "thousands:", "default_currency:",
                "identifiers:", "match: fuzzy", "clean:", "table:", "columns:", "totals:",
                "form_field:", "form_fields:", "when_form:", "einvoice:", "ocr:",
                "min_confidence:"):
        assert any(key in example for example in EXAMPLES), f"no example uses {key}"


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_every_yaml_example_validates(number: int) -> None:
    validate(YAML(typ="safe").load(EXAMPLES[number]))


def test_a_wrong_key_in_an_example_would_fail() -> None:
    broken = EXAMPLES[1].replace("within:", "whithin:")
    assert broken != EXAMPLES[1]
    with pytest.raises(Exception, match="whithin"):
        validate(YAML(typ="safe").load(broken))


@pytest.mark.parametrize("line", COMMAND_LINES)
def test_every_command_in_the_guide_parses(line: str) -> None:
    args = shlex.split(line)[2:]
    if args[0] not in COMMANDS:
        args = ["run", *args]
    parser().parse_args(args)  # SystemExit (a failure) for an unknown command or option


def test_the_workflow_commands_are_all_there() -> None:
    commands = " ".join(COMMAND_LINES)
    for wanted in ("pdf show", "--png", "try", "check", "exceptions retry --all"):
        assert wanted in commands
    assert "steps.md" in GUIDE
    assert "docs/documents.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_worked_example_reads_its_invoice_right() -> None:
    """The guide's worked example, run on the fixture it was written for: every value its
    truth file holds."""
    from bots.kernel import StepContext, WorkItem

    [example] = [block for block in EXAMPLES if "name: brandt" in block]
    path = ROOT / "fixtures" / "documents" / "rechnung-01.pdf"
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text("utf-8"))["fields"]
    step = registry().steps["pdf.extract_fields"]
    params = step.params.model_validate({"path": str(path),
                                         "layouts": YAML(typ="safe").load(example)})
    read = step.function(params, StepContext(run_id="t", item=WorkItem("k", path.name),
                                             step_id="invoice"))
    for name in ("invoice_number", "invoice_date", "due_date", "net_total", "tax", "total",
                 "currency"):
        assert read[name] == truth[name], name
    assert [(row["description"], row["amount"], row["discount"]) for row in read["lines"]] == [
        (row["description"], row["amount"], None if row["discount"] is None
         else int(row["discount"])) for row in truth["lines"]]
