"""What a hostile browser or network name can try on the review page: crafted flash cookies,
replayed form posts, forms of another browser, and bind names that only look like loopback."""

from __future__ import annotations

import base64
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bots.commands.review import bind_problem
from bots.review.forms import FLASH_COOKIE
from bots.review.security import CSRF_COOKIE, FormTokens, is_loopback
from tests.review.review_helpers import StateFolder, csrf_of, review_without_token


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize("cookie", [
    _b64("[1]"), _b64("1"), _b64("null"), _b64('"text"'), _b64('{"kind": 1, "text": 2}'),
    _b64('{"kind": "ok", "text": "forged: log in at evil.example"}'), "%%%", "a.b", "..",
    _b64("[1]") + ".0123", "x" * 4000])
def test_a_crafted_flash_cookie_is_ignored(client: TestClient, state: StateFolder,
                                           cookie: str) -> None:
    client.cookies.set(FLASH_COOKIE, cookie)
    for url in ("/", f"/items/{state.ids['over_limit']}", "/insights"):
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:200])
        assert "forged" not in page.text and 'class="flash' not in page.text


def test_a_flash_cookie_of_raw_bytes_is_ignored(client: TestClient) -> None:
    page = client.get("/", headers={"cookie": FLASH_COOKIE.encode() + b"=\xc3\xa9t\xff.\x80"})
    assert page.status_code == 200 and 'class="flash' not in page.text


def test_the_apps_own_flash_is_shown(client: TestClient, state: StateFolder) -> None:
    url = f"/items/{state.ids['over_limit']}"
    sent = client.post(url, data={"csrf": csrf_of(client.get(url).text), "who": "ana",
                                  "action": "comment", "text": "checked"})
    assert sent.status_code == 200 and "Comment added." in sent.text


def _audit(state: StateFolder, key: str) -> list[dict[str, Any]]:
    ledger = state.ledger()
    try:
        return ledger.audit_trail(state.ids[key])
    finally:
        ledger.close()


def test_a_replayed_post_is_refused_and_does_nothing(client: TestClient,
                                                     state: StateFolder) -> None:
    url = f"/items/{state.ids['over_limit']}"
    form = {"csrf": csrf_of(client.get(url).text), "who": "ana", "action": "comment",
            "text": "once"}
    assert client.post(url, data=form, follow_redirects=False).status_code == 303
    replay = client.post(url, data=form)
    assert replay.status_code == 200
    assert "This form was sent before" in replay.text
    assert [entry["action"] for entry in _audit(state, "over_limit")] == ["comment"]


def test_a_form_of_another_browser_is_refused(client: TestClient, state: StateFolder) -> None:
    url = f"/items/{state.ids['over_limit']}"
    token = csrf_of(client.get(url).text)
    client.cookies.set(CSRF_COOKIE, "another-browsers-secret")
    sent = client.post(url, data={"csrf": token, "who": "eve", "action": "comment",
                                  "text": "x"}, follow_redirects=False)
    assert sent.status_code == 403 and _audit(state, "over_limit") == []


def test_a_form_older_than_its_lifetime_is_refused() -> None:
    tokens = FormTokens()
    old = tokens.issue("browser", now=time.time() - 13 * 3600)
    assert tokens.valid("browser", old) and not tokens.valid("other", old)
    assert "more than 12 hours old" in (tokens.spend(old) or "")
    fresh = tokens.issue("browser")
    assert tokens.spend(fresh) is None and "sent before" in (tokens.spend(fresh) or "")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
def test_loopback_addresses_need_no_token(host: str) -> None:
    assert is_loopback(host) and bind_problem(host, "") is None


@pytest.mark.parametrize("host", ["127.evil.example", "127.0.0.1.nip.io.invalid", "0.0.0.0",
                                  "::", "", "10.1.2.3"])
def test_names_that_only_look_like_loopback_need_the_token(host: str) -> None:
    assert not is_loopback(host)
    assert "BOTS_REVIEW_TOKEN" in (bind_problem(host, "") or "")


def test_a_name_resolving_to_loopback_and_elsewhere_needs_the_token(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def both(*_args: Any, **_kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 0)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.7", 0))]

    monkeypatch.setattr(socket, "getaddrinfo", both)
    assert not is_loopback("rebinding.example")


def test_runner_review_refuses_a_look_alike_loopback_name(tmp_path: Path) -> None:
    done = review_without_token(tmp_path, "127.evil.example")
    assert done.returncode == 2
    assert "BOTS_REVIEW_TOKEN" in done.stderr and "Traceback" not in done.stderr
