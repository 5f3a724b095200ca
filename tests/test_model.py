"""Dates as the ledger stores them, read back for people."""

from __future__ import annotations

from claimledger.cli.render import signature_line
from claimledger.model import EventDate, EventSignature, readable_date


def test_unknown_parts_of_a_date_read_as_unknown_not_as_xxxx() -> None:
    assert readable_date("2026-01-28") == "2026-01-28"
    assert readable_date("XXXX-02-02") == "2 Feb (year unknown)"
    assert readable_date("XXXX-11") == "Nov (year unknown)"
    assert readable_date("XXXX-WXX-7") == "a Sunday (date unknown)"
    assert readable_date("XXXX-XX-XX") is None and readable_date(None) is None


def test_the_event_line_of_a_report_reads_a_day_of_the_week_as_such() -> None:
    sunday = EventSignature(("bo xilai",), ("sentenced",), EventDate("XXXX-WXX-7", "weekday", 0.3))
    assert "when a Sunday (date unknown) (from the weekday, confidence 0.3)" in signature_line(sunday)
    dated = EventSignature(("bo xilai",), ("sentenced",), EventDate("2013-09-22", "act", 0.9))
    assert "when 2013-09-22 (from the act" in signature_line(dated)
