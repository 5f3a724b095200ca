"""The `claimledger` command group and what every command shares: the store it opens, the
consoles it prints to, its JSON and its errors (a library error becomes a message here and
nowhere else). Exit status: 0 when all went well, 1 when an input failed or the store refused,
2 for a usage error."""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import importlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from claimledger import __version__
from claimledger.errors import (
    BadAccount,
    ClaimledgerError,
)

if TYPE_CHECKING:
    from claimledger.ledger import Store


class _Module:
    """A module imported when a command first uses it: `--help` must not load spaCy."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


exports = _Module("claimledger.export")
ledger = _Module("claimledger.ledger")
views = _Module("claimledger.ledger.views")
accounts = _Module("claimledger.ledger.accounts")
# Known at definition time without importing the exporters or the readers (tests check both).
FORMATS = ("json", "claimreview", "csv", "graphml")
DEFAULT_MAX_MEGABYTES = 20

HELP_URL = "docs/errors.md"
F = TypeVar("F", bound=Callable[..., Any])

stdout = Console(highlight=False, soft_wrap=True)
if not stdout.is_terminal and "COLUMNS" not in os.environ:
    stdout.width = 160  # piped or logged: no terminal to fit, so don't squeeze tables to 80
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class CommandError(click.ClickException):
    """A library error shown to the user with its code and where to read about it."""

    def __init__(self, error: ClaimledgerError) -> None:
        super().__init__(f"{error} (see {HELP_URL})")
        if isinstance(error, BadAccount):  # a name or password the user typed: a usage error
            self.exit_code = 2


def translate_errors(function: F) -> F:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ClaimledgerError as error:
            raise CommandError(error) from error

    return wrapper  # type: ignore[return-value]


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(
        function
    )


def open_store(context: click.Context, create: bool = False) -> Store:
    """The store of `--db`. Only the commands that start a ledger (ingest, serve, user add) create
    one; the others say that there is no store there rather than show an empty one."""
    return views.open_store(context.obj["db"], on_wait=lambda: tell_waiting(context.obj["db"] or "the store"), create=create)


def tell_waiting(where: str) -> None:
    stderr.print(f"waiting: another claimledger run is working on {escape(where)} (runs on one store take turns)")


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, bytes):
        return None
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="CLAIMLEDGER_DB",
    default=None,
    metavar="PATH|URL",
    help="The store: a SQLite file path (ingest, serve and user add create it; other commands say"
    " when it is not there) or a database URL such as"
    " postgresql://host/db. Default: $CLAIMLEDGER_DB, else ./claimledger.db.",
)
@click.version_option(__version__, prog_name="claimledger")
@click.pass_context
def cli(context: click.Context, db: str | None) -> None:
    """Keep a ledger of the claims in news reports.

    Ingest articles (files, folders, feeds, WARC archives, URLs), then list and read what is
    stored. Every listing command takes --json.
    """
    context.ensure_object(dict)
    context.obj["db"] = db


def main() -> None:
    cli(prog_name="claimledger")


def cli_user() -> str:
    """Who a correction made at the command line is recorded as: the login name."""
    try:
        return f"{getpass.getuser()} (cli)"
    except (KeyError, OSError):
        return "cli"


# -- option parsers shared by several commands ------------------------------------------------


def parse_size(_context: click.Context, _param: click.Parameter, value: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", value.lower())
    if not match:
        raise click.BadParameter(f"{value!r} is not a size; write e.g. 20MB, 500kB or 1GB")
    number, unit = float(match.group(1)), match.group(2)
    return int(number * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit])


def parse_published(_context: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
