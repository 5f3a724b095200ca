"""Extraction on Ray workers: the same extraction, spread over the cores of one machine or the
machines of a cluster.

Each worker is a Ray actor that loads the extraction models once and extracts chunk after
chunk; this process reads the chunks from the store, keeps a few per worker in flight, and
takes the results back in order to store them (the store has one writer: this process). A
chunk whose worker died is extracted here instead, so the workers make a large run faster,
never different.

Ray Data's map_batches is not used: its actor pool lives for one dataset's execution, while the
chunks come from the store a window at a time; a fixed set of actors keeps its models loaded
for the whole run.
"""

from __future__ import annotations

import os
import socket
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from claimledger.errors import ClusterUnavailable
from claimledger.extract.pipeline import Report, extract_reports
from claimledger.model import Extraction

AHEAD = 2  # chunks in flight per worker: one extracting, one waiting
_CONNECT_SECONDS = 5


def extract_chunks_on_ray(chunks: Iterable[list[Report]], workers: int,
                          address: str | None = None) -> Iterator[list[Extraction | Exception]]:
    """The extraction of each chunk, in order, by `workers` Ray actors: on the cluster at
    `address` (or $RAY_ADDRESS), else on a Ray started on this machine for the run."""
    ray = _ray()
    started_here = _connect(ray, workers, address)
    try:
        extractor = ray.remote(num_cpus=1)(ChunkExtractor)
        actors = [extractor.remote() for _ in range(workers)]
        in_flight: deque[tuple[list[Report], Any]] = deque()
        turn = 0
        for reports in chunks:
            in_flight.append((reports, actors[turn % workers].extract.remote(reports)))
            turn += 1
            if len(in_flight) >= AHEAD * workers:
                yield _result(ray, *in_flight.popleft())
        while in_flight:
            yield _result(ray, *in_flight.popleft())
    finally:
        if started_here:
            ray.shutdown()


class ChunkExtractor:
    """A Ray actor: extracts chunks of reports with the models it loaded once."""

    def extract(self, reports: list[Report]) -> list[Extraction | Exception]:
        return extract_reports(reports)


def _result(ray: Any, reports: list[Report], pending: Any) -> list[Extraction | Exception]:
    try:
        return ray.get(pending)
    except ray.exceptions.RayError:  # the worker died (killed, out of memory): extract here
        return extract_reports(reports)


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ClusterUnavailable("extracting on workers needs Ray: pip install 'claimledger[cluster]'") from None
    return ray


def _connect(ray: Any, workers: int, address: str | None) -> bool:
    """Join the cluster asked for, or start Ray here with `workers` CPUs; whether it was started
    here (and so is to be shut down after the run)."""
    address = address or os.environ.get("RAY_ADDRESS")
    if address and address != "auto":
        _check_reachable(address)  # Ray itself would retry an unreachable address for minutes
    if ray.is_initialized():
        return False
    try:
        if address:
            ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, configure_logging=False)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise ClusterUnavailable(f"no Ray cluster answers at {address}: {error}") from None
    return True


def _check_reachable(address: str) -> None:
    """Fail at once, naming the address, when nothing listens there."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise ClusterUnavailable(f"{address!r} is not a Ray cluster address: give HOST:PORT, ray://HOST:PORT or auto")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=_CONNECT_SECONDS).close()
    except OSError as error:
        raise ClusterUnavailable(f"no Ray cluster answers at {address}: {error}") from None
