"""The review page's guards: access token, CSRF tokens, same-origin checks and security headers.

The page changes the ledger (resolve, reject, resubmit), so every POST must come from a form the
page itself served: a per-browser random token lives in a cookie and in a hidden field, and the
two must match (compared in constant time). Off loopback, every request also needs the access
token from BOTS_REVIEW_TOKEN.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import URL, MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "review_csrf"
TOKEN_COOKIE = "review_token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented secret with the expected one."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (a new random one when it has none yet)."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token:
        token = request.state.new_csrf = secrets.token_urlsafe(32)
    return token


def keep_csrf_cookie(request: Request, response: Response) -> None:
    """Store a token made while rendering this response in the browser."""
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")


def csrf_problem(request: Request, submitted: str | None) -> str | None:
    """Why a POST is refused (no or wrong token, foreign origin), or None when it is fine."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not same_secret(submitted, cookie):
        return "the form's security token is missing or wrong; reload the page and try again"
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin and origin != "null" and _netloc(origin) != request.headers.get("host", ""):
        return "the form was sent from another site"
    return None


def _netloc(url: str) -> str:
    return urlsplit(url).netloc


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AccessToken:
    """ASGI middleware: every request needs the access token (Bearer header or cookie).

    ``?token=`` once sets the cookie and redirects to the same URL without it, so the token
    does not linger in the address bar or the history.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        response = self._gate(request)
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)

    def _gate(self, request: Request) -> Response | None:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if same_secret(bearer, self.token) or \
                same_secret(request.cookies.get(TOKEN_COOKIE), self.token):
            return None
        if same_secret(request.query_params.get("token"), self.token):
            return self._remember(request.url)
        return PlainTextResponse("401: this page needs the access token (BOTS_REVIEW_TOKEN): "
                                 "open it once with ?token=... or send Authorization: Bearer",
                                 status_code=401, headers={"www-authenticate": "Bearer"})

    def _remember(self, url: URL) -> Response:
        query = "&".join(part for part in url.query.split("&") if not part.startswith("token="))
        response = RedirectResponse(str(url.replace(query=query)), status_code=303)
        response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
        return response
