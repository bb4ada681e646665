"""The step ``pdf.extract_fields``: a claim PDF's fields, found by labels, with provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ModelWrapValidatorHandler, field_validator, model_validator

from bots.kernel import StepContext, StepParams, step
from bots.kernel.errors import BusinessError
from bots.pdf.confidence import check_confidence, with_low_confidence
from bots.pdf.field_outputs import extraction_outputs
from bots.pdf.limits import InputLimits, limits_for
from bots.pdf.ocr_settings import OcrSettings
from bots.pdf.rules import LayoutRules
from bots.pdf.type_names import check_names, identifier_names, resolve_types
from bots.pdf.value_types import declared_identifiers
from bots.values.identifiers import IdentifierRule

EXAMPLE = """\
- id: claim
  uses: pdf.extract_fields
  with:
    path: ${item.path}
    layouts:
      - name: acme
        when: ["ACME Mutual", "CL-100"]
        fields:
          policy_number: {label: "Policy No.:", type: policy_number,
                          missing_code: POLICY_MISSING}
          loss_date: {label: "Date of Loss:", type: date}
          amount: {label: "Amount Claimed:", type: amount}
"""


class Params(StepParams):
    """Parameters of pdf.extract_fields."""

    path: str = Field(description="The PDF to read, usually ${item.path}.")
    layouts: list[LayoutRules] = Field(min_length=1, description=(
        "Layout rule sets, tried in order: the first whose `when` texts all appear in the "
        "document extracts it. The keys are below; docs/documents.md is a guide with an "
        "example of each."))
    max_pages: int = Field(50, ge=1, description=(
        "Refuse longer documents with DOCUMENT_TOO_LONG (counted without reading a page): "
        "forms are short, and a file of thousands of pages is the wrong file."))
    limits: InputLimits | None = Field(None, description=(
        "What one document may cost (file size, pages, inflated bytes, image pixels); "
        "default: the recipe's settings.limits. Above a limit the item is an exception with "
        "FILE_TOO_LARGE, TOO_MANY_PAGES, CONTENT_TOO_LARGE or IMAGE_TOO_LARGE."))
    min_confidence: float = Field(0.8, ge=0, le=1, description=(
        "A field read with less confidence than this (see `_confidence` in the output: a "
        "fuzzy label, a value far from its label, a cut or wrapped value, a type's doubt) "
        "sends the item to review as LOW_CONFIDENCE, naming the doubtful fields, never keyed; "
        "0 turns the check off, e.g. min_confidence: 0.9."))
    ocr: OcrSettings | None = Field(default=None, description=(
        "Read pages without a text layer (scans) through OCR (Tesseract, installed by "
        "`runner.py setup`), e.g. `ocr: {languages: [eng, deu]}`; `ocr: {}` reads English. "
        "A value read from an unsure OCR word is as sure as that word, so a misread goes to "
        "review (min_confidence). Without `ocr:` a scan is NO_TEXT_LAYER. About 1.5 s a page."))
    identifiers: dict[str, IdentifierRule] = Field(default_factory=dict, description=(
        "Identifier types the layouts' rules may name in `type`: name -> {pattern, format, "
        "remove_spaces, ignore_case, upper, check, example}, e.g. {vat_id: {pattern: "
        "'([A-Z]{2})\\s*(\\d[\\d ]{7,12})', format: '{1}{2}', remove_spaces: true}}. "
        "policy_number (POL- and six digits) is predefined and may be redefined here."))

    @field_validator("identifiers")
    @classmethod
    def _identifier_names(cls, value: dict[str, IdentifierRule]) -> dict[str, IdentifierRule]:
        return check_names(value)

    @model_validator(mode="wrap")
    @classmethod
    def _types_checked_where_written(cls, data: Any,
                                     handler: ModelWrapValidatorHandler[Params]) -> Params:
        with declared_identifiers(identifier_names(data)):  # each rule checks its `type`
            return handler(data)

    @model_validator(mode="after")
    def _types_resolve(self) -> Params:
        resolve_types(self.layouts, self.identifiers)  # a misspelt type is a recipe error
        return self


@step("pdf.extract_fields", Params, example=EXAMPLE, outputs=extraction_outputs)
def extract_fields(params: Params, ctx: StepContext) -> dict[str, Any]:
    """Extract a PDF's fields by labels and regions (or form fields), with provenance.

    Returns the normalized values, ``_layout`` (the rule set used) and ``_provenance``
    (field -> page, box, text line, rule); a `table` field is a list of row dicts and its
    provenance a list of {page, box, text, rule}, one per row. A layout with `einvoice:` on a
    PDF carrying e-invoice XML adds ``_einvoice`` (the attachment, its profile, the fields it
    gave, disagreements with the text rules). Raises BusinessError with
    EMPTY_FILE, FILE_TOO_LARGE, TOO_MANY_PAGES, CONTENT_TOO_LARGE, IMAGE_TOO_LARGE, NOT_A_PDF,
    ENCRYPTED_PDF, CORRUPT_PDF, DOCUMENT_TOO_LONG, NO_TEXT_LAYER, UNKNOWN_LAYOUT,
    FIELD_MISSING (or the rule's missing_code), FIELD_INVALID, LOW_CONFIDENCE,
    EINVOICE_MISMATCH or EINVOICE_INVALID (ApplicationError OCR_FAILED when the OCR engine
    fails); when several fields fail, one error carries them all (details ``problems``) and
    what was read (details ``partial``).
    """
    # the readers (pypdf, pypdfium2, PIL) on first use: listing or checking steps needs none
    from bots.pdf.document import load_document
    from bots.pdf.einvoice_merge import extract_document
    from bots.pdf.table_fields import extract_with_tables

    limits = limits_for(params.limits, ctx)
    document = load_document(Path(params.path), params.max_pages, limits, ocr=params.ocr)
    try:
        result = extract_document(document, params.layouts, extract_with_tables)
    except BusinessError as error:  # what was read may be doubtful too: all problems at once
        raise with_low_confidence(error, params.min_confidence) from None
    return check_confidence(document.path, result, params.min_confidence)
