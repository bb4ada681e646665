"""The review page's Starlette application: routes, templates and the guards around them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bots.ledger import Ledger
from bots.review import bulk, pages, queue_page, roles, signon
from bots.review import queue_words as words
from bots.review.decisions import SYSTEM_CODES
from bots.review.gate import SignOnGate
from bots.review.ground import database_label, missing_settings
from bots.review.proxy import ProxyTrust
from bots.review.queue import Goals, load_service_goals
from bots.review.security import AccessToken, SecurityHeaders
from bots.review.session import Sessions, current_person, load_secret
from bots.review.state import ReviewState
from bots.review.throttle import OneTimeLink

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent.parent


def templates(ledger_label: str = "") -> Jinja2Templates:
    """The page templates, with autoescaping on for every one of them; every page knows the
    database it shows (its footer says it) and who is signed on."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals.update(ledger_label=ledger_label, signed_on=current_person,
                       system_codes=SYSTEM_CODES, may_confirm=roles.may_confirm)
    env.filters.update(ago=lambda stamp: words.ago(stamp, datetime.now(UTC)),
                       due=lambda stamp: words.due(stamp, datetime.now(UTC)),
                       exact=words.exact)
    return Jinja2Templates(env=env)


def create_app(database_url: str, state_dir: Path, *, token: str | None = None,
               allowed_hosts: list[str] | None = None, goals: Goals | None = None,
               project_root: Path = PROJECT_ROOT, first_link_key: str | None = None,
               proxy: ProxyTrust | None = None) -> Starlette:
    """The review app over one state database; every page but sign-on needs a signed-on
    person (an account, the proxy's header, or the one-time link ``first_link_key``).

    ``token`` makes every request need it too (off loopback). ``allowed_hosts`` limits the
    Host header (against DNS rebinding when served on loopback). ``goals`` are the recipes'
    service goals by name (default: read from the project's recipes/ once).
    """
    state_dir = Path(state_dir).resolve()
    recipes = project_root / "recipes"
    review = ReviewState(Ledger(database_url), state_dir, database_url, project_root,
                         templates(database_label(database_url)),
                         load_service_goals(recipes) if goals is None else goals,
                         Sessions(load_secret(state_dir)), proxy,
                         OneTimeLink(first_link_key) if first_link_key else None,
                         missing_settings(recipes))

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        review.ledger.close()

    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    if token:
        middleware.append(Middleware(AccessToken, token=token))
    middleware.append(Middleware(SignOnGate))
    app = Starlette(routes=_routes(), middleware=middleware, lifespan=lifespan)
    app.state.review = review
    return app


def _routes() -> list[Route | Mount]:
    return [
        Route("/", queue_page.queue, name="queue"),
        Route("/queue.csv", queue_page.queue_export, name="queue_csv"),
        Route("/signon", signon.signon_page, name="signon_page"),
        Route("/signon", signon.signon, name="signon", methods=["POST"]),
        Route("/signon/link", signon.signon_link, name="signon_link"),
        Route("/signoff", signon.signoff, name="signoff", methods=["POST"]),
        Route("/insights", pages.insights_page, name="insights"),
        Route("/bulk", bulk.bulk, name="bulk", methods=["POST"]),
        Route("/items/{item_id:path}", pages.item, name="item", methods=["GET", "POST"]),
        Route("/pages/{item_id:path}/{number:int}.png", pages.page_image, name="page_image"),
        Route("/evidence/{path:path}", pages.evidence, name="evidence"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
