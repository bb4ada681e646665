"""Fixtures every test folder may use, and the marks every browser test gets by itself.

A test is marked ``browser`` when it drives a real Chromium: it lives under tests/e2e (every
test there runs a recipe against the fixture app), it uses a fixture that starts the fixture
app for a browser or a browser itself (BROWSER_FIXTURES, also when a fixture it uses does), or
its module imports Playwright or the browser pool. So ``-m "not browser"`` is the fast subset
whatever a test file's author remembered to mark.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

POSTGRES = "postgresql://root@127.0.0.1:5432"
TESTS = Path(__file__).resolve().parent
BROWSER_FOLDERS = ("e2e",)
BROWSER_FIXTURES = frozenset({"legacy_app", "browser", "page", "pool", "browser_pool",
                              "wait_browser", "practice"})
BROWSER_MODULES = ("playwright.", "bots.web.session")  # Playwright itself, BrowserPool


def drives_a_browser(item: pytest.Item) -> bool:
    """Whether the test drives a Chromium (see the module's docstring for the rules)."""
    path = Path(str(item.path)).resolve()
    if path.is_relative_to(TESTS) and path.relative_to(TESTS).parts[0] in BROWSER_FOLDERS:
        return True
    if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    module = getattr(item, "module", None)
    return module is not None and any(_from_browser_module(value)
                                      for value in vars(module).values())


def _from_browser_module(value: Any) -> bool:
    if not (inspect.isclass(value) or inspect.isfunction(value)):
        return False
    return str(getattr(value, "__module__", "")).startswith(BROWSER_MODULES)


def pytest_configure(config: pytest.Config) -> None:
    """Keep the files in the order `by_length` gives (xdist's --no-loadscope-reorder, set here:
    a change to pyproject.toml makes every runner start reinstall the project into the venv),
    and name the mark that moves a shared build's first reader forward."""
    if hasattr(config.option, "loadscopereorder"):  # xdist is loaded
        config.option.loadscopereorder = False
    config.addinivalue_line("markers", "builds_early: the module that builds what other modules "
                            "read (tests/built_once.py) runs before the other browser files, so "
                            "that those find the build done instead of waiting for it")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every browser test ``browser``, whether or not its file says so; then order them
    longest first (see `by_length`)."""
    for item in items:
        if not item.get_closest_marker("browser") and drives_a_browser(item):
            item.add_marker(pytest.mark.browser)
    items.sort(key=by_length)  # stable: a file's tests stay in their order


def by_length(item: pytest.Item) -> tuple[bool, ...]:
    """The ``slow`` tests (the soaks, a minute a file) first, then the browser ones (seconds
    a test; a shared build's ``builds_early`` module before the others), then the rest
    (milliseconds): with --dist loadfile the workers take whole files in this order
    (`pytest_configure` keeps it; xdist's own order, files with the most tests first, put
    the soaks last), so the short files fill the end of the run and neither worker is left
    alone on a long file while the other has nothing to do."""
    return tuple(item.get_closest_marker(mark) is None
                 for mark in ("slow", "builds_early", "browser"))


@pytest.fixture
def database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (skipped where no server runs)."""
    psycopg = pytest.importorskip("psycopg")
    name = f"bots_test_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 for the scale-out test ({error})")
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{POSTGRES}/{name}"
    admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()
