"""Floors under the linking benchmarks, so a change cannot silently make them worse.

The figures themselves are printed by bench/stories.py and bench/claim_retrieval.py.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT

# Measured: news-stories B-cubed F1 0.907; CLEF 2020 dev MAP@5 0.763 (with names 0.763).
STORIES_F1_FLOOR = 0.88
CLEF_DEV_MAP5_FLOOR = 0.74


def _bench(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_story_clustering_floor(tmp_path: Path) -> None:
    bench = _bench("stories")
    scores = bench.evaluate(tmp_path / "stories.db")
    assert scores["f1"] >= STORIES_F1_FLOOR, scores


@pytest.mark.slow
def test_claim_retrieval_floor() -> None:
    bench = _bench("claim_retrieval")
    results = bench.evaluate("dev", with_names=False)
    assert float(np.mean([row[0] for row in results["claimledger score"]])) >= CLEF_DEV_MAP5_FLOOR
    assert float(np.mean([row[0] for row in results["meaning"]])) < float(np.mean([row[0] for row in results["claimledger score"]]))
