"""The fast subset (`-m "not browser and not slow"`) holds no test that drives a browser, marked
in its file or not (tests/conftest.py marks them), and keeps the tests that need none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ("tests/e2e/test_claims_intake.py", "tests/e2e/test_batch_session.py",
         "tests/steps/web/test_find_fields.py", "tests/steps/web/test_web_steps.py",
         "tests/steps/web/test_web_browser.py", "tests/fixture_app/test_legacy_app_screens.py",
         "tests/steps/web/test_heal_memory.py")


def collected(marks: str) -> list[str]:
    """The test ids pytest collects from FILES with `-m marks` (nothing runs)."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-m", marks, *FILES], cwd=ROOT, capture_output=True, text=True, check=False,
        timeout=300)
    assert result.returncode in (0, 5), result.stdout[-2000:] + result.stderr[-2000:]
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_the_fast_subset_leaves_out_every_browser_test() -> None:
    fast = collected("not browser and not slow")
    files = {test.split("::")[0] for test in fast}
    # e2e (unmarked file: test_batch_session), a page from the browser pool, a browser of
    # the test's own: none is fast, whether its file carries the mark or not
    assert not files & {"tests/e2e/test_claims_intake.py", "tests/e2e/test_batch_session.py",
                        "tests/steps/web/test_find_fields.py",
                        "tests/steps/web/test_heal_memory.py"}, fast
    # steps against the fixture app in a browser go, their documented examples stay
    web_steps = [test for test in fast if test.startswith("tests/steps/web/test_web_steps.py")]
    assert web_steps and all("test_documented_example_is_valid" in test for test in web_steps)
    # choosing a browser binary and the fixture app over plain HTTP need no browser
    assert "tests/steps/web/test_web_browser.py" in files
    assert "tests/fixture_app/test_legacy_app_screens.py" in files


def test_browser_selects_exactly_what_the_fast_subset_leaves_out() -> None:
    browser, everything = collected("browser and not slow"), collected("not slow")
    fast = collected("not browser and not slow")
    assert browser and fast
    assert sorted(browser + fast) == sorted(everything)
    assert any(test.startswith("tests/e2e/test_batch_session.py") for test in browser)
