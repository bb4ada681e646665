"""Small charts drawn on the server as inline SVG (no chart library, nothing from the internet).

Colours go in presentation attributes, never ``style=``, so the page's Content-Security-Policy
(no inline styles) leaves them alone. Every label is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

DONE, EXCEPTION = "#2e7d32", "#c62828"
WIDTH, HEIGHT, MARGIN = 560, 220, 36
MOST_DATES, MOST_VALUES = 10, 14  # labels that fit under and over the bars of one chart


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
            f"<title>{escape(title)}</title>")
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, label: object, anchor: str = "middle", size: int = 11) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="#333">{escape(str(label))}</text>')


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
            f'fill="{fill}"><title>{escape(tip)}</title></rect>')


def stacked_days(days: Sequence[str], done: Sequence[int], failed: Sequence[int]) -> Markup:
    """Items finished per day: done (green) under exceptions (red)."""
    top = max([d + f for d, f in zip(done, failed, strict=True)] + [1])
    plot_h, slot = HEIGHT - 2 * MARGIN, (WIDTH - 2 * MARGIN) / max(len(days), 1)
    body = [_axis(plot_h), _text(MARGIN - 6, MARGIN + 4, top, "end")]
    for index, (day, ok, bad) in enumerate(zip(days, done, failed, strict=True)):
        x = MARGIN + index * slot + slot * 0.15
        ok_h, bad_h = plot_h * ok / top, plot_h * bad / top
        base = MARGIN + plot_h
        body.append(_rect(x, base - ok_h, slot * 0.7, ok_h, DONE, f"{day}: {ok} done"))
        body.append(_rect(x, base - ok_h - bad_h, slot * 0.7, bad_h, EXCEPTION,
                          f"{day}: {bad} exceptions"))
        body.extend(_day_labels(index, len(days), x + slot * 0.35, base, day,
                                base - ok_h - bad_h - 4, ok + bad))
    return _svg(WIDTH, HEIGHT, "Items finished per day", body)


def percent_days(days: Sequence[str], rates: Sequence[float | None]) -> Markup:
    """The share of finished items that became exceptions, per day (0 to 100 %)."""
    plot_h, slot = HEIGHT - 2 * MARGIN, (WIDTH - 2 * MARGIN) / max(len(days), 1)
    body = [_axis(plot_h), _text(MARGIN - 6, MARGIN + 4, "100%", "end")]
    for index, (day, rate) in enumerate(zip(days, rates, strict=True)):
        x, base = MARGIN + index * slot + slot * 0.15, MARGIN + plot_h
        label = "-" if rate is None else f"{rate:.0%}"
        bar_h = plot_h * (rate or 0.0)
        body.append(_rect(x, base - bar_h, slot * 0.7, bar_h, EXCEPTION, f"{day}: {label}"))
        body.extend(_day_labels(index, len(days), x + slot * 0.35, base, day,
                                base - bar_h - 4, label))
    return _svg(WIDTH, HEIGHT, "Exception rate per day", body)


def _day_labels(index: int, count: int, x: float, base: float, day: str, top: float,
                value: object) -> list[str]:
    """A bar's date under it and its value over it, as many as fit: on a long period, every
    few days' date and no values (each bar's tooltip still says both)."""
    labels = []
    if index % math.ceil(count / MOST_DATES) == 0:
        labels.append(_text(x, base + 14, day[5:]))
    if count <= MOST_VALUES:
        labels.append(_text(x, top, value))
    return labels


def _axis(plot_h: float) -> str:
    base = MARGIN + plot_h
    return (f'<line x1="{MARGIN}" y1="{base}" x2="{WIDTH - MARGIN}" y2="{base}" '
            f'stroke="#999"/><line x1="{MARGIN}" y1="{MARGIN}" x2="{MARGIN}" y2="{base}" '
            f'stroke="#999"/>')
