"""The queue's bulk actions on the ticked items: assign, retry, reject, with one confirmation.

The first post (the queue's form) changes nothing: it answers a page listing the chosen items
and the action, whose button posts again with ``confirm=1``; that second post does it. Each
post carries a one-time CSRF token; each item is authorized and audited in the signed-on
person's name, and the ones refused are named in the answer.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bots.review import forms, pages
from bots.review.bulk_actions import BULK_ACTIONS, BulkAsk, carry_out, chosen_items
from bots.review.bulk_actions import problem as ask_problem
from bots.review.queue import FILTERS
from bots.review.security import csrf_problem, form_tokens
from bots.review.state import ReviewState

BACK_KEYS = ("view", "q", "sort", "dir", *FILTERS)  # the queue query a bulk action returns to


async def bulk(request: Request) -> Response:
    """POST /bulk: the confirmation page first; with ``confirm=1``, the action."""
    review: ReviewState = request.app.state.review
    form = await request.form()
    token = _text(form, "csrf")
    refused = csrf_problem(request, token or None)
    if refused:
        return PlainTextResponse(f"403: {refused}", status_code=403)
    spent = form_tokens(request).spend(token)  # before anything: a replay does nothing
    ask = _ask(request, form)
    problem = (spent[0].upper() + spent[1:] + ".") if spent else None
    problem = problem or await run_in_threadpool(ask_problem, ask, review)
    if problem:
        return _back(request, ask, "error", problem)
    if _text(form, "confirm") != "1":
        return await _confirmation(request, ask, review)
    kind, text = await carry_out(request, ask, review)
    return _back(request, ask, kind, text)


def _ask(request: Request, form: FormData) -> BulkAsk:
    back = {key: _text(form, f"back_{key}") for key in BACK_KEYS}
    return BulkAsk(action=_text(form, "action"), items=[value for value in form.getlist("item")
                                         if isinstance(value, str)],
                   to=_text(form, "to").strip(), reason=_text(form, "reason").strip(),
                   who=forms.who_from(request), back={k: v for k, v in back.items() if v})


def _text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


async def _confirmation(request: Request, ask: BulkAsk, review: ReviewState) -> Response:
    chosen = await run_in_threadpool(chosen_items, review.ledger, ask.items)
    return pages.render(request, "bulk_confirm.html", {
        "ask": ask, "chosen": chosen, "label": BULK_ACTIONS[ask.action],
        "back_query": ask.back})


def _back(request: Request, ask: BulkAsk, kind: str, text: str) -> Response:
    url = request.url_for("queue").include_query_params(**ask.back)
    response = RedirectResponse(url, status_code=303)
    forms.set_flash(request, response, kind, text)
    return response
