"""AcroForm fields through pdf.extract_fields: full, tail and short names, a short name shared
by two fields, checkboxes, radio groups and checkbox groups, on forms built in each test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import CODES, BusinessError
from bots.pdf.document import load_document
from bots.steps.pdf.extract_fields import Params, extract_fields
from tests.steps.pdf.acroforms import FormSpec, write

POLICY = "form1[0].page1[0].policyNumber[0]"
HEADER = [(50, 780, "Claim form CF-9")]


def run(path: Path, fields: dict[str, Any]) -> dict[str, Any]:
    """The step with one layout, recognized by the form's printed header."""
    params = Params.model_validate({"path": str(path), "layouts": [
        {"name": "cf9", "when": "CF-9", "fields": fields}]})
    ctx = StepContext(run_id="t", item=WorkItem(key="k", name=path.name), step_id="claim")
    return extract_fields.function(params, ctx)


def problem(path: Path, fields: dict[str, Any]) -> BusinessError:
    """The error the step raises (the first problem's code is the error's code)."""
    with pytest.raises(BusinessError) as raised:
        run(path, fields)
    return raised.value


def codes_of(error: BusinessError) -> list[str]:
    """Every problem's code (one error carries all of a document's problems)."""
    problems = error.details.get("problems") or [{"code": error.code}]
    return [entry["code"] for entry in problems]


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    """A LiveCycle-style form: qualified names, and a short name ('name') used twice."""
    spec = FormSpec(lines=HEADER, texts={"p": "POL-100234", "a": "Ada Obi", "b": "Bea Obi",
                                         "date": "14.03.2026"},
                    nested={"p": POLICY, "a": "form1[0].claimant[0].name[0]",
                            "b": "form1[0].witness[0].name[0]",
                            "date": "claim.loss.date"})
    return write(tmp_path, spec)


@pytest.mark.parametrize("name", [POLICY, "page1[0].policyNumber[0]", "page1.policyNumber",
                                  "policyNumber", "policyNumber[0]"])
def test_a_field_is_found_by_its_full_name_a_tail_or_its_short_name(nested: Path,
                                                                     name: str) -> None:
    found = run(nested, {"policy": {"form_field": name}})
    assert found["policy"] == "POL-100234"
    assert found["_provenance"]["policy"]["page"] == 1


def test_a_dotted_name_and_its_parts(nested: Path) -> None:
    found = run(nested, {"d": {"form_field": "claim.loss.date"}, "e": {"form_field": "loss.date"},
                         "f": {"form_field": "date"}})
    assert found["d"] == found["e"] == found["f"] == "14.03.2026"


def test_a_short_name_of_two_fields_is_an_error_naming_both(nested: Path) -> None:
    error = problem(nested, {"claimant": {"form_field": "name"}})
    assert "FORM_FIELD_AMBIGUOUS" in codes_of(error) and "FORM_FIELD_AMBIGUOUS" in CODES
    assert "form1[0].claimant[0].name[0]" in error.message
    assert "form1[0].witness[0].name[0]" in error.message and "form.pdf" in error.message


def test_a_longer_name_settles_the_ambiguity(nested: Path) -> None:
    found = run(nested, {"claimant": {"form_field": "claimant.name"},
                         "witness": {"form_field": "form1[0].witness[0].name[0]"}})
    assert (found["claimant"], found["witness"]) == ("Ada Obi", "Bea Obi")


def test_an_index_asked_for_must_match(nested: Path) -> None:
    found = run(nested, {"p": {"form_field": "policyNumber[1]", "required": False}})
    assert found["p"] is None


def test_a_ticked_box_is_true_and_an_unticked_one_lets_the_fallbacks_go_on(
        tmp_path: Path) -> None:
    spec = FormSpec(lines=[*HEADER, (50, 600, "Police report: yes")],
                    boxes={"cb_police": False, "cb_injury": True, "cb_towed": False})
    path = write(tmp_path, spec)
    found = run(path, {"injury": {"form_field": "cb_injury"},
                       "police": [{"form_field": "cb_police"}, {"label": "Police report:"}],
                       "towed": [{"form_field": "cb_towed"}, {"value": "false"}],
                       "other": {"form_field": "cb_towed", "required": False}})
    assert (found["injury"], found["police"], found["towed"]) == ("true", "yes", "false")
    assert found["other"] is None
    assert found["_provenance"]["police"]["rule"].startswith("label")


def test_an_unticked_box_alone_is_missing_not_off(tmp_path: Path) -> None:
    path = write(tmp_path, FormSpec(lines=HEADER, boxes={"cb_police": False}))
    error = problem(path, {"police": {"form_field": "cb_police", "missing_code": "NO_REPORT"}})
    assert codes_of(error) == ["NO_REPORT"] and "Off" not in str(error.details.get("partial"))


def test_a_radio_group_reads_the_chosen_export_value(tmp_path: Path) -> None:
    spec = FormSpec(lines=HEADER, radios={"vehicle": (["car", "van", "bike"], "van"),
                                          "unset": (["a", "b"], None)})
    found = run(write(tmp_path, spec), {"vehicle": {"form_field": "vehicle"},
                                        "unset": {"form_field": "unset", "required": False}})
    assert (found["vehicle"], found["unset"]) == ("van", None)
    box = found["_provenance"]["vehicle"]["box"]
    assert box[0] == pytest.approx(320, abs=1)  # the chosen button's widget, not the first


GROUP = {"form_fields": {"cb_fire": "FIR", "cb_theft": "THF", "cb_water": "WTR"}}


@pytest.mark.parametrize(("ticked", "code"), [("cb_theft", "THF"), ("cb_water", "WTR")])
def test_a_checkbox_group_gives_the_code_of_the_ticked_box(tmp_path: Path, ticked: str,
                                                           code: str) -> None:
    boxes = {name: name == ticked for name in ("cb_fire", "cb_theft", "cb_water")}
    found = run(write(tmp_path, FormSpec(lines=HEADER, boxes=boxes)), {"loss_type": GROUP})
    assert found["loss_type"] == code
    assert found["_provenance"]["loss_type"]["text"] == f"{ticked} ticked"


def test_a_checkbox_group_with_none_ticked_is_missing(tmp_path: Path) -> None:
    boxes = {"cb_fire": False, "cb_theft": False, "cb_water": False}
    path = write(tmp_path, FormSpec(lines=[*HEADER, (50, 600, "Cause: storm")], boxes=boxes))
    assert codes_of(problem(path, {"loss_type": GROUP})) == ["FIELD_MISSING"]
    found = run(path, {"loss_type": [GROUP, {"label": "Cause:"}]})
    assert found["loss_type"] == "storm"


def test_a_checkbox_group_with_two_ticked_names_both(tmp_path: Path) -> None:
    boxes = {"cb_fire": True, "cb_theft": False, "cb_water": True}
    error = problem(write(tmp_path, FormSpec(lines=HEADER, boxes=boxes)), {"loss_type": GROUP})
    assert codes_of(error) == ["FORM_CHOICE_CONFLICT"] and "FORM_CHOICE_CONFLICT" in CODES
    assert "cb_fire" in error.message and "cb_water" in error.message


def test_a_group_of_nested_boxes_by_short_names(tmp_path: Path) -> None:
    spec = FormSpec(lines=HEADER, boxes={"f": False, "t": True},
                    nested={"f": "form1[0].cause[0].fire[0]", "t": "form1[0].cause[0].theft[0]"})
    found = run(write(tmp_path, spec), {"cause": {"form_fields": {"fire": "F", "theft": "T"}}})
    assert found["cause"] == "T"


def test_the_form_lists_full_names_kinds_and_states(nested: Path, tmp_path: Path) -> None:
    form = load_document(nested).form
    assert {field.name for field in form} >= {POLICY, "claim.loss.date"}
    policy = form.field(POLICY)
    assert policy is not None and policy.short_name == "policyNumber"
    boxes = write(tmp_path, FormSpec(lines=HEADER, boxes={"a": True, "b": False}), "b.pdf")
    states = {field.name: (field.kind, field.checked) for field in load_document(boxes).form}
    assert states == {"a": ("checkbox", True), "b": ("checkbox", False)}


def test_a_form_field_rule_and_a_label_rule_cannot_be_one_rule() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Params.model_validate({"path": "x.pdf", "layouts": [{"name": "a", "when": "A", "fields": {
            "x": {"form_fields": {"a": "A"}, "label": "X"}}}]})


def test_a_top_level_field_is_reached_by_its_full_name_beside_a_nested_namesake(
        tmp_path: Path) -> None:
    spec = FormSpec(lines=HEADER, texts={"policy": "POL-1", "p2": "POL-2"},
                    nested={"p2": "insured.policy"})
    found = run(write(tmp_path, spec), {"own": {"form_field": "policy"},
                                        "insured": {"form_field": "insured.policy"}})
    assert (found["own"], found["insured"]) == ("POL-1", "POL-2")


def test_a_layout_known_by_its_form_fields_never_reads_the_text_layer(nested: Path) -> None:
    """`when_form` picks the layout from the form; form-field rules then leave the text
    unparsed (what makes a 500-field form fast)."""
    from bots.pdf.extract import choose_layout
    from bots.pdf.rules import LayoutRules

    other = LayoutRules.model_validate({"name": "other", "when_form": "noSuchField",
                                        "fields": {"p": {"form_field": "x"}}})
    cf9 = LayoutRules.model_validate({"name": "cf9", "when_form": ["policyNumber", "date"],
                                      "fields": {"p": {"form_field": "policyNumber"}}})
    document = load_document(nested)
    assert choose_layout(document, [other, cf9]) is cf9
    assert not document.pages_read
    by_text = LayoutRules.model_validate({"name": "t", "when": "CF-9", "when_form": "date",
                                          "fields": {"p": {"form_field": "policyNumber"}}})
    assert choose_layout(load_document(nested), [by_text]).name == "t"
    with pytest.raises(ValueError, match="needs `when`"):
        LayoutRules.model_validate({"name": "none", "fields": {"p": {"form_field": "x"}}})
