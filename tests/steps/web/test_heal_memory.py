"""Heal with proof, unit level: real Chromium on small routed pages, the memory's own files.

The remembered fingerprints are made the way a step makes them: a control found on the "before"
page (here by the heal scan itself, standing in for bots.web.find), remembered on success.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, Route

from bots.web import BrowserPool
from bots.web.heal.memory import FileMemory
from bots.web.heal.proposals import proposals
from bots.web.heal.scan import candidates
from bots.web.heal.store import HealStore
from bots.web.screen import Screen
from bots.web.targets import ControlMissing, Found
from tests.steps.web.web_helpers import Run, web_config

ROOT = Path(__file__).resolve().parents[3]
BASE = "http://heal.test"
MENU = '<div><a href="/inquiry">Policy Inquiry</a> <a href="/new">New Claim</a></div>'


def table(*rows: str, button: str = "Next >", heading: str = "New Claim") -> str:
    """A legacy-style form: label cells left of their controls."""
    return (f"<html><body>{MENU}<h2>{heading}</h2><form><table>{''.join(rows)}</table>"
            f'<input type="submit" name="action" value="{button}"></form></body></html>')


def text_row(label: str, ident: str, kind: str = "text") -> str:
    return f'<tr><td>{label}</td><td><input type="{kind}" id="{ident}" name="{ident}"></td></tr>'


def select_row(label: str, ident: str) -> str:
    return (f'<tr><td>{label}</td><td><select id="{ident}"><option>A</option>'
            f"<option>B</option></select></td></tr>")


V1 = table(text_row("Policy Number:", "f_1a2b3c"), text_row("Claimant Name:", "f_4d5e6f"),
           text_row("Date of Loss:", "f_777aaa", "date"))
SHUFFLED = table(text_row("Date of Loss:", "f_0a0a0a", "date"),
                 text_row("Claimant Name:", "f_0b0b0b"), text_row("Policy Number:", "f_0c0c0c"))
V2 = table(text_row("Name of claimant:", "n1"), text_row("E-mail address:", "n2"),
           text_row("Policy No.:", "v2-policy"), button="Continue")
TWINS = table(text_row("Policy No.:", "twin-1"), text_row("Policy Nr.:", "twin-2"))
OTHER_KIND = table(select_row("Date of loss:", "loss-select"), text_row("Remarks:", "remarks"))
ONLY_CLAIMANT = table(text_row("Name of claimant:", "n1"), text_row("Remarks:", "r1"))
SHADOW = (f"<html><body>{MENU}<h2>New Claim</h2><div id=host></div><script>"
          "const root = document.getElementById('host').attachShadow({mode: 'open'});"
          "root.innerHTML = '<label>Policy No. <input id=deep></label>';</script></body></html>")

FRAMED = (f"<html><body>{MENU}<h2>New Claim</h2><iframe name=claim srcdoc='"
          + table(text_row("Policy No.:", "in-frame")).replace("'", "&#39;") + "'></iframe>"
          "</body></html>")

DIVS = (f"<html><body>{MENU}<h2>New Claim</h2><form>"
        "<div class=row><div><label>Name of claimant</label></div>"
        "<div><input id=div-claimant></div></div>"
        "<div class=row><div><span>Policy No.</span></div><div><input id=div-policy></div></div>"
        "</form></body></html>")

SHARED = table(text_row("Policy No.:", "policyNo"), select_row("Policy No.:", "policy-kind"))


@pytest.fixture(scope="module")
def browser_pool(run: Run) -> Iterator[BrowserPool]:
    pool = run(BrowserPool.start(web_config(BASE)))
    yield pool
    run(pool.stop())


@pytest.fixture
def page(run: Run, browser_pool: BrowserPool) -> Iterator[Page]:
    context = run(browser_pool.new_context())

    async def serve(route: Route) -> None:
        path = route.request.url.removeprefix(BASE)
        await route.fulfill(body=SCREENS.get(path, "<html></html>"), content_type="text/html")

    run(context.route("**/*", serve))
    yield run(context.new_page())
    run(context.close())


SCREENS: dict[str, str] = {}  # path -> the HTML the routed context answers with


def show(run: Run, page: Page, html: str) -> None:
    SCREENS["/form"] = html
    run(page.goto(BASE + "/form"))


def found_by_label(run: Run, page: Page, what: str, label: str) -> Found:
    """What bots.web.find would answer: the control with this label, with its fingerprint."""
    for candidate in run(candidates(page, what)):
        if candidate.features["label"].rstrip(":") == label:
            return Found(candidate.locator, candidate.kind, "table-cell-left",
                         candidate.fingerprint)
    raise AssertionError(f"no {label!r} on the page")


def memory(tmp_path: Path, item: str = "item-1", heal: bool = True) -> FileMemory:
    return FileMemory(HealStore(tmp_path, "claims"), "submit", item, heal=heal)


def remember_v1(run: Run, page: Page, tmp_path: Path) -> None:
    show(run, page, V1)
    used = [("field", name, found_by_label(run, page, "field", name))
            for name in ("Policy Number", "Claimant Name", "Date of Loss")]
    used.append(("button", "Next >", found_by_label(run, page, "button", "Next >")))
    memory(tmp_path).remember(used)


def missing(what: str, name: str) -> ControlMissing:
    return ControlMissing(f"No {what} labelled '{name}' on the page", what=what, name=name)


def element_id(run: Run, found: Found) -> Any:
    return run(found.locator.evaluate("el => el.id || el.value"))


def test_a_renamed_label_heals_to_the_one_clear_candidate(run: Run, page: Page,
                                                          tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, V2)
    found = run(memory(tmp_path).heal(page, "field", "Policy Number",
                                      missing("field", "Policy Number")))
    assert (found.how, found.kind, element_id(run, found)) == ("healed", "input:text", "v2-policy")
    run(found.locator.fill("P-1"))
    assert run(page.locator("#v2-policy").input_value()) == "P-1"
    [proposal] = proposals(HealStore(tmp_path, "claims"))
    assert (proposal["name"], proposal["new_label"], proposal["status"]) == (
        "Policy Number", "Policy No.", "pending")
    assert proposal["items_healed"] == ["item-1"] and proposal["score"] > proposal["runner_up"]
    assert Path(proposal["evidence"]["new"]).is_file()


def test_a_renamed_button_heals_and_menu_links_do_not_win(run: Run, page: Page,
                                                          tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, V2)
    found = run(memory(tmp_path).heal(page, "button", "Next >", missing("button", "Next >")))
    assert element_id(run, found) == "Continue"


def test_two_similar_candidates_heal_nothing_and_the_error_names_both(run: Run, page: Page,
                                                                      tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, TWINS)
    with pytest.raises(ControlMissing) as raised:
        run(memory(tmp_path).heal(page, "field", "Policy Number",
                                  missing("field", "Policy Number")))
    assert "'Policy No.:'" in raised.value.message and "'Policy Nr.:'" in raised.value.message
    assert raised.value.code == "SCREEN_MISMATCH"
    assert proposals(HealStore(tmp_path, "claims")) == []


def test_a_field_of_another_kind_is_never_chosen(run: Run, page: Page, tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, OTHER_KIND)
    with pytest.raises(ControlMissing, match="nothing of its kind|no one clear"):
        run(memory(tmp_path).heal(page, "field", "Date of Loss",
                                  missing("field", "Date of Loss")))


def test_a_control_another_name_of_the_step_describes_better_is_not_taken(
        run: Run, page: Page, tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, ONLY_CLAIMANT)
    with pytest.raises(ControlMissing):
        run(memory(tmp_path).heal(page, "field", "Policy Number",
                                  missing("field", "Policy Number")))


def test_a_control_inside_an_open_shadow_root_heals(run: Run, page: Page,
                                                    tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, SHADOW)
    found = run(memory(tmp_path).heal(page, "field", "Policy Number",
                                      missing("field", "Policy Number")))
    assert element_id(run, found) == "deep"


def test_a_control_that_moved_into_a_frame_heals_there(run: Run, page: Page,
                                                        tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, FRAMED)
    run(page.frame_locator("iframe").locator("#in-frame").wait_for())
    found = run(memory(tmp_path).heal(page, "field", "Policy Number",
                                      missing("field", "Policy Number")))
    run(found.locator.fill("P-7"))
    assert run(page.frame_locator("iframe").locator("#in-frame").input_value()) == "P-7"
    assert found.fingerprint["frame"] == "claim"


def test_labels_in_boxes_before_the_control_are_read(run: Run, page: Page,
                                                     tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, DIVS)
    found = run(memory(tmp_path).heal(page, "field", "Policy Number",
                                      missing("field", "Policy Number")))
    assert element_id(run, found) == "div-policy"


def test_a_new_label_two_controls_share_is_proposed_as_a_selector(run: Run, page: Page,
                                                                   tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, SHARED)
    found = run(memory(tmp_path).heal(page, "field", "Policy Number",
                                      missing("field", "Policy Number")))
    assert element_id(run, found) == "policyNo"
    [proposal] = proposals(HealStore(tmp_path, "claims"))
    assert (proposal["new_label"], proposal["selector"]) == ("", '[id="policyNo"]')


def test_a_label_two_controls_carry_is_reported_as_ambiguous_never_healed(
        run: Run, page: Page, tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    show(run, page, table(text_row("Policy Number:", "new-1"), text_row("Policy Number:", "new-2")))
    with pytest.raises(ControlMissing) as raised:
        run(Screen(page, memory(tmp_path)).field("Policy Number"))
    assert raised.value.ambiguous and "new-1" in str(raised.value) and "new-2" in str(raised.value)
    assert not proposals(HealStore(tmp_path, "claims"))


def test_healing_off_remembers_but_never_heals(run: Run, page: Page, tmp_path: Path) -> None:
    show(run, page, V1)
    policy = found_by_label(run, page, "field", "Policy Number")
    memory(tmp_path, heal=False).remember([("field", "Policy Number", policy)])
    assert HealStore(tmp_path, "claims").controls("submit")
    show(run, page, V2)
    with pytest.raises(ControlMissing) as raised:
        run(memory(tmp_path, heal=False).heal(page, "field", "Policy Number",
                                              missing("field", "Policy Number")))
    assert raised.value.message == "No field labelled 'Policy Number' on the page"


def test_a_steady_or_reshuffled_screen_writes_nothing_new(run: Run, page: Page,
                                                          tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    path = HealStore(tmp_path, "claims").step_path("submit")
    before = path.stat().st_mtime_ns, path.read_text()
    remember_v1(run, page, tmp_path)  # same screen, a new page load
    assert (path.stat().st_mtime_ns, path.read_text()) == before
    show(run, page, SHUFFLED)  # the same fields in another order (forms that reshuffle)
    memory(tmp_path).remember([("field", name, found_by_label(run, page, "field", name))
                               for name in ("Policy Number", "Claimant Name", "Date of Loss")])
    assert (path.stat().st_mtime_ns, path.read_text()) == before


def test_healing_the_same_control_again_counts_on_one_proposal(run: Run, page: Page,
                                                               tmp_path: Path) -> None:
    remember_v1(run, page, tmp_path)
    for item in ("item-1", "item-2"):
        show(run, page, V2)
        found = run(memory(tmp_path, item).heal(page, "field", "Policy Number",
                                                missing("field", "Policy Number")))
        memory(tmp_path, item).remember([("field", "Policy Number", found)])
    [proposal] = proposals(HealStore(tmp_path, "claims"))
    assert proposal["count"] == 2 and proposal["items_worked"] == ["item-1", "item-2"]


REMEMBER_ELSEWHERE = """
import sys
from pathlib import Path
from bots.web.heal.memory import FileMemory
from bots.web.heal.store import HealStore
from bots.web.targets import Found
fingerprint = {"label": "Policy Number:", "tag": "input", "type": "text",
               "box": {"x": 60, "y": 60, "w": 150, "h": 20}}
memory = FileMemory(HealStore(Path(sys.argv[1]), "claims"), "submit", "item-0", heal=True)
memory.remember([("field", "Policy Number", Found(None, "input:text", "table-cell-left",
                                                  fingerprint))])
"""


def test_what_one_process_remembers_another_heals_with(run: Run, page: Page,
                                                       tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-c", REMEMBER_ELSEWHERE, str(tmp_path)], cwd=ROOT,
                   check=True, timeout=60)
    saved = json.loads(HealStore(tmp_path, "claims").step_path("submit").read_text())
    assert list(saved["controls"]) == ["field:Policy Number"]
    show(run, page, V2)
    found = run(memory(tmp_path).heal(page, "field", "Policy Number",
                                      missing("field", "Policy Number")))
    assert element_id(run, found) == "v2-policy"
