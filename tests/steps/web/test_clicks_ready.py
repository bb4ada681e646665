"""A control that cannot take a click is reported with the reason, and never clicked; one
that becomes ready a moment later is waited for and clicked (real Chromium)."""

from __future__ import annotations

import pytest

from bots.kernel.errors import ApplicationError
from bots.web.clicks import click_and_wait
from bots.web.targets import Button
from tests.steps.web.wait_app import WaitSite
from tests.steps.web.web_helpers import Run

pytestmark = pytest.mark.browser



def click(run: Run, site: WaitSite, css: str, name: str) -> None:
    run(click_and_wait(site.page, site.button(css), Button(text=name)))


def clicks(run: Run, site: WaitSite) -> int:
    return int(run(site.page.inner_text("#clicks")))


@pytest.mark.parametrize(("css", "name", "reason", "said"), [
    ("#hidden", "Hidden", "hidden", "'Hidden' is hidden"),
    ("#invisible", "Invisible", "hidden", "'Invisible' is hidden"),
    ("#disabled", "Disabled", "disabled", "'Disabled' is disabled"),
    ("#in-fieldset", "In fieldset", "disabled", "'In fieldset' is disabled"),
    ("#aria", "Aria disabled", "disabled", "'Aria disabled' is disabled"),
])
def test_an_unready_control_is_reported_and_not_clicked(run: Run, site: WaitSite, css: str,
                                                        name: str, reason: str,
                                                        said: str) -> None:
    run(site.open("ready.html"))
    with pytest.raises(ApplicationError) as raised:
        click(run, site, css, name)
    assert raised.value.code == "CONTROL_NOT_READY"
    assert raised.value.details["reason"] == reason and raised.value.details["clicked"] is False
    assert str(raised.value).startswith(said + ", so it was not clicked")
    assert clicks(run, site) == 0


def test_a_covered_control_names_what_covers_it(run: Run, site: WaitSite) -> None:
    run(site.open("ready.html?backdrop=0"))
    with pytest.raises(ApplicationError) as raised:
        click(run, site, "#under", "Submit")
    assert str(raised.value).startswith(
        """'Submit' is covered by <div class="modal-backdrop">, so it was not clicked""")
    assert raised.value.details["covered_by"] == '<div class="modal-backdrop">'
    assert clicks(run, site) == 0


def test_a_cover_inside_a_shadow_root_is_named(run: Run, site: WaitSite) -> None:
    run(site.open("ready.html?shadow=1"))
    with pytest.raises(ApplicationError) as raised:
        click(run, site, "#under", "Submit")
    assert raised.value.details["covered_by"] == '<div class="veil">'
    assert clicks(run, site) == 0


def test_a_control_enabled_a_moment_later_is_waited_for(run: Run, site: WaitSite) -> None:
    run(site.open("ready.html?enable=1"))
    click(run, site, "#later", "Enabled later")
    assert clicks(run, site) == 1


def test_a_control_shown_a_moment_later_is_waited_for(run: Run, site: WaitSite) -> None:
    run(site.open("ready.html?show=300"))
    click(run, site, "#hidden", "Hidden")
    assert clicks(run, site) == 1


def test_a_cover_that_goes_away_is_waited_for(run: Run, site: WaitSite) -> None:
    run(site.open("ready.html?backdrop=300"))
    click(run, site, "#under", "Under the backdrop")
    assert clicks(run, site) == 1


def test_a_control_below_the_fold_is_scrolled_to_and_clicked(run: Run, site: WaitSite) -> None:
    run(site.open("ready.html"))
    click(run, site, "#far", "Far below")
    assert clicks(run, site) == 1


def test_a_control_gone_from_the_page_is_reported(run: Run, site: WaitSite) -> None:
    run(site.open("ready.html"))
    with pytest.raises(ApplicationError) as raised:
        click(run, site, "#no-such-button", "Vanished")
    assert raised.value.code == "CONTROL_NOT_READY"
    assert "'Vanished' is no longer on the page" in str(raised.value)
