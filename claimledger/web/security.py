"""Who may write, the limits that hold for anyone who can reach the server, and the headers that
keep article text inert.

Reading is open (the app listens on 127.0.0.1 by default); writing needs a signed-in user
(local accounts, argon2id hashes, `claimledger user add`) or an API token (`Authorization:
Bearer ...`, `claimledger user token`). A request that would write is turned away before a
single byte of its body is read unless it carries one of the two; bodies are counted as they
stream, whatever their headers claim. Sessions live in the store, so signing out (or removing
the account) ends them, and a copied cookie stops working. Sign-in attempts are throttled per
account and per address, and an unknown name costs as much time as a wrong password. Forms
carry a per-session CSRF token and cross-site requests are refused by their Origin. Every page
is sent with a Content-Security-Policy that allows only this app's own scripts and styles.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import threading
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import anyio
from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimledger.ledger import Store, accounts
from claimledger.ledger.accounts import User

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The only writes an anonymous client may send, each with a small body.
_ANONYMOUS_WRITES = frozenset({"/login", "/logout"})
_SMALL_BODY = 16 * 1024


# -- sessions ----------------------------------------------------------------------------------


def current_user(request: Request) -> User | None:
    """The signed-in user (session) or the owner of the bearer token, if any."""
    return user_of(request.app.state.store, request.headers.get("authorization", ""), request.session.get("sid"))


def user_of(store: Store, authorization: str, session_id: Any) -> User | None:
    if authorization.lower().startswith("bearer "):
        return accounts.user_of_token(store, authorization[7:].strip())
    if isinstance(session_id, str) and session_id:
        return accounts.user_of_session(store, session_id)
    return None


def sign_in(request: Request, user: User) -> None:
    """Start a new session (a new id and a new CSRF token: nothing carries over from before)."""
    session_id = accounts.start_session(request.app.state.store, user)
    request.session.clear()
    request.session["sid"] = session_id


def sign_out(request: Request) -> None:
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        accounts.end_session(request.app.state.store, session_id)
    request.session.clear()


def require_writer(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise HTTPException(status_code=401, detail="sign in or send an API token (Authorization: Bearer ...) to change the ledger")
    return user


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if token is None:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return str(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not submitted or not hmac.compare_digest(str(expected), submitted):
        raise HTTPException(status_code=403, detail="the form is stale or was not sent by this site; reload the page and try again")


# -- sign-in throttling ------------------------------------------------------------------------


class LoginThrottle:
    """Failed sign-ins per account and per address in a sliding window; past the allowance,
    further attempts are refused until the oldest failure leaves the window."""

    def __init__(self, per_account: int = 5, per_address: int = 20, window: float = 900.0) -> None:
        self.limits = {"account": per_account, "address": per_address}
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, name: str, address: str) -> int:
        """Seconds to wait before this account may be tried from this address (0: go ahead)."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for kind, key in (("account", name.lower()), ("address", address)):
                failures = self._recent((kind, key), now)
                if len(failures) >= self.limits[kind]:
                    wait = max(wait, failures[0] + self.window - now)
        return int(wait) + 1 if wait else 0

    def failed(self, name: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (("account", name.lower()), ("address", address)):
                self._recent(key, now).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(("account", name.lower()), None)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures


# -- ASGI middleware: each one job, each before any body is read --------------------------------


class SecurityHeaders:
    """The headers every response carries, error responses from the other guards included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                if not any(k.lower() == b"content-security-policy" for k, _ in headers):
                    # a response may narrow its own (a standalone SVG: inline styles, nothing else)
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    # Links out to article sites carry no referrer; our own forms keep their
                    # Origin (under no-referrer browsers send "Origin: null", which is refused).
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if secure:  # served over HTTPS (directly or behind a proxy): cookies never go out in clear
                    headers = [(k, v + b"; Secure" if k == b"set-cookie" and b"secure" not in v.lower() else v) for k, v in headers]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class WriteGuard:
    """Turn away a write that is anonymous, cross-site or too large, before reading its body.

    Must run inside the session middleware (it reads the session the cookie carries).
    """

    def __init__(self, app: ASGIApp, store: Store, max_bytes: int) -> None:
        self.app, self.store, self.max_bytes = app, store, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        limit = _SMALL_BODY if path in _ANONYMOUS_WRITES else self.max_bytes
        if not _same_origin(headers):
            await _refuse(scope, send, 403, "cross-site requests may not change the ledger")
            return
        if path not in _ANONYMOUS_WRITES:
            session = scope.get("session") or {}
            user = await anyio.to_thread.run_sync(user_of, self.store, headers.get("authorization", ""), session.get("sid"))
            if user is None:
                await _refuse(scope, send, 401, "sign in or send an API token (Authorization: Bearer ...) to change the ledger")
                return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, send, 413, f"request body over the limit of {limit:,} bytes")
            return
        await self.app(scope, _counting(receive, limit), send)


def _counting(receive: Receive, limit: int) -> Receive:
    """`receive` that stops a body at `limit` bytes, whatever Content-Length said (or if absent)."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, f"request body over the limit of {limit:,} bytes")
        return message

    return counted


def _same_origin(headers: dict[str, str]) -> bool:
    """No Origin (a non-browser client, or a same-origin form in some browsers) or the server's own."""
    origin = headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    allowed = {headers.get("host", "").lower(), headers.get("x-forwarded-host", "").lower()} - {""}
    return urlsplit(origin).netloc.lower() in allowed


async def _refuse(scope: Scope, send: Send, status: int, detail: str, retry_after: int | None = None) -> None:
    """A short answer in the face's own form: JSON for the API, text for pages."""
    if scope["path"].startswith("/api/"):
        body, kind = json.dumps({"detail": detail}).encode(), b"application/json"
    else:
        body, kind = f"{status}: {detail}\n".encode(), b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Overload:
    """At most `concurrent` requests at work at once; the rest queue for up to `queue_seconds`,
    then are answered 503 with Retry-After. Overload slows answers down or refuses them; it
    never turns into errors (a database connection pool run dry answered 500)."""

    def __init__(self, app: ASGIApp, concurrent: int = 8, queue_seconds: float = 20.0) -> None:
        self.app, self.concurrent, self.queue_seconds = app, concurrent, queue_seconds
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrent)
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout=self.queue_seconds)
        except TimeoutError:
            await _refuse(scope, send, 503, "the server is busy; try again shortly", retry_after=5)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()
