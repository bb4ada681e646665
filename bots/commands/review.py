"""`review`: serve the analysts' web page (on 127.0.0.1 unless a token guards it)."""

from __future__ import annotations

import os

from bots.commands.common import database_url, fail, say, state_dir
from bots.review.security import is_loopback

EXIT_REFUSED = 2
TOKEN_ENV = "BOTS_REVIEW_TOKEN"
MIN_TOKEN_LENGTH = 16


def review(host: str = "127.0.0.1", port: int = 8765) -> int:
    """Serve the review page until Ctrl-C; 2 when the bind would be unsafe."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    problem = bind_problem(host, token)
    if problem:
        fail(problem)
        return EXIT_REFUSED
    import uvicorn

    from bots.review.app import create_app

    app = create_app(database_url(), state_dir(), token=token or None,
                     allowed_hosts=loopback_names(host) if is_loopback(host) else None)
    say(f"Review page: {page_url(host, port, token)}  (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0


def bind_problem(host: str, token: str) -> str | None:
    """Why serving on ``host`` is refused, or None when it is allowed."""
    if is_loopback(host):
        return None
    if not token:
        return (f"{host} is not only loopback addresses (what it resolves to decides), so "
                f"binding to it exposes the exception queue to the network; set "
                f"{TOKEN_ENV} to a long random secret (e.g. `export {TOKEN_ENV}=$(python3 -c "
                "'import secrets; print(secrets.token_urlsafe(24))')`) or use --host 127.0.0.1")
    if len(token) < MIN_TOKEN_LENGTH:
        return f"{TOKEN_ENV} is too short: use at least {MIN_TOKEN_LENGTH} random characters"
    return None


def loopback_names(host: str = "127.0.0.1") -> list[str]:
    """The Host headers a loopback-bound page answers (others hint at DNS rebinding): the
    usual loopback names and the one it was started with (`--host 127.0.0.2`)."""
    names = ["127.0.0.1", "localhost", "[::1]", "::1"]
    return names if host in names else [*names, f"[{host}]" if ":" in host else host]


def page_url(host: str, port: int, token: str) -> str:
    """The address to open; with a token, the first visit carries it once."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/" + ("?token=<BOTS_REVIEW_TOKEN>" if token else "")
