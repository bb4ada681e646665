"""One rule, many printings: label alignments, font sizes, separators, wraps and totals vary
(and, without a header, letterheads, page breaks and figures on a row's last line), and every
cell and total still reads right (a fixed seed per case, so a failure repeats)."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.steps.pdf.tables_pdfs import PageLines, TextLine, draw, run

WORDS = ["Copper", "pipe", "elbow", "valve", "brass", "15 mm", "galvanised", "bracket",
         "thermostatic", "head", "DN20", "press", "fitting", "seal", "kit"]
LABELS = {"en": ("Description", "Qty", "Unit price", "Amount", "Subtotal", "VAT", "Total"),
          "de": ("Bezeichnung", "Menge", "Einzelpreis", "Betrag", "Zwischensumme", "MwSt.",
                 "Gesamtbetrag")}
COLUMNS = (40, 330, 420, 540)  # where each column starts; figures end 8 pt before the next


def money(value: Decimal, language: str) -> str:
    """An amount as the language prints it: 1,234.50 or 1.234,50."""
    text = f"{value:,.2f}"
    return text if language == "en" else text.translate(str.maketrans(",.", ".,"))


def placed(x0: float, x1: float, text: str, align: str) -> tuple[float, str]:
    """A label placed left, right or centred in the span [x0, x1] (approximate width)."""
    width = len(text) * 4.6
    if align == "right":
        return x1, text + ">"
    return (x0 + (x1 - x0 - width) / 2 if align == "centre" else x0), text


def invoice(seed: int) -> tuple[list[PageLines], dict[str, Any], dict[str, Any]]:
    """Pages, the rule and the expected output for one seeded variant."""
    rng = random.Random(seed)
    language, align = rng.choice(["en", "de"]), rng.choice(["left", "right", "centre"])
    labels, size = LABELS[language], rng.choice([8, 9, 10])
    step = size * 1.6
    edges = [*COLUMNS, 600]
    text_align = rng.choice(["left", "centre"])  # the description's label
    header: TextLine = (700, [placed(edges[i], edges[i + 1] - 8, labels[i],
                                     text_align if i == 0 else align) for i in range(4)])
    y, lines, expected = 700 - 1.8 * step, [header], []
    net = Decimal(0)
    for _ in range(rng.randint(3, 6)):
        words = rng.sample(WORDS, rng.randint(2, 6))
        qty, price = rng.randint(1, 1500), Decimal(rng.randint(5, 9999)) / 100
        first, rest = " ".join(words[:3]), " ".join(words[3:])
        lines.append((y, [(40, first), (edges[2] - 8, f"{qty:,}".replace(",", "." if language
                                                                            == "de" else ",")
                                       + ">"),
                          (edges[3] - 8, money(price, language) + ">"),
                          (592, money(qty * price, language) + ">")]))
        y -= step
        if rest:
            lines.append((y, [(40, rest)]))
            y -= step
        expected.append({"description": " ".join(words), "quantity": qty,
                         "unit_price": f"{price:.2f}", "amount": f"{qty * price:.2f}"})
        net += qty * price
    tax = (net * Decimal("0.19")).quantize(Decimal("0.01"))
    for label, value in zip(labels[4:], (net, tax, net + tax), strict=True):
        y -= step
        lines.append((y, [(edges[2], label), (592, money(value, language) + ">")]))
    rule = {"table": {"header": {"description": labels[0], "quantity": labels[1],
                                 "unit_price": labels[2], "amount": labels[3]},
                      "types": {"quantity": "int", "unit_price": "amount", "amount": "amount"},
                      "totals": {"subtotal": labels[4], "tax": labels[5], "total": labels[6]},
                      "sum": "amount"},
            "decimal": "." if language == "en" else ",", "thousands": "," if language == "en"
            else "."}
    totals = {"subtotal": f"{net:.2f}", "tax": f"{tax:.2f}", "total": f"{net + tax:.2f}"}
    return [lines], rule, {"lines": expected, **totals, "size": size}


@pytest.mark.parametrize("seed", range(24))
def test_every_variant_reads_every_cell(tmp_path: Path, seed: int) -> None:
    pages, rule, expected = invoice(seed)
    output = run(draw(tmp_path, *pages, size=expected.pop("size")), {"lines": rule})
    assert {key: output[key] for key in expected} == expected
    assert all(check["ok"] for check in output["_checks"]["lines"])


LETTERHEAD: list[TextLine] = [(780, [(40, "ACME Trading Ltd"), (555, "Invoice 2025-1>")]),
                              (766, [(40, "Customer 4471"), (345, "7>"), (555, "Page 1>")])]
POSITIONS = {"table": {"columns": {"description": [40, 300], "quantity": [300, 360],
                                   "unit_price": [360, 460], "amount": [460, 560]},
                       "key": "description",
                       "types": {"quantity": "int", "unit_price": "amount", "amount": "amount"},
                       "totals": {"subtotal": "Subtotal", "tax": "VAT", "total": "Total"},
                       "sum": "amount"}}


def headerless(seed: int) -> tuple[list[PageLines], dict[str, Any]]:
    """A headerless invoice over one or two pages, figures on a row's first or last line."""
    rng = random.Random(seed)
    language, on_last = rng.choice(["en", "de"]), rng.random() < 0.5
    size = rng.choice([8, 9, 10])
    step, gap = size * 1.5, size * rng.choice([1.8, 2.2, 2.8])
    pages: list[PageLines] = []
    lines, rows, y, net = list(LETTERHEAD), [], 700.0, Decimal(0)
    for number in range(rng.randint(4, 14)):
        words = rng.sample(WORDS, rng.randint(1, 6))
        qty, price = rng.randint(1, 150), Decimal(rng.randint(5, 99999)) / 100
        figures = [(345, f"{qty}>"), (450, money(price, language) + ">"),
                   (555, money(qty * price, language) + ">")]
        first, rest = " ".join(words[:3]), " ".join(words[3:])
        if rest and on_last:
            lines += [(y, [(40, first)]), (y - step, [(40, rest), *figures])]
        else:
            lines += [(y, [(40, first), *figures])] + ([(y - step, [(40, rest)])] if rest else [])
        y -= (step if rest else 0) + gap
        rows.append({"description": " ".join(words), "quantity": qty,
                     "unit_price": f"{price:.2f}", "amount": f"{qty * price:.2f}"})
        net += qty * price
        if y < 150 and number < 13:  # the rest on a second page below the same letterhead
            pages.append([*lines, (60, [(40, "Continued overleaf")])])
            lines, y = list(LETTERHEAD), 700.0
    tax = (net * Decimal("0.2")).quantize(Decimal("0.01"))
    for label, value in (("Subtotal", net), ("VAT 20%", tax), ("Total", net + tax)):
        y -= step
        lines.append((y, [(380, label), (555, money(value, language) + ">")]))
    pages.append(lines)
    rule = {**POSITIONS, "decimal": "." if language == "en" else ",",
            "thousands": "," if language == "en" else ".", "_size": size}
    return pages, {"lines": rows, "total": f"{net + tax:.2f}", "rule": rule}


@pytest.mark.parametrize("seed", range(16))
def test_every_headerless_variant_reads_every_row(tmp_path: Path, seed: int) -> None:
    pages, expected = headerless(seed)
    rule = expected.pop("rule")
    output = run(draw(tmp_path, *pages, size=rule.pop("_size")), {"lines": rule})
    assert {key: output[key] for key in expected} == expected


CROWDED = ["Pos.", "Art.-Nr.", "Description", "Qty", "Unit", "Price", "Cur.", "Amount"]
CROWDED_EDGES = [30, 60, 140, 300, 345, 380, 450, 480, 565]


def crowded(seed: int) -> tuple[PageLines, list[dict[str, Any]], dict[str, Any]]:
    """Columns the rule does not name (position, unit, currency) set 4 pt from named ones."""
    rng = random.Random(seed)
    language, align = rng.choice(["en", "de"]), rng.choice(["left", "right", "centre"])
    size = rng.choice([8, 9, 10])
    step, gap = size * 1.5, size * rng.choice([1.6, 2.2])
    header: TextLine = (720, [placed(CROWDED_EDGES[i], CROWDED_EDGES[i + 1] - 4, CROWDED[i],
                                     "left" if i in (0, 1, 2, 4, 6) else align)
                              for i in range(8)])
    lines, rows, y = [header], [], 700.0
    for number in range(rng.randint(3, 10)):
        words = rng.sample(WORDS, rng.randint(1, 5))
        qty, price = rng.randint(1, 150), Decimal(rng.randint(5, 9999)) / 100
        code = rng.choice(["A1", "K-1001", "VALVE-22-BR", "7"])
        lines.append((y, [(30, f"{number + 1}"), (60, code), (140, " ".join(words[:3])),
                          (341, f"{qty}>"), (345, rng.choice(["Stk", "pcs", "m", "kg"])),
                          (446, money(price, language) + ">"), (450, "EUR"),
                          (561, money(qty * price, language) + ">")]))
        if len(words) > 3:
            y -= step
            lines.append((y, [(140, " ".join(words[3:]))]))
        y -= gap
        rows.append({"code": code, "description": " ".join(words), "quantity": qty,
                     "unit_price": f"{price:.2f}", "amount": f"{qty * price:.2f}"})
    rule = {"table": {"header": {"code": "Art.-Nr.", "description": "Description",
                                 "quantity": "Qty", "unit_price": "Price", "amount": "Amount"},
                      "types": {"quantity": "int", "unit_price": "amount", "amount": "amount"}},
            "decimal": "." if language == "en" else ",",
            "thousands": "," if language == "en" else ".", "_size": size}
    return lines, rows, rule


@pytest.mark.parametrize("seed", range(16))
def test_unnamed_columns_set_close_keep_to_themselves(tmp_path: Path, seed: int) -> None:
    lines, rows, rule = crowded(seed)
    output = run(draw(tmp_path, lines, size=rule.pop("_size")), {"lines": rule})
    assert output["lines"] == rows


def german_totals(seed: int) -> tuple[PageLines, dict[str, Any]]:
    """A German invoice: a discount line, totals labelled in or beside the description
    column ('MwSt. 19 % auf 1.000,00', 'Gesamtbetrag EUR'), a footer naming the total."""
    rng = random.Random(seed)
    step = rng.choice([8, 9, 10]) * 1.5
    lines: PageLines = [(720, [(40, "Bezeichnung"), (380, "Menge>"), (555, "Betrag>")])]
    rows, y, net = [], 700.0, Decimal(0)
    for _ in range(rng.randint(2, 8)):
        words, qty = " ".join(rng.sample(WORDS, rng.randint(1, 4))), rng.randint(1, 20)
        amount = Decimal(rng.randint(100, 999999)) / 100
        lines.append((y, [(40, words), (380, f"{qty}>"), (555, money(amount, "de") + ">")]))
        rows.append({"description": words, "quantity": qty, "amount": f"{amount:.2f}"})
        net, y = net + amount, y - step * rng.choice([1.2, 1.6])
    discount = (net * Decimal("0.03")).quantize(Decimal("0.01"))
    lines.append((y, [(40, "Rabatt 3 %"), (555, "-" + money(discount, "de") + ">")]))
    rows.append({"description": "Rabatt 3 %", "quantity": None, "amount": f"{-discount:.2f}"})
    net -= discount
    tax, x = (net * Decimal("0.19")).quantize(Decimal("0.01")), rng.choice([40, 300])
    lines += [(y - 2 * step, [(x, "Nettobetrag"), (555, money(net, "de") + ">")]),
              (y - 3 * step, [(x, f"MwSt. 19 % auf {money(net, 'de')}"),
                              (555, money(tax, "de") + ">")]),
              (y - 4 * step, [(x, "Gesamtbetrag EUR"), (555, money(net + tax, "de") + ">")]),
              (y - 80, [(40, "Zahlbar ohne Abzug. Gesamtbetrag siehe oben.")])]
    totals = {"net": f"{net:.2f}", "tax": f"{tax:.2f}", "total": f"{net + tax:.2f}"}
    return lines, {"lines": rows, **totals}


@pytest.mark.parametrize("seed", range(8))
def test_german_totals_and_a_discount_line(tmp_path: Path, seed: int) -> None:
    lines, expected = german_totals(seed)
    rule = {"table": {"header": {"description": "Bezeichnung", "quantity": "Menge",
                                 "amount": "Betrag"},
                      "types": {"quantity": "int", "amount": "amount"},
                      "optional": ["quantity"], "key": "description", "sum": "amount",
                      "totals": {"net": "Nettobetrag", "tax": "MwSt", "total": "Gesamtbetrag"}},
            "decimal": ",", "thousands": "."}
    output = run(draw(tmp_path, lines), {"lines": rule})
    assert {key: output[key] for key in expected} == expected
    assert all(check["ok"] for check in output["_checks"]["lines"])
