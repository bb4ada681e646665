"""Values of any shape as a table a terminal can hold: nested records, lists of plain values,
lists of records with a source each, long text, values no rule kept a source for."""

from __future__ import annotations

from bots.commands.next_steps import suggested_field
from bots.commands.value_table import describe_source, value_lines

VALUES = {
    "claim": {"amount": "9400.00", "notes": "Water came through the ceiling of the kitchen "
              "and the hallway over the whole weekend while the owners were away " * 2,
              "insured": {"name": "Ada Lovelace", "address": {"city": "London"}},
              "tags": ["urgent", "water"], "flag": True, "empty": None},
    "order": {"lines": [{"sku": "PIPE-15", "qty": 12}, {"sku": "FIT-ELB", "qty": 40,
                                                         "note": "two boxes"}]},
    "inquiry": {"status": "ACTIVE"},
}
PROVENANCE = {
    "claim": {"amount": {"page": 2, "rule": "label 'Total' right", "text": "9,400.00",
                         "box": [1, 2, 3, 4]},
              "insured": {"name": {"file": "/data/register.xlsx", "sheet": "Register",
                                   "cell": "B7", "text": "Ada Lovelace"}}},
    "order": {"lines": [{"sheet": "Order Lines", "row": 23}, {"sheet": "Order Lines", "row": 24}]},
}
STEPS = {"inquiry": "web.read_page", "claim": "pdf.extract_fields"}


def test_every_shape_has_its_line_and_its_source() -> None:
    lines = value_lines(VALUES, PROVENANCE, STEPS, 0)
    text = "\n".join(lines)
    assert lines[0].split() == ["name", "value", "from"]
    assert "claim.amount" in text and "page 2, label 'Total' right" in text
    assert "claim.insured.address.city" in text  # a nested record, dotted
    assert "register.xlsx, Register!B7" in text
    assert "urgent, water" in text and " true " in text and "claim.empty  " in text
    assert "screen (step inquiry, web.read_page)" in text  # no provenance: the step says
    assert "order.lines: 2 entries" in text
    [header] = [line for line in lines if line.strip().startswith("#")]
    assert header.split() == ["#", "sku", "qty", "note", "from"]
    assert any(line.split()[:3] == ["2", "FIT-ELB", "40"] and line.endswith("Order Lines row 24")
               for line in lines)


def test_on_an_80_column_terminal_no_line_is_wider_and_long_text_is_shortened() -> None:
    lines = value_lines(VALUES, PROVENANCE, STEPS, 80)
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    notes = next(line for line in lines if line.lstrip().startswith("claim.notes"))
    assert "…" in notes and "step claim (pdf.extract…" in notes  # shortened, its source too
    assert max(map(len, value_lines(VALUES, PROVENANCE, STEPS, 0))) > 80  # unfitted: whole


def test_a_source_of_unknown_keys_is_still_said() -> None:
    assert describe_source({"xpath": "/Invoice/Total", "text": "12"}) == "xpath /Invoice/Total"
    assert describe_source({"sheet": "S", "row": 4}) == "S row 4"


def test_the_field_to_correct_comes_from_the_rule_or_the_doubt() -> None:
    doubted = {"code": "LOW_CONFIDENCE", "outputs": {"claim": {"_confidence": {
        "amount": {"score": 1.0}, "loss_date": {"score": 0.6}}}}}
    assert suggested_field(doubted, None) == "claim.loss_date"
    assert suggested_field({"code": "FIELD_MISSING", "outputs": {}}, None) is None
