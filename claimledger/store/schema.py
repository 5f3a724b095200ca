"""The tables, as SQLAlchemy Core sees them.

The migrations in `migrations/versions` create these tables; a test checks that the two agree,
so a column added here without a migration fails CI.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("outlet", Text),
    Column("outlet_source", String(16), nullable=False),
    Column("byline", Text),
    Column("published", Date),
    Column("published_source", String(16), nullable=False),
    Column("published_confidence", Float, nullable=False),
    Column("language", String(16)),
    Column("source_kind", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("text", Text, nullable=False),
    Column("regions", JSON, nullable=False),  # [{"kind": "caption", "start": 0, "end": 10}]
    Column("repairs", JSON, nullable=False),  # what cleaning changed, e.g. "&9; -> '"
    Column("words", Integer, nullable=False),
    Column("raw", LargeBinary, nullable=False),  # the input bytes, zlib-compressed
    Column("raw_type", String(100), nullable=False),
    Column("minhash", LargeBinary, nullable=False),
    Column("stage_version", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)
# The outlets of the stored documents, read without touching the documents themselves (a source
# named like an outlet is one: assess and each group page ask). Migration 0021.
Index("ix_documents_outlet", documents.c.outlet)

# Every place a document was seen: a second URL carrying the same text is recorded here, not
# stored as a second document, because a copy is not a second source.
document_sources = Table(
    "document_sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("source_kind", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("document_id", "source", name="uq_document_sources_document_source"),
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("band", SmallInteger, primary_key=True),
    Column("key", BigInteger, primary_key=True),
    Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

near_duplicates = Table(
    "near_duplicates",
    metadata,
    Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "duplicate_of", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("similarity", Float, nullable=False),
    Column("method", String(32), nullable=False),
)


# -- extraction (claimledger.extract): rows are replaced whole per document on each run --------

document_stages = Table(
    "document_stages",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("stage", String(32), primary_key=True),
    Column("version", String(64), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
)

document_credits = Table(
    "document_credits",
    metadata,
    # News agencies the document credits for its copy (claimledger.extract.credits): a relay step
    # before every chain of the document
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("agency_key", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

event_signatures = Table(
    "event_signatures",
    metadata,
    # What event the document reports (claimledger.extract.events): who is at its centre, what
    # happened (docs/events.md), and the event's own day with where it came from
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("who", JSON, nullable=False),
    Column("what", JSON, nullable=False),
    Column("event_date", String(10)),  # YYYY-MM-DD, or XXXX-MM-DD when the year is unknown
    Column("date_source", String(16)),
    Column("date_confidence", Float),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", Text, primary_key=True),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

attributions = Table(
    "attributions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),  # index within the document's extraction
    Column("parent_position", Integer),  # the relayer's position, None: the outlet
    Column("inferred_parent", Boolean, nullable=False),
    Column("source_start", Integer, nullable=False),
    Column("source_end", Integer, nullable=False),
    Column("source_text", Text, nullable=False),
    Column("source_name", Text, nullable=False),
    Column("source_entity_id", Integer, ForeignKey("entities.id", ondelete="SET NULL")),
    Column("named", Boolean, nullable=False),
    Column("cue_start", Integer, nullable=False),
    Column("cue_end", Integer, nullable=False),
    Column("cue_text", Text, nullable=False),
    Column("cue_lemma", String(32), nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("channel_start", Integer),
    Column("channel_end", Integer),
    Column("channel_text", Text),
    Column("date_value", String(32)),
    Column("date_start", Integer),
    Column("date_end", Integer),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("hedged", Boolean, nullable=False),
    Column("hedges", JSON, nullable=False),
    Column("attribution_position", Integer),  # innermost attribution, None: the outlet's own
    Column("entity_keys", JSON, nullable=False),
    Column("stage_version", String(64), nullable=False),
)

quantities = Table(
    "quantities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="SET NULL"), index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", Float, nullable=False),
    Column("low", Float),
    Column("high", Float),
    Column("unit", Text),
    Column("qualifier", String(16)),
)

dates = Table(
    "dates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="SET NULL"), index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", String(32), nullable=False),
    Column("precision", String(8), nullable=False),
    Column("low", Date),
    Column("high", Date),
    Column("relative", Boolean, nullable=False),
    Column("anchor", String(16)),  # what it was resolved against: published, event; NULL: neither
)


# -- link (claimledger.link): stories and claim groups grow incrementally ------------------------

threads = Table(
    "threads",
    metadata,
    # The events of one affair, in time order (removed -> tried -> sentenced -> appeal ruled)
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("thread_id", Integer, ForeignKey("threads.id", ondelete="SET NULL"), index=True),
    # Set in the transaction that changes the story's groups, cleared in the one that finds
    # their conflicts again: a run killed in between finishes the work when run again.
    Column("conflicts_pending", Boolean, nullable=False, server_default=true(), index=True),
)

story_documents = Table(
    "story_documents",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("score", Float, nullable=False),  # the similarity that placed it (0 for a story's first)
    Column("event_date", Date),  # the event's own day, from the document's signature (None: not known to the day)
    Column("vector", LargeBinary, nullable=False),
    Column("entity_keys", JSON, nullable=False),
    # the stage and version that wrote the row (link: with the encoder's version); migration 0012
    Column("stage_version", String(96), server_default="before 0012", nullable=False),
    # some of the report's claims may wait for grouping: set by whatever places, moves or
    # re-extracts the report or takes its claims out of their groups, cleared by linking once
    # none waits, so that finding the waiting claims reads only these reports; migration 0018
    Column("claims_pending", Boolean, server_default=true(), nullable=False),
)
# Partial indexes: migrations 0017 and 0018 make them partial on PostgreSQL too. Only SQLite's
# clause is named here, because naming PostgreSQL's imports SQLAlchemy's PostgreSQL dialect into
# every command at start-up (about 40 ms), and nothing builds tables from this module.
Index("ix_story_documents_claims_pending", story_documents.c.document_id,
      sqlite_where=story_documents.c.claims_pending == true())
# Each story's latest event day from the index alone, not from its rows (2 KB vectors): the story
# list orders by it. Migration 0021.
Index("ix_story_documents_story_event", story_documents.c.story_id, story_documents.c.event_date)

documents_to_place = Table(
    "documents_to_place",
    metadata,
    # The extracted documents in no story yet, so that linking finds them without checking
    # every extracted document against story_documents. Written in the transaction that saves
    # an extraction of an unplaced document; its row goes in the one that places it. Migration 0019.
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)

story_summaries = Table(
    "story_summaries",
    metadata,
    # Derived from story_documents (and the members' event signatures), so that placing new
    # reports reads each story once, not each of its reports (claimledger.link.stories). A row
    # counts only while `members` and `member_sum` match its story's reports; every change of a
    # story's reports or of a member's signature drops it, and linking writes it again. Migration 0017.
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("first_document", Integer, nullable=False),  # the order stories are indexed in
    Column("members", Integer, nullable=False),
    Column("member_sum", BigInteger, nullable=False),  # sum of the members' document ids
    Column("total", LargeBinary, nullable=False),  # sum of the members' vectors (float32)
    Column("who", JSON, nullable=False),  # central person's key -> reports
    Column("what", JSON, nullable=False),  # event type -> reports
    Column("dates", JSON, nullable=False),  # [value, source, confidence] of each dated report
    Column("stage_version", String(96), nullable=False),
)

story_person_words = Table(
    "story_person_words",
    metadata,
    # Postings from the words a story's central people go by (a person's key and its first and
    # last words, claimledger.link.stories.person_words) to the story, so that placing a report
    # reads the summaries of the stories about its person, not every summary. They live and die
    # with their summary. Migration 0020.
    Column("story_id", Integer, ForeignKey("story_summaries.story_id", ondelete="CASCADE"), primary_key=True),
    Column("word", Text, primary_key=True),
)
Index("ix_story_person_words_word", story_person_words.c.word)

claim_groups = Table(
    "claim_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Set whenever the group's claims, conflicts, evidence or ratings change; cleared when it is
    # assessed again (in the same transaction as its new status).
    Column("assessment_pending", Boolean, nullable=False, server_default=true(), index=True),
)

group_claims = Table(
    "group_claims",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", Integer, ForeignKey("claim_groups.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("score", Float, nullable=False),
    Column("vector", LargeBinary, nullable=False),
    # the stage and version that wrote the row (link: with the encoder's version); migration 0012
    Column("stage_version", String(96), server_default="before 0012", nullable=False),
    # how worth checking the claim is, 0..1 (claimledger.link.worthiness); migration 0013
    Column("worthiness", Float, nullable=True),
)
# The grouped claims still without a check-worthiness score, which every link run looks for:
# a partial index, so that finding none does not read every grouped claim; migration 0017
Index("ix_group_claims_unscored", group_claims.c.claim_id, sqlite_where=group_claims.c.worthiness.is_(None))

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", Integer, ForeignKey("claim_groups.id", ondelete="CASCADE"), index=True),
    Column("kind", String(16), nullable=False),  # number, date, statement
    Column("claim_a", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("claim_b", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("a_start", Integer, nullable=False),
    Column("a_end", Integer, nullable=False),
    Column("b_start", Integer, nullable=False),
    Column("b_end", Integer, nullable=False),
    Column("detail", Text, nullable=False),
    # the stage and version that wrote the row (link: with the encoder's version); migration 0012
    Column("stage_version", String(96), server_default="before 0012", nullable=False),
)

# -- assess (claimledger.assess): what the user says, and the append-only status history ---------

source_ratings = Table(
    "source_ratings",
    metadata,
    Column("key", Text, primary_key=True),  # an outlet's name or a person's entity key, lower-cased
    Column("name", Text, nullable=False),
    Column("reliability", String(1)),  # A-F; None: not rated (F, cannot be judged)
    Column("authoritative", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", Integer, ForeignKey("claim_groups.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("stance", String(8), nullable=False),  # supports, refutes
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("url", Text),
    Column("note", Text, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

group_status = Table(
    "group_status",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", Integer, ForeignKey("claim_groups.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("grade", String(2), nullable=False),
    Column("independent_origins", Integer, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    # the stage and version that wrote the row (link: with the encoder's version); migration 0012
    Column("stage_version", String(96), server_default="before 0012", nullable=False),
)


group_views = Table(
    "group_views",
    metadata,
    # What assess derived for a group, written with its status: the lists and pages read this row
    # and recompute nothing, so what they show is what the status was decided on
    Column("group_id", Integer, ForeignKey("claim_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("claim_ids", JSON, nullable=False),
    Column("claim_count", Integer, nullable=False),  # lists count groups told more than once in SQL
    Column("doc_ids", JSON, nullable=False),
    Column("origins", JSON, nullable=False),
    Column("independent_origins", Integer, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("grade", String(2), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("stage_version", String(64), nullable=False),
    Column("assessed_at", DateTime(timezone=True), nullable=False),
    # its most check-worthy claim's score: lists sort and filter by it in SQL; migration 0013
    Column("worthiness", Float, nullable=True, index=True),
)
# The claims list's own order (most check-worthy first, unscored last), so that a page of it is
# read off this index instead of sorting every group per request; migration 0016
Index("ix_group_views_worth_order", group_views.c.worthiness.is_(None), group_views.c.worthiness.desc(),
      group_views.c.group_id)
# The latest assessment, which pages kept between requests check on each one (ledger_stamp),
# without reading every view. Migration 0021.
Index("ix_group_views_assessed_at", group_views.c.assessed_at)


# -- web (claimledger.web): who may write, and the app's own settings ----------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the token; the token is shown once
    Column("label", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    # sha256 of the session id the signed cookie carries: signing out deletes the row, so a
    # copied cookie stops working at once
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# Long work started from the web app (an ingest), kept so that a restart neither forgets a job
# nor leaves it "running": one still unfinished when the app starts is marked interrupted.
jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("user_name", String(64), nullable=False),
    Column("state", String(16), nullable=False, index=True),  # queued, running, finished, failed, interrupted
    Column("stage", Text, nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer),
    Column("result", JSON),
    Column("error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


# -- corrections (claimledger.web): the user's merges and splits, kept across pipeline re-runs ----

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(24), nullable=False),  # merge-groups, split-claim, merge-entities
    Column("target", Integer, nullable=False),  # the group or entity kept
    Column("source", Integer, nullable=False),  # the group, claim or entity moved
    Column("detail", JSON, nullable=False),  # what undoing needs
    Column("user_name", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("undone_at", DateTime(timezone=True)),
)

# A claim the user placed by hand, by its place in its document (claim ids change when a
# document is extracted again; its span does not), so linking puts it back in that group.
claim_pins = Table(
    "claim_pins",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("group_id", Integer, ForeignKey("claim_groups.id", ondelete="CASCADE"), nullable=False),
    Column("correction_id", Integer, ForeignKey("corrections.id", ondelete="CASCADE"), nullable=False),
)

# An entity key the user merged into another: extraction files new mentions under `to_key`.
entity_key_merges = Table(
    "entity_key_merges",
    metadata,
    Column("from_key", Text, primary_key=True),
    Column("to_key", Text, nullable=False),
    Column("correction_id", Integer, ForeignKey("corrections.id", ondelete="CASCADE"), nullable=False),
)

# Where a document's claims were grouped before it was extracted again, so that linking puts
# the same sentences back in the same groups (their evidence and status history stay theirs).
dismissed_conflicts = Table(
    "dismissed_conflicts",
    metadata,
    # A conflict an analyst dismissed (not a real disagreement), pinned by the two spans so that
    # it stays dismissed when conflicts are found again after re-extraction
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("doc_a", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("a_start", Integer, nullable=False),
    Column("a_end", Integer, nullable=False),
    Column("doc_b", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("b_start", Integer, nullable=False),
    Column("b_end", Integer, nullable=False),
    Column("correction_id", Integer, ForeignKey("corrections.id", ondelete="CASCADE"), nullable=False, index=True),
)

claim_placements = Table(
    "claim_placements",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("group_id", Integer, ForeignKey("claim_groups.id", ondelete="CASCADE"), nullable=False),
)

# An entity the user split: in these documents, mentions under `from_key` belong to `to_key`.
entity_key_splits = Table(
    "entity_key_splits",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("from_key", Text, primary_key=True),
    Column("to_key", Text, nullable=False),
    Column("correction_id", Integer, ForeignKey("corrections.id", ondelete="CASCADE"), nullable=False),
)
