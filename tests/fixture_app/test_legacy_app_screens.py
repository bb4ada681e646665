"""Sign-on, sessions, generated ids, policy inquiry and claim search over real HTTP."""

from __future__ import annotations

import time

import httpx

from fixtures.legacy_app import LegacyApp
from tests.fixture_app.legacy_screen import CREDENTIALS, Screen, get, register_claim, submit


def sign_on(client: httpx.Client, user: str, password: str) -> httpx.Response:
    login = get(client, "/login")
    data = login.form_data({"User ID:": user, "Password:": password}, "Sign On")
    return client.post("/login", data=data)


def test_sign_on_sets_an_httponly_session_cookie_and_goes_to_the_menu(
        anonymous: httpx.Client) -> None:
    response = sign_on(anonymous, CREDENTIALS["LEGACY_USER"], CREDENTIALS["LEGACY_PASSWORD"])
    assert response.status_code == 303
    assert response.headers["location"] == "/menu"
    assert "LEGSESS=" in response.headers["set-cookie"]
    assert "httponly" in response.headers["set-cookie"].lower()
    menu = get(anonymous, "/menu")
    assert menu.title == "Main Menu"
    assert "ACME MUTUAL - CLAIMS SYSTEM v3.2" in menu.response.text


def test_wrong_password_shows_red_error_and_no_session(anonymous: httpx.Client) -> None:
    response = sign_on(anonymous, CREDENTIALS["LEGACY_USER"], "wrong")
    screen = Screen(response)
    assert response.status_code == 200
    assert screen.errors == ["Invalid user ID or password."]
    assert "LEGSESS" not in anonymous.cookies


def test_pages_without_a_session_redirect_to_login_with_the_expired_message(
        anonymous: httpx.Client) -> None:
    response = anonymous.get("/policy/inquiry")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?expired=1"
    screen = get(anonymous, "/policy/inquiry")
    assert screen.errors == ["Your session has expired. Please sign on again."]
    assert set(screen.fields) == {"User ID:", "Password:"}


def test_idle_session_expires(app: LegacyApp, client: httpx.Client) -> None:
    app.set_faults(session_idle_s=0.3)
    assert get(client, "/menu").title == "Main Menu"
    time.sleep(0.5)
    screen = get(client, "/menu")
    assert screen.title == "Sign On"
    assert screen.errors == ["Your session has expired. Please sign on again."]


def test_expire_rate_ends_sessions_mid_form(app: LegacyApp, client: httpx.Client) -> None:
    app.set_faults(expire_rate=1.0)
    screen = get(client, "/claim/new")
    assert screen.title == "Sign On"
    assert screen.errors == ["Your session has expired. Please sign on again."]
    app.set_faults(expire_rate=0.0)
    assert client.get("/menu").headers["location"] == "/login?expired=1"  # it stays ended


def test_sign_off_ends_the_session(client: httpx.Client) -> None:
    assert get(client, "/logout").title == "Sign On"
    assert client.get("/menu").headers["location"] == "/login?expired=1"


def test_field_names_and_ids_are_generated_per_page_load(client: httpx.Client) -> None:
    first, second = get(client, "/claim/new"), get(client, "/claim/new")
    assert set(first.fields) == {"Policy Number:", "Claimant Name:", "Phone:"}
    for label, name in first.fields.items():
        assert name.startswith("f_")
        assert first.ids[name] == name
        assert second.fields[label] != name
    assert "<label" not in first.response.text


def inquire(client: httpx.Client, number: str) -> Screen:
    return Screen(submit(client, get(client, "/policy/inquiry"),
                         {"Policy Number:": number}, "Inquire"))


def test_inquiry_shows_the_policy_case_insensitively(client: httpx.Client) -> None:
    screen = inquire(client, "  pol-100234 ")
    assert screen.errors == []
    assert screen.values == {
        "Policy Number:": "POL-100234", "Policy Holder:": "Maria Keller", "Product:": "Home",
        "Status:": "ACTIVE", "Effective Date:": "01/01/2025", "Expiry Date:": "12/31/2026",
        "Coverage Limit:": "25,000.00 EUR"}


def test_inquiry_of_unknown_policy_is_red_not_found(client: httpx.Client) -> None:
    screen = inquire(client, "POL-999999")
    assert screen.errors == ["POLICY NOT FOUND"]
    assert "Policy Holder:" not in screen.values


def search(client: httpx.Client, ref: str) -> Screen:
    return Screen(submit(client, get(client, "/claim/search"),
                         {"External Reference:": ref}, "Search"))


def test_search_finds_claim_by_external_reference(app: LegacyApp, client: httpx.Client) -> None:
    reference = register_claim(client, **{"External Reference:": "BOT-ABC123"})
    screen = search(client, "bot-abc123")
    assert screen.values["Claim Reference:"] == reference
    assert screen.grid[0] == ["Claim Reference", "Policy Number", "External Reference",
                              "Date of Loss", "Amount", "Status"]
    assert screen.grid[1] == [reference, "POL-100234", "BOT-ABC123", "03/14/2026",
                              "1,250.00", "REGISTERED"]


def test_search_without_match_is_red_no_claims(client: httpx.Client) -> None:
    screen = search(client, "NOPE-1")
    assert screen.errors == ["No claims found."]
    assert screen.grid == []
    assert "Claim Reference:" not in screen.values
