"""Publicity windows: inclusive last day, Civil-Code month counting, each rule at its edges."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecredit.catalog import (
    PenaltyKind,
    PublicityInputError,
    RecordTypeSpec,
    Severity,
    add_months,
    earliest_repair,
    is_public,
    load_catalog,
    public_window,
)
from ecredit.catalog.schema import ByPenaltyKind, BySeverity

CATALOG = load_catalog()


def spec(code: str) -> RecordTypeSpec:
    return CATALOG.get(code)


class TestAddMonths:
    def test_keeps_day_when_target_month_has_it(self) -> None:
        assert add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)

    def test_clamps_to_month_end_when_target_month_is_shorter(self) -> None:
        assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
        assert add_months(date(2026, 1, 31), 3) == date(2026, 4, 30)

    def test_clamps_to_29th_when_february_is_leap(self) -> None:
        assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)

    def test_lands_on_28th_when_leap_day_plus_a_year(self) -> None:
        assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
        assert add_months(date(2024, 2, 29), 48) == date(2028, 2, 29)

    def test_crosses_years_when_months_exceed_december(self) -> None:
        assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
        assert add_months(date(2025, 12, 31), 36) == date(2028, 12, 31)


class TestBySeverity:
    @pytest.mark.parametrize(
        ("severity", "until"),
        [
            (Severity.MINOR, date(2026, 7, 1)),
            (Severity.GENERAL, date(2027, 4, 1)),
            (Severity.SERIOUS, date(2029, 4, 1)),
        ],
    )
    def test_ends_on_corresponding_day_when_penalty_has_severity(
        self, severity: Severity, until: date
    ) -> None:
        window = public_window(
            spec("administrative_penalty"), severity, date(2026, 4, 1), None, None
        )
        assert window == (date(2026, 4, 1), until)

    def test_shown_on_last_day_and_not_after_when_window_ends(self) -> None:
        window = public_window(
            spec("administrative_penalty"), "minor", date(2026, 1, 31), None, None
        )
        assert window == (date(2026, 1, 31), date(2026, 4, 30))
        assert is_public(window, date(2026, 4, 30))
        assert not is_public(window, date(2026, 5, 1))
        assert not is_public(window, date(2026, 1, 30))

    def test_uses_default_severity_when_severity_is_none(self) -> None:
        brushing = spec("order_brushing")
        assert brushing.default_severity is Severity.SERIOUS
        assert public_window(brushing, None, date(2026, 1, 1), None, None)[1] == date(2029, 1, 1)

    def test_raises_when_severity_is_unknown(self) -> None:
        with pytest.raises(PublicityInputError, match="unknown severity"):
            public_window(spec("administrative_penalty"), "fatal", date(2026, 1, 1), None, None)

    def test_repair_opens_day_after_minimum_when_general(self) -> None:
        penalty = spec("administrative_penalty")
        assert earliest_repair(penalty, "general", date(2026, 1, 31), None) == date(2026, 5, 1)
        assert earliest_repair(penalty, "serious", date(2026, 1, 31), None) == date(2027, 2, 1)

    def test_repair_opens_at_once_when_minor(self) -> None:
        penalty = spec("administrative_penalty")
        assert earliest_repair(penalty, "minor", date(2026, 3, 5), None) == date(2026, 3, 5)


class TestSamrByPenaltyKind:
    decided = date(2026, 1, 31)

    def window(self, kind: str | None, valid_until: date | None = None) -> tuple[object, object]:
        return public_window(spec("samr_penalty"), None, self.decided, kind, valid_until)

    def test_not_published_when_warning(self) -> None:
        assert self.window("warning") == (None, None)

    def test_three_months_when_criticism_or_small_fine(self) -> None:
        assert self.window("criticism") == (self.decided, date(2026, 4, 30))
        assert self.window("small_fine") == (self.decided, date(2026, 4, 30))

    def test_three_years_when_fine(self) -> None:
        assert self.window("fine") == (self.decided, date(2029, 1, 31))

    def test_extends_to_restriction_end_when_restriction_outlasts_three_years(self) -> None:
        assert self.window("licence_revocation", date(2031, 6, 30)) == (
            self.decided,
            date(2031, 6, 30),
        )
        assert self.window("licence_revocation", date(2027, 1, 1))[1] == date(2029, 1, 31)

    def test_raises_when_penalty_kind_missing(self) -> None:
        with pytest.raises(PublicityInputError, match="penalty_kind"):
            self.window(None)

    def test_raises_naming_known_kinds_when_penalty_kind_unknown(self) -> None:
        with pytest.raises(PublicityInputError, match="known: warning"):
            self.window("flogging")

    def test_no_early_repair_when_licence_revoked(self) -> None:
        samr = spec("samr_penalty")
        assert earliest_repair(samr, None, self.decided, "licence_revocation") is None
        assert earliest_repair(samr, None, self.decided, "fine") == self.decided


class TestOtherRules:
    def test_public_until_valid_until_when_while_valid(self) -> None:
        window = public_window(
            spec("dishonest_judgment_debtor"), None, date(2026, 2, 1), None, date(2028, 2, 1)
        )
        assert window == (date(2026, 2, 1), date(2028, 2, 1))

    def test_open_ended_when_while_valid_without_valid_until(self) -> None:
        window = public_window(spec("administrative_licence"), None, date(2026, 2, 1), None, None)
        assert window == (date(2026, 2, 1), None)
        assert is_public(window, date(2099, 1, 1))

    def test_raises_when_valid_until_before_decision(self) -> None:
        with pytest.raises(PublicityInputError, match="valid_until"):
            public_window(
                spec("administrative_licence"), None, date(2026, 2, 1), None, date(2026, 1, 1)
            )

    def test_thirty_six_months_when_positive(self) -> None:
        window = public_window(spec("honour_award"), None, date(2024, 2, 29), None, None)
        assert window == (date(2024, 2, 29), date(2027, 2, 28))
        assert earliest_repair(spec("honour_award"), None, date(2024, 2, 29), None) is None

    def test_not_public_when_window_is_none(self) -> None:
        assert not is_public((None, None), date(2026, 1, 1))


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def is_corresponding_day(start: date, end: date) -> bool:
    last = calendar.monthrange(end.year, end.month)[1]
    return end.day == min(start.day, last)


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
severity_rule = spec("administrative_penalty").publicity
samr_rule = spec("samr_penalty").publicity


class TestWindowProperties:
    @given(decided=dates, severity=st.sampled_from(Severity))
    def test_length_equals_rule_when_by_severity(self, decided: date, severity: Severity) -> None:
        assert isinstance(severity_rule, BySeverity)
        start, end = public_window(spec("administrative_penalty"), severity, decided, None, None)
        assert start == decided
        assert end is not None
        assert end >= start
        assert months_between(start, end) == severity_rule.months(severity)
        assert is_corresponding_day(start, end)

    @given(decided=dates, kind=st.sampled_from(PenaltyKind), extra_days=st.integers(0, 4000))
    def test_until_never_before_from_when_by_penalty_kind(
        self, decided: date, kind: PenaltyKind, extra_days: int
    ) -> None:
        assert isinstance(samr_rule, ByPenaltyKind)
        valid_until = date.fromordinal(decided.toordinal() + extra_days)
        start, end = public_window(spec("samr_penalty"), None, decided, kind, valid_until)
        if kind in samr_rule.not_published:
            assert (start, end) == (None, None)
            return
        assert start == decided
        assert end is not None
        assert end >= start
        if kind not in samr_rule.extend_while_valid:
            assert months_between(start, end) == samr_rule.months[kind]

    @given(decided=dates, months=st.integers(0, 600))
    def test_add_months_lands_on_corresponding_day_when_any_input(
        self, decided: date, months: int
    ) -> None:
        moved = add_months(decided, months)
        assert moved >= decided
        assert months_between(decided, moved) == months
        assert is_corresponding_day(decided, moved)
