"""Finding a Chromium, its switches, and the web section's validation (no browser started)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import playwright
import pytest
from pydantic import ValidationError

from bots.kernel.errors import ApplicationError
from bots.web import WebConfig, browser, find_browser, launch_args


def web(values: dict[str, object]) -> WebConfig:
    return WebConfig.model_validate(values)


def executable(path: Path) -> str:
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def no_system_browsers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("BOTS_BROWSER", raising=False)
    monkeypatch.setattr(browser, "HEADLESS_ONLY", ())
    monkeypatch.setattr(browser, "SYSTEM_BROWSERS", ())
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    return tmp_path


def test_env_browser_wins_over_everything(no_system_browsers: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = executable(no_system_browsers / "my-chrome")
    monkeypatch.setenv("BOTS_BROWSER", chosen)
    assert find_browser(executable(no_system_browsers / "bundled")) == chosen


def test_env_browser_that_is_missing_is_named(no_system_browsers: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOTS_BROWSER", "/nowhere/chrome")
    with pytest.raises(ApplicationError, match="BOTS_BROWSER=/nowhere/chrome") as raised:
        find_browser()
    assert raised.value.code == "BROWSER_ERROR"


def test_playwrights_own_chromium_comes_next(no_system_browsers: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "SYSTEM_BROWSERS", (executable(no_system_browsers / "c"),))
    assert find_browser(executable(no_system_browsers / "bundled")) is None


def test_system_order_headless_shell_only_when_headless(no_system_browsers: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    shell = executable(no_system_browsers / "chromium-headless-shell")
    full = executable(no_system_browsers / "chromium-full")
    monkeypatch.setattr(browser, "HEADLESS_ONLY", (shell,))
    monkeypatch.setattr(browser, "SYSTEM_BROWSERS", (full,))
    assert find_browser(str(no_system_browsers / "missing-bundled")) == shell
    assert find_browser(None, visible=True) == full


def test_browser_on_path_is_the_last_resort(no_system_browsers: Path) -> None:
    on_path = executable(no_system_browsers / "chromium-browser")
    assert find_browser(None) == on_path


def test_no_browser_says_how_to_install_one(no_system_browsers: Path) -> None:
    with pytest.raises(ApplicationError) as raised:
        find_browser(None)
    assert raised.value.code == "BROWSER_ERROR"
    assert "apt-get install -y chromium-headless-shell" in raised.value.message
    assert "playwright install chromium" in raised.value.message


def test_isolation_allows_only_loopback_and_the_target(monkeypatch: pytest.MonkeyPatch) -> None:
    args = launch_args("legacy.example", isolate_network=True)
    assert "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1 , " \
           "EXCLUDE legacy.example" in args
    assert {"--disable-quic", "--no-first-run", "--disable-sync"} <= set(args)
    assert not any(a.startswith("--host-resolver") for a in launch_args("x", isolate_network=False))


def test_no_sandbox_only_as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert "--no-sandbox" in launch_args("h", isolate_network=False)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert "--no-sandbox" not in launch_args("h", isolate_network=False)


def test_isolation_defaults_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    config = web({"base_url": "http://127.0.0.1:1"})
    monkeypatch.setenv("BOTS_ISOLATE_NETWORK", "0")
    assert config.isolated is False
    monkeypatch.delenv("BOTS_ISOLATE_NETWORK")
    assert config.isolated is True
    assert web({"base_url": "http://h", "isolate_network": False}).isolated is False


def test_web_section_rejects_unknown_keys_and_relative_base_url() -> None:
    with pytest.raises(ValidationError, match="absolute http"):
        web({"base_url": "legacy:8080"})
    with pytest.raises(ValidationError, match="timeout"):
        web({"base_url": "http://h", "timeout": 3})


def test_url_joins_paths_below_the_base() -> None:
    assert web({"base_url": "http://h:1/app"}).url("/claim/new") == \
        "http://h:1/app/claim/new"
    assert web({"base_url": "http://h:1/"}).url("login") == "http://h:1/login"


def test_playwrights_download_folder_is_found_without_starting_it(
        no_system_browsers: Path) -> None:
    manifest = Path(playwright.__file__).parent / "driver/package/browsers.json"
    revision = next(b["revision"] for b in json.loads(manifest.read_text())["browsers"]
                    if b["name"] == "chromium")
    folder = no_system_browsers / f"ms-playwright/chromium-{revision}/chrome-linux64"
    folder.mkdir(parents=True)
    assert browser.playwright_chromium() is None
    assert find_browser(executable(folder / "chrome")) is None
    assert browser.playwright_chromium() == str(folder / "chrome")
    assert find_browser() is None


def test_the_drivers_compiled_code_is_kept_in_the_users_cache(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NODE_COMPILE_CACHE", raising=False)
    monkeypatch.delenv("NODE_DISABLE_COMPILE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    browser.cache_driver_code()
    cache = tmp_path / "bots" / "node-compile-cache"
    assert os.environ["NODE_COMPILE_CACHE"] == str(cache)
    from playwright.sync_api import sync_playwright

    with sync_playwright():  # the driver alone: Node writes the cache as it starts
        pass
    assert any(path.is_file() for path in cache.rglob("*")), "Node kept no compiled code"


def test_a_cache_folder_the_user_set_or_turned_off_is_left_alone(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NODE_COMPILE_CACHE", str(tmp_path / "mine"))
    browser.cache_driver_code()
    assert os.environ["NODE_COMPILE_CACHE"] == str(tmp_path / "mine")
    monkeypatch.delenv("NODE_COMPILE_CACHE")
    monkeypatch.setenv("NODE_DISABLE_COMPILE_CACHE", "1")
    browser.cache_driver_code()
    assert "NODE_COMPILE_CACHE" not in os.environ
