"""The fast subset (`-m "not browser and not slow"`) holds no test that drives a browser, marked
in its file or not (tests/conftest.py marks them), and keeps the tests that need none."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = ("tests/e2e/test_claims_intake.py", "tests/e2e/test_batch_session.py",
         "tests/steps/web/test_find_fields.py", "tests/steps/web/test_web_steps.py",
         "tests/steps/web/test_web_browser.py", "tests/fixture_app/test_legacy_app_screens.py",
         "tests/steps/web/test_heal_memory.py")
# one collection in a child process (nothing runs); prints {test id: [its marks]}
COLLECT = """\
import json, sys
import pytest

class Marks:
    found = {}

    def pytest_collection_finish(self, session):
        self.found = {item.nodeid: sorted(m.name for m in item.iter_markers())
                      for item in session.items}

marks = Marks()
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-n", "0",
                    *sys.argv[1:]], plugins=[marks])
print("MARKS " + json.dumps(marks.found))
sys.exit(code)
"""


@pytest.fixture(scope="module")
def marks() -> dict[str, set[str]]:
    """Each collected test of FILES and the marks it carries once collected."""
    result = subprocess.run([sys.executable, "-c", COLLECT, *FILES], cwd=ROOT,
                            capture_output=True, text=True, check=False, timeout=300)
    line = next((x for x in result.stdout.splitlines() if x.startswith("MARKS ")), None)
    assert result.returncode == 0 and line, result.stdout[-2000:] + result.stderr[-2000:]
    return {test: set(names) for test, names in json.loads(line[6:]).items()}


def fast_subset(marks: dict[str, set[str]]) -> list[str]:
    return [test for test, names in marks.items() if not names & {"browser", "slow"}]


def test_the_fast_subset_leaves_out_every_browser_test(marks: dict[str, set[str]]) -> None:
    fast = fast_subset(marks)
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


def test_every_test_of_an_unmarked_e2e_file_is_marked(marks: dict[str, set[str]]) -> None:
    batch_session = [names for test, names in marks.items()
                     if test.startswith("tests/e2e/test_batch_session.py")]
    assert batch_session and all("browser" in names for names in batch_session)
