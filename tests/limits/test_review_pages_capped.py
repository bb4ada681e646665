"""The review page over hostile documents: capped page rasters, long documents by screens."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient

from bots.ledger import Ledger, people
from bots.review import create_app
from bots.review.render import MAX_PIXELS
from fixtures.hostile_pdfs import write_giant_page, write_huge_image, write_many_pages
from tests.review.review_helpers import PASSWORD, add_item, sign_on

PAGE_IMAGE = re.compile(r'/pages/[^"]+/(\d+)\.png')


@pytest.fixture
def documents(tmp_path: Path) -> dict[str, Path]:
    return {"long": write_many_pages(tmp_path / "long.pdf", 25),
            "giant": write_giant_page(tmp_path / "giant.pdf", 14_400),
            "image": write_huge_image(tmp_path / "image.pdf", 20_000, 20_000)}


@pytest.fixture
def client(tmp_path: Path, documents: dict[str, Path]) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'bots.sqlite'}"
    ledger = Ledger(url)
    for name, path in documents.items():
        add_item(ledger, "claims-intake", name * 4, path.name, str(path), status="exception",
                 code="UNKNOWN_LAYOUT", step="claim")
    people.add_user(ledger.engine, "ana", "analyst", PASSWORD)
    ledger.close()
    with TestClient(create_app(url, tmp_path, goals={})) as test_client:
        assert sign_on(test_client).status_code == 303
        yield test_client


def shown_pages(html: str) -> list[int]:
    return [int(number) for number in PAGE_IMAGE.findall(html)]


def test_a_long_document_shows_one_screen_of_pages_and_links_the_next(
        client: TestClient) -> None:
    first = client.get("/items/claims-intake/longlonglonglong")
    assert shown_pages(first.text) == list(range(1, 11))
    assert 'pages=2>; rel="next"' in first.headers["link"]
    assert 'rel="prev"' not in first.headers["link"]
    assert 'rel="next" href="?pages=2"' in first.text and 'rel="prev"' not in first.text
    last = client.get("/items/claims-intake/longlonglonglong", params={"pages": "3"})
    assert shown_pages(last.text) == list(range(21, 26))
    assert 'pages=2>; rel="prev"' in last.headers["link"] and "next" not in last.headers["link"]
    odd = client.get("/items/claims-intake/longlonglonglong", params={"pages": "99x"})
    assert shown_pages(odd.text) == list(range(1, 11))


def test_a_giant_page_is_drawn_within_the_pixel_cap(client: TestClient) -> None:
    response = client.get("/pages/claims-intake/giantgiantgiantgiant/1.png")
    assert response.status_code == 200
    width, height = Image.open(io.BytesIO(response.content)).size
    assert width * height <= MAX_PIXELS and width >= 1000  # 14,400 points: 2,000 pixels


def test_a_document_over_the_limits_is_not_drawn(client: TestClient) -> None:
    page = client.get("/items/claims-intake/imageimageimageimage")
    assert page.status_code == 200 and shown_pages(page.text) == []
    assert client.get("/pages/claims-intake/imageimageimageimage/1.png").status_code == 404
