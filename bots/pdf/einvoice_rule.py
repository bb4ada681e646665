"""The `einvoice:` key of a layout: which values of an embedded e-invoice XML become fields.

    - name: vosges
      when: ["Atelier Vosges"]
      einvoice: {}                       # the Cross-Industry-Invoice defaults below
      fields: {...}                      # the text rules, now a cross-check

    einvoice:
      fields:
        amount: total                    # a default field's value under another name
        po: buyer_reference
        tax_currency: "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/\
ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount/@currencyID"
      on_mismatch: report

A path is an ElementTree path from the XML's root element with the `rsm:`, `ram:`, `udt:` and
`qdt:` prefixes of CII (Factur-X, ZUGFeRD 2, XRechnung CII; for an Order-X order the same
prefixes stand for its namespaces), `[@attr='x']` predicates, an optional final `/@attr` to
read an attribute, and alternatives tried in order separated by ` | `. A bare name such as
`total` stands for that default field's path (and type).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

XmlType = Literal["text", "date", "amount", "integer"]
NAMESPACES = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
# Order-X (a Cross Industry Order) has its own document namespace and version 128 of the others
ORDER_X_NAMESPACES = {
    "rsm": "urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:128",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:128",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:128",
}
ALTERNATIVE = " | "  # "a | b": the first path that holds a value
_TRADE = "rsm:SupplyChainTradeTransaction/"
_AGREEMENT = _TRADE + "ram:ApplicableHeaderTradeAgreement/"
_SETTLEMENT = _TRADE + "ram:ApplicableHeaderTradeSettlement/"
_SUMS = _SETTLEMENT + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
CII_FIELDS: dict[str, tuple[str, XmlType]] = {
    "invoice_number": ("rsm:ExchangedDocument/ram:ID", "text"),
    "issue_date": ("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", "date"),
    "seller_name": (_AGREEMENT + "ram:SellerTradeParty/ram:Name", "text"),
    "seller_vat_id": (_AGREEMENT + "ram:SellerTradeParty/ram:SpecifiedTaxRegistration/"
                      "ram:ID[@schemeID='VA']", "text"),
    "buyer_name": (_AGREEMENT + "ram:BuyerTradeParty/ram:Name", "text"),
    "buyer_reference": (_AGREEMENT + "ram:BuyerReference", "text"),
    "order_reference": (_AGREEMENT + "ram:BuyerOrderReferencedDocument/"
                        "ram:IssuerAssignedID", "text"),
    "currency": (_SETTLEMENT + "ram:InvoiceCurrencyCode" + ALTERNATIVE + _SETTLEMENT
                 + "ram:OrderCurrencyCode", "text"),  # an invoice's, an order's
    "due_date": (_SETTLEMENT + "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/"
                 "udt:DateTimeString", "date"),
    "net_total": (_SUMS + "ram:TaxBasisTotalAmount", "amount"),
    "tax_total": (_SUMS + "ram:TaxTotalAmount", "amount"),
    "total": (_SUMS + "ram:GrandTotalAmount", "amount"),
    "amount_due": (_SUMS + "ram:DuePayableAmount", "amount"),
}
CII_LINE_PATH = _TRADE + "ram:IncludedSupplyChainTradeLineItem"
CII_COLUMNS: dict[str, tuple[str, XmlType]] = {
    "line_id": ("ram:AssociatedDocumentLineDocument/ram:LineID", "text"),
    "description": ("ram:SpecifiedTradeProduct/ram:Name", "text"),
    "quantity": ("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity" + ALTERNATIVE
                 + "ram:SpecifiedLineTradeDelivery/ram:RequestedQuantity", "integer"),
    "unit_price": ("ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
                   "ram:ChargeAmount", "amount"),
    "amount": ("ram:SpecifiedLineTradeSettlement/"
               "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", "amount"),
}


class XmlValue(BaseModel):
    """Where one value sits in the XML and what it is."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(description=(
        "ElementTree path from the root (or from a line, for columns), e.g. "
        "'rsm:ExchangedDocument/ram:ID'; end with '/@currencyID' to read an attribute."))
    type: XmlType = Field(default="text", description=(
        "text, date (CII's 20250314 or ISO -> 2025-03-14), amount ('1278.61') or integer."))


def resolve(value: object, defaults: dict[str, tuple[str, XmlType]]) -> object:
    """A bare default name ('total') or a path string as an XmlValue's fields."""
    if isinstance(value, str):
        path, kind = defaults.get(value, (value, "text"))
        return {"path": path, "type": kind}
    return value


class XmlLines(BaseModel):
    """The invoice's lines: one row per repeated element, one column per path inside it."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(default="lines", description=(
        "Output field that receives the rows (compare it with the layout's table of that "
        "name), e.g. lines."))
    path: str = Field(default=CII_LINE_PATH, description="Path of the repeated line element.")
    columns: dict[str, XmlValue] = Field(
        default_factory=lambda: {name: XmlValue(path=path, type=kind)
                                 for name, (path, kind) in CII_COLUMNS.items()},
        description=("Column -> path inside a line, or a default column's name, e.g. "
                     "{item: description, qty: quantity, total: amount}. Default: line_id, "
                     "description, quantity, unit_price, amount."))

    @field_validator("columns", mode="before")
    @classmethod
    def _names_stand_for_defaults(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {name: resolve(path, CII_COLUMNS) for name, path in value.items()}


class EInvoiceRule(BaseModel):
    """Read a layout's fields from the PDF's embedded e-invoice XML; the text rules check it."""

    model_config = ConfigDict(extra="forbid")

    fields: dict[str, XmlValue] = Field(default_factory=dict, description=(
        "Output field -> path in the XML, or the name of a default field, e.g. {amount: total}; "
        "added to the defaults (invoice_number, issue_date, due_date, seller_name, "
        "seller_vat_id, buyer_name, buyer_reference, order_reference, currency, net_total, "
        "tax_total, total, amount_due)."))
    lines: XmlLines | None = Field(default_factory=XmlLines, description=(
        "The line items as rows (default: CII lines into `lines`); null reads no lines."))
    namespaces: dict[str, str] | None = Field(default=None, description=(
        "Prefix -> namespace URI the paths use; default: by the XML's root, CII's rsm, ram, "
        "udt and qdt for an invoice, Order-X's for an order."))
    on_mismatch: Literal["review", "report"] = Field(default="review", description=(
        "When a text rule reads another value than the XML: review (EINVOICE_MISMATCH, the "
        "item waits for a person) or report (listed in `_einvoice.disagreements`, XML kept)."))

    @field_validator("fields", mode="before")
    @classmethod
    def _names_stand_for_defaults(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {name: resolve(path, CII_FIELDS) for name, path in value.items()}

    @model_validator(mode="after")
    def _paths_are_valid(self) -> EInvoiceRule:
        columns = self.lines.columns.values() if self.lines else []
        paths = [v.path for v in (*self.fields.values(), *columns)]
        for path in paths + ([self.lines.path] if self.lines else []):
            check_path(path, self.namespaces or NAMESPACES)
        return self

    def all_fields(self) -> dict[str, XmlValue]:
        """The default CII fields with the layout's own entries added (theirs win)."""
        defaults = {name: XmlValue(path=path, type=kind)
                    for name, (path, kind) in CII_FIELDS.items()}
        return defaults | self.fields


def check_path(path: str, namespaces: dict[str, str]) -> None:
    """Raise ValueError naming the path when ElementTree cannot use it (syntax, prefix)."""
    for one in path.split(ALTERNATIVE):
        element_path = one.rpartition("/@")[0] if "/@" in one else one
        try:
            ElementTree.Element("probe").find(element_path.strip() or ".", namespaces)
        except Exception as error:  # ElementPath raises SyntaxError, KeyError, even TypeError
            known = ", ".join(sorted(namespaces))
            raise ValueError(f"the XML path {path!r} is not valid ({type(error).__name__}: "
                             f"{error}); prefixes known: {known}") from None


def namespaces_for(root: ElementTree.Element, chosen: dict[str, str] | None) -> dict[str, str]:
    """The rule's namespaces, else those of the XML's kind: Order-X's for an order, CII's."""
    if chosen is not None:
        return chosen
    is_order = str(root.tag).startswith("{" + ORDER_X_NAMESPACES["rsm"] + "}")
    return ORDER_X_NAMESPACES if is_order else NAMESPACES
