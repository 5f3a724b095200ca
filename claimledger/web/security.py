"""Who may write, and the headers that keep article text inert.

Reading is open (the app listens on 127.0.0.1 by default); writing needs a signed-in user
(local accounts, argon2id hashes, `claimledger user add`) or an API token (`Authorization:
Bearer ...`, `claimledger user token`). Forms carry a per-session CSRF token. Every page is
sent with a Content-Security-Policy that allows only this app's own scripts and styles, so
even text that escaped escaping could not run.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import PlainTextResponse, Response

from claimledger.store import web as web_sql
from claimledger.store.web import User

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response


def current_user(request: Request) -> User | None:
    """The signed-in user (session cookie) or the owner of the bearer token, if any."""
    header = request.headers.get("authorization", "")
    store = request.app.state.store
    with store.reading() as connection:
        if header.lower().startswith("bearer "):
            return web_sql.user_by_token(connection, header[7:].strip())
        user_id = request.session.get("user_id")
        return web_sql.user_by_id(connection, int(user_id)) if user_id is not None else None


def require_writer(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise HTTPException(status_code=401, detail="sign in or send an API token (Authorization: Bearer ...) to change the ledger")
    return user


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if token is None:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise HTTPException(status_code=403, detail="the form is stale or was not sent by this site; reload the page and try again")


class BodyLimit(BaseHTTPMiddleware):
    """Refuse a request whose declared body is over the limit before any of it is read."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def dispatch(self, request: Request, call_next: Any) -> Response:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            return PlainTextResponse(f"request body over the limit of {self.max_bytes:,} bytes", status_code=413)
        return await call_next(request)
