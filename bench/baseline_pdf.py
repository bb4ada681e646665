"""The baseline's PDF and spreadsheet work, hand-written per layout with pdfplumber/pypdf/openpyxl.

This is what a person would write without the toolkit: no rule language, no provenance, one
small parser per insurer's form. It must produce the same values as ``pdf.extract_fields``
and ``sheet.lookup_row`` on the fixture claims, so that both sides key the same claims.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pypdf
from openpyxl.utils.datetime import from_excel

LOSS_TYPES = {
    "water damage": "WTR", "escape of water": "WTR", "burst pipe": "WTR", "fire": "FIR",
    "theft": "THF", "burglary": "THF", "storm": "STM", "storm damage": "STM",
    "storm / hail": "STM", "hail": "STM", "collision": "COL", "vehicle collision": "COL",
    "glass breakage": "GLS", "windscreen": "GLS", "other": "OTH", "lost luggage": "OTH",
}
NORTHWIND_DATES = ("%B %d, %Y", "%m/%d/%Y")
DESCRIPTION_LINES = 2


class ClaimRejected(Exception):
    """An item the baseline cannot key; ``code`` says why (like the toolkit's exception codes)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def extract_claim(path: Path) -> dict[str, str]:
    """The claim's fields from one PDF, or ClaimRejected for a file that is not a usable claim."""
    if path.stat().st_size == 0:
        raise ClaimRejected("EMPTY_FILE")
    if not path.read_bytes().startswith(b"%PDF-"):
        raise ClaimRejected("NOT_A_PDF")
    try:
        with pdfplumber.open(path) as pdf:
            return _extract_open(path, pdf)
    except ClaimRejected:
        raise
    except Exception as error:  # pdfminer and pypdf raise many types for a broken file
        raise ClaimRejected(_open_failure_code(error)) from error


def _open_failure_code(error: Exception) -> str:
    return "ENCRYPTED_PDF" if "password" in repr(error).lower() else "CORRUPT_PDF"


def _extract_open(path: Path, pdf: Any) -> dict[str, str]:
    text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    if "ACME Mutual" in text and "CL-100" in text:
        return _acme(text)
    if "Northwind Assurance" in text and "NW-7" in text:
        return _northwind(pdf)
    if "Harbor Insurance" in text and "HI-CLAIM-3" in text:
        return _harbor(path)
    raise ClaimRejected("UNKNOWN_LAYOUT" if text.strip() else "NO_TEXT_LAYER")


def _acme(text: str) -> dict[str, str]:
    """ACME CL-100: one 'Label: value' per line, dates day first, amounts '1.250,00'."""
    values = dict(re.findall(r"^([A-Za-z. ]+):[ \t]*(.*)$", text, flags=re.MULTILINE))
    amount = values["Amount Claimed"].replace("EUR", "").replace(".", "").replace(",", ".")
    return _claim(values["Policy No."], values["Claimant"],
                  datetime.strptime(values["Date of Loss"], "%d.%m.%Y").date(),
                  values["Type of Loss"], amount, values["Description"])


def _northwind(pdf: Any) -> dict[str, str]:
    """Northwind NW-7: a grid with each value under its label; itemized claims total at the end."""
    lines = _word_lines(pdf.pages[0])
    policy, name = _grid_pair(lines, "Policy Number", "Insured Name")
    loss_date, _ = _grid_pair(lines, "Date of Incident", "Date Reported")
    nature, amount = _grid_pair(lines, "Nature of Loss", "Amount Claimed")
    if not re.search(r"\d", amount):  # "See itemized list": the total ends the last page
        total = re.search(r"^Total claimed\s+(.*)$", pdf.pages[-1].extract_text() or "",
                          flags=re.MULTILINE)
        amount = total.group(1) if total else ""
    return _claim(policy, name, _northwind_date(loss_date), nature,
                  amount.replace("€", "").replace(",", ""), _description(lines))


def _word_lines(page: Any) -> list[list[dict[str, Any]]]:
    """The page's words grouped into lines (same top), top to bottom."""
    lines: dict[int, list[dict[str, Any]]] = {}
    for word in page.extract_words():
        lines.setdefault(round(word["top"]), []).append(word)
    return [sorted(words, key=lambda w: w["x0"]) for _, words in sorted(lines.items())]


def _line_text(words: list[dict[str, Any]]) -> str:
    return " ".join(word["text"] for word in words)


def _grid_pair(lines: list[list[dict[str, Any]]], left: str, right: str) -> tuple[str, str]:
    """The values under two labels that share a line, split where the right label starts."""
    for number, words in enumerate(lines):
        if _line_text(words) == f"{left} {right}" and number + 1 < len(lines):
            split_x = words[len(left.split())]["x0"] - 1
            below = lines[number + 1]
            return (_line_text([w for w in below if w["x0"] < split_x]),
                    _line_text([w for w in below if w["x0"] >= split_x]))
    return "", ""


def _description(lines: list[list[dict[str, Any]]]) -> str:
    texts = [_line_text(words) for words in lines]
    start = texts.index("Description of Incident") + 1
    taken = [t for t in texts[start:start + DESCRIPTION_LINES] if not t.startswith("Item Qty")]
    return " ".join(taken[:1] if len(taken) < DESCRIPTION_LINES else taken)


def _northwind_date(text: str) -> date:
    for pattern in NORTHWIND_DATES:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ClaimRejected("FIELD_INVALID")


def _harbor(path: Path) -> dict[str, str]:
    """Harbor HI-CLAIM-3: a fillable AcroForm, values in named fields."""
    fields = pypdf.PdfReader(path).get_fields() or {}
    value = {name: str(field.get("/V") or "") for name, field in fields.items()}
    return _claim(value["policy_no"], value["insured_name"],
                  date.fromisoformat(value["loss_date"]), value["loss_cause"],
                  value["claim_amount"], value["loss_details"])


def _claim(policy: str, name: str, loss_date: date, loss_type: str, amount: str,
           description: str) -> dict[str, str]:
    """The normalized claim; ClaimRejected when the policy number is missing."""
    policy = policy.strip().upper()
    if not policy:
        raise ClaimRejected("POLICY_MISSING")
    code = LOSS_TYPES.get(loss_type.strip().lower())
    if code is None:
        raise ClaimRejected("FIELD_INVALID")
    if not re.fullmatch(r"\d+(\.\d+)?", amount.strip()):
        raise ClaimRejected("FIELD_INVALID")
    return {"policy_number": policy, "claimant_name": " ".join(name.split()),
            "loss_date": loss_date.isoformat(), "loss_type": code,
            "amount": f"{Decimal(amount.strip()):.2f}", "currency": "EUR",
            "description": " ".join(description.split())}


def load_policies(path: Path) -> dict[str, dict[str, Any]]:
    """The policy register: policy number -> inception, expiry and sum insured."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(workbook["Register"].iter_rows(values_only=True))
    finally:
        workbook.close()
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Policy No.")
    columns = list(rows[header])
    register = {}
    for row in rows[header + 1:]:
        if row and row[0]:
            record = dict(zip(columns, row, strict=False))
            register[str(row[0]).strip().upper()] = {
                "effective": _sheet_date(record["Inception"]),
                "expiry": _sheet_date(record["Expiry"]),
                "limit": Decimal(str(record["Sum Insured"]))}
    return register


def _sheet_date(value: Any) -> date:
    """A register date: a datetime, or an Excel serial number typed in by hand."""
    if isinstance(value, (int, float)):
        value = from_excel(value)
    return value.date() if isinstance(value, datetime) else value


def check_policy(claim: dict[str, str], register: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The claim's policy from the register; ClaimRejected when it is not there."""
    policy = register.get(claim["policy_number"])
    if policy is None:
        raise ClaimRejected("POLICY_NOT_FOUND")
    return policy


def check_rules(claim: dict[str, str], policy: dict[str, Any]) -> None:
    """The business rules: the loss within the policy's cover, the amount within its limit."""
    if not policy["effective"] <= date.fromisoformat(claim["loss_date"]) <= policy["expiry"]:
        raise ClaimRejected("POLICY_LAPSED")
    if Decimal(claim["amount"]) > policy["limit"]:
        raise ClaimRejected("AMOUNT_OVER_LIMIT")
