"""A layout with `einvoice:` on a PDF that carries e-invoice XML: the XML's values win, the
text rules check them.

The text rules run as always; every field the XML holds then takes the XML's value (confidence
1, provenance the attachment and path), and a text problem about such a field (not found, not
valid, doubtful) no longer stops the item: the XML answered it. Where the text rules read a
value too, the two are compared (numbers as numbers, text ignoring case and spacing, table rows
cell by cell); a disagreement is listed in ``_einvoice.disagreements`` and, with
``on_mismatch: review`` (the default), sends the item to a person as EINVOICE_MISMATCH with
every value kept. A PDF without XML, or a layout without `einvoice:`, reads as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bots.kernel.errors import BusinessError
from bots.pdf.document import Document
from bots.pdf.einvoice import XmlRead, read_einvoice
from bots.pdf.einvoice_file import EmbeddedXml
from bots.pdf.einvoice_rule import EInvoiceRule
from bots.pdf.extract import choose_layout
from bots.pdf.problems import Problem, combined, problems_in
from bots.pdf.rules import LayoutRules

ReadText = Callable[[Document, list[LayoutRules]], dict[str, Any]]
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def extract_document(document: Document, layouts: list[LayoutRules],
                     read_text: ReadText) -> dict[str, Any]:
    """The fields of the layout that recognizes the document: from its e-invoice XML when the
    layout asks for it and the PDF has one (text rules as the cross-check), else from text."""
    layout = choose_layout(document, layouts)
    xml: EmbeddedXml | None = getattr(document, "embedded_xml", None)
    if layout.einvoice is None or xml is None:
        return read_text(document, [layout])
    read = read_einvoice(xml, layout.einvoice, document.path)
    text, problems = text_side(document, layout, read_text)
    return merged(document, layout, layout.einvoice, read, text, problems)


def text_side(document: Document, layout: LayoutRules,
              read_text: ReadText) -> tuple[dict[str, Any], list[Problem]]:
    """What the text rules read, and their problems (an error without values is raised)."""
    try:
        return read_text(document, [layout]), []
    except BusinessError as error:
        partial = error.details.get("partial")
        if not isinstance(partial, dict):
            raise
        return partial, problems_in(error)


def merged(document: Document, layout: LayoutRules, rule: EInvoiceRule, read: XmlRead,
           text: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """The text result with the XML's values set over it, checked against each other."""
    result = {**text, **read.values}
    result["_provenance"] = {**(text.get("_provenance") or {}), **read.provenance}
    reason = f"read from the embedded e-invoice {read.about['file']}"
    result["_confidence"] = {**(text.get("_confidence") or {}),
                             **{name: {"score": 1.0, "reasons": [reason]}
                                for name in read.values}}
    answered = [p for p in problems if p.get("field") in read.values]
    remaining = [p for p in problems if p.get("field") not in read.values]
    disagreements = [d for name, value in read.values.items()
                     for d in disagreement(name, value, text.get(name))]
    result["_einvoice"] = {**read.about, "fields": sorted(read.values),
                           "disagreements": disagreements,
                           "text_problems": [f"{p['field']} {p['code']}" for p in answered]}
    if rule.on_mismatch == "review":
        remaining += [mismatch_problem(read, d) for d in disagreements]
    if remaining:
        raise combined(document.path, layout.name, remaining, result)
    return result


def disagreement(name: str, xml: Any, text: Any) -> list[dict[str, Any]]:
    """How the text rules' value differs from the XML's (nothing when the text read none)."""
    if text is None:
        return []
    if isinstance(xml, list) and isinstance(text, list):
        return row_disagreements(name, xml, text)
    if same(xml, text):
        return []
    return [{"field": name, "xml": xml, "text": text}]


def row_disagreements(name: str, xml: list[Any], text: list[Any]) -> list[dict[str, Any]]:
    """Table rows compared cell by cell, in the columns both sides have."""
    if len(xml) != len(text):
        return [{"field": name, "xml": f"{len(xml)} rows", "text": f"{len(text)} rows"}]
    found = []
    for number, (xml_row, text_row) in enumerate(zip(xml, text, strict=True), start=1):
        for column in xml_row.keys() & text_row.keys():
            mine, theirs = xml_row[column], text_row[column]
            if mine is not None and theirs is not None and not same(mine, theirs):
                found.append({"field": name, "row": number, "column": column,
                              "xml": mine, "text": theirs})
    return found


def same(xml: Any, text: Any) -> bool:
    """Whether two values agree: numbers by value, text ignoring case, spacing and a
    trailing full stop or colon."""
    left, right = str(xml).strip(), str(text).strip()
    if NUMBER.match(left) and NUMBER.match(right):
        return Decimal(left) == Decimal(right)
    return squash(left) == squash(right)


def squash(text: str) -> str:
    """Text folded for comparing: case, runs of spaces, trailing punctuation."""
    return " ".join(text.split()).casefold().rstrip(" .,;:")


def mismatch_problem(read: XmlRead, found: dict[str, Any]) -> Problem:
    """An EINVOICE_MISMATCH problem for one disagreement, for the reviewer."""
    where = (f" row {found['row']} column {found['column']!r}" if "row" in found else "")
    problem: Problem = {
        "field": found["field"], "code": "EINVOICE_MISMATCH", "text": str(found["text"]),
        "message": f"field {found['field']!r}{where}: the printed page reads "
                   f"{found['text']!r} but the embedded e-invoice {read.about['file']} says "
                   f"{found['xml']!r} (kept); check which is right with the sender, or fix "
                   "the layout's text rule"}
    for key in ("row", "column"):
        if key in found:
            problem[key] = found[key]
    return problem
