"""E-invoices: a PDF carrying Factur-X / ZUGFeRD CII XML is read from the XML, the text rules
cross-check it, and a disagreement or a damaged XML is reported, never silent."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject
from reportlab.pdfgen.canvas import Canvas

from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import BusinessError
from bots.pdf.einvoice import convert
from bots.pdf.einvoice_file import MAX_XML_BYTES, parse_xml, xml_kind
from bots.steps.pdf.extract_fields import Params, extract_fields

NS = ('xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
      'xmlns:ram="urn:un:unece:uncefact:data:standard:'
      'ReusableAggregateBusinessInformationEntity:100" '
      'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"')
LINE = """<ram:IncludedSupplyChainTradeLineItem>
 <ram:AssociatedDocumentLineDocument><ram:LineID>{n}</ram:LineID>
 </ram:AssociatedDocumentLineDocument>
 <ram:SpecifiedTradeProduct><ram:Name>{name}</ram:Name></ram:SpecifiedTradeProduct>
 <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>
  <ram:ChargeAmount>{price}</ram:ChargeAmount>
 </ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
 <ram:SpecifiedLineTradeDelivery>
  <ram:BilledQuantity unitCode="C62">{qty}</ram:BilledQuantity>
 </ram:SpecifiedLineTradeDelivery>
 <ram:SpecifiedLineTradeSettlement>
  <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
   <ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
  <ram:SpecifiedTradeSettlementLineMonetarySummation>
  <ram:LineTotalAmount>{amount}</ram:LineTotalAmount>
 </ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
</ram:IncludedSupplyChainTradeLineItem>"""


def cii(number: str = "FV-2025-0042", date: str = "20250314", total: str = "1534.33",
        seller: str = "Atelier Vosges SARL", lines: str | None = None) -> bytes:
    """A Factur-X EN 16931 CII invoice (valid against the profile's XSD: checked once with the
    factur-x library 7.8, whose generate_from_binary PDF this reader also reads the same)."""
    if lines is None:
        lines = (LINE.format(n=1, name="Chaise chêne", price="215.50", qty="4.0000",
                             amount="862.00")
                 + LINE.format(n=2, name="Table ronde", price="416.4416", qty="1",
                               amount="416.44"))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice {NS}>
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
  <ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
 </rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>{number}</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">{date}</udt:DateTimeString>
  </ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>{lines}
  <ram:ApplicableHeaderTradeAgreement>
   <ram:BuyerReference>PO-7781</ram:BuyerReference>
   <ram:SellerTradeParty><ram:Name>{seller}</ram:Name>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR40512345678</ram:ID>
    </ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Brasserie du Port</ram:Name></ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:ApplicableTradeTax><ram:CalculatedAmount>255.89</ram:CalculatedAmount>
    <ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>1278.44</ram:BasisAmount>
    <ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20</ram:RateApplicablePercent>
   </ram:ApplicableTradeTax>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>1278.44</ram:LineTotalAmount>
    <ram:TaxBasisTotalAmount>1278.44</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">255.89</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>{total}</ram:GrandTotalAmount>
    <ram:DuePayableAmount>{total}</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>""".encode()


def printed(total: str = "1.534,33 EUR", number: str = "FV-2025-0042") -> bytes:
    """The invoice's printed page (European figures), as a text PDF."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica", 10)
    for y, text in ((780, "Atelier Vosges SARL"), (750, f"Facture n° {number}"),
                    (730, "Date: 14.03.2025"), (700, f"Total TTC: {total}")):
        canvas.drawString(72, y, text)
    canvas.save()
    return buffer.getvalue()


def attach(pdf: bytes, xml: bytes, name: str = "factur-x.xml") -> bytes:
    """The PDF with ``xml`` attached as Factur-X does: EmbeddedFiles, /AF, /Data."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    attached = writer.add_attachment(name, xml)
    spec = attached.pdf_object
    spec[NameObject("/AFRelationship")] = NameObject("/Data")
    writer._root_object[NameObject("/AF")] = ArrayObject([spec.indirect_reference])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


TEXT_FIELDS: dict[str, Any] = {
    "invoice_number": {"label": "Facture n°"},
    "issue_date": {"label": "Date:", "type": "date", "dayfirst": True},
    "total": {"label": "Total TTC:", "type": "amount", "decimal": ","},
}


def run(tmp_path: Path, content: bytes, einvoice: Any = None,
        fields: dict[str, Any] | None = None) -> dict[str, Any]:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(content)
    layout: dict[str, Any] = {"name": "vosges", "when": "Atelier Vosges",
                              "fields": fields or TEXT_FIELDS}
    if einvoice is not None:
        layout["einvoice"] = einvoice
    params = Params.model_validate({"path": str(path), "layouts": [layout]})
    context = StepContext(run_id="t", item=WorkItem(key="k", name=path.name), step_id="inv")
    return extract_fields.function(params, context)


def failure(tmp_path: Path, content: bytes, einvoice: Any = None, **kw: Any) -> BusinessError:
    with pytest.raises(BusinessError) as raised:
        run(tmp_path, content, einvoice, **kw)
    return raised.value


def test_the_xml_is_read_exactly_and_the_text_agrees(tmp_path: Path) -> None:
    result = run(tmp_path, attach(printed(), cii()), einvoice={})
    assert (result["invoice_number"], result["issue_date"], result["total"]) == (
        "FV-2025-0042", "2025-03-14", "1534.33")
    assert result["seller_name"] == "Atelier Vosges SARL"
    assert result["seller_vat_id"] == "FR40512345678" and result["currency"] == "EUR"
    assert result["buyer_reference"] == "PO-7781" and result["tax_total"] == "255.89"
    assert result["_confidence"]["total"] == {
        "score": 1.0, "reasons": ["read from the embedded e-invoice factur-x.xml"]}
    assert result["_provenance"]["total"]["text"].startswith("factur-x.xml: rsm:")
    report = result["_einvoice"]
    assert report["file"] == "factur-x.xml" and report["profile"] == "urn:cen.eu:en16931:2017"
    assert report["disagreements"] == [] and report["text_problems"] == []


def test_lines_come_from_the_xml_with_exact_figures(tmp_path: Path) -> None:
    lines = run(tmp_path, attach(printed(), cii()), einvoice={})["lines"]
    assert lines == [
        {"line_id": "1", "description": "Chaise chêne", "quantity": 4, "unit_price": "215.50",
         "amount": "862.00"},
        {"line_id": "2", "description": "Table ronde", "quantity": 1,
         "unit_price": "416.4416", "amount": "416.44"}]  # four decimals are not rounded away


def test_a_printed_total_that_differs_goes_to_review(tmp_path: Path) -> None:
    error = failure(tmp_path, attach(printed(total="1.543,33 EUR"), cii()), einvoice={})
    assert error.code == "EINVOICE_MISMATCH"
    assert "'1543.33'" in error.message and "'1534.33'" in error.message
    assert [p["field"] for p in error.details["problems"]] == ["total"]
    assert error.details["partial"]["total"] == "1534.33"  # the XML's value is kept
    assert error.details["partial"]["_einvoice"]["disagreements"] == [
        {"field": "total", "xml": "1534.33", "text": "1543.33"}]


def test_on_mismatch_report_keeps_the_xml_and_lists_the_disagreement(tmp_path: Path) -> None:
    content = attach(printed(number="FV-2025-0043"), cii())
    result = run(tmp_path, content, einvoice={"on_mismatch": "report"})
    assert result["invoice_number"] == "FV-2025-0042"
    assert result["_einvoice"]["disagreements"] == [
        {"field": "invoice_number", "xml": "FV-2025-0042", "text": "FV-2025-0043"}]


def test_a_field_the_text_cannot_read_is_answered_by_the_xml(tmp_path: Path) -> None:
    fields = {**TEXT_FIELDS, "total": {"label": "Grand total due"}}  # not on the page
    result = run(tmp_path, attach(printed(), cii()), einvoice={}, fields=fields)
    assert result["total"] == "1534.33"
    assert result["_einvoice"]["text_problems"] == ["total FIELD_MISSING"]


def test_a_text_problem_the_xml_does_not_answer_still_stops(tmp_path: Path) -> None:
    fields = {**TEXT_FIELDS, "claim_ref": {"label": "Claim reference"}}
    error = failure(tmp_path, attach(printed(), cii()), einvoice={}, fields=fields)
    assert error.code == "FIELD_MISSING"
    assert [p["field"] for p in error.details["problems"]] == ["claim_ref"]
    assert error.details["partial"]["total"] == "1534.33"


def test_names_and_paths_map_xml_values_to_the_layouts_fields(tmp_path: Path) -> None:
    tax = ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
           "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount/@currencyID")
    rule = {"fields": {"amount": "total", "tax_currency": tax,
                       "sent": {"path": "rsm:ExchangedDocument/ram:IssueDateTime/"
                                        "udt:DateTimeString", "type": "date"}},
            "lines": {"field": "items", "columns": {"what": "description", "qty": "quantity"}}}
    result = run(tmp_path, attach(printed(), cii()), einvoice=rule)
    assert (result["amount"], result["tax_currency"], result["sent"]) == (
        "1534.33", "EUR", "2025-03-14")
    assert result["items"] == [{"what": "Chaise chêne", "qty": 4},
                               {"what": "Table ronde", "qty": 1}]


def test_a_pdf_without_xml_reads_from_its_text(tmp_path: Path) -> None:
    result = run(tmp_path, printed(), einvoice={})
    assert result["total"] == "1534.33" and "_einvoice" not in result
    assert "seller_name" not in result


def test_without_the_einvoice_key_the_xml_is_not_used(tmp_path: Path) -> None:
    result = run(tmp_path, attach(printed(total="1.543,33 EUR"), cii()))
    assert result["total"] == "1543.33" and "_einvoice" not in result


def test_a_damaged_or_mistyped_xml_is_einvoice_invalid(tmp_path: Path) -> None:
    broken = failure(tmp_path, attach(printed(), b"<rsm:CrossIndustryInvoice><unclosed>"),
                     einvoice={})
    assert broken.code == "EINVOICE_INVALID" and "factur-x.xml" in broken.message
    mistyped = failure(tmp_path, attach(printed(), cii(total="12,50")), einvoice={})
    assert mistyped.code == "EINVOICE_INVALID" and "'12,50'" in mistyped.message
    assert "GrandTotalAmount" in mistyped.message


def test_entities_in_the_xml_are_refused(tmp_path: Path) -> None:
    hostile = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               + cii().split(b"?>", 1)[1].replace(b"FV-2025-0042", b"&x;"))
    error = failure(tmp_path, attach(printed(), hostile), einvoice={})
    assert error.code == "EINVOICE_INVALID" and "DOCTYPE" in error.message


def test_an_xml_under_another_name_is_found_by_its_root(tmp_path: Path) -> None:
    result = run(tmp_path, attach(printed(), cii(), name="invoice-data.xml"), einvoice={})
    assert result["_einvoice"]["file"] == "invoice-data.xml"
    assert result["_einvoice"]["kind"].startswith("CII invoice")


def test_a_bad_path_is_a_recipe_error_naming_it() -> None:
    layout = {"name": "x", "when": "x", "fields": {"a": {"label": "A"}},
              "einvoice": {"fields": {"po": "zz:Order/ram:ID"}}}
    with pytest.raises(ValidationError, match="zz:Order/ram:ID"):
        Params.model_validate({"path": "x.pdf", "layouts": [layout]})


@pytest.mark.parametrize(("kind", "text", "value"), [
    ("date", "20250314", "2025-03-14"), ("date", "2025-03-14", "2025-03-14"),
    ("amount", "1534.3", "1534.30"), ("amount", "-12", "-12.00"),
    ("amount", "0.1234", "0.1234"), ("integer", "3.000", 3), ("integer", "2.5", "2.5")])
def test_xml_values_are_typed(kind: str, text: str, value: Any) -> None:
    assert convert(kind, text) == value


@pytest.mark.parametrize(("kind", "text"), [("date", "14.03.2025"), ("amount", "1.534,33"),
                                            ("integer", "four")])
def test_xml_values_of_the_wrong_form_are_refused(kind: str, text: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 (ValueError or decimal.InvalidOperation)
        convert(kind, text)


ORDER_X = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:SCRDMCCBDACIOMessageStructure
 xmlns:rsm="urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:128"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:128">
 <rsm:ExchangedDocument><ram:ID>PO-2025-118</ram:ID>
  <ram:IssueDateTime><udt:DateTimeString format="102">20250402</udt:DateTimeString>
  </ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:SpecifiedTradeProduct><ram:Name>Chaise chêne</ram:Name></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeDelivery>
    <ram:RequestedQuantity unitCode="C62">6</ram:RequestedQuantity>
   </ram:SpecifiedLineTradeDelivery>
  </ram:IncludedSupplyChainTradeLineItem>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Atelier Vosges SARL</ram:Name></ram:SellerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement><ram:OrderCurrencyCode>EUR</ram:OrderCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:GrandTotalAmount>1551.60</ram:GrandTotalAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:SCRDMCCBDACIOMessageStructure>"""


def test_an_order_x_order_is_read_with_its_own_namespaces(tmp_path: Path) -> None:
    fields = {"invoice_number": {"label": "Facture n°"}}
    content = attach(printed(number="PO-2025-118"), ORDER_X.encode(), name="order-x.xml")
    result = run(tmp_path, content, einvoice={}, fields=fields)
    assert (result["invoice_number"], result["issue_date"], result["currency"],
            result["total"]) == ("PO-2025-118", "2025-04-02", "EUR", "1551.60")
    assert result["lines"][0]["quantity"] == 6 and result["lines"][0]["amount"] is None
    assert result["_einvoice"]["kind"] == "Order-X order"


def test_an_xml_the_paths_do_not_fit_is_said_not_silent(tmp_path: Path) -> None:
    ubl = (b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
           b'<ID>FV-1</ID></Invoice>')
    result = run(tmp_path, attach(printed(), ubl), einvoice={})
    assert result["total"] == "1534.33"  # the text rules read it
    assert result["_einvoice"]["fields"] == [] and "UBL" in result["_einvoice"]["note"]


def test_a_doctype_anywhere_before_the_root_and_an_oversized_xml_are_refused() -> None:
    late = (b'<?xml version="1.0"?>' + b"<!-- " + b"x" * 8000 + b" -->"
            + b'<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>')
    with pytest.raises(ValueError, match="DOCTYPE"):
        parse_xml(late)
    with pytest.raises(ValueError, match="more than an invoice"):
        parse_xml(b" " * (MAX_XML_BYTES + 1))
    assert xml_kind(b" " * (MAX_XML_BYTES + 1)) is None
