"""The review page's Starlette application: routes, templates and the guards around them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bots.ledger import Ledger
from bots.review import pages
from bots.review.queue import Goals, load_service_goals
from bots.review.security import AccessToken, SecurityHeaders
from bots.review.state import ReviewState

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent.parent


def templates() -> Jinja2Templates:
    """The page templates, with autoescaping on for every one of them."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    return Jinja2Templates(env=env)


def create_app(database_url: str, state_dir: Path, *, token: str | None = None,
               allowed_hosts: list[str] | None = None, goals: Goals | None = None,
               project_root: Path = PROJECT_ROOT) -> Starlette:
    """The review app over one state database; ``token`` makes every request need it.

    ``allowed_hosts`` limits the Host header (against DNS rebinding when served on loopback).
    ``goals`` are the recipes' service goals by name (default: read from recipes/ once).
    """
    review = ReviewState(Ledger(database_url), Path(state_dir).resolve(), database_url,
                         project_root, templates(),
                         load_service_goals() if goals is None else goals)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        review.ledger.close()

    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    if token:
        middleware.append(Middleware(AccessToken, token=token))
    app = Starlette(routes=_routes(), middleware=middleware, lifespan=lifespan)
    app.state.review = review
    return app


def _routes() -> list[Route | Mount]:
    return [
        Route("/", pages.queue, name="queue"),
        Route("/insights", pages.insights_page, name="insights"),
        Route("/items/{item_id:path}", pages.item, name="item", methods=["GET", "POST"]),
        Route("/pages/{item_id:path}/{number:int}.png", pages.page_image, name="page_image"),
        Route("/evidence/{path:path}", pages.evidence, name="evidence"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
