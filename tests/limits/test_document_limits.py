"""What one document may cost: hostile PDFs made here become coded exceptions, cheaply.

Each file is written in tmp_path by fixtures/hostile_pdfs.py and run through the real
`pdf.extract_fields` step, as the engine calls it.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from bots.engine.guard import Rehearsal
from bots.engine.resources import ResourcePool
from bots.engine.steprun import ItemState
from bots.kernel import StepContext, WorkItem
from bots.kernel.errors import CODES, BusinessError
from bots.pdf.limits import InputLimits
from bots.recipe import load_recipe
from bots.steps.pdf.extract_fields import Params, extract_fields
from fixtures.hostile_pdfs import (
    write_flate_bomb,
    write_huge_image,
    write_many_pages,
    write_oversize,
)

LAYOUTS = [{"name": "any", "when": ["Claim form"],
            "fields": {"policy_number": {"label": "Policy No.:", "type": "policy_number"}}}]


class LimitsContext(StepContext):
    """A step context carrying the recipe's limits, as the engine is to hand them over."""

    limits: Any = None


def context(limits: dict[str, Any] | None = None) -> StepContext:
    ctx = LimitsContext(run_id="t", item=WorkItem(key="k", name="doc.pdf"), step_id="claim")
    ctx.limits = limits
    return ctx


def extract(path: Path, ctx: StepContext | None = None, **params: Any) -> dict[str, Any]:
    checked = Params.model_validate({"path": str(path), "layouts": LAYOUTS, **params})
    result: dict[str, Any] = extract_fields.function(checked, ctx or context())
    return result


def refused(path: Path, ctx: StepContext | None = None, **params: Any) -> BusinessError:
    with pytest.raises(BusinessError) as raised:
        extract(path, ctx, **params)
    return raised.value


def test_a_document_within_the_limits_is_read(tmp_path: Path) -> None:
    assert extract(write_many_pages(tmp_path / "ok.pdf", 3))["policy_number"] == "POL-100234"


def test_an_oversize_file_is_refused_without_reading_it(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    big = write_oversize(tmp_path / "huge.pdf", 3 * 1024**3)  # sparse: no disk used

    def no_reading(*_args: Any, **_kwargs: Any) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "open", no_reading)
    error = refused(big)
    assert error.code == "FILE_TOO_LARGE" and error.kind == "BusinessError"
    assert "huge.pdf" in error.message and "3072.0 MB" in error.message
    assert "100 MB" in error.message and "settings.limits.max_file_mb" in error.message


def test_many_pages_are_refused_by_the_recipe_limit(tmp_path: Path) -> None:
    document = write_many_pages(tmp_path / "long.pdf", 30)
    error = refused(document, context({"max_pages": 20}))
    assert error.code == "TOO_MANY_PAGES"
    assert "30 pages" in error.message and "settings.limits.max_pages" in error.message
    assert extract(document, context({"max_pages": 40}))["policy_number"] == "POL-100234"


def test_the_steps_own_max_pages_speaks_first(tmp_path: Path) -> None:
    document = write_many_pages(tmp_path / "long.pdf", 30)
    assert refused(document, context({"max_pages": 20}), max_pages=10).code == \
        "DOCUMENT_TOO_LONG"


def test_a_lying_page_count_is_caught_by_the_pages_there_are(tmp_path: Path) -> None:
    document = write_many_pages(tmp_path / "lying.pdf", 30)
    document.write_bytes(document.read_bytes().replace(b"/Count 30", b"/Count 1 "))
    assert refused(document, context({"max_pages": 20})).code == "TOO_MANY_PAGES"


def test_a_flate_bomb_is_refused_quickly_with_bounded_memory(tmp_path: Path) -> None:
    bomb = write_flate_bomb(tmp_path / "bomb.pdf", 300)  # 0.3 MB on disk, 300 MB inflated
    assert bomb.stat().st_size < 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = refused(bomb, context({"max_decompressed_mb": 50}))
        spent = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "CONTENT_TOO_LARGE"
    assert "settings.limits.max_decompressed_mb" in error.message and "50 MB" in error.message
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB allocated: the bomb was inflated"
    assert spent < 5


def test_the_steps_own_limits_override_the_recipes(tmp_path: Path) -> None:
    bomb = write_flate_bomb(tmp_path / "bomb.pdf", 30)
    assert extract(bomb, context({"max_decompressed_mb": 10}),
                   limits={"max_decompressed_mb": 40})["policy_number"] == "POL-100234"
    assert refused(bomb, context(None), limits={"max_decompressed_mb": 10}).code == \
        "CONTENT_TOO_LARGE"


def test_a_huge_image_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    document = write_huge_image(tmp_path / "image.pdf", 20_000, 20_000)
    error = refused(document)
    assert error.code == "IMAGE_TOO_LARGE"
    assert "20000 x 20000" in error.message and "settings.limits.max_image_pixels" in error.message
    assert extract(document, limits=InputLimits(max_image_pixels=500_000_000).model_dump())


def test_an_images_data_counts_by_its_pixels_not_its_inflated_bytes(tmp_path: Path) -> None:
    scan = write_huge_image(tmp_path / "scan.pdf", 3000, 3000, data_mb=3000 * 3000 / 2**20)
    assert extract(scan, context({"max_decompressed_mb": 5}))["policy_number"] == "POL-100234"


def test_a_bomb_dressed_as_a_small_image_is_counted(tmp_path: Path) -> None:
    disguised = write_huge_image(tmp_path / "disguised.pdf", 10, 10, data_mb=30)
    assert refused(disguised, context({"max_decompressed_mb": 10})).code == "CONTENT_TOO_LARGE"


def test_every_limit_code_is_documented() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text()
    for code in ("FILE_TOO_LARGE", "TOO_MANY_PAGES", "CONTENT_TOO_LARGE", "IMAGE_TOO_LARGE"):
        assert f"`{code}`" in text
        assert code in CODES  # so the review page explains it  # so the review page explains it


def test_the_recipes_limits_reach_the_steps_context(tmp_path: Path) -> None:
    recipe_path = tmp_path / "limited.yaml"
    recipe_path.write_text("recipe: limited\nsource: {folder: .}\n"
                           "settings: {limits: {max_file_mb: 0.5}}\n"
                           "steps:\n  - {id: claim, uses: pdf.extract_fields, "
                           "with: {path: '${item.path}', layouts: [{name: any, when: [Claim], "
                           "fields: {a: {label: 'A:'}}}]}}\n")
    recipe = load_recipe(str(recipe_path))
    state = ItemState(recipe, WorkItem(key="k", name="n"), "limited/k", "r1", {},
                      ResourcePool(recipe).for_item(), tmp_path, Rehearsal(), asyncio.sleep)
    ctx = asyncio.run(state.context(recipe.steps[0].type, "claim", 1))
    assert ctx.limits.max_file_mb == 0.5
