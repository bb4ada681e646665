"""The review page's GET handlers: one item, its page images, evidence, insights (the queue's
are in bots.review.queue_page)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bots.kernel.errors import BotError
from bots.ledger.actions import find_item
from bots.review import evidence as evidence_files
from bots.review import forms
from bots.review.insights import insights_context
from bots.review.item_view import item_view, source_path
from bots.review.render import PageUnavailable, render_page
from bots.review.security import csrf_token, keep_csrf_cookie
from bots.review.state import ReviewState


def _review(request: Request) -> ReviewState:
    review: ReviewState = request.app.state.review
    return review


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """A page from a template, with the flash message, the CSRF token and who acts."""
    flash = forms.take_flash(request)
    context = {"flash": flash, "csrf": csrf_token(request), "who": forms.who_from(request),
               **context}
    response = _review(request).templates.TemplateResponse(request, name, context,
                                                           status_code=status)
    keep_csrf_cookie(request, response)
    forms.clear_flash(request, response)
    return response


async def item(request: Request) -> Response:
    item_id = request.path_params["item_id"]
    if request.method == "POST":
        return await forms.act(request, item_id, _review(request))
    review = _review(request)
    try:
        view = await run_in_threadpool(item_view, review.ledger, item_id, review.evidence_dir,
                                       review.project_root, review.goals, _screen(request))
    except BotError as error:
        return render(request, "missing.html", {"message": error.message}, status=404)
    response = render(request, "item.html", {"item": view})
    links = _pager_links(request, view["pager"])
    if links:
        response.headers["link"] = links
    return response


def _screen(request: Request) -> int:
    """The screen of page images asked for (``?pages=2``); the first when absent or odd."""
    asked = request.query_params.get("pages", "1")
    return int(asked) if asked.isdigit() and len(asked) < 7 else 1


def _pager_links(request: Request, pager: dict[str, Any]) -> str:
    """The Link header to the previous and next screens of a long document's pages."""
    links = [f'<{request.url.include_query_params(pages=pager[rel])}>; rel="{rel}"'
             for rel in ("prev", "next") if pager[rel]]
    return ", ".join(links)


async def page_image(request: Request) -> Response:
    """One page of the item's source PDF (its recorded path only) with the value boxes."""
    review = _review(request)
    try:
        found = await run_in_threadpool(find_item, review.ledger, request.path_params["item_id"])
        path = source_path(found["path"], review.project_root)
        png = await run_in_threadpool(render_page, path, request.path_params["number"],
                                      found.get("provenance") or {}, False)
    except (BotError, PageUnavailable):
        return PlainTextResponse("404: no such page", status_code=404)
    return Response(png, media_type="image/png", headers={"cache-control": "no-store"})


async def evidence(request: Request) -> Response:
    return evidence_files.evidence_response(_review(request).evidence_dir,
                                            request.path_params["path"])


async def insights_page(request: Request) -> Response:
    """Insights per recipe over a period (GET: recipe, period, or from and to)."""
    review = _review(request)
    context = await run_in_threadpool(insights_context, review.ledger, review.goals,
                                      dict(request.query_params))
    return render(request, "insights.html", context)
