"""A recipe's ``ocr:`` settings, apart from the OCR machinery (bots/pdf/ocr.py), so that a step
declaring them imports neither the PDF renderer nor the image library."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OcrSettings(BaseModel):
    """How pages without a text layer are read: OCR languages, resolution, time allowed.

    How sure a value must be is the step's `min_confidence`: a value read from an OCR word
    less sure than 0.9 is as sure as that word (bots/pdf/locate.py), so a misread goes to
    review as LOW_CONFIDENCE."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(default=True, description=(
        "Read pages without a text layer through OCR; false keeps NO_TEXT_LAYER for scans."))
    languages: list[str] = Field(default=["eng"], min_length=1, description=(
        "Tesseract language codes the documents are written in, e.g. [fra, deu]; setup "
        "installs eng, deu, fra, nld, spa and ita. Order matters: put first the language "
        "whose accents the values carry ([fra, deu] read 'Élodie', [deu, fra] 'Elodie'). "
        "Each extra language costs time."))
    dpi: int | None = Field(default=None, ge=100, le=600, description=(
        "Resolution pages are rendered at for OCR. Default: the scan's own, at least 200 "
        "(a 100 dpi fax is enlarged for the engine) and at most 300; 300 for a page that is "
        "drawn, not scanned. A scan rendered above its own resolution reads its specks as "
        "marks, so leave it unset unless a test says otherwise."))
    timeout_s: float = Field(default=120, gt=0, description="Longest one page's OCR may take.")
    max_pages: int = Field(default=20, ge=1, description=(
        "Most scanned pages one document may have read (each costs about 1.5 s of a core); "
        "more is TOO_MANY_PAGES, e.g. max_pages: 50 for long scanned files."))
