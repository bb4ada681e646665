"""The review page's guards: CSRF, evidence confinement, the access token, the bind check."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bots.commands.review import review
from bots.review import create_app
from tests.review.review_helpers import StateFolder, csrf_of, review_without_token, sign_on

TOKEN = "t0ken-for-the-review-tests-0123456789"


def _audit(state: StateFolder, key: str) -> list[dict[str, object]]:
    ledger = state.ledger()
    try:
        return ledger.audit_trail(state.ids[key])
    finally:
        ledger.close()


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_post_without_the_right_csrf_token_is_refused(client: TestClient, state: StateFolder,
                                                      token: str | None) -> None:
    url = f"/items/{state.ids['over_limit']}"
    client.get(url)  # the browser now holds a CSRF cookie
    form = {"action": "reject", "reason": "forged", "who": "mallory"}
    if token is not None:
        form["csrf"] = token
    response = client.post(url, data=form, follow_redirects=False)
    assert response.status_code == 403
    assert _audit(state, "over_limit") == []
    assert "a1a1a1a1a1" in client.get("/").text  # still open


def test_post_from_another_origin_is_refused(client: TestClient, state: StateFolder) -> None:
    url = f"/items/{state.ids['over_limit']}"
    token = csrf_of(client.get(url).text)
    response = client.post(url, data={"action": "comment", "text": "hi", "who": "eve",
                                      "csrf": token},
                           headers={"origin": "http://evil.example"}, follow_redirects=False)
    assert response.status_code == 403 and _audit(state, "over_limit") == []


def test_security_headers_on_every_page(client: TestClient) -> None:
    headers = client.get("/").headers
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("asked", [
    "../bots.sqlite", "%2e%2e/bots.sqlite", "..%2fbots.sqlite", "%2e%2e%2fbots.sqlite",
    "a/../../bots.sqlite", "/etc/passwd", "%2fetc%2fpasswd", "//etc/passwd", "outside-link",
    "folder-link/secret.txt", "nothing.png", "", "%00"])
def test_evidence_outside_the_evidence_folder_is_404(client: TestClient, state: StateFolder,
                                                     tmp_path: Path, asked: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve", encoding="utf-8")
    (state.evidence / "outside-link").symlink_to(secret)
    (state.evidence / "folder-link").symlink_to(tmp_path, target_is_directory=True)
    response = client.get(f"/evidence/{asked}")
    assert response.status_code == 404, asked
    assert "do not serve" not in response.text and "SQLite" not in response.text


def test_with_a_token_requests_without_it_get_401(state: StateFolder) -> None:
    with TestClient(create_app(state.url, state.path, token=TOKEN)) as client:
        assert client.get("/").status_code == 401
        assert client.get("/signon").status_code == 401  # the token guards sign-on too
        assert client.get("/", headers={"authorization": "Bearer nope"}).status_code == 401
        bearer = client.get("/", headers={"authorization": f"Bearer {TOKEN}"},
                            follow_redirects=False)
        assert bearer.status_code == 303 and bearer.headers["location"].startswith("/signon")
        first = client.get(f"/?token={TOKEN}", follow_redirects=False)
        assert first.status_code == 303 and "token" not in first.headers["location"]
        assert sign_on(client).status_code == 303  # the cookie carries the token; then a person
        assert "a1a1a1a1a1" in client.get("/").text


def test_non_loopback_bind_without_token_refuses_to_start(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("BOTS_REVIEW_TOKEN", raising=False)
    assert review(host="0.0.0.0", port=1) == 2
    assert "set BOTS_REVIEW_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("BOTS_REVIEW_TOKEN", "short")
    assert review(host="0.0.0.0", port=1) == 2
    assert "too short" in capsys.readouterr().err


def test_runner_review_refuses_a_public_bind_without_token(tmp_path: Path) -> None:
    done = review_without_token(tmp_path, "0.0.0.0")
    assert done.returncode == 2
    assert "BOTS_REVIEW_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_loopback_bind_rejects_foreign_host_headers(state: StateFolder) -> None:
    app = create_app(state.url, state.path, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://rebound.example") as client:
        assert client.get("/").status_code == 400


@pytest.mark.parametrize("asked", ["../bots.sqlite", "/etc/passwd", "x/../../bots.sqlite",
                                   "outside-link", "folder-link/secret.txt", "a\x00b"])
def test_inside_refuses_paths_that_resolve_outside(state: StateFolder, tmp_path: Path,
                                                   asked: str) -> None:
    from bots.review.evidence import inside

    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve", encoding="utf-8")
    (state.evidence / "outside-link").symlink_to(secret)
    (state.evidence / "folder-link").symlink_to(tmp_path, target_is_directory=True)
    assert inside(state.evidence, asked) is None
    folder = state.ids["web"].replace("/", "_")
    assert inside(state.evidence, f"{folder}/submit.png") is not None
