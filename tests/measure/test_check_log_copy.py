"""The check log's COPY text: plain rows as they are, special characters escaped."""

from __future__ import annotations

from datetime import UTC, datetime

from ecredit.measure.repository import CheckRow, copy_text

AT = datetime(2026, 3, 2, 4, 5, 6, 789, tzinfo=UTC)


def test_plain_rows_and_missing_subject_when_nothing_needs_escaping() -> None:
    rows: list[CheckRow] = [
        (1, 5, "code:ABC", '["m"]', "[7]", AT),
        (2, None, "code:X", "[]", "[]", AT),
    ]
    assert copy_text(rows) == (
        '1\t5\tcode:ABC\t["m"]\t[7]\t2026-03-02T04:05:06.000789+00:00\n'
        "2\t\\N\tcode:X\t[]\t[]\t2026-03-02T04:05:06.000789+00:00\n"
    )


def test_backslash_tab_and_newlines_escaped_when_the_query_holds_them() -> None:
    rows: list[CheckRow] = [(1, None, "name:a\\b\tc\nd\re", "[]", "[]", AT)]
    assert copy_text(rows) == (
        "1\t\\N\tname:a\\\\b\\tc\\nd\\re\t[]\t[]\t2026-03-02T04:05:06.000789+00:00\n"
    )
