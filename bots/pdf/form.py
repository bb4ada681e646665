"""Read a PDF's AcroForm: every field by its full qualified name, its kind, value and widget.

Real forms name fields in a tree ("form1[0].page1[0].policyNumber[0]" from LiveCycle, or
"claim.policy"): a field is found by its full name or by a tail of it down to its short name
("policyNumber", the last part with its index dropped). A name that fits two fields is a
FORM_FIELD_AMBIGUOUS error that lists them, never a silent first pick. Checkboxes are on or
off (an unticked box has no text value, so a rule's text fallbacks go on); a radio group's
value is the export value of the chosen button.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from bots.kernel.errors import BusinessError
from bots.normalize import clean_text

Kind = Literal["text", "checkbox", "radio", "choice", "button", "signature"]
RADIO, PUSHBUTTON = 1 << 15, 1 << 16  # /Ff bits of a button field (PDF 32000, 12.7.4.2)
INDEX = re.compile(r"\[\d+\]$")
MAX_DEPTH = 32  # a /Parent chain deeper than this is a loop in a damaged file


@dataclass(frozen=True)
class FormField:
    """One AcroForm field: full name, kind, value and where its (chosen) widget sits."""

    name: str
    kind: Kind
    value: str  # text, the chosen export value, or a ticked box's export value ("" when off)
    page: int
    box: tuple[float, float, float, float]  # x0, top, x1, bottom (points, origin top-left)
    checked: bool | None = None  # checkboxes only

    @property
    def short_name(self) -> str:
        """The last part of the name without its index: 'policyNumber'."""
        return INDEX.sub("", self.name.rsplit(".", 1)[-1])

    @property
    def is_on(self) -> bool:
        """Whether the field holds something: a ticked box, a chosen radio, a non-empty text."""
        return bool(self.checked) if self.kind == "checkbox" else bool(self.value.strip())


def name_parts(name: str) -> list[str]:
    """A dotted name's parts: 'form1[0].page1[0].x[0]' -> ['form1[0]', 'page1[0]', 'x[0]']."""
    return [part for part in name.split(".") if part]


def part_fits(asked: str, part: str) -> bool:
    """Whether one part of an asked name fits a field's: 'x' fits 'x[0]'; 'x[1]' only 'x[1]'."""
    return asked == part or (not INDEX.search(asked) and INDEX.sub("", part) == asked)


def name_fits(asked: str, field: FormField) -> bool:
    """Whether an asked name is the field's full name or a tail of it (indexes optional)."""
    wanted, parts = name_parts(asked), name_parts(field.name)
    if not wanted or len(wanted) > len(parts):
        return False
    return all(part_fits(a, p) for a, p in zip(wanted, parts[-len(wanted):], strict=True))


class Form:
    """A document's AcroForm fields, looked up by full or short name."""

    def __init__(self, path: Path, fields: list[FormField]) -> None:
        self.path = path
        self.fields = fields

    def __iter__(self) -> Iterator[FormField]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def field(self, name: str) -> FormField | None:
        """The one field an asked name means, None when none; FORM_FIELD_AMBIGUOUS for two."""
        exact = [field for field in self.fields if field.name == name]
        matches = exact or [field for field in self.fields if name_fits(name, field)]
        if len(matches) > 1:
            raise self.ambiguous(name, matches)
        return matches[0] if matches else None

    def one_ticked(self, names: list[str]) -> tuple[str, FormField] | None:
        """The one field of a group that is on (a ticked box), as (asked name, field); None
        when none is; FORM_CHOICE_CONFLICT when several are."""
        on = [(name, field) for name in names
              if (field := self.field(name)) is not None and field.is_on]
        if len(on) > 1:
            both = [field.name for _, field in on]
            raise BusinessError(
                f"{self.path.name}: {' and '.join(both)} are all ticked, but the group "
                f"{', '.join(names)} stands for one value; check the form and key it by hand",
                code="FORM_CHOICE_CONFLICT", file=str(self.path), ticked=both)
        return on[0] if on else None

    def ambiguous(self, name: str, matches: list[FormField]) -> BusinessError:
        """The error for a name that fits several fields, listing their full names."""
        names = [field.name for field in matches]
        return BusinessError(
            f"{self.path.name}: form field name {name!r} fits {len(names)} fields "
            f"({', '.join(names)}); use one full name in the rule's form_field",
            code="FORM_FIELD_AMBIGUOUS", file=str(self.path), form_field=name, matches=names)


def read_form(reader: PdfReader) -> list[FormField]:
    """Every field that has a widget on a page, in page order, once per full name; a radio
    group or checkbox is placed at the widget that shows it ticked."""
    seen: dict[str, FormField] = {}
    shown: set[str] = set()
    for number, page in enumerate(reader.pages, start=1):
        top = float(page.mediabox.top)
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
                continue
            found = widget_field(widget, number, top)
            if found is None or found.name in shown:
                continue
            if found.name not in seen or ticked(widget):
                seen[found.name] = found
            if ticked(widget):
                shown.add(found.name)
    return list(seen.values())


def ticked(widget: DictionaryObject) -> bool:
    """Whether a button widget shows its on state (its appearance state is not /Off)."""
    return str(widget.get("/AS", "/Off")) not in ("/Off", "")


def widget_field(widget: DictionaryObject, page: int, top: float) -> FormField | None:
    """The field a widget belongs to, read as that widget shows it; None when unnamed."""
    terminal = widget if "/T" in widget else parent_of(widget)
    if terminal is None:
        return None
    name = full_name(terminal)
    if not name:
        return None
    kind = field_kind(terminal)
    value, checked = field_value(terminal, widget, kind)
    return FormField(name, kind, value, page, widget_box(widget, top), checked)


def parent_of(node: DictionaryObject) -> DictionaryObject | None:
    """A field dictionary's parent, or None."""
    parent = node.get("/Parent")
    parent = parent.get_object() if parent is not None else None
    return parent if isinstance(parent, DictionaryObject) else None


def lineage(node: DictionaryObject) -> list[DictionaryObject]:
    """The field and its ancestors, nearest first (a loop in a damaged file ends where a
    node comes round again, or at MAX_DEPTH)."""
    chain: list[DictionaryObject] = []
    current: DictionaryObject | None = node
    while (current is not None and len(chain) < MAX_DEPTH
           and not any(current is seen for seen in chain)):
        chain.append(current)
        current = parent_of(current)
    return chain


def full_name(node: DictionaryObject) -> str:
    """The fully qualified name: the /T of the field and its ancestors, joined by dots."""
    parts = [str(item["/T"]) for item in reversed(lineage(node)) if "/T" in item]
    return clean_text(".".join(parts))


def inherited(node: DictionaryObject, key: str) -> Any:
    """A field attribute that may sit on an ancestor (/FT, /V, /Ff, /Opt)."""
    return next((item[key] for item in lineage(node) if key in item), None)


def field_kind(node: DictionaryObject) -> Kind:
    """What kind of field this is, from /FT and the button flags."""
    kind, flags = inherited(node, "/FT"), int(inherited(node, "/Ff") or 0)
    if kind == "/Btn":
        return "radio" if flags & RADIO else "button" if flags & PUSHBUTTON else "checkbox"
    return {"/Ch": "choice", "/Sig": "signature"}.get(str(kind), "text")  # type: ignore[return-value]


def field_value(node: DictionaryObject, widget: DictionaryObject,
                kind: Kind) -> tuple[str, bool | None]:
    """The field's value as text, and for a checkbox whether it is ticked."""
    raw = inherited(node, "/V")
    if kind == "checkbox":
        state = raw if raw is not None else widget.get("/AS")
        on = state is not None and str(state) not in ("/Off", "Off", "")
        return (export_value(node, str(state)) if on else ""), on
    if kind == "radio":
        chosen = str(raw) if raw is not None else ""
        return ("" if chosen in ("/Off", "Off") else export_value(node, chosen)), None
    if isinstance(raw, list):  # a multiple-choice list
        return clean_text(", ".join(str(item) for item in raw)), None
    return (clean_text(str(raw)) if raw is not None else ""), None


def export_value(node: DictionaryObject, state: str) -> str:
    """A button state's export value: the state's name, or its /Opt entry when numbered."""
    name = state.lstrip("/")
    options = inherited(node, "/Opt")
    if options is not None and name.isdigit() and int(name) < len(options):
        return clean_text(str(options[int(name)]))
    return clean_text(name)


def widget_box(widget: DictionaryObject, top: float) -> tuple[float, float, float, float]:
    """A widget's /Rect with the origin at the page's top-left."""
    try:
        x0, y0, x1, y1 = (float(number) for number in widget.get("/Rect", [0, 0, 0, 0]))
    except (TypeError, ValueError):  # a malformed rectangle places nothing
        return (0.0, 0.0, 0.0, 0.0)
    return (min(x0, x1), top - max(y0, y1), max(x0, x1), top - min(y0, y1))
