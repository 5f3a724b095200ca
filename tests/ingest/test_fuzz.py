"""Fuzzing every reader: real and well-formed inputs of each kind, then cut, spliced and sprayed
with random bytes. Every input must end in stored documents or one clear error with its code;
never a traceback, a hang, a reader's bug (E114) or a half-written row.

The suite tries a few dozen inputs per kind; `make fuzz` tries many more and prints how many
were tried and how many failed (CLAIMLEDGER_FUZZ_EXAMPLES sets the number per kind).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.errors import FetchFailed, InputError, UnreadableInput, URLRefused
from claimledger.ingest import IngestOptions, ingest_inputs
from claimledger.ingest.fetch import FetchLimits, fetch_url
from claimledger.store import Store
from tests.conftest import DATA, SEEDS
from tests.ingest.builders import article_html, atom, rss, write_warc

EXAMPLES = int(os.environ.get("CLAIMLEDGER_FUZZ_EXAMPLES", "25"))
SECONDS_PER_INPUT = 120  # far above any real input's time: past it, the reader is hanging


def _near_miss_lines(count: int) -> list[str]:
    return (DATA / "near-miss-stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:count]


def _warc_bytes(tmp: Path) -> bytes:
    return write_warc(tmp / "base.warc", [(f"https://o.example/{i}", article_html(i)) for i in range(3)], gzip=False).read_bytes()


def _bases(tmp: Path) -> dict[str, list[bytes]]:
    """Well-formed inputs of each kind, by the extension the readers choose by."""
    seed = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    lines = _near_miss_lines(4)
    first = json.loads(lines[0])
    return {
        ".html": [article_html(1).encode(), article_html(2, extra="<table><tr><td>1</td></tr></table>").encode("utf-16")],
        ".xml": [rss([("One", "https://o.example/1", "<p>First entry text with enough words to keep.</p>")]).encode(),
                 atom([("Two", "https://o.example/2", "<p>Second entry text with enough words to keep.</p>")]).encode()],
        ".warc": [_warc_bytes(tmp)],
        ".json": [json.dumps(first, ensure_ascii=False).encode()],
        ".jsonl": ["\n".join(lines).encode()],
        ".md": [f"---\ntitle: {first.get('title') or 'A report'}\noutlet: Harbour Ledger\npublished: 2024-03-05\n---\n\n{seed[:3000]}".encode()],
        ".txt": [seed[:3000].encode("utf-8"), "河西省省长李文华涉嫌严重违纪违法，目前正接受审查调查。知情人士称，他涉嫌受贿约八千万元。".encode("gb18030"),
                 "薄熙來案二審維持原判，山東省高級人民法院裁定駁回上訴。".encode("big5"), "Le président a déclaré mardi que la réforme était nécessaire.".encode("latin-1")],
    }


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """The input cut short, with random bytes sprayed or spliced in, or a slice repeated."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "spray", "splice", "repeat", "nul"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "cut":
            del data[at:]
        elif kind == "spray":
            for _ in range(draw(st.integers(1, 20))):
                if data:
                    data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        elif kind == "splice":
            data[at:at] = draw(st.binary(min_size=1, max_size=200))
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 500))] * draw(st.integers(2, 30))
        else:
            data[at:at] = b"\x00" * draw(st.integers(1, 8))
    return bytes(data)


class _Hung(Exception):
    pass


def _alarm(*_: object) -> None:
    raise _Hung(f"a reader ran over {SECONDS_PER_INPUT} s on one input")


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path, dict[str, list[bytes]]]]:
    folder = tmp_path_factory.mktemp("fuzz")
    with Store.open(str(folder / "fuzz.db")) as store:
        yield store, folder, _bases(folder)


def _documents(store: Store) -> int:
    return int(store.stats()["documents"])


@pytest.mark.parametrize("extension", [".html", ".xml", ".warc", ".json", ".jsonl", ".md", ".txt"])
def test_every_reader_ends_in_documents_or_one_clear_error(extension: str, fuzz_store: tuple[Store, Path, dict[str, list[bytes]]]) -> None:
    store, folder, bases = fuzz_store
    tried = {"inputs": 0, "stored": 0, "refused": 0}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 25, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def one_input(data: st.DataObject) -> None:
        base = data.draw(st.sampled_from(bases[extension]))
        content = data.draw(mutated(base))
        path = folder / f"input-{tried['inputs']}{extension}"
        path.write_bytes(content)
        before = _documents(store)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(SECONDS_PER_INPUT)
        try:
            report = ingest_inputs([str(path)], store, IngestOptions())
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        tried["inputs"] += 1
        for event in report.failures:
            assert isinstance(event.error, InputError) and event.error.code, event
            assert not isinstance(event.error, UnreadableInput), f"a reader's bug on {path.name}: {event.error}"
            assert "\n" not in str(event.error), "one line per error"
        stored = report.count("added") + report.count("near-duplicate")
        assert _documents(store) - before == stored  # nothing half-written, nothing unreported
        tried["stored"] += stored
        tried["refused"] += len(report.failures)
        path.unlink()

    one_input()
    print(f"\n{extension}: {tried['inputs']} inputs tried, {tried['stored']} documents stored, {tried['refused']} refused with a reason")
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@settings(max_examples=EXAMPLES * 2, deadline=None, derandomize=EXAMPLES <= 25, database=None)
@given(host=st.sampled_from(["127.0.0.1", "[::1]", "2130706433", "0x7f.0.0.1", "localhost", "10.0.0.7", "[fe80::1]", "169.254.169.254"]),
       junk=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
       scheme=st.sampled_from(["http", "https", "HTTP", "ftp", "file", "javascript", ""]))
def test_urls_into_the_machine_or_garbage_are_refused_before_any_connection(host: str, junk: str, scheme: str) -> None:
    url = f"{scheme}://{host}/{junk}" if scheme else f"{host}/{junk}"
    with pytest.raises((URLRefused, FetchFailed)) as refused:
        fetch_url(url, FetchLimits(timeout=2))
    assert refused.value.code and "\n" not in str(refused.value)


def test_the_fuzzed_readers_met_real_bytes(fuzz_store: tuple[Store, Path, dict[str, list[bytes]]]) -> None:
    """The unmutated bases are real inputs that read: the fuzzing starts from something that works."""
    store, folder, bases = fuzz_store
    for extension, contents in bases.items():
        for index, content in enumerate(contents):
            path = folder / f"base-{index}{extension}"
            path.write_bytes(content)
            report = ingest_inputs([str(path)], store, IngestOptions())
            assert not report.failures and report.events, (extension, index, report.events)


