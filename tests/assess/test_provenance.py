"""Independent origins: repetition is not confirmation."""

from __future__ import annotations

from claimledger.assess.provenance import (
    Link,
    Retelling,
    independent_count,
    origins_of,
    provenance_graph,
)

HU = Link("Hu Liren", "hu liren", "person", True, "said", "on a YouTube live broadcast", "2026-01-28")
HU_AGAIN = Link("Hu Li-ren", "hu liren", "person", True, "revealed", "on his evening livestream", "2026-01-29")
OFFICIAL = Link("a senior official from the Central Organization Department", None, None, False, "told")
MINISTRY = Link("the Ministry of State Security", "ministry of state security", "org", True, "announced")
SOURCES = Link("sources familiar with the matter", None, None, False, "said")


def retelling(claim: int, document: int, outlet: str, *chain: Link, copy_of: int | None = None, copy_outlet: str | None = None) -> Retelling:
    return Retelling(claim, document, outlet, None, chain, copy_of=copy_of, copy_outlet=copy_outlet)


def test_outlets_relaying_one_person_are_one_origin_with_the_unnamed_source_behind_it() -> None:
    origins = origins_of([
        retelling(1, 1, "People News", HU, OFFICIAL),
        retelling(2, 2, "Vision Times", HU),
        retelling(3, 3, "Epoch Daily", HU_AGAIN, OFFICIAL),  # another broadcast, another spelling
    ])
    assert independent_count(origins) == 1
    (hu,) = origins
    assert hu.name in ("Hu Liren", "Hu Li-ren") and hu.kind == "person"
    assert hu.described_as == [OFFICIAL.name]
    assert hu.outlets == ["People News", "Vision Times", "Epoch Daily"]
    assert set(hu.channels) == {"on a YouTube live broadcast", "on his evening livestream"}


def test_copies_and_official_announcements_count_once() -> None:
    copies = origins_of([
        retelling(1, 1, "Harbour Ledger"),
        retelling(2, 2, "Coastal Wire", copy_of=1, copy_outlet="Harbour Ledger"),
    ])
    assert independent_count(copies) == 1
    announced = origins_of([retelling(i, i, f"Outlet {i}", MINISTRY) for i in range(1, 6)])
    assert independent_count(announced) == 1 and announced[0].kind == "body"


def test_unnamed_sources_in_different_outlets_are_unknown_not_confirmations() -> None:
    origins = origins_of([retelling(1, 1, "A", SOURCES), retelling(2, 2, "B", SOURCES)])
    assert independent_count(origins) == 0
    assert all(o.kind == "unknown" and not o.counted for o in origins)


def test_a_different_named_source_is_a_second_origin() -> None:
    origins = origins_of([retelling(1, 1, "People News", HU, OFFICIAL), retelling(2, 2, "Harbin Daily", MINISTRY)])
    assert independent_count(origins) == 2


def test_own_words_restating_the_documents_source_and_relays_through_outlets() -> None:
    origins = origins_of([
        retelling(1, 1, "Harbour Ledger", HU),
        retelling(2, 1, "Harbour Ledger"),  # the headline, in the outlet's own words
        retelling(3, 2, "Northern Observer", Link("Harbour Ledger", "harbour ledger", "org", True, "reported")),
    ])
    assert independent_count(origins) == 1
    assert origins[0].key == "source:hu liren" and origins[0].documents == [1, 2]


def test_graph_marks_the_origin_and_the_channel() -> None:
    nodes, edges = provenance_graph([retelling(1, 1, "People News", HU, OFFICIAL)], {1: "Defection"})
    by_id = {n.id: n for n in nodes}
    assert by_id["source:hu liren"].origin and by_id["source:hu liren"].independent
    assert by_id["channel:on a youtube live broadcast"].kind == "channel"
    assert ("outlet:people news", "doc:1") in {(e.source, e.target) for e in edges}


def test_an_outlet_named_as_a_source_is_an_outlet_and_agencies_are_relays() -> None:
    ledger_link = Link("Harbour Ledger", "harbour ledger", "outlet", True, "reported")
    afp = Link("AFP", "afp", "agency", True, "credited")
    origins = origins_of([retelling(1, 1, "Northern Observer", afp, ledger_link), retelling(2, 2, "Metro", afp)])
    assert [(o.name, o.kind, o.counted) for o in origins][0] == ("Harbour Ledger", "outlet", True)
    assert independent_count(origins) == 1  # the AFP copy that names no source may rest on it
    assert origins[0].reports[0].via == ("AFP",)
