"""The sign-on page, sign-off, and the one-time link of a page that has no accounts yet.

A failed sign-on is logged with the name tried and the address, never the password; after
too many for one name (or from one address) the page asks to wait before checking again.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bots.ledger import people
from bots.review.security import csrf_problem, csrf_token, form_tokens, keep_csrf_cookie
from bots.review.session import current_person
from bots.review.state import ReviewState

LOG = logging.getLogger("bots.review.signon")
WRONG = "Wrong name or password (or the account is disabled)."


def _review(request: Request) -> ReviewState:
    review: ReviewState = request.app.state.review
    return review


def next_path(request: Request, given: str | None = None) -> str:
    """Where to go after signing on: a path of this page only (never another site)."""
    wanted = given if given is not None else request.query_params.get("next", "/")
    local = wanted.startswith("/") and not wanted.startswith(("//", "/\\"))
    return wanted if local and not wanted.startswith("/signon") else "/"


async def signon_page(request: Request) -> Response:
    """GET: the sign-on form (or straight on, for someone already signed on)."""
    if current_person(request) is not None:
        return RedirectResponse(next_path(request), status_code=303)
    return await _form(request, "")


async def _form(request: Request, error: str, status: int = 200) -> Response:
    review = _review(request)
    context: dict[str, Any] = {
        "error": error, "next": next_path(request, request.query_params.get("next")),
        "csrf": csrf_token(request), "flash": None, "who": "",
        "no_accounts": not await run_in_threadpool(review.has_accounts)}
    response = review.templates.TemplateResponse(request, "signon.html", context,
                                                 status_code=status)
    keep_csrf_cookie(request, response)
    return response


async def signon(request: Request) -> Response:
    """POST: check the name and password; a session cookie and on to the page asked for."""
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    problem = csrf_problem(request, fields.get("csrf"))
    if problem:
        return PlainTextResponse(f"403: {problem}", status_code=403)
    form_tokens(request).spend(fields["csrf"])
    name, review = fields.get("name", "").strip(), _review(request)
    address = request.client.host if request.client else "-"
    refused = await _check(review, name, fields.get("password", ""), address)
    if isinstance(refused, tuple):
        return await _form(request, *refused)
    response = RedirectResponse(next_path(request, fields.get("next")), status_code=303)
    review.sessions.issue(response, refused.name, "password", epoch=refused.epoch,
                          secure=request.url.scheme == "https")
    return response


async def _check(review: ReviewState, name: str, password: str,
                 address: str) -> people.Account | tuple[str, int]:
    """The account signing on, or (why not, HTTP status); every refusal logged, never the
    password; a name or address past its limit is not even checked."""
    wait = review.failures.wait_s(name, address)
    if wait:
        LOG.warning("sign-on refused without checking: too many failures (name %r, from %s)",
                    name[:60], address)
        return f"Too many failed sign-ons: wait {wait // 60 + 1} minutes and try again.", 429
    account = await run_in_threadpool(people.verify, review.ledger.engine, name, password)
    if account is None:
        review.failures.failed(name, address)
        LOG.warning("failed sign-on (name %r, from %s)", name[:60], address)
        return WRONG, 401
    review.failures.succeeded(name)
    LOG.info("signed on: %s (%s) from %s", account.name, account.role, address)
    return account


async def signon_link(request: Request) -> Response:
    """GET /signon/link?key=...: the one-time link printed on start while there are no
    accounts: signs on the person who started the page, as supervisor."""
    review = _review(request)
    link = review.first_link
    usable = link is not None and not await run_in_threadpool(review.has_accounts)
    if link is None or not usable or not link.take(request.query_params.get("key", "")):
        return await _form(request, "This sign-on link is used already, wrong, or the page "
                           "has accounts now: sign on with your account.", status=403)
    response = RedirectResponse("/", status_code=303)
    review.sessions.issue(response, link.name, "link", role="supervisor",
                          secure=request.url.scheme == "https")
    LOG.info("signed on by the one-time link: %s", link.name)
    return response


async def signoff(request: Request) -> Response:
    """POST: sign off this browser (a proxy's person is signed off at the proxy)."""
    form = await request.form()
    token = form.get("csrf")
    problem = csrf_problem(request, token if isinstance(token, str) else None)
    if problem:
        return PlainTextResponse(f"403: {problem}", status_code=403)
    response = RedirectResponse("/signon", status_code=303)
    _review(request).sessions.end(request, response)
    return response
