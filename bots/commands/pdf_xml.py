"""`pdf show`'s view of an embedded e-invoice: each value with the path an `einvoice:` rule
names it by.

A rule author writes `einvoice: {fields: {amount: 'rsm:.../ram:GrandTotalAmount'}}`; this
lists every element that holds text as exactly such a path (prefixes from the rule's default
namespaces, an unknown namespace in braces) with its value and attributes, so the path can be
copied from here. The XML is found and parsed by the reader's own code (bots/pdf/einvoice_file.py).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from bots.pdf.document import Document
from bots.pdf.einvoice_file import EmbeddedXml, find_embedded_xml, local_name
from bots.pdf.einvoice_rule import NAMESPACES

MAX_VALUES = 500  # an invoice of a thousand lines still prints in a screenful of pages


def embedded_invoice(document: Document) -> dict[str, Any] | None:
    """The embedded e-invoice's name, kind and values by path; None when the PDF has none."""
    xml = getattr(document, "embedded_xml", None) or read_xml(document.path)
    return None if xml is None else describe_xml(xml)


def read_xml(path: Path) -> EmbeddedXml | None:
    """The XML found in the file itself (for a reader that did not keep it)."""
    try:
        return find_embedded_xml(PdfReader(io.BytesIO(path.read_bytes()), strict=False))
    except Exception:  # the document loaded; a damaged attachment tree is no invoice
        return None


def describe_xml(xml: EmbeddedXml) -> dict[str, Any]:
    """{name, kind, values: [{path, text, attributes}]} or the reason it does not parse."""
    data: dict[str, Any] = {"name": xml.name, "kind": xml.kind}
    try:
        root = xml.root()
    except ValueError as error:
        return data | {"error": str(error)}
    return data | {"values": list(leaf_values(root))}


def leaf_values(root: ElementTree.Element) -> Iterator[dict[str, Any]]:
    """Every element holding text, with its path from the root (as rules write it)."""
    prefixes = {uri: prefix for prefix, uri in NAMESPACES.items()}

    def walk(element: ElementTree.Element, path: str) -> Iterator[dict[str, Any]]:
        text = (element.text or "").strip()
        if text:
            attributes = {local_name(key): value for key, value in element.attrib.items()}
            yield {"path": path, "text": text, **({"attributes": attributes}
                                                   if attributes else {})}
        for child in element:
            step = qualified(child.tag, prefixes)
            yield from walk(child, f"{path}/{step}" if path else step)

    yield from walk(root, "")


def qualified(tag: Any, prefixes: dict[str, str]) -> str:
    """'{urn:...:100}ID' as 'ram:ID' (the rule's prefix for that namespace)."""
    text = str(tag)
    if not text.startswith("{"):
        return text
    uri, _, name = text[1:].partition("}")
    return f"{prefixes[uri]}:{name}" if uri in prefixes else text


def xml_text(data: dict[str, Any]) -> list[str]:
    """The e-invoice section of `pdf show`'s text."""
    out = [f"\n== embedded e-invoice {data['name']} ({data['kind']}): paths for `einvoice:`"]
    if "error" in data:
        return out + [f"  it does not parse: {data['error']}"]
    for value in data["values"][:MAX_VALUES]:
        attributes = "".join(f" @{key}={item}"
                             for key, item in value.get("attributes", {}).items())
        out.append(f"  {value['path']} = {value['text']!r}{attributes}")
    if len(data["values"]) > MAX_VALUES:
        out.append(f"  ... and {len(data['values']) - MAX_VALUES} more (see --json)")
    return out
