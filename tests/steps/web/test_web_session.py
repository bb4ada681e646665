"""The item session against the real app: sign-on, expiry, faults, crashes and evidence."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bots.kernel import StepContext
from bots.kernel.errors import ApplicationError, TransientError
from bots.steps.web.search_record import search_record
from bots.web import BrowserPool, ItemSession, forms
from fixtures.legacy_app import LegacyApp
from tests.steps.web.web_helpers import PASSWORD, Run, web_config

Call = Callable[..., Any]
INQUIRY = {"url": "/policy/inquiry", "submit": "Inquire", "read": {"holder": "Policy Holder"},
           "fields": {"Policy Number": "POL-100234"}}


def transient_code(run: Run, work: Any) -> str:
    with pytest.raises(TransientError) as raised:
        run(work)
    return raised.value.code


def test_first_page_is_signed_on(run: Run, session: ItemSession) -> None:
    page = run(session.page())
    assert page.url.endswith("/menu")
    assert "Welcome, clerk" in run(forms.page_text(page))


def test_wrong_password_is_login_failed(run: Run, pool: BrowserPool, app: LegacyApp) -> None:
    session = pool.session(web_config(app.url, password="wrong-password"))
    with pytest.raises(ApplicationError, match="Invalid user ID or password") as raised:
        run(session.page())
    assert raised.value.code == "LOGIN_FAILED"
    run(session.close())


def test_expired_session_then_a_fresh_page_after_reset(run: Run, call: Call, ctx: StepContext,
                                                       session: ItemSession,
                                                       app: LegacyApp) -> None:
    run(session.page())
    app.set_faults(session_idle_s=0.2)
    run(asyncio.sleep(0.4))
    assert transient_code(run, search_record.function(
        search_record.params.model_validate(INQUIRY), ctx)) == "SESSION_EXPIRED"
    app.set_faults(session_idle_s=600)
    run(session.reset())
    assert call(search_record, INQUIRY, ctx) == {"found": True, "holder": "Maria Keller"}


def test_page_on_the_sign_on_screen_signs_on_again(run: Run, call: Call, ctx: StepContext,
                                                   session: ItemSession,
                                                   app: LegacyApp) -> None:
    page = run(session.page())
    run(page.goto(session.url("/logout")))
    assert call(search_record, INQUIRY, ctx)["found"] is True


def test_server_error_page_is_transient(run: Run, session: ItemSession, app: LegacyApp) -> None:
    page = run(session.page())
    app.set_faults(error_rate=1.0)
    code = transient_code(run, forms.open_page(page, session.url("/policy/inquiry")))
    assert code == "SERVER_ERROR"


def test_hanging_server_is_a_timeout(run: Run, pool: BrowserPool, app: LegacyApp) -> None:
    quick = web_config(app.url, timeouts={"navigation_s": 0.5, "action_s": 0.5})
    session = pool.session(quick)
    page = run(session.page())
    app.set_faults(hang_rate=1.0, hang_s=1.5)
    assert transient_code(run, forms.open_page(page, session.url("/menu"))) == "TIMEOUT"
    run(session.close())


def test_closed_page_is_browser_error_then_replaced(run: Run, session: ItemSession) -> None:
    page = run(session.page())
    run(page.close())
    code = transient_code(run, forms.open_page(page, session.url("/menu")))
    assert code == "BROWSER_ERROR"
    assert run(session.page()) is not page
    assert run(session.page()).url.endswith("/menu")


def test_isolated_browser_cannot_reach_other_hosts(run: Run, session: ItemSession) -> None:
    page = run(session.page())
    code = transient_code(run, forms.open_page(page, "http://example.com/"))
    assert code == "SERVER_ERROR"


def test_evidence_masks_the_password(run: Run, session: ItemSession, app: LegacyApp,
                                    tmp_path: Path) -> None:
    page = run(session.page())
    run(page.goto(session.url("/login")))
    run(forms.fill(page, "Password", PASSWORD))
    run(forms.fill(page, "User ID", "typed-user"))
    saved = run(session.evidence(tmp_path / "evidence", "sign on/again"))
    html = Path(saved["html"]).read_text()
    assert saved["url"].endswith("/login")
    assert "typed-user" in html  # what was typed is kept ...
    assert PASSWORD not in html  # ... except the password
    assert Path(saved["screenshot"]).read_bytes().startswith(b"\x89PNG")
    assert Path(saved["screenshot"]).name == "sign_on_again.png"


def test_evidence_without_a_page_is_empty_not_an_error(run: Run, session: ItemSession,
                                                       tmp_path: Path) -> None:
    assert run(session.evidence(tmp_path, "nothing")) == {}
    assert not list(tmp_path.iterdir())


def test_a_dead_browser_is_launched_again(run: Run, pool: BrowserPool,
                                          session: ItemSession) -> None:
    run(session.page())
    run(pool._browser.close())  # what a Chromium crash looks like from here
    assert run(session.page()).url.endswith("/menu")
