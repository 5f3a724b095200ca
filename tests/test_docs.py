"""Docs that cannot drift: every command and every error code is documented."""

from __future__ import annotations

import inspect

from claimledger import errors
from claimledger.cli import cli
from tests.conftest import ROOT


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`claimledger {name}" in readme, f"README.md does not document `{name}`"


def test_every_error_code_is_in_docs_errors() -> None:
    documented = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    classes = [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.ClaimledgerError) and cls.__subclasses__() == []
    ]
    assert classes
    for cls in classes:
        assert f"| {cls.code} | {cls.__name__} |" in documented, f"{cls.__name__} is undocumented"


def test_error_codes_are_unique() -> None:
    codes = [
        cls.code
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.ClaimledgerError)
    ]
    assert len(codes) == len(set(codes))


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.split("#")[0].strip() for line in lines[:8] if line.startswith("make ")]
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
