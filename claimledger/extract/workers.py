"""Parse English texts in worker processes while this one extracts what is already parsed.

spaCy's parse is most of extraction's time; the rest (dates, figures, names, attributions,
claims) runs in Python on the parses. With the parse in worker processes a few chunks ahead,
the two overlap on a machine with two cores or more. Workers are started with "spawn" (a fork
of a process holding threads, as the web app's is, can deadlock) and each loads the English
pipeline once; a parse comes back as the bytes of its Doc. If a worker dies the chunk is parsed
here instead: the workers make extraction faster, never different.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from claimledger.extract.parsing import english_vocab, parse_to_bytes, start_worker
from claimledger.extract.pipeline import (
    PreparedReports,
    Report,
    extract_prepared,
    extract_reports,
    prepare_reports,
)
from claimledger.model import Extraction

# Below this many English documents, starting workers (each loads spaCy) costs more than it saves.
MIN_DOCUMENTS = 64
# At most this many workers: each holds its own copy of the English pipeline (about 250 MB).
MAX_WORKERS = 2


def parse_workers(documents: int) -> int:
    """How many worker processes to parse `documents` documents with (0: parse here).
    CLAIMLEDGER_PARSE_WORKERS sets it (0 turns workers off)."""
    chosen = os.environ.get("CLAIMLEDGER_PARSE_WORKERS")
    if chosen is not None and chosen.strip().isdigit():
        return int(chosen)
    cores = os.cpu_count() or 1
    return 0 if documents < MIN_DOCUMENTS or cores < 2 else min(MAX_WORKERS, cores)


def extract_chunks(chunks: Iterable[list[Report]], workers: int) -> Iterator[list[Extraction | Exception]]:
    """The extraction of each chunk of reports, in order; with `workers`, parsed in worker
    processes up to `workers + 1` chunks ahead."""
    if workers < 1:
        for reports in chunks:
            yield extract_reports(reports)
        return
    vocab = english_vocab()  # reading parses needs no weights; a dead worker's chunk loads them
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker, initargs=(os.getpid(),)) as pool:
        ahead: deque[tuple[PreparedReports, Future[list[bytes | str]]]] = deque()
        for reports in chunks:
            prepared = prepare_reports(reports)
            ahead.append((prepared, _submit(pool, prepared)))
            if len(ahead) > workers:
                yield _extract_parsed(*ahead.popleft(), vocab)
        while ahead:
            yield _extract_parsed(*ahead.popleft(), vocab)


def _submit(pool: ProcessPoolExecutor, prepared: PreparedReports) -> Future[list[bytes | str]] | None:
    """The chunk's parse, under way in a worker; None if the workers are gone (one died, or they
    could not start: a script without an `if __name__ == "__main__":` guard cannot spawn)."""
    try:
        return pool.submit(parse_to_bytes, prepared.english_bodies)
    except (BrokenProcessPool, RuntimeError):
        return None


def _extract_parsed(prepared: PreparedReports, parsed: Future[list[bytes | str]] | None,
                    vocab: object) -> list[Extraction | Exception]:
    from spacy.tokens import Doc

    try:
        serialised = parsed.result() if parsed is not None else None
    except Exception:  # a worker died (killed, out of memory)
        serialised = None
    if serialised is None:  # no worker to parse it: parse here
        return extract_reports(prepared.reports)
    docs = [Doc(vocab).from_bytes(item) if isinstance(item, bytes) else RuntimeError(item) for item in serialised]  # type: ignore[arg-type]
    return extract_prepared(prepared, docs)
