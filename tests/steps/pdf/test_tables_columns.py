"""Table columns as real invoices print them: right-aligned amounts, no header, tight cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.steps.pdf.tables_pdfs import PageLines, draw, run

# A German supplier's invoice: labels left-aligned, figures right-aligned to the column's end,
# so no amount sits under its own label (the nearest label is the NEXT column's).
GERMAN_HEADER = (700, [(40, "Pos"), (70, "Beschreibung"), (300, "Menge"),
                       (360, "Einzelpreis"), (470, "Betrag")])
GERMAN = {"table": {"header": {"description": "Beschreibung", "quantity": "Menge",
                               "unit_price": "Einzelpreis", "amount": "Betrag"},
                    "types": {"quantity": "int", "unit_price": "amount", "amount": "amount"},
                    "optional": ["quantity", "unit_price"], "key": "description"},
          "decimal": ","}


def german_row(y: float, pos: str, text: str, qty: str, price: str, amount: str
               ) -> tuple[float, list[tuple[float, str]]]:
    """A row whose figures end at each column's right edge."""
    cells = [(40, pos), (70, text), (350, qty + ">"), (450, price + ">"), (555, amount + ">")]
    return y, [(x, value) for x, value in cells if value.rstrip(">")]


def test_right_aligned_figures_land_under_their_left_aligned_labels(tmp_path: Path) -> None:
    page: PageLines = [GERMAN_HEADER,
                       german_row(684, "1", "Kupferrohr 15 mm", "3", "12,50", "37,50"),
                       german_row(670, "2", "Pressfitting Bogen 90", "1.500", "1,35", "2.025,00"),
                       (660, [(70, "verzinkt, DIN 2440")]),
                       german_row(646, "3", "Montage pauschal", "", "", "180,00")]
    output = run(draw(tmp_path, page), {"lines": GERMAN})
    assert output["lines"] == [
        {"description": "Kupferrohr 15 mm", "quantity": 3, "unit_price": "12.50",
         "amount": "37.50"},
        {"description": "Pressfitting Bogen 90 verzinkt, DIN 2440", "quantity": 1500,
         "unit_price": "1.35", "amount": "2025.00"},
        {"description": "Montage pauschal", "quantity": None, "unit_price": None,
         "amount": "180.00"}]
    second = output["_provenance"]["lines"][1]
    assert second["text"].splitlines() == ["2 Pressfitting Bogen 90 1.500 1,35 2.025,00",
                                           "verzinkt, DIN 2440"]


FRENCH: dict[str, Any] = {"table": {"columns": {"description": [40, 290], "quantity": [290, 350],
                                "unit_price": [350, 450], "amount": [450, 560]},
                    "types": {"quantity": "int", "unit_price": "amount", "amount": "amount"}},
          "decimal": ","}


def french_row(y: float, text: str, qty: str, price: str, amount: str
               ) -> tuple[float, list[tuple[float, str]]]:
    """A headerless row: text at 40, figures right-aligned at 345, 445 and 555."""
    return y, [(40, text), (345, qty + ">"), (445, price + ">"), (555, amount + ">")]


def test_a_table_without_header_is_read_by_position_below_the_letterhead(tmp_path: Path) -> None:
    page: PageLines = [
        (780, [(40, "Facture n° F-2025-118"), (555, "Page 1>")]),
        (766, [(40, "Client : Dupont SA"), (300, "Réf. 4471"), (555, "14/03/2025>")]),
        (740, [(25, "•")] + french_row(740, "Câble H07V-U 2,5 mm²", "4", "18,90", "75,60")[1]),
        (728, [(40, "rouleau de 100 m")]),
        french_row(714, "Disjoncteur 16 A", "12", "7,45", "89,40"),
        (600, [(40, "Conditions : paiement à 30 jours"), (555, "2>")])]
    output = run(draw(tmp_path, page), {"lines": FRENCH})
    assert output["lines"] == [
        {"description": "Câble H07V-U 2,5 mm² rouleau de 100 m", "quantity": 4,
         "unit_price": "18.90", "amount": "75.60"},
        {"description": "Disjoncteur 16 A", "quantity": 12, "unit_price": "7.45",
         "amount": "89.40"}]
    assert output["_provenance"]["lines"][0]["rule"].startswith("table with columns description")


def test_start_names_the_line_above_a_headerless_table(tmp_path: Path) -> None:
    page: PageLines = [
        (760, [(40, "Sample order"), (345, "1>"), (445, "1,00>"), (555, "1,00>")]),
        (740, [(40, "Ihre Bestellung:")]),
        french_row(724, "Schraube M6", "100", "0,12", "12,00")]
    rule: dict[str, Any] = {**FRENCH, "table": {**FRENCH["table"], "start": "Ihre Bestellung"}}
    output = run(draw(tmp_path, page), {"lines": rule})
    assert [line["description"] for line in output["lines"]] == ["Schraube M6"]


def test_cells_too_tight_to_part_by_gap_part_by_their_labels(tmp_path: Path) -> None:
    header = (700, [(70, "Artikel"), (300, "Menge"), (333, "Einheit"), (420, "Preis")])
    page: PageLines = [header,
                       (684, [(70, "Dübel 8 mm"), (320, "2"), (330, "Pck"), (440, "4,20>")]),
                       (670, [(70, "Haken"), (315, "10"), (330, "Stk"), (440, "0,80>")])]
    rule = {"table": {"header": {"item": "Artikel", "quantity": "Menge", "unit": "Einheit",
                                 "price": "Preis"},
                      "types": {"quantity": "int", "price": "amount"}}, "decimal": ","}
    assert run(draw(tmp_path, page), {"lines": rule})["lines"] == [
        {"item": "Dübel 8 mm", "quantity": 2, "unit": "Pck", "price": "4.20"},
        {"item": "Haken", "quantity": 10, "unit": "Stk", "price": "0.80"}]


def test_a_description_line_goes_to_the_row_it_sits_closer_to(tmp_path: Path) -> None:
    # Figures printed on a row's LAST line: the line above them leads the row below it,
    # unless it sits closer to the row above (a wrap); equally far is a wrap of the row above.
    page: PageLines = [GERMAN_HEADER,
                       german_row(684, "1", "Kupferrohr 15 mm", "3", "12,50", "37,50"),
                       (664, [(70, "Heizkörper Typ 22,")]),
                       german_row(654, "2", "600 x 1000 mm", "1", "318,00", "318,00"),
                       (644, [(70, "mit Ventileinsatz")]),
                       (634, [(70, "und Blindstopfen")]),
                       german_row(614, "3", "Montage", "", "", "95,00")]
    lines = run(draw(tmp_path, page), {"lines": GERMAN})["lines"]
    assert [line["description"] for line in lines] == [
        "Kupferrohr 15 mm", "Heizkörper Typ 22, 600 x 1000 mm mit Ventileinsatz und Blindstopfen",
        "Montage"]
    assert [line["amount"] for line in lines] == ["37.50", "318.00", "95.00"]


def test_a_header_printed_on_two_lines_is_read_down_its_cells(tmp_path: Path) -> None:
    page: PageLines = [(712, [(70, "Article"), (300, "Qty"), (372, "Unit"), (470, "Line")]),
                       (702, [(370, "price"), (470, "total")]),
                       (686, [(70, "Hinge, brass"), (320, "6>"), (400, "3.10>"),
                              (500, "18.60>")])]
    rule = {"table": {"header": {"item": "Article", "quantity": "Qty",
                                 "unit_price": "Unit price", "amount": "Line total"},
                      "types": {"quantity": "int", "unit_price": "amount",
                                "amount": "amount"}}, "decimal": "."}
    assert run(draw(tmp_path, page), {"lines": rule})["lines"] == [
        {"item": "Hinge, brass", "quantity": 6, "unit_price": "3.10", "amount": "18.60"}]


def test_page_and_region_hints_choose_among_tables_alike(tmp_path: Path) -> None:
    # An order confirmation quoted at the top of page 1, the invoice lines below it and a
    # delivery note's table on page 2: all three under the same header.
    def table_at(y: float, amount: str) -> PageLines:
        return [(y, GERMAN_HEADER[1]), german_row(y - 16, "1", "Rohr", "1", amount, amount)]
    path = draw(tmp_path, table_at(760, "1,00") + table_at(400, "2,00"), table_at(700, "3,00"))
    def amounts(**hints: Any) -> list[str]:
        return [line["amount"] for line in run(path, {"lines": {**GERMAN, **hints}})["lines"]]
    assert amounts() == ["1.00", "3.00"]  # one table per page, as before
    assert amounts(region=[0, 0.4, 1, 1]) == ["2.00"]  # page 2's table is in its top part
    assert amounts(page=-1) == ["3.00"]
    assert amounts(page=1) == ["1.00"]


def test_a_row_printed_on_two_lines_with_its_figures_on_the_second(tmp_path: Path) -> None:
    # and labels printed with a full stop or a colon match the rule's labels without them
    header = (700, [(40, "Art.-Nr."), (110, "Bezeichnung"), (350, "Menge."), (470, "Betrag:")])
    page: PageLines = [header,
                       (684, [(40, "K-1001"), (110, "Kupferrohr")]),
                       (675, [(110, "15 mm, 5 m"), (380, "3>"), (555, "37,50>")]),
                       (656, [(40, "K-2040"), (110, "Bogen 90")]),
                       (647, [(110, "verpresst"), (380, "10>"), (555, "13,50>")])]
    rule = {"table": {"header": {"code": "Art.-Nr.", "description": "Bezeichnung",
                                 "quantity": "Menge", "amount": "Betrag"},
                      "types": {"quantity": "int", "amount": "amount"}}, "decimal": ","}
    assert run(draw(tmp_path, page), {"lines": rule})["lines"] == [
        {"code": "K-1001", "description": "Kupferrohr 15 mm, 5 m", "quantity": 3,
         "amount": "37.50"},
        {"code": "K-2040", "description": "Bogen 90 verpresst", "quantity": 10,
         "amount": "13.50"}]


def test_a_description_running_past_its_column_stays_one_text(tmp_path: Path) -> None:
    long_text = "Câble souple H07V-K 1,5 mm² bleu, couronne de 100 m, norme NF"
    page: PageLines = [french_row(740, "Disjoncteur 16 A", "12", "7,45", "89,40"),
                       (724, [(40, long_text), (555, "39,90>")])]
    rule: dict[str, Any] = {**FRENCH, "table": {**FRENCH["table"],
                                                "optional": ["quantity", "unit_price"]}}
    lines = run(draw(tmp_path, page), {"lines": rule})["lines"]
    assert lines[1] == {"description": long_text, "quantity": None, "unit_price": None,
                        "amount": "39.90"}


def test_a_short_cell_aligned_with_others_under_a_centred_label_is_that_column(
        tmp_path: Path) -> None:
    # Labels centred over their columns: the code 'A1' sits under no label and, by reach,
    # left of 'Item'; the longer codes it is aligned with sit under 'Item'.
    header = (700, [(40, "Pos"), (95, "Item"), (200, "Description"), (380, "Amount")])
    page: PageLines = [header,
                       (684, [(40, "1"), (70, "VALVE-22-BRASS"), (200, "Valve"),
                              (420, "12.00>")]),
                       (670, [(40, "2"), (70, "A1"), (200, "Adapter"), (420, "3.50>")])]
    rule = {"table": {"header": {"item": "Item", "description": "Description",
                                 "amount": "Amount"}, "types": {"amount": "amount"}},
            "decimal": "."}
    assert [line["item"] for line in run(draw(tmp_path, page), {"lines": rule})["lines"]] == [
        "VALVE-22-BRASS", "A1"]
