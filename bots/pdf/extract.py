"""Apply a layout's rules to a loaded document: pick the layout, find and normalize each field.

The result is a flat dict of normalized values (dates ISO, amounts "1250.00" plus a currency
field, policy numbers "POL-100234", choices as codes), ``_layout``, ``_provenance`` and
``_confidence`` (field -> score and reasons). Every field is read even when some fail: the
problems are raised together, as one BusinessError (bots/pdf/problems.py) that keeps what was
read for the reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bots.kernel.errors import BusinessError
from bots.pdf.confidence import TYPE_DOUBT, scored
from bots.pdf.document import Document
from bots.pdf.locate import Found, locate
from bots.pdf.problems import Problem, combined, problem_of
from bots.pdf.rules import FieldRule, LayoutRules
from bots.pdf.templates import compute_order, names_in, render
from bots.pdf.value_types import flat


def extract(document: Document, layouts: list[LayoutRules]) -> dict[str, Any]:
    """Every field of the first layout that recognizes the document, with provenance."""
    layout = choose_layout(document, layouts)
    result, problems = read_layout(document, layout)
    if problems:
        raise combined(document.path, layout.name, problems, result)
    return result


def read_layout(document: Document, layout: LayoutRules) -> tuple[dict[str, Any], list[Problem]]:
    """Every field of a layout read (never raising for one field), and the problems met."""
    reading = Reading(document, layout)
    order = compute_order({name: [rule.template for rule in rules if rule.template is not None]
                           for name, rules in layout.fields.items()})
    for name in order:
        reading.field(name, layout.fields[name])
    problems = [problem for name in layout.fields for problem in reading.problems.get(name, [])]
    return reading.result(), problems


@dataclass(frozen=True)
class Side:
    """An output a field gives besides its own (an amount's currency), and whether it is only
    the rule's default."""

    value: str
    defaulted: bool
    found: Found


class Reading:
    """The values, side outputs, provenance, doubts and problems of one layout's fields."""

    def __init__(self, document: Document, layout: LayoutRules) -> None:
        self.document, self.layout = document, layout
        self.values: dict[str, Any] = {}
        self.side: dict[str, Side] = {}  # outputs a field gives besides itself (a currency)
        self.provenance: dict[str, Any] = {}
        self.doubts: dict[str, tuple[tuple[str, float], ...]] = {}
        self.problems: dict[str, list[Problem]] = {}

    def field(self, name: str, rules: list[FieldRule]) -> None:
        """Read one field; a failure is recorded as a problem and the field left None."""
        self.values[name] = None
        try:
            found, rule = self.first_found(name, rules)
            if found is None:
                check_optional(self.document, self.layout, name, rules)
                return
            self.keep(name, rule, found, *convert(self.document, self.layout, name, rule, found))
        except BusinessError as error:  # read the rest: a person fixes one value, not all
            self.problems[name] = [problem_of(error, name)]

    def first_found(self, name: str, rules: list[FieldRule]) -> tuple[Found | None, FieldRule]:
        """The value found by the first alternative rule that finds one."""
        for rule in rules:
            found = self.from_template(rule) if rule.template is not None else locate(
                self.document, rule)
            if found is not None:
                return found, rule
        return None, rules[0]

    def from_template(self, rule: FieldRule) -> Found | None:
        """A template's text from the fields already read, with their doubts."""
        assert rule.template is not None
        text, missing = render(rule.template, self.values)
        if text is None or missing:
            return None
        doubts = tuple(doubt for name in names_in(rule.template)
                       for doubt in self.doubts.get(name, ()))
        return Found(text, 0, (0.0, 0.0, 0.0, 0.0), text, rule.describe(), doubts)

    def keep(self, name: str, rule: FieldRule, found: Found, outputs: dict[str, str],
             doubts: list[str]) -> None:
        """Record a field's converted outputs: its own value, and side outputs (a currency)."""
        found = found.doubting(*((doubt, TYPE_DOUBT) for doubt in doubts))
        for output, value in outputs.items():
            if output != name:  # a default the rule supplied contradicts nothing on the page
                self.side[output] = Side(value, value == rule.default_currency, found)
                continue
            self.values[name] = value
            self.provenance[name] = found.provenance()
            self.doubts[name] = found.doubts

    def result(self) -> dict[str, Any]:
        """The values (a field's own rule beats another field's side output), _layout,
        _provenance and _confidence."""
        values = dict(self.values)
        for output, side in self.side.items():
            if values.get(output) is None:
                values[output] = side.value
                self.provenance[output] = side.found.provenance()
                self.doubts[output] = side.found.doubts
            elif values[output] != side.value and not side.defaulted:
                self.disagree(output, side.value)
        confidence = {output: scored(self.doubts.get(output, ())) for output, value
                      in values.items() if value is not None and output in self.doubts}
        provenance = {output: source for output, source in self.provenance.items()
                      if values.get(output) is not None}
        return {**values, "_layout": self.layout.name, "_provenance": provenance,
                "_confidence": confidence}

    def disagree(self, output: str, other: object) -> None:
        """A field read by its own rule that another field's value contradicts (the currency
        field says EUR, the amount carries $): both are doubtful."""
        reason = f"another field's value implies {other!r}"
        self.doubts[output] = (*self.doubts.get(output, ()), (reason, 0.5))


def choose_layout(document: Document, layouts: list[LayoutRules]) -> LayoutRules:
    """The first layout whose `when` texts all appear in the document, read as a person
    reads it (lines top to bottom, words left to right, whatever the PDF's drawing order)."""
    text = Text(document)
    for layout in layouts:
        if all(document.form.field(name) is not None for name in layout.when_form) and \
                all(marker in text for marker in layout.when):  # form first: no text read
            return layout
    known = "; ".join(f"{layout.name} needs {', '.join(map(repr, layout.when + layout.when_form))}"
                      for layout in layouts)
    first_line = document.text.split("\n", 1)[0][:80]
    raise BusinessError(
        f"{document.path.name}: no layout recognizes this document (it begins {first_line!r}); "
        f"known layouts: {known}. Add a layout for this insurer to the recipe or key it by hand",
        code="UNKNOWN_LAYOUT", file=str(document.path), begins=first_line)


class Text:
    """A document's text as layouts compare it (case and spacing folded), read only when a
    layout asks for a text, and then once."""

    def __init__(self, document: Document) -> None:
        self.document, self.folded = document, ""
        self.read = False

    def __contains__(self, marker: object) -> bool:
        if not self.read:
            self.folded, self.read = flat(self.document.text), True
        return flat(str(marker)) in self.folded


def check_optional(document: Document, layout: LayoutRules, name: str,
                   rules: list[FieldRule]) -> None:
    """Raise the rule's missing code when a field that was not found is required."""
    if not rules[0].required:
        return
    tried = "; ".join(rule.describe() for rule in rules)
    raise BusinessError(
        f"{document.path.name} (layout {layout.name}): field {name!r} not found ({tried}); "
        f"check the document and key the value by hand, or fix the layout's rule",
        code=rules[0].missing_code, file=str(document.path), field=name, layout=layout.name)


def convert(document: Document, layout: LayoutRules, name: str, rule: FieldRule,
            found: Found) -> tuple[dict[str, str], list[str]]:
    """The normalized output value(s) of one field and the type's doubts about them;
    FIELD_INVALID when the text will not normalize."""
    try:
        values, doubts = converted(rule, name, found.text)
        return values, doubts + options_printed(rule, found)
    except ValueError as error:
        where = f" on page {found.page}" if found.page else ""
        raise BusinessError(
            f"{document.path.name} (layout {layout.name}): field {name!r}{where} "
            f"reads {found.text!r}, which is not a valid {rule.type}: {error}. Correct the value "
            f"by hand, or fix the layout's rule", code="FIELD_INVALID", file=str(document.path),
            field=name, layout=layout.name, text=found.text, page=found.page) from None


YES_NO = ({"yes", "ja", "oui", "si", "sí", "sim", "y"}, {"no", "nein", "non", "nee", "não", "n"})


def options_printed(rule: FieldRule, found: Found) -> list[str]:
    """A doubt when the line the value came from prints the options themselves: both "Yes" and
    "No" beside a checkbox, or the wordings of several choices. A form's printed options say
    nothing about which one is ticked (a pen stroke, a drawn box), so the value read from them
    must go to a person, never be keyed as sure. A `boxes` rule read the ticks themselves."""
    if rule.boxes:
        return []
    words = {word.strip(".:,;()[]").casefold() for word in found.source.split()}
    if rule.type == "checkbox" and all(words & caption for caption in YES_NO):
        return ["the line prints both a yes and a no option: the captions are no tick"]
    if rule.type == "choice" and rule.match != "exact":
        line = " ".join(found.source.split()).casefold()
        named = {code for wording, code in rule.choices.items() if wording.casefold() in line}
        if len(named) > 1:
            return [f"the line names several choices ({', '.join(sorted(named))}): a printed "
                    f"list of options is no answer"]
    return []


def converted(rule: FieldRule, name: str, text: str) -> tuple[dict[str, str], list[str]]:
    """The type's conversion, with its doubts when value_types offers them."""
    with_doubts = getattr(rule, "convert_with_doubts", None)
    if with_doubts is None:
        return rule.convert(name, text), []
    conversion = with_doubts(name, text)
    return dict(conversion.values), [str(doubt) for doubt in conversion.doubts]
