"""The web app over the same store as the CLI."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException as FastAPIHTTPException
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.middleware.sessions import SessionMiddleware

from claimledger import __version__
from claimledger.store import Store
from claimledger.store import web as web_sql
from claimledger.web import api, pages
from claimledger.web.jobs import Jobs
from claimledger.web.security import (
    SESSION_LIFETIME,
    LoginThrottle,
    Overload,
    SecurityHeaders,
    WriteGuard,
)

DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024


def create_app(store: Store, max_upload_bytes: int = DEFAULT_MAX_UPLOAD, allow_private: bool = False,
               max_concurrent: int = 8, queue_seconds: float = 20.0) -> FastAPI:
    """The app: pages at /, the JSON API at /api (OpenAPI at /docs), static files at /static."""
    # The interactive docs pages load their scripts from a CDN, which the CSP (and users' closed
    # networks) forbid: the OpenAPI description itself is served at /openapi.json.
    app = FastAPI(title="claimledger", version=__version__, description="The ledger of claims in news reports.",
                  docs_url=None, redoc_url=None)
    app.state.store = store
    app.state.max_upload_bytes = max_upload_bytes
    app.state.allow_private = allow_private
    app.state.jobs = Jobs()
    with store.transaction() as connection:
        secret = web_sql.ensure_secret(connection, "session_secret")
    app.state.login_throttle = LoginThrottle()
    # Outermost last: headers on every answer; the session decoded; a bounded number of requests
    # at work; writes checked before their bodies are read.
    app.add_middleware(WriteGuard, store=store, max_bytes=max_upload_bytes + 64 * 1024)  # room for the form's other fields
    app.add_middleware(Overload, concurrent=max_concurrent, queue_seconds=queue_seconds)
    app.add_middleware(SessionMiddleware, secret_key=secret, same_site="strict", https_only=False,
                       max_age=int(SESSION_LIFETIME.total_seconds()))
    app.add_middleware(SecurityHeaders)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")

    @app.exception_handler(FastAPIHTTPException)
    async def http_error(request: Request, error: FastAPIHTTPException) -> HTMLResponse | JSONResponse:
        headers = dict(error.headers or {})
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)
        return pages.render(request, "error.html", status_code=error.status_code, headers=headers,
                            look_up_user=error.status_code != 503, status=error.status_code, message=str(error.detail))

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(OperationalError)
    async def store_busy(request: Request, error: Exception) -> HTMLResponse | JSONResponse:
        """A store too busy to answer (connections all in use, a write lock held too long) is
        a 503 to retry, not a server error; other database errors stay 500s."""
        if isinstance(error, OperationalError) and "locked" not in str(error.orig).lower():
            raise error
        return await http_error(request, FastAPIHTTPException(503, "the ledger is busy; try again shortly", headers={"Retry-After": "5"}))

    return app
