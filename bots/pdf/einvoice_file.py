"""Find the structured invoice a PDF carries: a Factur-X / ZUGFeRD / Order-X XML attachment.

These standards embed the legal invoice as an XML file in the PDF's EmbeddedFiles (named
``factur-x.xml``, ``zugferd-invoice.xml``, ``xrechnung.xml``, ``order-x.xml``...). pypdf (already
a dependency) lists the attachments; the standard library's ElementTree parses the XML (expat
refuses entity expansion bombs and never fetches external entities; a DOCTYPE, which no
e-invoice has, is refused before parsing). The attachment's size is bounded by the stream
limits bots/pdf/streams.py checks before any parser runs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

# the file names the standards give their XML, best first
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml",
               "zugferd_invoice.xml")
# root element (local name) -> what the XML is
ROOTS = {"CrossIndustryInvoice": "CII invoice (Factur-X / ZUGFeRD 2 / XRechnung CII)",
         "SCRDMCCBDACIOMessageStructure": "Order-X order",
         "CrossIndustryDocument": "ZUGFeRD 1 invoice", "Invoice": "UBL invoice",
         "CreditNote": "UBL credit note"}


@dataclass(frozen=True)
class EmbeddedXml:
    """The structured invoice attached to a PDF: its file name, bytes and what it is."""

    name: str
    data: bytes
    kind: str  # e.g. "CII invoice (Factur-X / ZUGFeRD 2 / XRechnung CII)"

    def root(self) -> ElementTree.Element:
        """The parsed XML's root element (raises ValueError when it will not parse)."""
        return parse_xml(self.data)


def find_embedded_xml(reader: PdfReader) -> EmbeddedXml | None:
    """The e-invoice XML attached to the PDF, or None: a known file name first, else any
    attached XML whose root is an invoice or order of a known standard."""
    attachments = read_attachments(reader)
    ordered = sorted(attachments, key=lambda name: rank(name))
    for name in ordered:
        for data in attachments[name]:
            kind = xml_kind(data)
            if kind or name.lower() in KNOWN_NAMES:  # a damaged factur-x.xml is reported
                return EmbeddedXml(name, data, kind or "unreadable XML")
    return None


def read_attachments(reader: PdfReader) -> dict[str, list[bytes]]:
    """The PDF's embedded files by name (none when its name tree is damaged)."""
    try:
        return {str(name): list(data) for name, data in reader.attachments.items()}
    except Exception:  # a damaged EmbeddedFiles tree: the printed text still serves
        return {}


def rank(name: str) -> tuple[int, str]:
    """Known e-invoice file names first, then other .xml files, then the rest."""
    lowered = name.lower()
    if lowered in KNOWN_NAMES:
        return (KNOWN_NAMES.index(lowered), lowered)
    return (len(KNOWN_NAMES) + (0 if lowered.endswith(".xml") else 1), lowered)


def xml_kind(data: bytes) -> str | None:
    """What an attachment is when it is an e-invoice XML of a known standard, else None."""
    try:
        root = parse_xml(data)
    except ValueError:
        return None
    return ROOTS.get(local_name(root.tag))


def parse_xml(data: bytes) -> ElementTree.Element:
    """Parse e-invoice XML, refusing a DOCTYPE (entities have no place in an invoice)."""
    if b"<!DOCTYPE" in data[:4096].upper():
        raise ValueError("the XML declares a DOCTYPE, which e-invoices never do")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ValueError(f"the XML does not parse: {error}") from None


def local_name(tag: Any) -> str:
    """An element's name without its namespace: '{urn:...}ID' -> 'ID'."""
    return str(tag).rsplit("}", 1)[-1]
