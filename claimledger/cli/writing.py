"""Commands that change the ledger by hand: evidence, ratings, corrections, accounts; and serve."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.markup import escape
from rich.table import Table

from claimledger.cli.app import (
    accounts,
    cli,
    cli_user,
    json_option,
    ledger,
    open_store,
    parse_size,
    stderr,
    stdout,
    to_json,
    translate_errors,
    views,
)
from claimledger.errors import (
    StoryNotFound,
)

if TYPE_CHECKING:
    pass


@cli.command()
@click.argument("group_id", type=int)
@click.option("--supports", "supports", metavar="DOC_ID|URL", help="A stored document or a URL that supports the claim.")
@click.option("--refutes", "refutes", metavar="DOC_ID|URL", help="A stored document or a URL that refutes the claim.")
@click.option("--note", required=True, help="What the evidence shows, in a sentence.")
@json_option
@click.pass_context
@translate_errors
def evidence(context: click.Context, group_id: int, supports: str | None, refutes: str | None, note: str, as_json: bool) -> None:
    """Add evidence for or against a claim group; its status and grade are assessed again.

    Evidence is never edited or removed: the history of a claim's status is append-only.
    """
    if (supports is None) == (refutes is None):
        raise click.UsageError("give exactly one of --supports or --refutes")
    target = supports or refutes or ""
    stance = "supports" if supports else "refutes"
    with open_store(context) as store:
        document_id, url = ledger.evidence_target(target)
        evidence_id = ledger.add_evidence(store, group_id, stance, document_id, url, note)
        record = views.one_group(store, group_id)
    assert record is not None
    if as_json:
        click.echo(to_json({"evidence_id": evidence_id, "group": views.as_json(record)}))
    else:
        stdout.print(f"evidence #{evidence_id} added; group {group_id} is now {record.status}, grade {record.grade}")


@cli.command()
@click.argument("name")
@click.option("--reliability", type=click.Choice(list("ABCDEF"), case_sensitive=False),
              help="A completely reliable, B usually, C fairly, D not usually, E unreliable, F cannot be judged.")
@click.option("--authoritative/--not-authoritative", default=None,
              help="An authoritative source's own statement confirms a claim (an official body on its own acts).")
@json_option
@click.pass_context
@translate_errors
def rate(context: click.Context, name: str, reliability: str | None, authoritative: bool | None, as_json: bool) -> None:
    """Set how reliable an outlet or a person is (NAME as written: "Harbour Ledger", "Hu Liren").

    Every claim group is assessed again, so grades and statuses reflect the new rating.
    """
    if reliability is None and authoritative is None:
        raise click.UsageError("give --reliability, --authoritative or --not-authoritative")
    key = ledger.rating_key(name)
    with open_store(context) as store:
        changed = ledger.rate_source(store, name, reliability.upper() if reliability else None, authoritative)
    if as_json:
        click.echo(to_json({"key": key, "name": name, "reliability": reliability, "authoritative": authoritative, "groups_changed": changed}))
    else:
        stdout.print(f"rated {escape(name)}; {changed} claim group(s) changed grade or status")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (reading is open to anyone who can reach it).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--max-upload", "max_upload", default="20MB", show_default=True, callback=parse_size, help="Largest upload accepted.")
@click.option("--allow-private", is_flag=True, help="Let signed-in users ingest URLs on private and loopback addresses.")
@click.option("--max-concurrent", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Requests at work at once; more wait their turn (see --queue-timeout).")
@click.option("--queue-timeout", default=20.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds a request waits for its turn before it is answered 503 (busy, retry).")
@click.pass_context
@translate_errors
def serve(context: click.Context, host: str, port: int, max_upload: int, allow_private: bool,
          max_concurrent: int, queue_timeout: float) -> None:
    """Serve the ledger as a web app (pages at /, JSON API at /api, described at /openapi.json)."""
    import uvicorn

    from claimledger.web.app import create_app

    store = open_store(context, create=True)
    app = create_app(store, max_upload_bytes=max_upload, allow_private=allow_private,
                     max_concurrent=max_concurrent, queue_seconds=queue_timeout, warm=True)
    stderr.print(f"claimledger is serving {escape(store.display_url)} at [bold]http://{host}:{port}/[/bold] (Ctrl-C to stop)")
    if not accounts.count_users(store):
            stderr.print("no accounts yet: reading works; to write, create one with `claimledger user add NAME`")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.group()
def user() -> None:
    """Accounts that may change the ledger from the web app or the API."""


@user.command("add")
@click.argument("name")
@click.password_option(help="The password (asked for when not given).")
@click.pass_context
@translate_errors
def user_add(context: click.Context, name: str, password: str) -> None:
    """Create an account NAME (the password is stored as an argon2id hash)."""
    with open_store(context, create=True) as store:
        accounts.add_user(store, name, password)
    stdout.print(f"account {escape(name)} created")


@user.command("token")
@click.argument("name")
@click.option("--label", default="api", show_default=True, help="What the token is for.")
@click.pass_context
@translate_errors
def user_token(context: click.Context, name: str, label: str) -> None:
    """Make an API token for NAME (send it as `Authorization: Bearer TOKEN`); shown once."""
    with open_store(context) as store:
        token = accounts.make_token(store, name, label)
    click.echo(token)


@user.command("list")
@json_option
@click.pass_context
@translate_errors
def user_list(context: click.Context, as_json: bool) -> None:
    """List the accounts with their API tokens (ids and labels, never the tokens) and open sessions."""
    with open_store(context) as store:
        found = accounts.accounts(store)
    if as_json:
        click.echo(to_json([
            {"name": a.name, "created_at": a.created_at, "sessions": a.sessions,
             "tokens": [{"id": i, "label": label, "created_at": at} for i, label, at in a.tokens]}
            for a in found
        ]))
        return
    if not found:
        stdout.print("No accounts: create one with `claimledger user add NAME`.")
        return
    table = Table("name", "created", "sessions", "tokens (id: label)")
    for a in found:
        table.add_row(escape(a.name), f"{a.created_at:%Y-%m-%d}", str(a.sessions),
                      escape(", ".join(f"{i}: {label}" for i, label, _ in a.tokens)) or "none")
    stdout.print(table)


@user.command("remove")
@click.argument("name")
@click.pass_context
@translate_errors
def user_remove(context: click.Context, name: str) -> None:
    """Delete account NAME: its tokens stop working and its sessions end at once (its
    corrections and evidence keep its name)."""
    with open_store(context) as store:
        accounts.remove_user(store, name)
    stdout.print(f"account {escape(name)} removed; its tokens and sessions no longer work")


@user.command("revoke")
@click.argument("name")
@click.option("--token", "token_id", type=int, default=None, help="The id of the token to revoke (see `user list`).")
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of NAME.")
@click.pass_context
@translate_errors
def user_revoke(context: click.Context, name: str, token_id: int | None, revoke_all: bool) -> None:
    """Revoke API tokens of NAME: one (--token ID) or all (--all)."""
    if (token_id is None) == (not revoke_all):
        raise click.UsageError("give exactly one of --token ID or --all")
    with open_store(context) as store:
        revoked = accounts.revoke_tokens(store, name, token_id)
    stdout.print(f"{revoked} token(s) of {escape(name)} revoked")


@cli.group()
def story() -> None:
    """Correct the stories: move reports, split a story, merge two (recorded, undoable, kept
    when linking runs again)."""


@story.command("merge")
@click.argument("target", type=int)
@click.argument("source", type=int)
@click.pass_context
@translate_errors
def story_merge(context: click.Context, target: int, source: int) -> None:
    """Fold story SOURCE into story TARGET: its reports, claim groups, evidence and history move."""
    with open_store(context) as store:
        correction = ledger.merge_stories(store, target, source, cli_user())
    stdout.print(f"correction #{correction}: story {source} merged into story {target} (undo: claimledger undo {correction})")


@story.command("move")
@click.argument("document_ids", nargs=-1, required=True, type=int, metavar="DOC_ID...")
@click.option("--to", "to_story", type=int, required=True, help="The story the reports belong to.")
@click.pass_context
@translate_errors
def story_move(context: click.Context, document_ids: tuple[int, ...], to_story: int) -> None:
    """Move reports to another story; their claims are grouped again there."""
    with open_store(context) as store:
        correction, story_id = ledger.move_documents(store, list(document_ids), to_story, cli_user())
    stdout.print(f"correction #{correction}: {len(document_ids)} report(s) moved to story {story_id} (undo: claimledger undo {correction})")


@story.command("split")
@click.argument("story_id", type=int)
@click.argument("document_ids", nargs=-1, required=True, type=int, metavar="DOC_ID...")
@click.pass_context
@translate_errors
def story_split(context: click.Context, story_id: int, document_ids: tuple[int, ...]) -> None:
    """Take reports out of STORY_ID into a new story of their own (in the same thread)."""
    with open_store(context) as store:
        found = views.story_record(store, story_id)
        members = set(found.doc_ids) if found else set()
        if not members:
            raise StoryNotFound(f"story {story_id} does not exist")
        if not set(document_ids) <= members or set(document_ids) == members:
            raise click.UsageError(f"choose some, not all, of story {story_id}'s reports: {sorted(members)}")
        correction, new_story = ledger.move_documents(store, list(document_ids), None, cli_user())
    stdout.print(f"correction #{correction}: {len(document_ids)} report(s) split into new story {new_story} (undo: claimledger undo {correction})")


@cli.command()
@click.argument("conflict_id", type=int)
@click.option("--note", required=True, help="Why it is no real disagreement, in a sentence.")
@click.pass_context
@translate_errors
def dismiss(context: click.Context, conflict_id: int, note: str) -> None:
    """Dismiss a conflict that is no real disagreement (ids are shown by `claimledger trace`);
    recorded, undoable, and kept when conflicts are found again."""
    with open_store(context) as store:
        correction = ledger.dismiss_conflict(store, conflict_id, note, cli_user())
    stdout.print(f"correction #{correction}: conflict {conflict_id} dismissed (undo: claimledger undo {correction})")


@cli.command()
@click.argument("checkpoint")
@click.argument("state", type=click.Choice(["reviewed", "dismissed"]))
@click.option("--note", default="", help="What you found, or why it needs no check.")
@click.pass_context
@translate_errors
def triage(context: click.Context, checkpoint: str, state: str, note: str) -> None:
    """Mark a checkpoint (GROUP:DUE_BY, as `claimledger due` lists it) reviewed or dismissed: it
    leaves the due list, recorded with who and when (`due --all` shows it); undoable."""
    with open_store(context) as store:
        correction = ledger.triage_checkpoint(store, checkpoint, state, note, cli_user())
    stdout.print(f"correction #{correction}: checkpoint {checkpoint} {state} (undo: claimledger undo {correction})")


@cli.command()
@json_option
@click.pass_context
@translate_errors
def corrections(context: click.Context, as_json: bool) -> None:
    """List the corrections made by hand (merges, splits, moves), who made them and whether undone."""
    with open_store(context) as store:
        records = views.corrections(store)
    if as_json:
        click.echo(to_json(records))
        return
    if not records:
        stdout.print("No corrections yet.")
        return
    table = Table("id", "kind", "target", "source", "by", "when", "undone")
    for r in records:
        table.add_row(str(r.id), r.kind, str(r.target), str(r.source), escape(r.user), r.created_at[:16], (r.undone_at or "")[:16])
    stdout.print(table)


@cli.command()
@click.argument("correction_id", type=int)
@click.pass_context
@translate_errors
def undo(context: click.Context, correction_id: int) -> None:
    """Undo a correction (its record stays, marked undone); the ledger is brought up to date."""
    with open_store(context) as store:
        row = ledger.undo(store, correction_id)
    stdout.print(f"correction #{correction_id} ({row.kind}) undone")
