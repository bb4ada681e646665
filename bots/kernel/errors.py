"""The exception hierarchy every step and the engine speak.

    BotError
      RecipeError        the recipe is wrong: reported before any item runs, all problems at once
        ConfigError      its settings, as the environment fills them in, cannot work
      TransientError     a timeout, a 5xx, a dropped session: the engine retries it
      ItemError          this item needs a person: exception queue, the run goes on
        BusinessError    the data is wrong or missing (never retried)
        ApplicationError a system failed, including retries exhausted

Steps translate library exceptions at their edge into one of these, with a short stable
code (``POLICY_NOT_FOUND``), never free text. Codes are listed in ``CODES`` so that the docs
and the exception queue can explain each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class BotError(Exception):
    """Base of every error the toolkit raises on purpose."""

    code = "BOT_ERROR"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details: dict[str, Any] = details

    @property
    def kind(self) -> str:
        """The family the error belongs to (BusinessError, ApplicationError, ...)."""
        family = next(cls for cls in type(self).__mro__ if cls.__module__ == __name__)
        return family.__name__

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the ledger and the logs."""
        return {"kind": self.kind, "code": self.code, "message": self.message,
                "details": self.details}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a recipe, located at file:line:col."""

    file: str
    line: int
    col: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.file}:{self.line}:{self.col}: {self.message}{hint}"


class RecipeError(BotError):
    """The recipe is wrong; carries every problem found, not just the first."""

    code = "RECIPE_INVALID"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class ConfigError(RecipeError):
    """The recipe's settings, as the environment fills them in, cannot work (found at start)."""

    code = "CONFIG_INVALID"


class TransientError(BotError):
    """A failure that may pass by itself: the engine retries it with backoff."""

    code = "TRANSIENT"


class ItemError(BotError):
    """This item cannot be finished by the bot: it goes to the exception queue."""

    code = "ITEM_ERROR"


class BusinessError(ItemError):
    """The data is wrong or missing; retrying would not help."""

    code = "BUSINESS_RULE"


class ApplicationError(ItemError):
    """A system failed (including retries exhausted); a person should look."""

    code = "APPLICATION_ERROR"


CODES: dict[str, str] = {
    "RECIPE_INVALID": "The recipe has problems; fix them and run `check` again.",
    "CONFIG_INVALID": "A recipe setting, as the environment fills it in, cannot work.",
    "FILE_MISSING": "The file was not found where the work item says (moved or deleted).",
    "NOT_A_PDF": "The file is not a PDF (wrong type or extension).",
    "EMPTY_FILE": "The file is empty.",
    "CORRUPT_PDF": "The PDF is damaged and cannot be read.",
    "ENCRYPTED_PDF": "The PDF is password-protected; ask the sender for an open copy.",
    "NO_TEXT_LAYER": "The PDF is a scan with no text layer and OCR is off or not installed "
                     "(`runner.py setup` installs it); key it by hand.",
    "OCR_FAILED": "The OCR engine failed or timed out on a scanned page.",
    "EINVOICE_MISMATCH": "The PDF's text disagrees with its embedded e-invoice XML.",
    "EINVOICE_INVALID": "The embedded e-invoice XML is damaged or lacks a value a rule names.",
    "UNKNOWN_LAYOUT": "No layout rule set in the recipe recognizes this document.",
    "FIELD_MISSING": "A required field was not found on the document.",
    "FIELD_INVALID": "A field was found but its value could not be normalized.",
    "FORM_FIELD_AMBIGUOUS": "A rule's form field name fits several AcroForm fields; use one "
                            "full name (runner.py pdf show lists them).",
    "FORM_CHOICE_CONFLICT": "Several checkboxes of a group that stands for one value are "
                            "ticked; check the form and key the value by hand.",
    "LOW_CONFIDENCE": "Fields were read with too little confidence to key them unchecked; a "
                      "person checks the doubtful fields (their reasons are listed).",
    "POLICY_MISSING": "The claim carries no policy number.",
    "POLICY_NOT_FOUND": "The policy number is not in the policy register.",
    "POLICY_NOT_ON_SCREEN": "The legacy inquiry screen does not know the policy.",
    "POLICY_LAPSED": "The policy was not in force on the date of loss.",
    "AMOUNT_OVER_LIMIT": "The claimed amount exceeds the policy's coverage limit.",
    "VALIDATION_REJECTED": "The legacy form rejected a value (server-side validation).",
    "SOURCE_ROW_INVALID": "Rows of the source spreadsheet could not be read as one item.",
    "ROW_NOT_FOUND": "No spreadsheet row has the key the step looked for.",
    "KEY_MISSING": "The value to look up in a spreadsheet is empty.",
    "CUSTOMER_NOT_FOUND": "The customer account is not known to the target system.",
    "ACCOUNT_ON_HOLD": "The customer's account is on hold; orders cannot be entered.",
    "PRODUCT_NOT_FOUND": "An order line names a product the target system does not have.",
    "QUANTITY_OVER_STOCK": "An order line asks for more than the stock on hand.",
    "PRICE_MISMATCH": "The system's price differs from the order's by more than the tolerance.",
    "ORDER_ALREADY_KEYED": "An order with this PO number is already in the target system.",
    "SHEET_INVALID": "The spreadsheet is missing a sheet, a header or a column.",
    "LOGIN_FAILED": "The target system refused the sign-on; check the user and password.",
    "SESSION_EXPIRED": "The legacy session expired; retried after a new login.",
    "TIMEOUT": "A page or request took longer than the step's timeout.",
    "SERVER_ERROR": "The legacy system answered with a server error (5xx).",
    "BROWSER_ERROR": "The browser or its page crashed.",
    "RETRIES_EXHAUSTED": "A transient failure persisted through every retry.",
    "POSSIBLE_DUPLICATE": "A submit may have happened and no check could tell; verify by hand.",
    "RECIPE_CHANGED": "The recipe's steps were added, removed or reordered while the item was "
                      "stopped mid-way; retry it to run it with the recipe as it is now.",
    "SCREEN_MISMATCH": "A field or button the recipe names is not on the screen (or several "
                       "match): the recipe does not match the screen; fix the recipe.",
    "CONTROL_NOT_READY": "A button or field stayed hidden, disabled or covered by another "
                         "element; the screen is not in the state the recipe expects.",
    "SEVERAL_MATCHES": "A search found several records where the recipe reads one value; "
                       "check them by hand.",
    "TOO_MANY_ROWS": "A table on the page has more rows than the step's max_rows allows.",
    "HEAL_UNPROVEN": "A control was re-found after a screen change, but what should follow "
                     "(the next page, the expected message, the check) did not: not trusted.",
    "STEP_FAILED": "A step failed in an unexpected way; see the message and evidence.",
    "DOCUMENT_TOO_LONG": "The document has far more pages than a form of its kind; wrong file?",
    "FILE_TOO_LARGE": "The input file is larger than settings.limits.max_file_mb allows.",
    "TOO_MANY_PAGES": "The document has more pages than settings.limits.max_pages allows.",
    "CONTENT_TOO_LARGE": "The document's compressed streams inflate to more than "
                         "settings.limits.max_decompressed_mb allows (a decompression bomb?).",
    "IMAGE_TOO_LARGE": "An image in the document has more pixels than "
                       "settings.limits.max_image_pixels allows.",
    "ITEM_BUSY": "Another process is working the item right now; try again when it ends.",
    "WORKER_ID_TAKEN": "Another live process already works under this BOTS_WORKER_ID.",
}
