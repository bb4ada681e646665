"""`review`: serve the analysts' web page (on 127.0.0.1 unless a token guards it).

It finds its ground before it serves: the state folder (BOTS_STATE_DIR, else `state/` here,
else the project's), refusing when there is no ledger to show, and says which database it
serves. With no account yet it prints a one-time sign-on link for the person who started it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from bots.commands.common import fail, say
from bots.review.security import is_loopback
from bots.secrets import load_dotenv

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from bots.review.proxy import ProxyTrust

EXIT_REFUSED = 2
TOKEN_ENV = "BOTS_REVIEW_TOKEN"
MIN_TOKEN_LENGTH = 16
PROJECT_ROOT = Path(__file__).resolve().parents[2]
LEDGER_FILE = "bots.sqlite"


def review(host: str = "127.0.0.1", port: int = 8765, *, proxy_header: str | None = None,
           proxy_addresses: list[str] | None = None,
           proxy_role_header: str | None = None) -> int:
    """Serve the review page until Ctrl-C; 2 when the bind would be unsafe, there is no
    ledger to serve, or a setting of the page will not do."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    problem = bind_problem(host, token)
    ground = find_ground()
    if problem or isinstance(ground, str):
        fail(problem or str(ground))
        return EXIT_REFUSED
    import uvicorn

    from bots.review.proxy import ProxyTrust

    for dotenv in (Path(".env"), PROJECT_ROOT / ".env"):  # the settings resubmits will need
        load_dotenv(dotenv)
    link_key = secrets.token_urlsafe(24)
    try:
        proxy = ProxyTrust.of(proxy_header, proxy_addresses, proxy_role_header)
        app = _app(ground, host, token, link_key, proxy)
    except ValueError as error:  # a proxy address or BOTS_REVIEW_SECRET that will not do
        fail(str(error))
        return EXIT_REFUSED
    _announce(app, ground, page_url(host, port, token), link_key)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0


def _app(ground: tuple[Path, str], host: str, token: str, link_key: str,
         proxy: ProxyTrust | None) -> Starlette:
    from bots.review.app import create_app

    state, url = ground
    return create_app(url, state, token=token or None, first_link_key=link_key, proxy=proxy,
                      allowed_hosts=loopback_names(host) if is_loopback(host) else None)


def _announce(app: Starlette, ground: tuple[Path, str], url: str, link_key: str) -> None:
    """Say which ledger is served, where, what settings are missing, how to sign on first."""
    from bots.review.ground import database_label

    say(f"Serving the ledger: {database_label(ground[1])} (state folder {ground[0]})")
    say(f"Review page: {url}  (Ctrl-C to stop)")
    review_state = app.state.review
    for recipe, names in review_state.missing_env.items():
        say(f"Not set for {recipe}: {', '.join(names)} (its items cannot be run again from "
            "the page until it is restarted with them)")
    if not review_state.has_accounts():
        base, _, token_part = url.partition("?")
        token_part = f"&{token_part}" if token_part else ""
        say(f"No accounts yet: sign on once with {base}signon/link?key={link_key}{token_part} "
            "(one use), or add accounts: python runner.py users add NAME --role supervisor")


def find_ground() -> tuple[Path, str] | str:
    """(state folder, database URL) to serve, or why there is none: BOTS_DATABASE_URL or
    BOTS_STATE_DIR as given, else the first `state/` holding a ledger, here or the project's."""
    url = os.environ.get("BOTS_DATABASE_URL")
    given = os.environ.get("BOTS_STATE_DIR")
    if given:
        candidates = [Path(given).resolve()]
    else:
        candidates = list(dict.fromkeys([Path("state").resolve(), PROJECT_ROOT / "state"]))
    if url:
        return candidates[0], url
    for folder in candidates:
        if (folder / LEDGER_FILE).is_file():
            return folder, f"sqlite:///{folder / LEDGER_FILE}"
    looked = " or ".join(str(folder / LEDGER_FILE) for folder in candidates)
    return (f"no ledger to review: {looked} does not exist. Run a recipe first (e.g. `python "
            f"runner.py demo` in {PROJECT_ROOT}), or point BOTS_STATE_DIR at the state folder "
            "(BOTS_DATABASE_URL at a PostgreSQL ledger)")


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
