"""The English pipeline is the one Explosion published, loaded from its package, offline."""

from __future__ import annotations

import pytest

from claimledger.extract.parsing import english_pipeline


@pytest.mark.slow
def test_model_meta_matches_explosions_en_core_web_sm_3_8_0() -> None:
    nlp = english_pipeline()
    meta = nlp.meta
    # Published figures of en_core_web_sm 3.8.0 (spacy-models release meta.json).
    assert meta["version"] == "3.8.0"
    assert meta["spacy_git_version"] == "5010fcbd3"
    assert meta["performance"]["ents_f"] == pytest.approx(0.8433119744)
    assert meta["performance"]["dep_las"] == pytest.approx(0.8991533598)
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
