"""Runtime parameters: defaults in code, operator values in the database with every revision."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from ecredit.audit.context import acting_as
from ecredit.kit.errors import InvalidInput, NotFound
from ecredit.models import Parameter, WorkdayOverride
from ecredit.parameters.service import parameter_service

KEY = "verification.review_workdays"


class TestParameterService:
    def test_returns_default_when_never_set(self, session: Session) -> None:
        assert parameter_service.get(session, KEY) == 5
        assert parameter_service.history(session, KEY) == []

    def test_returns_stored_value_when_set(self, session: Session) -> None:
        stored = parameter_service.set(session, KEY, 10, reason="more time")
        assert (stored.value, stored.revision) == (10, 1)
        session.expire_all()
        assert parameter_service.get(session, KEY) == 10

    def test_numbers_revisions_and_keeps_history_when_set_repeatedly(
        self, session: Session
    ) -> None:
        with acting_as("user:alice"):
            parameter_service.set(session, KEY, 7, reason="first")
        with acting_as("user:bob"):
            parameter_service.set(session, KEY, "9", reason="second")
        session.expire_all()
        history = parameter_service.history(session, KEY)
        assert [(r.revision, r.value, r.changed_by, r.reason) for r in history] == [
            (1, 7, "user:alice", "first"),
            (2, 9, "user:bob", "second"),
        ]
        assert session.get_one(Parameter, KEY).revision == 2

    def test_raises_not_found_when_key_unknown(self, session: Session) -> None:
        for call in (
            lambda: parameter_service.get(session, "no.such"),
            lambda: parameter_service.set(session, "no.such", 1),
            lambda: parameter_service.history(session, "no.such"),
        ):
            with pytest.raises(NotFound) as error:
                call()
            assert error.value.status_code == 404
            assert "no.such" in error.value.message

    @pytest.mark.parametrize(
        ("value", "rule"), [("five", "type"), (None, "type"), (0, "minimum"), (61, "maximum")]
    )
    def test_raises_invalid_input_naming_rule_when_value_is_bad(
        self, session: Session, value: object, rule: str
    ) -> None:
        with pytest.raises(InvalidInput) as error:
            parameter_service.set(session, KEY, value)
        problem = error.value.problems[0]
        assert (problem.field, problem.rule) == (KEY, rule)
        assert session.get(Parameter, KEY) is None

    def test_work_calendar_uses_operator_overrides_when_present(self, session: Session) -> None:
        session.add(WorkdayOverride(day=date(2027, 1, 1), is_workday=False, note="元旦"))
        session.flush()
        calendar = parameter_service.work_calendar(session)
        assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)


class TestDeclaredType:
    def test_returns_a_float_when_float_parameter_set_to_a_whole_number(
        self, session: Session
    ) -> None:
        parameter_service.set(session, "detection.brushing.min_ratio", 4, reason="stricter")
        session.expire_all()
        value = parameter_service.get(session, "detection.brushing.min_ratio")
        assert (type(value), value) == (float, 4.0)
