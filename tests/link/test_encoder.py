"""The sentence encoder as linking uses it: unit vectors, each distinct text embedded once."""

from __future__ import annotations

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
