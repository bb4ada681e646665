"""The item page's actions (POST): check the form, act on the ledger, redirect with a message.

Every action carries the CSRF token and who acts; the name is remembered in a cookie so the
analyst types it once. The answer is always a redirect back to the item (POST/redirect/GET)
with a flash message saying what happened or why nothing did.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bots.kernel.errors import BotError
from bots.ledger import Ledger, actions
from bots.review import decide, retry, roles
from bots.review.security import csrf_problem, form_tokens, same_secret
from bots.review.session import current_person
from bots.review.state import ReviewState

FLASH_COOKIE = "review_flash"
FLASH_KINDS = ("ok", "error")
WHO = re.compile(r"^[\w][\w .@'-]{0,59}$")
ACTIONS = (*decide.ACTIONS, "resolve", "reject", "assign", "comment")
DONE_MESSAGES = {"resolve": "Resolved by hand.", "reject": "Rejected.",
                 "assign": "Assigned.", "comment": "Comment added."}


def who_from(request: Request) -> str:
    """Who acts: the signed-on person's name (never typed; the audit trail names them)."""
    person = current_person(request)
    return person.name if person else ""


def take_flash(request: Request) -> dict[str, str] | None:
    """The message left by the last action (shown once); a cookie this app did not sign, or
    cannot read, is ignored: it is the browser's to send, anything may be in it."""
    payload, _, signature = request.cookies.get(FLASH_COOKIE, "").rpartition(".")
    if not payload or not same_secret(signature, _flash_signature(request, payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, UnicodeError):
        return None
    if not isinstance(data, dict) or data.get("kind") not in FLASH_KINDS:
        return None
    return {"kind": data["kind"], "text": str(data.get("text", ""))}


def _flash_signature(request: Request, payload: str) -> str:
    key = form_tokens(request).key
    return hmac.new(key, f"flash|{payload}".encode(), hashlib.sha256).hexdigest()[:32]


def clear_flash(request: Request, response: Response) -> None:
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE)


async def act(request: Request, item_id: str, app_state: ReviewState) -> Response:
    """Handle one action form sent for an item."""
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    problem = csrf_problem(request, fields.get("csrf"))
    if problem:
        return PlainTextResponse(f"403: {problem}", status_code=403)
    spent = form_tokens(request).spend(fields["csrf"])  # before acting: a replay does nothing
    who = who_from(request)
    if spent:
        kind, text = "error", spent[0].upper() + spent[1:] + "."
    elif not WHO.match(who):
        kind, text = "error", "Sign on first: the page acts in a signed-on person's name."
    elif refused := await roles.refusal(request, fields.get("action", ""), item_id, app_state):
        kind, text = "error", f"{fields.get('action', '').capitalize()} refused: {refused}."
    else:
        kind, text = await _dispatch(fields.get("action", ""), item_id, who, fields, app_state)
    response = RedirectResponse(request.url_for("item", item_id=item_id), status_code=303)
    set_flash(request, response, kind, text)
    return response


async def _dispatch(action: str, item_id: str, who: str, fields: dict[str, str],
                    app_state: ReviewState) -> tuple[str, str]:
    if action not in ACTIONS:
        return "error", f"Unknown action '{action}'."
    try:
        if action in decide.ACTIONS:
            return await decide.decide(action, item_id, who, fields, app_state)
        await run_in_threadpool(_ledger_action, action, app_state.ledger, item_id, who, fields)
    except (BotError, retry.BadCorrection) as error:
        return "error", f"{action.capitalize()} refused: {getattr(error, 'message', error)}"
    return "ok", DONE_MESSAGES[action]


def _ledger_action(action: str, ledger: Ledger, item_id: str, who: str,
                   fields: dict[str, str]) -> None:
    if action == "resolve":
        actions.resolve(ledger, item_id, who, fields.get("reference", ""), fields.get("note", ""))
    elif action == "reject":
        actions.reject(ledger, item_id, who, fields.get("reason", ""))
    elif action == "assign":
        actions.assign(ledger, item_id, who, fields.get("to", "").strip() or who)
    else:
        actions.comment(ledger, item_id, who, fields.get("text", ""))


def set_flash(request: Request, response: Response, kind: str, text: str) -> None:
    """Leave a signed message for the next page (shown once)."""
    payload = base64.urlsafe_b64encode(json.dumps({"kind": kind, "text": text[:1500]}).encode())
    signed = f"{payload.decode()}.{_flash_signature(request, payload.decode())}"
    response.set_cookie(FLASH_COOKIE, signed, samesite="strict", httponly=True)
