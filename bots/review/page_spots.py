"""The item page's document pages, and each value's box on them as percents of the page.

The page image is a PNG (bots/review/render.py); the boxes are laid over it as an SVG of
rectangles in percent of the page, so that a value's row and its box light each other up in
the browser. A provenance box is ``[x0, top, x1, bottom]`` in PDF points from the page's
top-left corner: divided by the page's size in points it is a share of the image, at any
scale the image is drawn or shown at. Values that share one box (an order line's cells, an
amount and its currency) share one rectangle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bots.review.render import page_sizes, render_scale

PAD_POINTS = 2.0  # around the text, as the box drawn into the PNG has


def page_figures(path: str, pages: Sequence[int], rows: Sequence[Mapping[str, Any]]
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The pages of one screen (number, size in pixels, boxes), and the rows, each with its
    id (``value-3``) and its box's id (``spot-2``, or None: no box on these pages)."""
    sizes = page_sizes(path, pages[0], pages[-1]) if pages else {}
    spots: dict[tuple[int, tuple[float, ...]], dict[str, Any]] = {}
    marked = []
    for index, row in enumerate(rows, start=1):
        row_id = f"value-{index}"
        spot = _spot_of(spots, sizes, row)
        if spot is not None:
            spot["rows"].append(row_id)
            spot["names"].append(row["name"])
        marked.append({**row, "id": row_id, "spot": spot["id"] if spot else None})
    figures = [_figure(number, size, [spot for spot in spots.values() if spot["page"] == number])
               for number, size in sizes.items()]
    return figures, marked


def _spot_of(spots: dict[tuple[int, tuple[float, ...]], dict[str, Any]],
             sizes: Mapping[int, tuple[float, float]],
             row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The rectangle for the row's box, made the first time a row names that box."""
    page, box = row.get("page"), row.get("box")
    if not isinstance(page, int) or page not in sizes or not box:
        return None
    key = (page, tuple(box))
    if key not in spots:
        spots[key] = {"id": f"spot-{len(spots) + 1}", "page": page, "rows": [], "names": [],
                      **percent_box(box, sizes[page])}
    return spots[key]


def percent_box(box: Sequence[float], size: tuple[float, float]) -> dict[str, str]:
    """A box in points as x, y, width and height in percent of the page (SVG lengths),
    padded by PAD_POINTS and kept on the page."""
    width, height = (max(side, 1.0) for side in size)
    x0, top = max(box[0] - PAD_POINTS, 0.0), max(box[1] - PAD_POINTS, 0.0)
    x1, bottom = min(box[2] + PAD_POINTS, width), min(box[3] + PAD_POINTS, height)
    return {"x": _percent(x0, width), "y": _percent(top, height),
            "width": _percent(max(x1 - x0, 0.0), width),
            "height": _percent(max(bottom - top, 0.0), height)}


def _percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.3f}%"


def _figure(number: int, size: tuple[float, float], spots: list[dict[str, Any]]
            ) -> dict[str, Any]:
    """One page: its number, its image's size in pixels (so the browser keeps its place
    before it loads) and its boxes."""
    scale = render_scale(*size)
    return {"number": number, "width": round(size[0] * scale),
            "height": round(size[1] * scale), "spots": spots}
