"""The queue's GET handlers: the page (``/``) and its CSV export (``/queue.csv``), both from
the same query (status view, filters, search, sort)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from bots.review import forms, pages
from bots.review.bulk_actions import BULK_ACTIONS, assignable
from bots.review.queue import FILTERS, VIEWS, QueueQuery, queue_view
from bots.review.queue_csv import file_name, queue_csv
from bots.review.queue_search import SORTS, sort_choice
from bots.review.state import ReviewState

MAX_SEARCH = 200
MAX_ROWS = 500  # rows on the page (a page of thousands is megabytes); the CSV has them all


def query_of(params: QueryParams, me: str) -> QueueQuery:
    """The queue query a page's URL asks for (unknown views and sorts fall back to defaults)."""
    view = params.get("view", "open")
    sort, direction = sort_choice(params.get("sort", ""), params.get("dir", ""))
    return QueueQuery(view=view if view in VIEWS else "open",
                      chosen={key: params.get(key, "") for key in FILTERS},
                      search=params.get("q", "")[:MAX_SEARCH], sort=sort, direction=direction,
                      me=me)


async def queue(request: Request) -> Response:
    """GET /: the queue page."""
    review: ReviewState = request.app.state.review
    query = query_of(request.query_params, forms.who_from(request))
    view = await run_in_threadpool(queue_view, review.ledger, query, review.goals)
    people = await run_in_threadpool(assignable, review, query.me)
    return pages.render(request, "queue.html", {
        "view": view, "missing_env": review.missing_env, "people": people,
        "links": links(request.query_params, query), "bulk_actions": BULK_ACTIONS,
        "max_rows": MAX_ROWS})


async def queue_export(request: Request) -> Response:
    """GET /queue.csv: the rows the same URL's page shows, as a CSV download."""
    review: ReviewState = request.app.state.review
    query = query_of(request.query_params, forms.who_from(request))
    view = await run_in_threadpool(queue_view, review.ledger, query, review.goals)
    name = file_name(query.view, datetime.now(UTC).strftime("%Y%m%d-%H%M"))
    return Response(queue_csv(view.rows), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"',
                             "cache-control": "no-store"})


def links(params: QueryParams, query: QueueQuery) -> dict[str, dict[str, str]]:
    """The query strings of the page's links: each status view (search kept, filters
    dropped), each sortable column (the same column again turns its direction round), and
    the CSV of what is shown."""
    kept = {key: value for key, value in params.items() if value}
    views = {view: _query({"view": view, **({"q": query.search} if query.search else {})})
             for view in VIEWS}
    sorts = {sort: _query({**kept, "sort": sort, "dir": _next_direction(query, sort)})
             for sort in SORTS}
    return {"views": views, "sorts": sorts, "csv": {"all": _query(kept)}}


def _next_direction(query: QueueQuery, sort: str) -> str:
    if query.sort == sort:
        return "asc" if query.direction == "desc" else "desc"
    return "desc" if sort == "age" else "asc"  # the oldest first, the soonest due first


def _query(values: dict[str, str]) -> str:
    return "?" + urlencode(values) if values else ""
