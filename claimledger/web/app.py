"""The web app over the same store as the CLI."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from claimledger import __version__, ledger
from claimledger.errors import (
    ClaimledgerError,
    DocumentNotFound,
    GroupNotFound,
    StoreBusy,
    StoreError,
    StoryNotFound,
    ThreadNotFound,
)
from claimledger.ledger import Store, accounts, views
from claimledger.web import api, pages
from claimledger.web.jobs import Jobs
from claimledger.web.security import (
    LoginThrottle,
    Overload,
    SecurityHeaders,
    WriteGuard,
)

DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024
logger = logging.getLogger("claimledger.web")


def create_app(store: Store, max_upload_bytes: int = DEFAULT_MAX_UPLOAD, allow_private: bool = False,
               max_concurrent: int = 8, queue_seconds: float = 20.0, warm: bool = False) -> FastAPI:
    """The app: pages at /, the JSON API at /api (OpenAPI at /docs), static files at /static.
    With `warm`, the whole-store summaries (the sources page) are computed in the background at
    once, so that the first readers do not wait seconds for them."""
    # The interactive docs pages load their scripts from a CDN, which the CSP (and users' closed
    # networks) forbid: the OpenAPI description itself is served at /openapi.json.
    app = FastAPI(title="claimledger", version=__version__, description="The ledger of claims in news reports.",
                  docs_url=None, redoc_url=None)
    app.state.store = store
    app.state.max_upload_bytes = max_upload_bytes
    app.state.allow_private = allow_private
    app.state.jobs = Jobs(store)
    secret = accounts.session_secret(store)
    app.state.login_throttle = LoginThrottle()
    # Outermost last: headers on every answer; the session decoded; a bounded number of requests
    # at work; writes checked before their bodies are read.
    app.add_middleware(WriteGuard, store=store, max_bytes=max_upload_bytes + 64 * 1024)  # room for the form's other fields
    app.add_middleware(Overload, concurrent=max_concurrent, queue_seconds=queue_seconds)
    app.add_middleware(SessionMiddleware, secret_key=secret, same_site="strict", https_only=False,
                       max_age=int(accounts.SESSION_LIFETIME.total_seconds()))
    app.add_middleware(SecurityHeaders)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")

    @app.exception_handler(HTTPException)  # FastAPI's too, and Starlette's 404 and 405
    @app.exception_handler(ClaimledgerError)
    @app.exception_handler(Exception)
    async def error_page(request: Request, error: Exception) -> HTMLResponse | JSONResponse:
        return answer_error(request, error)

    for busy in ledger.BUSY_ERRORS:
        app.add_exception_handler(busy, error_page)
    if warm:
        threading.Thread(target=_warm, args=(store,), name="warm-up", daemon=True).start()
    return app


def _warm(store: Store) -> None:
    try:
        views.sources(store)
    except Exception as error:  # a cold page later, nothing worse
        logger.warning("warming the sources page failed: %s", error)


_NOT_FOUND = (DocumentNotFound, GroupNotFound, StoryNotFound, ThreadNotFound)


def answer_error(request: Request, error: Exception) -> HTMLResponse | JSONResponse:
    """The one error answer: JSON under /api, a page otherwise. A busy store is a 503 to retry;
    an error of the ledger says what was wrong with the request; anything else is a 500 that
    shows no detail (no database path, no SQL) to the reader."""
    status, message, headers = _status_of(error)
    if status == 500:
        logger.error("error answering %s %s", request.method, request.url.path, exc_info=error)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return pages.render(request, "error.html", status_code=status, headers=headers,
                        look_up_user=status < 500, status=status, message=str(message))


def _status_of(error: Exception) -> tuple[int, Any, dict[str, str]]:
    if isinstance(error, HTTPException):
        return error.status_code, error.detail, dict(error.headers or {})
    if isinstance(error, StoreBusy):  # another run holds the pipeline lock: it may take a while
        return 503, str(error), {"Retry-After": "30"}
    if ledger.is_busy_error(error):
        return 503, "the ledger is busy; try again shortly", {"Retry-After": "5"}
    if isinstance(error, _NOT_FOUND):
        return 404, str(error), {}
    if isinstance(error, ClaimledgerError) and not isinstance(error, StoreError):
        return 422, str(error), {}
    return 500, "the server could not answer this request; the error is in its log", {}
