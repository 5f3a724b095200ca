"""Benchmark: the web app under load while an ingest writes to its store.

    python bench/load.py [--clients 20] [--requests 2000]

A real `claimledger serve` on loopback over a store holding the examples; while a
`claimledger ingest` of 60 near-miss-stories reports writes to the same store (its stages
holding the pipeline lock), `--clients` threads send `--requests` GETs in all over the main
pages and the API (home, stories, a story, a group, its trace, groups filtered, documents,
entities, sources, due, search, and their /api twins). Prints requests per second, p50, p95
and p99 latency, and the errors (any answer other than 200, or none). Aim: 0 errors and p99
under 1 s on two cores.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimledger.evaluation import shared_data  # noqa: E402


@dataclass
class Load:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    ingest_seconds: float | None = None

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _claimledger(db: Path, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "claimledger", "--db", str(db), *arguments]


def _serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(_claimledger(db, "serve", "--port", str(port)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/stories", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def _paths(url: str) -> list[str]:
    """The pages and API answers a reader asks for, with real ids from the store."""
    stories = httpx.get(f"{url}/api/stories", timeout=30).json()["items"]
    groups = httpx.get(f"{url}/api/groups", timeout=30).json()["items"]
    documents = httpx.get(f"{url}/api/documents", timeout=30).json()["items"]
    story, group, document = stories[0]["id"], groups[0]["id"], documents[0]["id"]
    return [
        "/", f"/stories/{story}", f"/groups/{group}", f"/groups/{group}/graph.svg", "/groups", "/groups?status=disputed",
        "/documents", f"/documents/{document}", "/entities", "/sources", "/due", "/search?q=detained",
        "/api/stories", f"/api/stories/{story}", f"/api/groups/{group}", "/api/groups?language=en", "/api/documents",
    ]


def run_load(db: Path, clients: int = 20, requests: int = 2000, writer_inputs: Path | None = None) -> Load:
    """Load the server on `db` while an ingest of `writer_inputs` (if any) writes to it."""
    process, url = _serve(db)
    load = Load()
    lock = threading.Lock()
    try:
        paths = _paths(url)
        writer = subprocess.Popen(_claimledger(db, "ingest", str(writer_inputs)), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) if writer_inputs else None
        writer_started = time.monotonic()
        counter = iter(range(requests))

        def client() -> None:
            with httpx.Client(base_url=url, timeout=30) as session:
                while True:
                    with lock:
                        number = next(counter, None)
                    if number is None:
                        return
                    path = paths[number % len(paths)]
                    started = time.perf_counter()
                    try:
                        status = str(session.get(path).status_code)
                    except httpx.HTTPError as error:
                        status = type(error).__name__
                    spent = time.perf_counter() - started
                    with lock:
                        load.latencies.append(spent)
                        load.by_path.setdefault(path, []).append(spent)
                        if status != "200":
                            load.errors[f"{status} {path}"] = load.errors.get(f"{status} {path}", 0) + 1

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        load.seconds = time.perf_counter() - started
        load.requests = len(load.latencies)
        if writer is not None:
            writer.wait(timeout=1800)
            load.ingest_seconds = time.monotonic() - writer_started
            if writer.returncode not in (0, 1):
                load.errors[f"ingest exit {writer.returncode}"] = 1
    finally:
        process.terminate()
        process.wait(30)
    return load


def prepare(folder: Path, reports: int = 60) -> tuple[Path, Path]:
    """A store holding the examples, and a JSONL of near-miss reports for the writer."""
    db = folder / "ledger.db"
    subprocess.run(_claimledger(db, "ingest", str(ROOT / "examples")), check=True, capture_output=True)
    lines = (shared_data() / "near-miss-stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:reports]
    inputs = folder / "arriving.jsonl"
    inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return db, inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db, inputs = prepare(Path(folder))
        copy = Path(folder) / "quiet.db"
        shutil.copy(db, copy)
        quiet = run_load(copy, arguments.clients, arguments.requests // 4)
        busy = run_load(db, arguments.clients, arguments.requests, inputs)
    for name, load in (("no writer", quiet), ("while an ingest writes", busy)):
        print(f"{name}: {load.requests} requests from {arguments.clients} clients in {load.seconds:.1f} s:"
              f" {load.requests / load.seconds:.1f} requests/s; p50 {load.percentile(.5) * 1000:.0f} ms,"
              f" p95 {load.percentile(.95) * 1000:.0f} ms, p99 {load.percentile(.99) * 1000:.0f} ms;"
              f" errors {sum(load.errors.values())}" + (f" {load.errors}" if load.errors else ""))
    slowest = sorted(busy.by_path.items(), key=lambda item: -statistics.median(item[1]))[:4]
    print("  slowest while writing (median): " + ", ".join(f"{path} {statistics.median(times) * 1000:.0f} ms" for path, times in slowest))
    if busy.ingest_seconds is not None:
        print(f"  the ingest of 60 reports beside it took {busy.ingest_seconds:.0f} s")
    print(f"  p50 ratio busy/quiet {busy.percentile(.5) / max(quiet.percentile(.5), 1e-9):.2f} (same process, same machine)")


if __name__ == "__main__":
    main()
