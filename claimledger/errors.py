"""Typed errors with stable codes.

Library code raises these; only the CLI (and later the web layer) turns them into messages for
people, so every failure a user sees carries a code they can look up in docs/errors.md.
"""

from __future__ import annotations

import re

# A message quotes what it is about (a URL, a name, a line of a file), and that may hold a line
# break or a terminal escape: every message stays one printable line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ClaimledgerError(Exception):
    """Base class: every error claimledger raises on purpose."""

    code = "E000"

    def __init__(self, message: str) -> None:
        message = _CONTROL.sub(lambda match: f"\\x{ord(match.group(0)):02x}", message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"


class InputError(ClaimledgerError):
    """One input (a file, a URL, a feed entry, a WARC record) could not be turned into a document."""

    code = "E100"


class EmptyInput(InputError):
    code = "E101"


class BinaryInput(InputError):
    code = "E102"


class UnknownEncoding(InputError):
    code = "E103"


class InputTooLarge(InputError):
    code = "E104"


class MalformedHTML(InputError):
    code = "E105"


class BrokenFeed(InputError):
    code = "E106"


class BrokenArchive(InputError):
    code = "E107"


class FetchFailed(InputError):
    code = "E108"


class URLRefused(InputError):
    code = "E109"


class UnsupportedInput(InputError):
    code = "E110"


class MalformedRecord(InputError):
    code = "E111"


class InputNotFound(InputError):
    code = "E112"


class NoText(InputError):
    code = "E113"


class UnreadableInput(InputError):
    """Reading the input failed in a way claimledger did not foresee (a bug to report)."""

    code = "E114"


class StoreError(ClaimledgerError):
    """The store cannot be opened or written."""

    code = "E200"


class DocumentNotFound(StoreError):
    code = "E201"


class GroupNotFound(StoreError):
    """No claim group with this id (or it has no claims left after re-extraction)."""

    code = "E202"


class StoryNotFound(StoreError):
    code = "E203"


class ThreadNotFound(StoreError):
    code = "E205"


class StoreNotFound(StoreError):
    """A command that only reads or changes a ledger was pointed at a store that does not exist."""

    code = "E206"


class BackupFailed(StoreError):
    """A backup that cannot be made: the target exists or its folder does not, the store is not
    a SQLite file, or the copy did not pass its integrity check."""

    code = "E207"


class StoreBusy(StoreError):
    """Another run holds the store's pipeline lock and did not let go in time."""

    code = "E204"


class BadEvidence(ClaimledgerError):
    """Evidence that names neither a stored document nor an http(s) URL."""

    code = "E300"


class BadAccount(ClaimledgerError):
    """An account that cannot be made or found: a bad name, a short password, an unknown name or token."""

    code = "E302"


class BadCorrection(ClaimledgerError):
    """A correction that cannot be made: unknown ids, a story merged into itself, a report in no story."""

    code = "E301"


class ClusterUnavailable(ClaimledgerError):
    """Extraction was asked to run on Ray workers, and Ray is not installed or its cluster cannot be reached."""

    code = "E400"
