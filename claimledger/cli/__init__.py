"""The `claimledger` command: one sub-command per job.

Each command parses its options, calls the ledger and prints what it returns (cli/render.py).
The commands are grouped by what they do to the ledger: run the stages (cli/pipeline.py), read
it (cli/reading.py), change it by hand (cli/writing.py); cli/app.py holds the group itself.
"""

from claimledger.cli import pipeline, reading, writing  # noqa: F401  (each registers its commands)
from claimledger.cli.app import DEFAULT_MAX_MEGABYTES, FORMATS, cli, main

__all__ = ["DEFAULT_MAX_MEGABYTES", "FORMATS", "cli", "main"]
