"""The queue's bulk retry: the selected system failures run again in the background, at once.

One form posts the ticked items; each must be an open system failure whose recipe this server
has the settings for, else it is named in the answer and left alone (a correction or an
approval is a decision per item, not a bulk one).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bots.review import decide, forms, roles
from bots.review.security import csrf_problem, form_tokens
from bots.review.state import ReviewState

MAX_SELECTED = 200  # one click, one answer: a larger batch is `runner.py exceptions retry --all`


async def bulk_retry(request: Request) -> Response:
    """POST /bulk-retry: retry the ticked system failures; back to the queue with a message."""
    app_state: ReviewState = request.app.state.review
    form = await request.form()
    token = form.get("csrf")
    problem = csrf_problem(request, token if isinstance(token, str) else None)
    if problem:
        return PlainTextResponse(f"403: {problem}", status_code=403)
    spent = form_tokens(request).spend(str(token))
    selected = [value for value in form.getlist("item") if isinstance(value, str)]
    kind, text = await _retry_selected(request, app_state, selected, spent)
    response = RedirectResponse(request.url_for("queue"), status_code=303)
    forms.set_flash(request, response, kind, text)
    return response


async def _retry_selected(request: Request, app_state: ReviewState, selected: list[str],
                          spent: str | None) -> tuple[str, str]:
    who = forms.who_from(request)
    if spent:
        return "error", spent[0].upper() + spent[1:] + "."
    if not selected:
        return "error", "Tick the system failures to retry first."
    if len(selected) > MAX_SELECTED:
        return "error", (f"{len(selected)} items ticked; at most {MAX_SELECTED} at once "
                         "(`python runner.py exceptions retry --all` for more)")
    allowed: list[str] = []
    refused: list[str] = []
    for item_id in selected:
        problem = await roles.refusal(request, "rerun", item_id, app_state)
        (refused if problem else allowed).append(f"{item_id}: {problem}" if problem else item_id)
    kind, text = await decide.bulk_retry(allowed, who, app_state) if allowed else ("error", "")
    if refused:
        text = f"{text} Refused: {'; '.join(refused)}.".strip()
    return kind, text
