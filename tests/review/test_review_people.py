"""People who sign on to the review page: accounts, sessions, limits, the proxy, roles."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bots.ledger import people
from bots.review import create_app
from bots.review.proxy import ProxyTrust
from bots.review.session import SECRET_FILE
from bots.review.throttle import MAX_PER_NAME
from tests.review.review_helpers import PASSWORD, StateFolder, csrf_of, sign_on


def _comment(client: TestClient, state: StateFolder, text: str, **extra: str) -> int:
    url = f"/items/{state.ids['web']}"
    form = {"csrf": csrf_of(client.get(url).text), "action": "comment", "text": text, **extra}
    return client.post(url, data=form, follow_redirects=False).status_code


def _who(state: StateFolder) -> list[str]:
    ledger = state.ledger()
    try:
        return [entry["who"] for entry in ledger.audit_trail(state.ids["web"])]
    finally:
        ledger.close()


@pytest.fixture
def app_client(state: StateFolder) -> TestClient:
    return TestClient(create_app(state.url, state.path, goals={}))


def test_every_page_needs_a_signed_on_person(app_client: TestClient,
                                             state: StateFolder) -> None:
    with app_client as client:
        first = client.get("/?code=X", follow_redirects=False)
        assert first.status_code == 303
        assert first.headers["location"] == "/signon?next=%2F%3Fcode%3DX"  # back after
        assert client.get(f"/items/{state.ids['web']}").url.path == "/signon"
        assert client.post(f"/items/{state.ids['web']}", data={"action": "comment"}
                           ).status_code == 401
        assert client.get("/evidence/x.png", follow_redirects=False).status_code == 303
        assert "Sign on" in client.get("/signon").text
        assert client.get("/static/review.css").status_code == 200
    assert _who(state) == []


def test_wrong_password_is_refused_and_logged_without_it(
        app_client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with app_client as client, caplog.at_level(logging.WARNING, "bots.review.signon"):
        refused = sign_on(client, "ana", "not the password")
        assert refused.status_code == 401 and "Wrong name or password" in refused.text
        assert sign_on(client, "nobody", PASSWORD).status_code == 401
        assert client.get("/", follow_redirects=False).status_code == 303  # still nobody
    logged = caplog.text
    assert "ana" in logged and "nobody" in logged and "not the password" not in logged
    assert PASSWORD not in logged


def test_failed_sign_ons_are_rate_limited(app_client: TestClient) -> None:
    with app_client as client:
        for _ in range(MAX_PER_NAME):
            assert sign_on(client, "sam", "wrong-password").status_code == 401
        limited = sign_on(client, "sam", PASSWORD)  # even the right one waits now
        assert limited.status_code == 429 and "wait" in limited.text
        assert sign_on(client, "rita", PASSWORD).status_code == 303  # another name is fine


def test_audit_names_the_session_and_sign_off_ends_it(app_client: TestClient,
                                                      state: StateFolder) -> None:
    with app_client as client:
        assert sign_on(client, "sam").headers["location"] == "/"
        page = client.get("/").text
        assert "sam" in page and "(supervisor)" in page and "Ledger: SQLite" in page
        assert _comment(client, state, "looked", who="mallory") == 303
        kept = client.cookies.get("review_session")
        off = client.post("/signoff", data={"csrf": csrf_of(client.get("/").text)},
                          follow_redirects=False)
        assert off.status_code == 303 and not client.cookies.get("review_session")
        client.cookies.set("review_session", kept or "")  # a copied cookie after sign-off
        assert client.get("/", follow_redirects=False).status_code == 303
    assert _who(state) == ["sam"]


def test_password_change_and_disable_end_sessions(app_client: TestClient,
                                                  state: StateFolder) -> None:
    ledger = state.ledger()
    with app_client as client:
        sign_on(client, "ana")
        assert client.get("/", follow_redirects=False).status_code == 200
        people.set_password(ledger.engine, "ana", "a brand new password")
        assert client.get("/", follow_redirects=False).status_code == 303
        people.set_disabled(ledger.engine, "ana", True)
        assert sign_on(client, "ana", "a brand new password").status_code == 401
    ledger.close()


def test_next_never_leaves_the_page(app_client: TestClient) -> None:
    with app_client as client:
        for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
            page = client.get("/signon", params={"next": target})
            form = {"csrf": csrf_of(page.text), "name": "ana", "password": PASSWORD,
                    "next": target}
            answer = client.post("/signon", data=form, follow_redirects=False)
            assert answer.headers["location"] == "/", target
            client.cookies.clear()


def test_session_secret_is_kept_private_in_the_state_folder(state: StateFolder,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.delenv("BOTS_REVIEW_SECRET", raising=False)
    create_app(state.url, state.path, goals={})
    key = state.path / SECRET_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().strip().encode() not in (state.path / "bots.sqlite").read_bytes()
    monkeypatch.setenv("BOTS_REVIEW_SECRET", "short")
    with pytest.raises(ValueError, match="BOTS_REVIEW_SECRET is too short"):
        create_app(state.url, state.path, goals={})


def test_one_time_link_signs_on_the_starter_once_while_no_accounts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bots.sqlite'}"
    app = create_app(url, tmp_path, goals={}, first_link_key="k" * 32)
    with TestClient(app) as client:
        assert "no accounts yet" in client.get("/signon").text
        assert client.get("/signon/link", params={"key": "wrong"}).status_code == 403
        first = client.get("/signon/link", params={"key": "k" * 32}, follow_redirects=False)
        assert first.status_code == 303 and "(supervisor)" in client.get("/").text
        client.cookies.clear()
        assert client.get("/signon/link", params={"key": "k" * 32}).status_code == 403


def test_link_refused_once_accounts_exist(state: StateFolder) -> None:
    app = create_app(state.url, state.path, goals={}, first_link_key="k" * 32)
    with TestClient(app) as client:
        assert client.get("/signon/link", params={"key": "k" * 32}).status_code == 403


def test_proxy_header_is_believed_only_from_the_proxy(state: StateFolder) -> None:
    trust = ProxyTrust.of("X-Forwarded-User", ["10.0.0.5"], "X-Forwarded-Role")
    app = create_app(state.url, state.path, goals={}, proxy=trust)
    header = {"x-forwarded-user": "sam"}
    with TestClient(app, client=("10.0.0.5", 4000)) as proxied:
        page = proxied.get("/", headers=header).text
        assert "sam" in page and "(supervisor)" in page  # the role from the users table
        newcomer = proxied.get("/", headers={"x-forwarded-user": "zoe",
                                             "x-forwarded-role": "supervisor"}).text
        assert "zoe" in newcomer and "(supervisor)" in newcomer  # not in the table: header
    with TestClient(app, client=("10.0.0.6", 4000)) as other:
        assert other.get("/", headers=header, follow_redirects=False).status_code == 303
    with pytest.raises(ValueError, match="not an IP address"):
        ProxyTrust.of("X-Forwarded-User", ["proxy.example"])


def test_only_a_supervisor_may_confirm_and_missing_settings_refuse_a_resubmit(
        state: StateFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LEGACY_URL", "LEGACY_USER", "LEGACY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with TestClient(create_app(state.url, state.path, goals={})) as client:
        sign_on(client, "ana")
        url = f"/items/{state.ids['web']}"
        form = {"csrf": csrf_of(client.get(url).text), "action": "confirm-approval"}
        page = client.post(url, data=form).text
        assert "refused: this needs a supervisor; ana is signed on as analyst" in page
        form = {"csrf": csrf_of(client.get(url).text), "action": "rerun"}
        page = client.post(url, data=form).text
        assert "Rerun refused: this review server was started without" in page
        assert "LEGACY_PASSWORD" in page and "order-entry" in page
    assert _who(state) == []
