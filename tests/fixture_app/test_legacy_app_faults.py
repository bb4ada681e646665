"""Fault knobs over real HTTP, and the launcher's clear start-up errors."""

from __future__ import annotations

import time

import httpx
import pytest

from fixtures.legacy_app import LegacyApp, LegacyAppError, launch
from tests.fixture_app.legacy_screen import Screen, submit, to_confirm


def test_error_rate_one_answers_503_but_not_admin(app: LegacyApp,
                                                  client: httpx.Client) -> None:
    app.set_faults(error_rate=1)
    response = client.get("/menu")
    assert response.status_code == 503
    assert "Service Unavailable" in response.text
    assert client.get("/admin/health").json() == {"ok": True}
    app.reset()
    assert client.get("/login").status_code == 200


def test_lose_response_rate_one_still_commits_the_claim(app: LegacyApp,
                                                        client: httpx.Client) -> None:
    confirm = to_confirm(client, **{"External Reference:": "BOT-LOST1"})
    app.set_faults(lose_response_rate=1)
    response = submit(client, confirm, {}, "Submit Claim")
    assert response.status_code == 503
    assert "Claim Reference:" not in Screen(response).values
    [claim] = app.claims()
    assert claim["external_ref"] == "BOT-LOST1"


def test_latency_and_hang_delay_pages_but_not_admin(app: LegacyApp,
                                                    anonymous: httpx.Client) -> None:
    app.set_faults(latency_ms=150, hang_rate=1, hang_s=0.2)
    started = time.monotonic()
    assert anonymous.get("/login").status_code == 200
    assert time.monotonic() - started >= 0.35
    started = time.monotonic()
    anonymous.get("/admin/health")
    assert time.monotonic() - started < 0.3


def test_faults_endpoint_reports_and_rejects_unknown_knobs(app: LegacyApp) -> None:
    app.set_faults(error_rate=0.25, seed=7)
    assert app.faults()["error_rate"] == 0.25
    assert app.faults()["seed"] == 7
    with pytest.raises(LegacyAppError, match="unknown fault knob 'eror_rate'"):
        app.set_faults(eror_rate=1)
    with pytest.raises(LegacyAppError, match="between 0 and 1"):
        app.set_faults(error_rate=2)


def test_missing_credentials_refuse_to_start() -> None:
    with pytest.raises(LegacyAppError, match="set LEGACY_PASSWORD in the environment"):
        launch(env={"LEGACY_USER": "clerk", "LEGACY_PASSWORD": ""})


def test_bad_legacy_faults_env_refuses_to_start() -> None:
    env = {"LEGACY_USER": "u", "LEGACY_PASSWORD": "p", "LEGACY_FAULTS": "error_rate"}
    with pytest.raises(LegacyAppError, match="LEGACY_FAULTS: 'error_rate' is not k=v"):
        launch(env=env)
