"""Full-text search over documents and claims, ranked, with snippets and filters.

One query language on both stores: words are all required, in any order; a "quoted phrase"
keeps its words together; a name also finds its entity's other names ("Hu Li-ren" finds
"Hu Liren" and 胡力任 once extraction has tied them). Chinese and Japanese have no spaces between
words, so every Han or kana character is indexed as a word of its own and a run of them is
searched as a phrase: 死亡人数 finds the four characters together, not each one anywhere.

SQLite answers through FTS5 (bm25 ranking), PostgreSQL through a tsvector column and a GIN index
(ts_rank); the index tables are written in the same transactions as the rows they index.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

MAX_QUERY_CHARS = 200
INDEX_TABLES = ("document_search", "claim_search")  # made by migration 0011, not declared in schema.py
_MAX_NAME_WORDS = 4
_SNIPPET_CHARS = 180

# Scripts written without spaces between words: each character is indexed as one word.
_UNSPACED_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_UNSPACED = re.compile(f"([{_UNSPACED_CHARS}])")
_UNSPACED_GAP = re.compile(f"(?<=[{_UNSPACED_CHARS}]) (?=[{_UNSPACED_CHARS}])")
_TOKEN = re.compile(r"[^\W_]+")
_PIECE = re.compile(r'"([^"]*)"|(\S+)')


def searchable(value: str) -> str:
    """The form that is indexed and searched: NFKC, case-folded, accents off Latin, Greek and
    Cyrillic letters (Zurich finds Zürich, on SQLite and PostgreSQL alike), unspaced scripts
    spaced out."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return _UNSPACED.sub(r" \1 ", _without_accents(folded))


def _without_accents(value: str) -> str:
    """Combining marks dropped where they sit on a Latin, Greek or Cyrillic letter (a Japanese
    voicing mark or a Devanagari vowel sign is part of its letter and stays)."""
    if value.isascii():
        return value
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", value):
        if unicodedata.category(char) == "Mn" and kept and kept[-1] < "\u0530":
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def tokens_of(value: str) -> list[str]:
    return _TOKEN.findall(searchable(value))


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What a reader asked for; the filters narrow both lists (status and grade: of the claim's
    group; a document matches them when it holds such a claim)."""

    text: str
    language: str | None = None
    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    story_id: int | None = None
    status: str | None = None
    grade: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Term:
    """One required part of the query: any of its phrases (each a list of tokens) may match."""

    asked: str
    phrases: tuple[tuple[str, ...], ...]

    @property
    def also(self) -> list[str]:
        """The other names searched for this part, as the reader will read them."""
        asked = tuple(tokens_of(self.asked))
        return [_display(phrase) for phrase in self.phrases if phrase != asked]


@dataclass(frozen=True, slots=True)
class DocumentHit:
    id: int
    title: str | None
    outlet: str | None
    published: dt.date | None
    language: str | None
    snippet: list[tuple[str, bool]]  # (text, is a match), in order


@dataclass(frozen=True, slots=True)
class ClaimHit:
    id: int
    document_id: int
    text: str
    group_id: int | None
    story_id: int | None
    status: str | None
    grade: str | None
    snippet: list[tuple[str, bool]]


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: SearchQuery
    terms: list[Term]
    documents: list[DocumentHit] = field(default_factory=list)
    claims: list[ClaimHit] = field(default_factory=list)
    document_total: int = 0
    claim_total: int = 0


def results_json(results: SearchResults) -> dict[str, Any]:
    """The one JSON form of search results (API and CLI): snippets as text plus the [start, end)
    of each match within it."""
    return {
        "query": results.query.text,
        "terms": [{"asked": term.asked, "also": term.also} for term in results.terms],
        "document_total": results.document_total,
        "claim_total": results.claim_total,
        "limit": results.query.limit,
        "offset": results.query.offset,
        "documents": [
            {"id": d.id, "title": d.title, "outlet": d.outlet, "published": d.published, "language": d.language,
             **_snippet_json(d.snippet)}
            for d in results.documents
        ],
        "claims": [
            {"id": c.id, "document_id": c.document_id, "text": c.text, "group_id": c.group_id, "story_id": c.story_id,
             "status": c.status, "grade": c.grade, **_snippet_json(c.snippet)}
            for c in results.claims
        ],
    }


def _snippet_json(parts: list[tuple[str, bool]]) -> dict[str, Any]:
    highlights, cursor = [], 0
    for part, is_match in parts:
        if is_match:
            highlights.append([cursor, cursor + len(part)])
        cursor += len(part)
    return {"snippet": "".join(part for part, _ in parts), "highlights": highlights}


# -- the index ---------------------------------------------------------------------------------


def index_document(connection: Connection, document_id: int, title: str | None, body: str) -> None:
    """Index a newly stored document (inside the transaction that stores it)."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "INSERT INTO document_search (document_id, body) VALUES (:id,"
                " setweight(to_tsvector('simple', :title), 'A') || to_tsvector('simple', :body))"
                " ON CONFLICT (document_id) DO NOTHING"
            ),
            {"id": document_id, "title": searchable(title or ""), "body": searchable(body)},
        )
    else:
        connection.execute(
            text("INSERT INTO document_search (rowid, title, body) VALUES (:id, :title, :body)"),
            {"id": document_id, "title": searchable(title or ""), "body": searchable(body)},
        )


def index_claims(connection: Connection, rows: list[tuple[int, int, str]]) -> None:
    """Index claims given as (claim id, document id, text); their deletion unindexes them."""
    if not rows:
        return
    values = [{"id": claim_id, "document_id": document_id, "body": searchable(body)} for claim_id, document_id, body in rows]
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "INSERT INTO claim_search (claim_id, document_id, body)"
                " VALUES (:id, :document_id, to_tsvector('simple', :body)) ON CONFLICT (claim_id) DO NOTHING"
            ),
            values,
        )
    else:
        connection.execute(text("INSERT INTO claim_search (rowid, body) VALUES (:id, :body)"), values)


# -- the query ---------------------------------------------------------------------------------


def parse_terms(connection: Connection, query: str) -> list[Term]:
    """The query's required parts, each widened by the other names of an entity it names."""
    asked = [(tokens, raw) for raw in _raw_pieces(query) if (tokens := tokens_of(raw))]
    owners = _entities_by_squashed_name(connection, {tokens[0][0] for tokens, _ in asked})
    terms: list[Term] = []
    index = 0
    while index < len(asked):
        length, entity_ids = _longest_name(asked, index, owners)
        run = asked[index : index + length]
        asked_tokens = tuple(token for tokens, _ in run for token in tokens)
        names = [tuple(tokens_of(name)) for name in _names_of(connection, entity_ids)]
        phrases = tuple(dict.fromkeys(phrase for phrase in [asked_tokens, *names] if phrase))
        terms.append(Term(" ".join(raw for _, raw in run), phrases))
        index += length
    return terms


def search(connection: Connection, query: SearchQuery) -> SearchResults:
    """Documents and claims matching every part of the query, best match first."""
    terms = parse_terms(connection, query.text)
    if not terms:
        return SearchResults(query, terms)
    postgres = connection.dialect.name == "postgresql"
    match = _tsquery(terms) if postgres else _fts5_query(terms)
    documents, document_total = _find_documents(connection, query, match, postgres)
    claims, claim_total = _find_claims(connection, query, match, postgres)
    return SearchResults(
        query,
        terms,
        [_document_hit(row, terms) for row in documents],
        [_claim_hit(row, terms) for row in claims],
        document_total,
        claim_total,
    )


def _raw_pieces(query: str) -> list[str]:
    return [quoted or bare for quoted, bare in _PIECE.findall(query[:MAX_QUERY_CHARS])]


def _longest_name(asked: list[tuple[list[str], str]], start: int, owners: dict[str, set[int]]) -> tuple[int, set[int]]:
    """How many query words from `start` make the longest stored name, and whose name it is."""
    for length in range(min(_MAX_NAME_WORDS, len(asked) - start), 0, -1):
        squashed = "".join("".join(tokens) for tokens, _ in asked[start : start + length])
        if len(squashed) >= 2 and squashed in owners:
            return length, owners[squashed]
    return 1, set()


def _entities_by_squashed_name(connection: Connection, first_letters: set[str]) -> dict[str, set[int]]:
    """Entities by each of their names with spaces and marks taken out (only names that could
    start a query word are read)."""
    if not first_letters:
        return {}
    letters = sorted(first_letters)
    conditions = " OR ".join(f"lower(alias) LIKE :letter{i}" for i in range(len(letters)))
    rows = connection.execute(
        text(f"SELECT entity_id, alias FROM entity_aliases WHERE {conditions}"),
        {f"letter{i}": letter + "%" for i, letter in enumerate(letters)},
    ).all()
    owners: dict[str, set[int]] = {}
    for entity_id, alias in rows:
        owners.setdefault("".join(tokens_of(alias)), set()).add(entity_id)
    return owners


def _names_of(connection: Connection, entity_ids: set[int]) -> list[str]:
    if not entity_ids:
        return []
    placeholders = ",".join(f":e{i}" for i in range(len(entity_ids)))
    return list(
        connection.execute(
            text(f"SELECT DISTINCT alias FROM entity_aliases WHERE entity_id IN ({placeholders}) ORDER BY alias"),
            {f"e{i}": entity_id for i, entity_id in enumerate(sorted(entity_ids))},
        ).scalars()
    )


def _fts5_query(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        phrases = ['"' + " ".join(phrase) + '"' for phrase in term.phrases]
        parts.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    return " AND ".join(parts)


def _tsquery(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        phrases = ["(" + " <-> ".join(f"'{token}'" for token in phrase) + ")" for phrase in term.phrases]
        parts.append("(" + " | ".join(phrases) + ")")
    return " & ".join(parts)


def _filters(query: SearchQuery, document_column: str) -> tuple[str, dict[str, Any]]:
    """SQL conditions on the document (aliased d) and, for status and grade, its claims' groups."""
    conditions: list[str] = []
    values: dict[str, Any] = {}
    if query.language:
        conditions.append("lower(d.language) = lower(:language)")
        values["language"] = query.language
    if query.outlet:
        conditions.append("lower(d.outlet) = lower(:outlet)")
        values["outlet"] = query.outlet
    if query.since:
        conditions.append("d.published >= :since")
        values["since"] = query.since
    if query.until:
        conditions.append("d.published <= :until")
        values["until"] = query.until
    if query.story_id is not None:
        conditions.append(f"EXISTS (SELECT 1 FROM story_documents sd WHERE sd.document_id = {document_column} AND sd.story_id = :story)")
        values["story"] = query.story_id
    return " AND ".join(conditions), values


def _group_filters(query: SearchQuery) -> tuple[str, dict[str, Any]]:
    conditions: list[str] = []
    values: dict[str, Any] = {}
    if query.status:
        conditions.append("v.status = :status")
        values["status"] = query.status
    grade = (query.grade or "").strip().upper()
    if len(grade) == 2:
        conditions.append("v.grade = :grade")
        values["grade"] = grade
    elif grade.isalpha():  # source reliability alone: "B" is B1 to B6
        conditions.append("substr(v.grade, 1, 1) = :grade")
        values["grade"] = grade
    elif grade:  # information credibility alone: "2" is A2 to F2
        conditions.append("substr(v.grade, 2, 1) = :grade")
        values["grade"] = grade
    return " AND ".join(conditions), values


def _find_documents(connection: Connection, query: SearchQuery, match: str, postgres: bool) -> tuple[list[Any], int]:
    where, values = _filters(query, "d.id")
    group_where, group_values = _group_filters(query)
    if group_where:  # a document holding a claim whose group has that status or grade
        where = " AND ".join(filter(None, [where, (
            "EXISTS (SELECT 1 FROM claims c JOIN group_claims gc ON gc.claim_id = c.id"
            f" JOIN group_views v ON v.group_id = gc.group_id WHERE c.document_id = d.id AND {group_where})"
        )]))
    return _ranked(connection, query, match, postgres, values | group_values, where,
                   columns="d.id, d.title, d.outlet, d.published, d.language, d.text",
                   index="document_search", key="document_id", joins="JOIN documents d ON d.id = {key}",
                   weights="4.0, 1.0", order="d.id")


def _find_claims(connection: Connection, query: SearchQuery, match: str, postgres: bool) -> tuple[list[Any], int]:
    where, values = _filters(query, "c.document_id")
    group_where, group_values = _group_filters(query)
    return _ranked(connection, query, match, postgres, values | group_values, " AND ".join(filter(None, [where, group_where])),
                   columns="c.id, c.document_id, c.text, gc.group_id, v.story_id, v.status, v.grade",
                   index="claim_search", key="claim_id",
                   joins=("JOIN claims c ON c.id = {key} JOIN documents d ON d.id = c.document_id"
                          " LEFT JOIN group_claims gc ON gc.claim_id = c.id LEFT JOIN group_views v ON v.group_id = gc.group_id"),
                   weights="", order="c.id")


def _ranked(connection: Connection, query: SearchQuery, match: str, postgres: bool, values: dict[str, Any],
            where: str, *, columns: str, index: str, key: str, joins: str, weights: str, order: str) -> tuple[list[Any], int]:
    """One page of the rows matching in `index`, best first, and how many match in all. On
    SQLite the index row is the FTS5 rowid; on PostgreSQL its `key` column and a tsvector."""
    if postgres:
        source = f"FROM {index} s {joins.format(key='s.' + key)} WHERE s.body @@ to_tsquery('simple', :match)"
        rank = "ts_rank(s.body, to_tsquery('simple', :match)) DESC"
    else:
        source = f"FROM {index} s {joins.format(key='s.rowid')} WHERE {index} MATCH :match"
        rank = f"bm25({index}{', ' + weights if weights else ''})"
    if where:
        source += " AND " + where
    values = values | {"match": match, "limit": query.limit, "offset": query.offset}
    rows = connection.execute(
        text(f"SELECT {columns} {source} ORDER BY {rank}, {order} LIMIT :limit OFFSET :offset"), values
    ).all()
    total = connection.execute(text(f"SELECT count(*) {source}"), values).scalar_one()
    return rows, total


# -- snippets ----------------------------------------------------------------------------------


def _document_hit(row: Any, terms: list[Term]) -> DocumentHit:
    """The snippet comes from the text, or from the title when only the title matched."""
    parts = snippet(row.text or "", terms)
    if row.title and not any(is_match for _, is_match in parts):
        parts = snippet(row.title, terms)
    return DocumentHit(row.id, row.title, row.outlet, row.published, row.language, parts)


def _claim_hit(row: Any, terms: list[Term]) -> ClaimHit:
    return ClaimHit(row.id, row.document_id, row.text, row.group_id, row.story_id, row.status, row.grade, snippet(row.text, terms))


def snippet(body: str, terms: list[Term], width: int = _SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """The stretch of `body` around its first match, cut at spaces, with every match marked."""
    spans = sorted(span for term in terms for phrase in term.phrases for span in _matches(body, phrase))
    if not spans:
        return [(_shorten(body, width), False)]
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        space = body.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(body), start + width)
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    cursor = start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        parts.append((body[cursor:span_start], False))
        parts.append((body[span_start:span_end], True))
        cursor = span_end
    parts.append((body[cursor:end] + ("…" if end < len(body) else ""), False))
    return [part for part in parts if part[0]]


def _matches(body: str, phrase: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the phrase's tokens stand together in the original text (case and width aside)."""
    pattern = r"[\W_]*".join(re.escape(token) for token in phrase)
    if not phrase[0] or not _UNSPACED.match(phrase[0][0]):
        pattern = r"(?<![^\W_])" + pattern
    if not _UNSPACED.match(phrase[-1][-1]):
        pattern += r"(?![^\W_])"
    return [match.span() for match in re.finditer(pattern, body, flags=re.IGNORECASE)]


def _shorten(body: str, width: int) -> str:
    if len(body) <= width:
        return body
    cut = body.rfind(" ", 0, width)
    return body[: cut if cut > width // 2 else width] + "…"


def _display(phrase: tuple[str, ...]) -> str:
    return _UNSPACED_GAP.sub("", " ".join(phrase))
