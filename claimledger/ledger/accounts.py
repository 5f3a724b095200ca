"""Accounts that may change the ledger, their API tokens and web sessions: validated here once,
for the CLI and the web app alike. Passwords are stored as argon2id hashes."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from claimledger.errors import BadAccount
from claimledger.store import Store
from claimledger.store import web as web_sql
from claimledger.store.web import AccountSummary, User

SESSION_LIFETIME = dt.timedelta(days=7)
MIN_PASSWORD = 8
_NAME = re.compile(r"[\w.@-]{1,64}")
_hasher = PasswordHasher()
# Verified against when the name is unknown, so that an unknown name takes as long as a known one.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

__all__ = ["AccountSummary", "User"]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def add_user(store: Store, name: str, password: str) -> int:
    """Create an account; BadAccount names what is wrong with the name or the password."""
    if not _NAME.fullmatch(name):
        raise BadAccount(f"account name {name!r}: use 1-64 letters, digits, '.', '@', '_' or '-'")
    if len(password) < MIN_PASSWORD:
        raise BadAccount(f"the password is too short: use at least {MIN_PASSWORD} characters")
    password_hash = hash_password(password)  # slow on purpose: outside the write transaction
    with store.transaction() as connection:
        if web_sql.user_by_name(connection, name) is not None:
            raise BadAccount(f"an account named {name!r} already exists")
        return web_sql.add_user(connection, name, password_hash)


def make_token(store: Store, name: str, label: str) -> str:
    """A new API token for `name` (only its digest is stored: it is shown once)."""
    with store.transaction() as connection:
        return web_sql.add_token(connection, _existing(connection, name).id, label)


def accounts(store: Store) -> list[AccountSummary]:
    with store.reading() as connection:
        return web_sql.list_accounts(connection)


def count_users(store: Store) -> int:
    with store.reading() as connection:
        return web_sql.count_users(connection)


def remove_user(store: Store, name: str) -> None:
    """Delete an account: its tokens and sessions stop working at once."""
    with store.transaction() as connection:
        if not web_sql.remove_user(connection, name):
            raise BadAccount(f"no account named {name!r} (see `claimledger user list`)")


def revoke_tokens(store: Store, name: str, token_id: int | None) -> int:
    """Revoke one token of `name` (by id) or, with None, all of them; returns how many."""
    with store.transaction() as connection:
        revoked = web_sql.revoke_tokens(connection, _existing(connection, name).id, token_id)
    if token_id is not None and not revoked:
        raise BadAccount(f"{name} has no token {token_id} (see `claimledger user list`)")
    return revoked


def check_credentials(store: Store, name: str, password: str) -> User | None:
    """The user if the password is right; the same work is done whether or not the name exists."""
    with store.reading() as connection:
        user = web_sql.user_by_name(connection, name)
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    return user if user is not None and ok else None


def user_of_token(store: Store, token: str) -> User | None:
    with store.reading() as connection:
        return web_sql.user_by_token(connection, token)


def user_of_session(store: Store, session_id: str) -> User | None:
    with store.reading() as connection:
        return web_sql.user_by_session(connection, session_id)


def start_session(store: Store, user: User) -> str:
    with store.transaction() as connection:
        return web_sql.start_session(connection, user.id, SESSION_LIFETIME)


def end_session(store: Store, session_id: str) -> None:
    with store.transaction() as connection:
        web_sql.end_session(connection, session_id)


def session_secret(store: Store) -> str:
    """The key that signs session cookies: made once per store, kept in it."""
    with store.transaction() as connection:
        return web_sql.ensure_secret(connection, "session_secret")


def _existing(connection: object, name: str) -> User:
    found = web_sql.user_by_name(connection, name)  # type: ignore[arg-type]
    if found is None:
        raise BadAccount(f"no account named {name!r}; create it with `claimledger user add {name}`")
    return found
