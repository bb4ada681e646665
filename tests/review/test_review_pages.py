"""The review page's GET side over a real ledger: queue, item, page images, insights."""

from __future__ import annotations

import io

from PIL import Image
from starlette.testclient import TestClient

from bots.review import create_app
from bots.review.render import SCALE
from bots.sla.goal import ServiceGoal
from tests.review.review_helpers import SCRIPT, StateFolder, sign_on


def test_queue_lists_open_exceptions_with_counts(client: TestClient, state: StateFolder) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for short in ("a1a1a1a1a1", "b2b2b2b2b2", "c3c3c3c3c3"):
        assert short in page.text
    assert "d4d4d4d4d4" not in page.text  # done
    assert "e5e5e5e5e5" not in page.text  # resolved
    assert "3 of 3 open item(s)" in page.text
    assert '<span class="code">AMOUNT_OVER_LIMIT</span> <b>1</b>' in page.text
    assert "maria" in page.text  # the assignee column


def test_queue_filters_by_recipe_code_and_step(client: TestClient) -> None:
    by_recipe = client.get("/", params={"recipe": "order-entry"}).text
    assert "c3c3c3c3c3" in by_recipe and "a1a1a1a1a1" not in by_recipe
    assert "1 of 3 open item(s)" in by_recipe
    by_code = client.get("/", params={"code": "POLICY_NOT_FOUND"}).text
    assert "b2b2b2b2b2" in by_code and "c3c3c3c3c3" not in by_code
    by_step = client.get("/", params={"step": "rules", "recipe": "claims-intake"}).text
    assert "a1a1a1a1a1" in by_step and "b2b2b2b2b2" not in by_step
    none = client.get("/", params={"sla": "breached"}).text
    assert "0 of 3 open item(s)" in none and "Nothing to review with these filters" in none


def test_item_page_shows_values_provenance_reason_and_events(client: TestClient,
                                                             state: StateFolder) -> None:
    page = client.get(f"/items/{state.ids['over_limit']}").text
    assert "The claimed amount exceeds the policy&#39;s coverage limit." in page
    assert "9400.00 EUR exceeds the coverage limit 5000.00" in page
    assert "Amount Claimed: EUR 9.400,00" in page
    assert "label &#39;Amount Claimed:&#39; right" in page
    assert "page 1 at [200, 266, 263, 276]" in page
    assert '<td class="where">Register!G11 ' in page  # a value from the policy register sheet
    assert f"/pages/{state.ids['over_limit']}/1.png" in page
    assert 'name="claim.amount" value="9400.00"' in page
    assert ">Resubmit</button>" in page
    assert "step.finished" in page  # the kept event


def test_item_page_escapes_hostile_values(client: TestClient, state: StateFolder) -> None:
    page = client.get(f"/items/{state.ids['hostile']}").text
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page  # the retry input, too
    assert SCRIPT not in client.get("/").text


def test_item_found_by_short_id_and_unknown_is_404(client: TestClient) -> None:
    assert "claim-10-acme-over-limit.pdf" in client.get("/items/a1a1a1a1a1").text
    missing = client.get("/items/nothing-like-this")
    assert missing.status_code == 404 and "no item match" in missing.text


def test_page_image_has_a_red_box_where_a_value_was_found(client: TestClient,
                                                          state: StateFolder) -> None:
    response = client.get(f"/pages/{state.ids['over_limit']}/1.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    x0, top, _x1, bottom = (v * SCALE for v in (200.0, 134.0, 256.7, 144.0))  # policy_number
    edge = (int(x0) - 2, int((top + bottom) / 2))
    red, green, blue = image.getpixel(edge)  # type: ignore[misc]
    assert red > 180 and green < 90 and blue < 90, (edge, (red, green, blue))
    far = image.getpixel((int(x0) - 2, int(bottom) + 300))  # no box there: the white page
    assert far == (255, 255, 255)
    above = image.getpixel((int(x0) + 10, int(top) - 12))  # no field label drawn over the
    assert above == (255, 255, 255)  # line above: the page names the box itself


def test_page_image_of_unknown_page_or_item_is_404(client: TestClient,
                                                   state: StateFolder) -> None:
    assert client.get(f"/pages/{state.ids['over_limit']}/9.png").status_code == 404
    assert client.get("/pages/claims-intake/nope/1.png").status_code == 404
    assert client.get(f"/pages/{state.ids['web']}/1.png").status_code == 404  # no source file


def test_evidence_links_and_files_are_served(client: TestClient, state: StateFolder) -> None:
    page = client.get(f"/items/{state.ids['web']}").text
    folder = state.ids["web"].replace("/", "_")
    assert f"/evidence/{folder}/submit.png" in page and f"/evidence/{folder}/submit.html" in page
    shot = client.get(f"/evidence/{folder}/submit.png")
    assert shot.status_code == 200 and shot.content.startswith(b"\x89PNG")
    html = client.get(f"/evidence/{folder}/submit.html")
    assert "Order form" in html.text
    assert html.headers["content-security-policy"].startswith("sandbox")  # its scripts stay off


def test_sla_column_and_filter_use_the_recipes_goals(state: StateFolder) -> None:
    goals = {"claims-intake": ServiceGoal(due_after="2 days", at_risk_before="8 hours"),
             "order-entry": None}
    with TestClient(create_app(state.url, state.path, goals=goals)) as client:
        sign_on(client)
        page = client.get("/").text
        assert page.count('<span class="sla sla-breached">breached</span>') == 2  # July items
        assert '<span class="sla sla--">-</span>' in page  # order-entry has no goal
        breached = client.get("/", params={"sla": "breached"}).text
        assert "2 of 3 open item(s)" in breached and "c3c3c3c3c3" not in breached
        item = client.get(f"/items/{state.ids['over_limit']}").text
        assert '<span class="sla sla-breached">breached</span>' in item
