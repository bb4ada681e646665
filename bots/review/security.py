"""The review page's guards: access token, CSRF tokens, same-origin checks and security headers.

The page changes the ledger (resolve, reject, resubmit), so every POST must come from a form the
page itself served: a per-browser random secret lives in a cookie, and each form carries a token
signed for that secret (checked in constant time) that is accepted once, so a captured post
cannot be sent again. Off loopback, every request also needs the access token from
BOTS_REVIEW_TOKEN; loopback is decided on the addresses a name resolves to, never its text.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import socket
import time
from urllib.parse import urlsplit

from starlette.datastructures import URL, MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "review_csrf"
TOKEN_COOKIE = "review_token"
FORM_MAX_AGE_S = 12 * 3600  # a page left open longer is reloaded before it acts
WRONG_TOKEN = "the form's security token is missing or wrong; reload the page and try again"

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine: every address the
    name resolves to is a loopback address (`127.evil.example` is just a name)."""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        return False
    return bool(found) and all(_loopback_address(str(info[4][0])) for info in found)


def _loopback_address(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented secret with the expected one."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


class FormTokens:
    """One-time form tokens: `issued.nonce.signature`, signed with a key of this process for one
    browser's secret, each accepted once (a restart makes every open form reload)."""

    def __init__(self) -> None:
        self.key = secrets.token_bytes(32)
        self.spent: dict[str, float] = {}  # nonce -> when it was issued, until it expires

    def issue(self, browser: str, now: float | None = None) -> str:
        body = f"{int(now or time.time())}.{secrets.token_urlsafe(12)}"
        return f"{body}.{self._sign(browser, body)}"

    def valid(self, browser: str, token: str | None) -> bool:
        """Whether the token was issued here for this browser (spent or not)."""
        body, _, signature = (token or "").rpartition(".")
        return bool(body) and same_secret(signature, self._sign(browser, body))

    def spend(self, token: str, now: float | None = None) -> str | None:
        """Accept a valid token once: None, or why it is refused (sent before, too old)."""
        now = now or time.time()
        issued_text, nonce, _ = token.split(".", 2)  # the shape `issue` made: checked by valid
        issued = float(issued_text)
        if now - issued > FORM_MAX_AGE_S:
            return "the page is more than 12 hours old; reload it and act again"
        if nonce in self.spent:
            return ("this form was sent before (a repeated or replayed post); nothing was done "
                    "again. Reload the page to act on the item as it is now")
        # what expired is refused by age anyway: forget it, so memory follows recent posts only
        self.spent = {key: when for key, when in self.spent.items()
                      if now - when <= FORM_MAX_AGE_S}
        self.spent[nonce] = issued
        return None

    def _sign(self, browser: str, body: str) -> str:
        message = f"{browser}|{body}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:32]


def form_tokens(request: Request) -> FormTokens:
    """The app's one-time form tokens (made once per app)."""
    tokens: FormTokens | None = getattr(request.app.state, "form_tokens", None)
    if tokens is None:
        tokens = request.app.state.form_tokens = FormTokens()
    return tokens


def csrf_token(request: Request) -> str:
    """A one-time token for a form of this page, bound to this browser's secret cookie (a new
    secret when the browser has none yet)."""
    browser = request.cookies.get(CSRF_COOKIE)
    if not browser:
        browser = request.state.new_csrf = secrets.token_urlsafe(32)
    return form_tokens(request).issue(browser)


def keep_csrf_cookie(request: Request, response: Response) -> None:
    """Store a token made while rendering this response in the browser."""
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")


def csrf_problem(request: Request, submitted: str | None) -> str | None:
    """Why a POST is refused (no or wrong token, foreign origin), or None when it is fine."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not form_tokens(request).valid(cookie, submitted):
        return WRONG_TOKEN
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
