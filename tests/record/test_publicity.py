"""Display windows per record type, both ends inclusive, through the state and the public file."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from ecredit.models.record import PenaltyKind, Severity
from ecredit.record.schemas import RecordCreate
from tests.factories import records as rec
from tests.record.conftest import Desk

DAY = timedelta(days=1)
DECIDED = date(2026, 3, 10)

# (what is submitted, its last public day)
WINDOWS: list[tuple[str, dict[str, Any], date]] = [
    ("administrative_penalty", {"severity": Severity.MINOR}, date(2026, 6, 10)),
    ("administrative_penalty", {"severity": Severity.GENERAL}, date(2027, 3, 10)),
    ("administrative_penalty", {"severity": Severity.SERIOUS}, date(2029, 3, 10)),
    ("samr_penalty", {"penalty_kind": PenaltyKind.CRITICISM}, date(2026, 6, 10)),
    ("samr_penalty", {"penalty_kind": PenaltyKind.SMALL_FINE}, date(2026, 6, 10)),
    ("samr_penalty", {"penalty_kind": PenaltyKind.FINE}, date(2029, 3, 10)),
    ("samr_penalty", {"penalty_kind": PenaltyKind.CONFISCATION}, date(2029, 3, 10)),
    ("samr_penalty", {"penalty_kind": PenaltyKind.SUSPENSION}, date(2029, 3, 10)),
    ("samr_penalty", {"penalty_kind": PenaltyKind.LICENCE_REVOCATION}, date(2029, 3, 10)),
    ("samr_penalty", {"penalty_kind": PenaltyKind.OTHER}, date(2029, 3, 10)),
]
WINDOW_IDS = [f"{code}-{next(iter(values.values()))}" for code, values, _ in WINDOWS]


def _submit(desk: Desk, data: RecordCreate) -> int:
    return desk.records.submit(desk.session, data, desk.department).id


def _penalty(desk: Desk, code: str, values: dict[str, Any], decided: date = DECIDED) -> int:
    return _submit(desk, rec.penalty(desk.merchant.id, decided, type_code=code, **values))


class TestWindowBoundaries:
    @pytest.mark.parametrize(("code", "values", "last_day"), WINDOWS, ids=WINDOW_IDS)
    def test_public_on_both_ends_only_when_inside_window(
        self, desk: Desk, code: str, values: dict[str, Any], last_day: date
    ) -> None:
        state = desk.records.state(desk.session, _penalty(desk, code, values))
        assert (state.public_from, state.public_until) == (DECIDED, last_day)
        days = (DECIDED - DAY, DECIDED, last_day, last_day + DAY)
        assert [state.is_public(day) for day in days] == [False, True, True, False]

    @pytest.mark.parametrize(("code", "values", "last_day"), WINDOWS, ids=WINDOW_IDS)
    def test_public_file_lists_record_only_when_inside_window(
        self, desk: Desk, code: str, values: dict[str, Any], last_day: date
    ) -> None:
        record_id = _penalty(desk, code, values)
        shown = []
        for day in (DECIDED - DAY, DECIDED, last_day, last_day + DAY):
            desk.on(day)
            shown.append(record_id in desk.public_ids())
        assert shown == [False, True, True, False]

    @pytest.mark.parametrize(("code", "values", "last_day"), WINDOWS, ids=WINDOW_IDS)
    def test_status_expired_when_last_day_passed(
        self, desk: Desk, code: str, values: dict[str, Any], last_day: date
    ) -> None:
        state = desk.records.state(desk.session, _penalty(desk, code, values))
        assert [state.status(day) for day in (last_day, last_day + DAY)] == [
            "in_force",
            "expired",
        ]

    def test_never_in_public_file_when_samr_penalty_is_a_warning(self, desk: Desk) -> None:
        _penalty(desk, "samr_penalty", {"penalty_kind": PenaltyKind.WARNING})
        for day in (DECIDED, DECIDED + 30 * DAY, date(2029, 3, 10)):
            desk.on(day)
            assert desk.public_ids() == []

    def test_positive_fact_public_through_36_months_when_honour(self, desk: Desk) -> None:
        record_id = _submit(desk, rec.honour(desk.merchant.id, DECIDED))
        state = desk.records.state(desk.session, record_id)
        last = date(2029, 3, 10)
        assert [state.is_public(d) for d in (DECIDED, last, last + DAY)] == [True, True, False]

    def test_public_through_valid_until_when_judgment_debtor(self, desk: Desk) -> None:
        until = date(2026, 12, 31)
        data = rec.judgment_debtor(desk.merchant.id, DECIDED, until)
        record_id = _submit(desk, data)
        shown = []
        for day in (DECIDED - DAY, DECIDED, until, until + DAY):
            desk.on(day)
            shown.append(record_id in desk.public_ids())
        assert shown == [False, True, True, False]


class TestMonthEnds:
    @pytest.mark.parametrize(
        ("decided", "severity", "last_day"),
        [
            (date(2026, 1, 31), Severity.MINOR, date(2026, 4, 30)),
            (date(2025, 11, 30), Severity.MINOR, date(2026, 2, 28)),
            (date(2026, 1, 31), Severity.GENERAL, date(2027, 1, 31)),
            (date(2024, 2, 29), Severity.SERIOUS, date(2027, 2, 28)),
            (date(2026, 1, 15), Severity.MINOR, date(2026, 4, 15)),
        ],
        ids=str,
    )
    def test_last_day_clamped_to_month_end_when_shorter_month(
        self, desk: Desk, decided: date, severity: Severity, last_day: date
    ) -> None:
        values = {"severity": severity}
        record_id = _penalty(desk, "administrative_penalty", values, decided)
        state = desk.records.state(desk.session, record_id)
        assert state.public_until == last_day
        assert state.is_public(last_day)
        assert not state.is_public(last_day + DAY)

    def test_hidden_on_first_of_may_when_minor_penalty_of_31_january(self, desk: Desk) -> None:
        values = {"severity": Severity.MINOR}
        record_id = _penalty(desk, "administrative_penalty", values, date(2026, 1, 31))
        desk.on(date(2026, 4, 30))
        assert desk.public_ids() == [record_id]
        desk.on(date(2026, 5, 1))
        assert desk.public_ids() == []
