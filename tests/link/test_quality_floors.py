"""Floors under the linking benchmarks, so a change cannot silently make them worse.

The figures themselves are printed by bench/stories.py and bench/claim_retrieval.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimledger.evaluation import bcubed
from claimledger.link.stories import RULES
from tests.conftest import load_bench

# Measured (bench/stories.py): near-miss-stories stories B-cubed F1 0.844 (held out by family
# 0.832), news-stories 0.933, threads 0.825; CLEF 2020 dev MAP@5 0.763. News-stories and threads
# are held at the floors (0.93, 0.80); near-miss-stories has not reached its 0.88 yet,
# so its floor only keeps what is there.
NEAR_MISS_F1_FLOOR = 0.82
NEWS_F1_FLOOR = 0.93
THREADS_F1_FLOOR = 0.80
CLEF_DEV_MAP5_FLOOR = 0.74
# Reports arriving ten at a time in three shuffled orders (measured: .844 in each on near-miss;
# .933, .933 and .919 on news): the bound on the spread.
ORDER_SPREAD_CEILING = 0.02




@pytest.mark.slow
def test_story_and_thread_floors(tmp_path: Path) -> None:
    bench = load_bench("stories")
    for name, floor in (("near-miss-stories", NEAR_MISS_F1_FLOOR), ("news-stories", NEWS_F1_FLOOR)):
        run = bench.load(name, tmp_path)
        gold = {a.key: a.story for a in run.articles}
        f1 = bcubed(run.stored, gold)[2]
        assert f1 >= floor, name
        shuffled = bench.shuffled_f1(run.articles, RULES)
        assert max([*shuffled, f1]) - min([*shuffled, f1]) <= ORDER_SPREAD_CEILING, (name, shuffled)
        # The benchmark's placement is the link stage's: the same articles, the same stories.
        stories, threads = bench.cluster(run.articles, RULES)
        assert bcubed(stories, run.stored)[2] == 1.0, name
        assert bcubed(threads, run.stored_threads)[2] == 1.0, name
        if name == "near-miss-stories":
            assert bcubed(run.stored_threads, {a.key: a.thread for a in run.articles})[2] >= THREADS_F1_FLOOR


@pytest.mark.slow
def test_claim_retrieval_floor() -> None:
    bench = load_bench("claim_retrieval")
    results = bench.evaluate("dev", with_names=False)
    assert float(np.mean([row[0] for row in results["claimledger score"]])) >= CLEF_DEV_MAP5_FLOOR
    assert float(np.mean([row[0] for row in results["meaning"]])) < float(np.mean([row[0] for row in results["claimledger score"]]))
