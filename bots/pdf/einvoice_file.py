"""Find the structured invoice a PDF carries: a Factur-X / ZUGFeRD / Order-X XML attachment.

These standards embed the legal invoice as an XML file in the PDF's EmbeddedFiles (named
``factur-x.xml``, ``zugferd-invoice.xml``, ``xrechnung.xml``, ``order-x.xml``...). pypdf (already
a dependency) lists the attachments; the standard library's ElementTree parses the XML (expat
refuses entity expansion bombs and never fetches external entities; a DOCTYPE, which no
e-invoice has, is refused; an XML above 20 MB is no invoice). Loading a PDF only reads an
attachment's root element to know what it is; the whole XML is parsed when a layout reads it.
"""

from __future__ import annotations

import io
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


MAX_XML_BYTES = 20_000_000  # a 10 000-line CII invoice is about 10 MB


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
    """What an attachment is when it is an e-invoice XML of a known standard, else None,
    from its root element alone (the whole XML is parsed only when a layout reads it)."""
    if len(data) > MAX_XML_BYTES:
        return None
    try:  # iterparse reads on only until the first element starts
        _event, root = next(ElementTree.iterparse(io.BytesIO(data), events=("start",)))
    except (ElementTree.ParseError, StopIteration):
        return None
    return ROOTS.get(local_name(root.tag))


class NoDoctype(ElementTree.TreeBuilder):
    """A tree builder that refuses a DOCTYPE: entities have no place in an invoice."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise ValueError("the XML declares a DOCTYPE, which e-invoices never do")


def parse_xml(data: bytes) -> ElementTree.Element:
    """Parse e-invoice XML: at most MAX_XML_BYTES, no DOCTYPE, well-formed."""
    if len(data) > MAX_XML_BYTES:
        raise ValueError(f"the XML is {len(data) / 1e6:.0f} MB, more than an invoice's "
                         f"{MAX_XML_BYTES / 1e6:.0f} MB")
    parser = ElementTree.XMLParser(target=NoDoctype())
    try:
        parser.feed(data)
        root: ElementTree.Element = parser.close()
        return root
    except ElementTree.ParseError as error:
        raise ValueError(f"the XML does not parse: {error}") from None


def local_name(tag: Any) -> str:
    """An element's name without its namespace: '{urn:...}ID' -> 'ID'."""
    return str(tag).rsplit("}", 1)[-1]
