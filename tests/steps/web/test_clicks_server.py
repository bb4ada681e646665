"""Clicks against a real HTTP server on a free port: a post answered by a redirect (the
post/redirect/get of most legacy screens) returns the last page's response, and a server error
comes back as the response for the caller to judge."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.async_api import Browser, Page

from bots.web.clicks import click_and_wait
from bots.web.targets import Button, Found
from tests.steps.web.web_helpers import Run

pytestmark = pytest.mark.browser

FORM = b"""<!doctype html><meta charset="utf-8"><title>Claim</title>
<form method="post" action="/save"><input name="claim" value="C-7"><button>Save</button></form>
<form method="post" action="/broken"><button>Break</button></form>"""


class Screens(BaseHTTPRequestHandler):
    """The form, its post (303 to the result page), the result, and a post that fails."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = FORM if self.path == "/form" else b"<h1>Saved claim 7</h1>"
        self._answer(200, body)

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/save":
            self.send_response(303)
            self.send_header("Location", "/done?id=7")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._answer(500, b"<h1>Internal error</h1>")

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass  # quiet test output


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Screens)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def page(run: Run, wait_browser: Browser, server: str) -> Iterator[Page]:
    context = run(wait_browser.new_context())
    opened = run(context.new_page())
    run(opened.goto(f"{server}/form"))
    yield opened
    run(context.close())


def click(run: Run, page: Page, name: str) -> object:
    found = Found(locator=page.get_by_role("button", name=name), kind="button", how="text")
    return run(click_and_wait(page, found, Button(text=name), timeout_s=5))


def test_a_post_answered_by_a_redirect_returns_the_last_page(run: Run, page: Page,
                                                             server: str) -> None:
    clicked = click(run, page, "Save")
    assert clicked.navigated  # type: ignore[attr-defined]
    assert clicked.response.status == 200  # type: ignore[attr-defined]
    assert clicked.response.url == f"{server}/done?id=7"  # type: ignore[attr-defined]
    assert run(page.inner_text("h1")) == "Saved claim 7"


def test_a_server_error_is_the_response_the_caller_judges(run: Run, page: Page) -> None:
    clicked = click(run, page, "Break")
    assert clicked.navigated and clicked.response.status == 500  # type: ignore[attr-defined]
