"""A throwaway PostgreSQL server for the tests that run against one: a cluster made in a
temporary folder, listening only on a Unix socket there, stopped and removed afterwards.

Debian's postgresql (installed by `make test`) and psycopg (in the test extras) are all it
needs. As root the server runs as the `postgres` account, as PostgreSQL refuses root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's programs (initdb, pg_ctl), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_server_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a cluster; yields the URL of its `postgres` database (as postgresql+psycopg://)."""
    programs = postgres_bin()
    assert programs is not None
    folder = Path(tempfile.mkdtemp(prefix="claimledger-pg-"))
    data, socket_dir = folder / "data", folder / "socket"
    socket_dir.mkdir()
    if os.geteuid() == 0:
        folder.chmod(0o755)
        shutil.chown(folder, "postgres")
        shutil.chown(socket_dir, "postgres")
    run = _as_server_user()
    try:
        subprocess.run([*run, str(programs / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
                       check=True, capture_output=True)
        subprocess.run([*run, str(programs / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "start",
                        "-o", f"-k {socket_dir} -c listen_addresses='' -F"], check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@/postgres?host={socket_dir}"
    finally:
        subprocess.run([*run, str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server_url: str, template: str | None = None) -> str:
    """A new database on the server of `server_url` (a copy of the database at `template`, else
    empty); its URL."""
    import psycopg

    name = f"ledger_{uuid.uuid4().hex[:12]}"
    copying = f' TEMPLATE "{_name_of(template)}"' if template else ""
    maintenance = server_url.replace(f"/{_name_of(server_url)}?", "/postgres?")
    with psycopg.connect(maintenance.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copying}')
    return maintenance.replace("/postgres?", f"/{name}?")


def _name_of(url: str) -> str:
    """The database a server URL names (postgresql+psycopg://user@/NAME?host=...)."""
    return url.split("?", 1)[0].rsplit("/", 1)[1]
