"""Read a layout's fields exactly from a PDF's embedded e-invoice XML (Factur-X, ZUGFeRD...).

The XML is the legal invoice; the printed page is a picture of it. So a value the XML holds is
taken from it as written (dates ISO, amounts to the cent without rounding a figure that has
more decimals), with confidence 1, and its provenance names the attachment and the path.
bots/pdf/einvoice_merge.py sets these values beside what the text rules read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from bots.kernel.errors import BusinessError
from bots.pdf.einvoice_file import EmbeddedXml
from bots.pdf.einvoice_rule import ALTERNATIVE, EInvoiceRule, XmlLines, XmlValue, namespaces_for

CII_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # format 102, the one EN 16931 allows
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")  # UBL and Order-X variants
PROFILE = ("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/"
           "ram:ID")


@dataclass
class XmlRead:
    """What the XML says: values by output field, their provenance, and about the file."""

    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    about: dict[str, Any] = field(default_factory=dict)


def read_einvoice(xml: EmbeddedXml, rule: EInvoiceRule, path: Path) -> XmlRead:
    """Every field (and the lines) the rule names that the XML holds; absent ones are left out.

    Raises EINVOICE_INVALID when the XML does not parse or a value is not of its type."""
    try:
        root = xml.root()
    except ValueError as error:
        raise invalid(path, xml, f"{error}") from None
    namespaces = namespaces_for(root, rule.namespaces)
    read = XmlRead(about={"file": xml.name, "kind": xml.kind,
                          "profile": text_at(root, PROFILE, namespaces)})
    read_fields(path, xml, root, rule, namespaces, read)
    if rule.lines is not None:
        rows = read_lines(path, xml, root, rule.lines, namespaces)
        if rows:
            read.values[rule.lines.field] = rows
            read.provenance[rule.lines.field] = where(xml, rule.lines.path)
    if not read.values:  # said, not silent: the text rules alone read this document
        read.about["note"] = (f"no value at the rule's paths in this {xml.kind}; give its "
                              "paths (and namespaces) in `einvoice:`, see `pdf show`")
    return read


def read_fields(path: Path, xml: EmbeddedXml, root: ElementTree.Element, rule: EInvoiceRule,
                namespaces: dict[str, str], read: XmlRead) -> None:
    """Each field the XML holds, typed, with its provenance, into ``read``."""
    for name, value in rule.all_fields().items():
        found = typed(path, xml, value, text_at(root, value.path, namespaces))
        if found is not None:
            read.values[name] = found
            read.provenance[name] = where(xml, value.path)


def read_lines(path: Path, xml: EmbeddedXml, root: ElementTree.Element, lines: XmlLines,
               namespaces: dict[str, str]) -> list[dict[str, Any]]:
    """One dict per line element, its columns typed (a column the line lacks is None)."""
    found = (root.findall(one.strip(), namespaces) for one in lines.path.split(ALTERNATIVE))
    elements = next((some for some in found if some), [])
    return [{column: typed(path, xml, value, text_at(line, value.path, namespaces))
             for column, value in lines.columns.items()}
            for line in elements]


def text_at(element: ElementTree.Element, path: str, namespaces: dict[str, str]) -> str | None:
    """The stripped text (or, for a path ending in /@name, the attribute) at ``path``: of its
    first alternative ('a | b') that holds one."""
    found = (one_text_at(element, one.strip(), namespaces) for one in path.split(ALTERNATIVE))
    return next((text for text in found if text is not None), None)


def one_text_at(element: ElementTree.Element, path: str,
                namespaces: dict[str, str]) -> str | None:
    """The text or attribute at one path (no alternatives)."""
    attribute = None
    if "/@" in path or path.startswith("@"):
        path, _, attribute = path.rpartition("@")
        path = path.rstrip("/") or "."
    try:
        found = element.find(path, namespaces)
    except Exception as error:  # a bad path or an unknown prefix (checked when loaded)
        raise ValueError(f"the path {path!r} is not valid: {error}") from None
    if found is None:
        return None
    text = found.get(attribute) if attribute else found.text
    return text.strip() if text and text.strip() else None


def typed(path: Path, xml: EmbeddedXml, value: XmlValue, text: str | None) -> Any:
    """The XML text as its type's output value; EINVOICE_INVALID when it is not one."""
    if text is None or value.type == "text":
        return text
    try:
        return convert(value.type, text)
    except (ValueError, InvalidOperation):
        raise invalid(path, xml, f"{value.path} reads {text!r}, which is not a valid "
                      f"{value.type}", xml_path=value.path, text=text) from None


def convert(kind: str, text: str) -> Any:
    """A date to ISO, an amount to a decimal string of at least two places, an integer."""
    if kind == "date":
        match = CII_DATE.match(text) or ISO_DATE.match(text)
        if not match:
            raise ValueError(text)
        return "-".join(match.groups())
    number = Decimal(text)
    if kind == "integer":
        return int(number) if number == number.to_integral_value() else str(number.normalize())
    exponent = number.as_tuple().exponent
    return f"{number:.2f}" if isinstance(exponent, int) and exponent >= -2 else str(number)


def where(xml: EmbeddedXml, path: str) -> dict[str, Any]:
    """A value's provenance: the attachment and the path in it."""
    return {"page": None, "box": None, "text": f"{xml.name}: {path}",
            "rule": f"einvoice {path!r}"}


def invalid(path: Path, xml: EmbeddedXml, what: str, **details: Any) -> BusinessError:
    """EINVOICE_INVALID: the attached XML is damaged or holds a value of the wrong type."""
    return BusinessError(f"{path.name}: its embedded e-invoice {xml.name} cannot be read: "
                         f"{what}; ask the sender for a corrected invoice, or fix the "
                         "layout's einvoice paths", code="EINVOICE_INVALID", file=str(path),
                         attachment=xml.name, **details)
