"""Subtotal, tax and total lines: kept apart from the rows, read as fields, checked; two pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.steps.pdf.tables_pdfs import PageLines, draw, plain, refused, run

HEADER = (700, [(40, "Description"), (340, "Qty>"), (440, "Unit price>"), (555, "Amount>")])
TOTALS = {"subtotal": ["Subtotal", "Net"], "tax": ["VAT", "Tax"],
          "total": ["Total", "Amount due"]}
ENGLISH: dict[str, Any] = {"table": {"header": {"description": "Description", "quantity": "Qty",
                                "unit_price": "Unit price", "amount": "Amount"},
                     "types": {"quantity": "int", "unit_price": "amount", "amount": "amount"},
                     "totals": TOTALS, "sum": "amount"}, "decimal": "."}


def row(y: float, text: str, qty: str, price: str, amount: str
        ) -> tuple[float, list[tuple[float, str]]]:
    """A row with figures right-aligned under the right-aligned labels."""
    return y, [(40, text), (340, qty + ">"), (440, price + ">"), (555, amount + ">")]


def english(subtotal: str = "225.50", tax: str = "45.10", total: str = "270.60") -> PageLines:
    """An invoice page whose first row's description starts with 'Total'."""
    return [HEADER, row(684, "Total station rental, 2 days", "2", "95.00", "190.00"),
            row(670, "Tripod", "1", "35.50", "35.50"), (660, [(40, "aluminium, 1.6 m")]),
            (640, [(380, "Subtotal"), (555, subtotal + ">")]),
            (626, [(380, "VAT 20%"), (555, tax + ">")]),
            (612, [(380, "Total"), (555, total + ">")]),
            (580, [(40, "Thank you for your business. Total due within 30 days.")])]


def test_totals_are_fields_of_their_own_and_never_rows(tmp_path: Path) -> None:
    output = run(draw(tmp_path, english()), {"lines": ENGLISH})
    assert plain(output) == {
        "lines": [{"description": "Total station rental, 2 days", "quantity": 2,
                   "unit_price": "95.00", "amount": "190.00"},
                  {"description": "Tripod aluminium, 1.6 m", "quantity": 1,
                   "unit_price": "35.50", "amount": "35.50"}],
        "subtotal": "225.50", "tax": "45.10", "total": "270.60"}
    assert output["_provenance"]["total"]["text"] == "Total 270.60"
    assert output["_provenance"]["tax"]["rule"] == "table total 'VAT'"
    assert [check["ok"] for check in output["_checks"]["lines"]] == [True, True]
    assert output["_checks"]["lines"][1]["check"] == "subtotal + tax add up to total"


def test_lines_that_do_not_add_up_go_to_review_with_what_was_read(tmp_path: Path) -> None:
    path = draw(tmp_path, english(subtotal="252.50", total="297.60"))
    error = refused(path, {"lines": ENGLISH})
    assert error.code == "LOW_CONFIDENCE"
    assert {problem["field"] for problem in error.details["problems"]} == {"lines", "total"}
    partial = error.details["partial"]
    assert partial["subtotal"] == "252.50" and len(partial["lines"]) == 2
    lines_check, totals_check = partial["_checks"]["lines"]
    assert (lines_check["ok"], lines_check["found"], lines_check["expected"]) == (
        False, "225.50", "252.50")
    assert totals_check["ok"]  # 252.50 + 45.10 = 297.60: only the lines are off
    output = run(path, {"lines": ENGLISH}, min_confidence=0)
    assert output["_confidence"]["lines"]["score"] < 1.0


def test_without_a_subtotal_the_lines_and_the_tax_add_up_to_the_total(tmp_path: Path) -> None:
    page = [line for line in english() if not line[1][0][1].startswith("Subtotal")]
    output = run(draw(tmp_path, page), {"lines": ENGLISH})
    assert (output["subtotal"], output["tax"], output["total"]) == (None, "45.10", "270.60")
    (lines_check,) = output["_checks"]["lines"]  # subtotal + tax = total cannot be made
    assert lines_check == {"check": "lines' amount + tax add up to total", "ok": True,
                           "expected": "270.60", "found": "270.60"}


def test_a_row_starting_with_a_stop_label_is_still_a_row(tmp_path: Path) -> None:
    rule = {**ENGLISH, "table": {**ENGLISH["table"], "stop": ["Total", "Thank you"]}}
    output = run(draw(tmp_path, english()), {"lines": rule})
    assert [line["quantity"] for line in output["lines"]] == [2, 1]
    assert output["total"] == "270.60"


GERMAN = {"table": {"header": {"description": "Bezeichnung", "quantity": "Menge",
                               "amount": "Betrag"},
                    "types": {"quantity": "int", "amount": "amount"},
                    "skip": ["Übertrag"], "sum": "amount",
                    "totals": {"subtotal": "Zwischensumme", "tax": ["MwSt", "USt"],
                               "total": ["Gesamtbetrag", "Gesamt"]}}, "decimal": ","}


def german_row(y: float, text: str, qty: str, amount: str
               ) -> tuple[float, list[tuple[float, str]]]:
    """A row: text left, quantity and amount right-aligned."""
    return y, [(40, text), (380, qty + ">"), (555, amount + ">")]


def two_pages(header_again: bool) -> tuple[PageLines, PageLines]:
    """A German invoice whose table runs onto a second page, with or without its header."""
    header = (700, [(40, "Bezeichnung"), (350, "Menge"), (520, "Betrag")])
    first: PageLines = [header, german_row(684, "Heizkörper 600x1000", "2", "318,00"),
                        german_row(670, "Thermostatkopf", "2", "33,60"),
                        (656, [(40, "Übertrag"), (555, "351,60>")]),
                        (60, [(40, "Seite 1 von 2"), (555, "Fortsetzung nächste Seite>")])]
    second: PageLines = [(780, [(40, "Rechnung 2025-0042"), (380, "Seite 2>"),
                                (555, "14.03.2025>")])]
    if header_again:
        second.append((700, header[1]))
    second += [german_row(684, "Montage je Heizkörper", "2", "190,00"),
               (670, [(40, "inkl. Entlüftung und Druckprobe")]),
               (640, [(40, "Zwischensumme"), (555, "541,60>")]),
               (626, [(40, "MwSt. 19 %"), (555, "102,90>")]),
               (612, [(40, "Gesamtbetrag EUR"), (555, "644,50>")])]
    return first, second


def test_a_table_is_read_across_pages_with_or_without_a_repeated_header(tmp_path: Path) -> None:
    for header_again in (True, False):
        output = run(draw(tmp_path, *two_pages(header_again)), {"lines": GERMAN})
        assert [line["description"] for line in output["lines"]] == [
            "Heizkörper 600x1000", "Thermostatkopf",
            "Montage je Heizkörper inkl. Entlüftung und Druckprobe"], header_again
        assert [source["page"] for source in output["_provenance"]["lines"]] == [1, 1, 2]
        assert (output["subtotal"], output["tax"], output["total"]) == (
            "541.60", "102.90", "644.50")
        assert all(check["ok"] for check in output["_checks"]["lines"])


def test_a_value_field_of_the_same_name_wins_over_the_table_total(tmp_path: Path) -> None:
    total = {"label": "Total", "region": [0.5, 0, 1, 1], "type": "amount",
             "default_currency": "GBP"}  # the right half: not the row "Total station ..."
    fields: dict[str, Any] = {"lines": ENGLISH, "total": total}
    output = run(draw(tmp_path, english()), fields)
    assert output["total"] == "270.60" and output["currency"] == "GBP"
    assert output["_provenance"]["total"]["rule"].startswith("label")


def test_a_total_read_with_a_doubt_goes_to_review(tmp_path: Path) -> None:
    page: PageLines = [(700, [(40, "Item"), (555, "Amount>")]),
                       (684, [(40, "Widget"), (555, "1,250.00>")]),
                       (660, [(380, "Total"), (555, "1,250>")])]
    rule = {"table": {"header": {"item": "Item", "amount": "Amount"},
                      "types": {"amount": "amount"}, "totals": {"total": "Total"}}}
    error = refused(draw(tmp_path, page), {"lines": rule})
    assert error.code == "LOW_CONFIDENCE"
    (problem,) = error.details["problems"]
    assert problem["field"] == "total" and "thousands separator" in problem["message"]
    assert error.details["partial"]["total"] == "1250.00"
    declared = run(draw(tmp_path, page), {"lines": {**rule, "decimal": "."}})
    assert declared["total"] == "1250.00" and "total" not in declared["_confidence"]


def test_a_headerless_table_runs_over_two_pages_to_its_totals(tmp_path: Path) -> None:
    def row(y: float, text: str, qty: str, amount: str) -> tuple[float, list[tuple[float, str]]]:
        return y, [(40, text), (345, qty + ">"), (555, amount + ">")]
    letterhead: PageLines = [(780, [(40, "Facture FA-118"), (555, "14/03/2025>")]),
                             (766, [(40, "Client 4471"), (345, "2>"), (555, "Page 2/2>")])]
    first: PageLines = [letterhead[0], row(740, "Prise double", "4", "31,60"),
                        (728, [(40, "blanc, 16 A")]), row(714, "Interrupteur", "6", "25,80"),
                        (60, [(40, "Suite page 2")])]
    second: PageLines = [*letterhead, row(740, "Gaine ICTA 20", "2", "35,80"),
                         (716, [(300, "Total HT"), (555, "93,20>")]),
                         (702, [(300, "TVA 20 %"), (555, "18,64>")]),
                         (688, [(300, "Total TTC"), (555, "111,84>")])]
    rule = {"table": {"columns": {"description": [40, 300], "quantity": [300, 360],
                                  "amount": [450, 560]},
                      "types": {"quantity": "int", "amount": "amount"}, "sum": "amount",
                      "totals": {"net": "Total HT", "vat": "TVA", "gross": "Total TTC"}},
            "decimal": ","}
    output = run(draw(tmp_path, first, second), {"lines": rule})
    assert [(line["description"], line["quantity"]) for line in output["lines"]] == [
        ("Prise double blanc, 16 A", 4), ("Interrupteur", 6), ("Gaine ICTA 20", 2)]
    assert (output["net"], output["vat"], output["gross"]) == ("93.20", "18.64", "111.84")
    assert all(check["ok"] for check in output["_checks"]["lines"])
