"""The sign-on gate: every request but the sign-on page itself needs a signed-on person.

The person comes from the trusted proxy's header (when configured, and only from its address)
or from the session cookie; an account's current role and state are read on every request, so
a disabled account or a changed password ends its sessions at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bots.ledger import people
from bots.review.session import SESSION_COOKIE, Person

if TYPE_CHECKING:
    from bots.review.state import ReviewState

OPEN_PATHS = ("/signon", "/static/")  # the sign-on page, its link and its stylesheet


class SignOnGate:
    """ASGI middleware: find the request's person; send anybody else to the sign-on page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        person = await person_of(request, scope["app"].state.review)
        scope.setdefault("state", {})["person"] = person
        if person is None and not scope["path"].startswith(OPEN_PATHS):
            await _to_signon(request)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def person_of(request: Request, review: ReviewState) -> Person | None:
    """Who sends this request: the proxy's person, else the session's, else None."""
    if review.proxy is not None and review.proxy.named(request):
        return await run_in_threadpool(review.proxy.person, request, review.ledger.engine)
    ticket = review.sessions.read(request.cookies.get(SESSION_COOKIE))
    if ticket is None:
        return None
    if ticket.via == "link":  # the person who started the page, while it has no accounts
        return Person(ticket.name, ticket.role, "link")
    account = await run_in_threadpool(people.find_account, review.ledger.engine, ticket.name)
    if account is None or account.disabled or account.epoch != ticket.epoch:
        return None
    return Person(account.name, account.role, "password")


def _to_signon(request: Request) -> Response:
    """GETs go to the sign-on page (and come back after); anything else is refused."""
    if request.method in ("GET", "HEAD"):
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signon?next={quote(wanted, safe='')}", status_code=303)
    return PlainTextResponse("401: sign on first (the session ended or was never started); "
                             "reload the page", status_code=401)
