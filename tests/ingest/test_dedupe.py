from __future__ import annotations

import random

from claimledger.ingest import dedupe
from tests.conftest import SEEDS


def _seed_text(index: int) -> str:
    return sorted(SEEDS.glob("*.txt"))[index].read_text(encoding="utf-8")


def test_republished_copy_with_small_edits_is_similar() -> None:
    text = _seed_text(0)
    words = text.split()
    rng = random.Random(7)
    edited = [w for w in words if rng.random() > 0.03]  # 3% of words dropped
    edited.insert(10, "REPUBLISHED")
    similarity = dedupe.signature(text).similarity(dedupe.signature(" ".join(edited)))
    assert similarity >= dedupe.NEAR_DUPLICATE_THRESHOLD


def test_two_retellings_of_one_story_are_not_copies() -> None:
    similarity = dedupe.signature(_seed_text(0)).similarity(dedupe.signature(_seed_text(1)))
    assert similarity < 0.2


def test_signature_round_trips_and_band_keys_are_stable() -> None:
    signature = dedupe.signature("A short text about a harbour and its chairman.")
    again = dedupe.Signature.from_bytes(signature.to_bytes())
    assert again.similarity(signature) == 1.0
    assert again.band_keys() == signature.band_keys()
    assert len(signature.band_keys()) == dedupe.BANDS
    assert all(0 <= key < 2**63 for key in signature.band_keys())


def test_chinese_text_is_shingled_by_character() -> None:
    text = "前中组部副部长出逃，胡力任在直播中透露，清洗波及近千万人，包括退休官员。"
    assert dedupe.tokens(text)[:3] == ["前", "中", "组"]
    edited = text.replace("近千万人", "数千万人")
    assert dedupe.signature(text).similarity(dedupe.signature(edited)) > 0.5
