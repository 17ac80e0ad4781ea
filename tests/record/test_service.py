"""Recording facts through the service: each kind of type, required fields, who may submit,
unknown inputs and duplicate decision numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ecredit.authz.principals import SYSTEM
from ecredit.catalog.loader import load_catalog
from ecredit.catalog.schema import Polarity
from ecredit.kit.errors import AppError, Conflict, Forbidden, InvalidInput
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord, EntryAction, PenaltyKind, Severity
from ecredit.record.schemas import RecordCreate
from ecredit.record.service import RecordService
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.record.conftest import TODAY, Desk

CATALOG = load_catalog()
LOCAL_TYPE = """
[[types]]
code = "local_notice"
name_zh = "本地通报"
name_en = "Local notice"
polarity = "negative"
default_severity = "minor"
required_fields = ["summary"]
submitters = ["department"]
publicity = { kind = "fixed", months = 1 }
evaluation_hint = "local"
basis = "本地规定"
"""


def _problems(error: pytest.ExceptionInfo[AppError]) -> list[tuple[str, str]]:
    return [(p.field, p.rule) for p in error.value.problems]


class TestSubmitByType:
    @pytest.mark.parametrize(
        ("severity", "last_day"),
        [
            (Severity.MINOR, date(2026, 6, 10)),
            (Severity.GENERAL, date(2027, 3, 10)),
            (Severity.SERIOUS, date(2029, 3, 10)),
        ],
        ids=str,
    )
    def test_stores_window_of_severity_when_penalty_submitted(
        self, desk: Desk, severity: Severity, last_day: date
    ) -> None:
        data = rec.penalty(desk.merchant.id, TODAY, severity=severity)
        record = desk.records.submit(desk.session, data, desk.department)
        stored = desk.session.get(CreditRecord, record.id)
        assert stored is not None
        assert (stored.action, stored.severity, stored.source_org_id) == (
            EntryAction.ORIGINAL,
            severity,
            desk.department.organisation_id,
        )
        assert (stored.decision_no, stored.penalty_kind) == (data.decision_no, PenaltyKind.FINE)
        assert (stored.public_from, stored.public_until) == (TODAY, last_day)

    def test_uses_type_default_severity_when_none_given(self, desk: Desk) -> None:
        data = rec.penalty(desk.merchant.id, TODAY, severity=None)
        record = desk.records.submit(desk.session, data, desk.department)
        assert record.severity is Severity.GENERAL
        assert record.public_until == date(2027, 3, 10)

    def test_decision_dated_beijing_today_when_type_lets_date_default(
        self, desk: Desk, tmp_path: Path
    ) -> None:
        # Every packaged type requires decision_date; an operator's type may let it default.
        (tmp_path / "local.toml").write_text(LOCAL_TYPE, encoding="utf-8")
        records = RecordService(load_catalog(tmp_path), clock=desk.clock)
        desk.clock.at = datetime(2026, 4, 30, 17, 0, tzinfo=UTC)  # 01:00 on 1 May in Beijing
        data = RecordCreate(subject_id=desk.merchant.id, type_code="local_notice", summary="x")
        record = records.submit(desk.session, data, desk.department)
        assert (record.decision_date, record.public_until) == (date(2026, 5, 1), date(2026, 6, 1))

    @pytest.mark.parametrize(
        ("kind", "window"),
        [
            (PenaltyKind.WARNING, (None, None)),
            (PenaltyKind.CRITICISM, (TODAY, date(2026, 6, 10))),
            (PenaltyKind.SMALL_FINE, (TODAY, date(2026, 6, 10))),
            (PenaltyKind.FINE, (TODAY, date(2029, 3, 10))),
            (PenaltyKind.CONFISCATION, (TODAY, date(2029, 3, 10))),
            (PenaltyKind.OTHER, (TODAY, date(2029, 3, 10))),
        ],
        ids=str,
    )
    def test_window_follows_penalty_kind_when_samr_penalty_submitted(
        self, desk: Desk, kind: PenaltyKind, window: tuple[date | None, date | None]
    ) -> None:
        data = rec.samr_penalty(desk.merchant.id, kind, TODAY)
        record = desk.records.submit(desk.session, data, desk.department)
        assert (record.public_from, record.public_until) == window

    def test_never_public_when_samr_penalty_is_a_warning(self, desk: Desk) -> None:
        data = rec.samr_penalty(desk.merchant.id, PenaltyKind.WARNING, TODAY)
        record = desk.records.submit(desk.session, data, desk.department)
        state = desk.records.state(desk.session, record.id)
        assert not any(state.is_public(day) for day in (TODAY, date(2026, 6, 1), date(2030, 1, 1)))
        assert state.status(TODAY) == "in_force"  # kept in the file, only not shown

    def test_stays_public_while_restricted_when_suspension_outlasts_period(
        self, desk: Desk
    ) -> None:
        until = date(2030, 12, 31)
        data = rec.samr_penalty(desk.merchant.id, PenaltyKind.SUSPENSION, TODAY, valid_until=until)
        record = desk.records.submit(desk.session, data, desk.department)
        assert (record.public_from, record.public_until) == (TODAY, until)

    def test_platform_records_dishonesty_when_it_submits_order_brushing(self, desk: Desk) -> None:
        data = rec.dishonest(desk.merchant.id, TODAY)
        record = desk.records.submit(desk.session, data, desk.platform)
        assert (record.source_org_id, record.severity) == (
            desk.platform.organisation_id,
            Severity.SERIOUS,  # the type's default
        )
        assert (record.public_from, record.public_until) == (TODAY, date(2029, 3, 10))
        assert record.evidence_refs == ["orders:2026-03/brushing-ring-17"]

    def test_positive_fact_shown_36_months_when_honour_submitted(self, desk: Desk) -> None:
        record = desk.records.submit(desk.session, rec.honour(desk.merchant.id, TODAY), desk.office)
        assert CATALOG.get(record.type_code).polarity is Polarity.POSITIVE
        assert (record.public_from, record.public_until) == (TODAY, date(2029, 3, 10))

    def test_public_until_valid_until_when_judgment_debtor_has_an_end(self, desk: Desk) -> None:
        until = date(2026, 9, 30)
        data = rec.judgment_debtor(desk.merchant.id, TODAY, until)
        record = desk.records.submit(desk.session, data, desk.department)
        state = desk.records.state(desk.session, record.id)
        assert (record.public_from, record.public_until) == (TODAY, until)
        assert state.is_public(until)
        assert not state.is_public(date(2026, 10, 1))

    def test_public_without_end_when_judgment_debtor_has_no_valid_until(self, desk: Desk) -> None:
        data = rec.judgment_debtor(desk.merchant.id, TODAY, None)
        record = desk.records.submit(desk.session, data, desk.department)
        state = desk.records.state(desk.session, record.id)
        assert (record.public_from, record.public_until) == (TODAY, None)
        assert state.is_public(date(2040, 1, 1))


class TestRequiredFields:
    @pytest.mark.parametrize("code", CATALOG.codes())
    def test_names_every_required_field_when_all_missing(self, desk: Desk, code: str) -> None:
        data = RecordCreate(subject_id=desk.merchant.id, type_code=code)
        with pytest.raises(AppError) as error:
            desk.records.submit(desk.session, data, SYSTEM)
        assert (error.value.status_code, error.value.code) == (422, "invalid_input")
        required = CATALOG.get(code).required_fields
        assert _problems(error) == [(name, "required") for name in required]

    def test_names_only_the_missing_field_when_summary_absent(self, desk: Desk) -> None:
        data = rec.penalty(desk.merchant.id, TODAY, summary=None)
        with pytest.raises(AppError) as error:
            desk.records.submit(desk.session, data, desk.department)
        assert _problems(error) == [("summary", "required")]
        assert "administrative_penalty" in error.value.message

    def test_refused_when_evidence_list_is_empty(self, desk: Desk) -> None:
        data = rec.dishonest(desk.merchant.id, TODAY, evidence_refs=[])
        with pytest.raises(AppError) as error:
            desk.records.submit(desk.session, data, desk.platform)
        assert _problems(error) == [("evidence_refs", "required")]

    def test_names_valid_until_when_it_precedes_the_decision(self, desk: Desk) -> None:
        data = rec.judgment_debtor(desk.merchant.id, TODAY, date(2026, 3, 9))
        with pytest.raises(InvalidInput) as error:
            desk.records.submit(desk.session, data, desk.department)
        assert _problems(error) == [("valid_until", "publicity")]


class TestUnknownInputs:
    def test_lists_known_types_when_type_unknown(self, desk: Desk) -> None:
        data = rec.penalty(desk.merchant.id, TODAY, type_code="no_such_type")
        before = desk.counts()
        with pytest.raises(InvalidInput) as error:
            desk.records.submit(desk.session, data, desk.department)
        assert (error.value.status_code, _problems(error)) == (422, [("type_code", "catalogue")])
        assert all(code in error.value.message for code in CATALOG.codes())
        assert desk.counts() == before

    def test_refused_when_subject_id_unknown(self, desk: Desk) -> None:
        data = rec.penalty(desk.merchant.id + 10_000, TODAY)
        with pytest.raises(InvalidInput) as error:
            desk.records.submit(desk.session, data, desk.department)
        assert _problems(error) == [("subject_id", "exists")]

    def test_refused_when_subject_code_not_registered(self, desk: Desk) -> None:
        data = rec.penalty(make.uscc_number(), TODAY)
        with pytest.raises(InvalidInput) as error:
            desk.records.submit(desk.session, data, desk.department)
        assert _problems(error) == [("subject_code", "exists")]

    def test_names_subject_code_when_code_malformed(self, desk: Desk) -> None:
        wrong, _ = make.with_wrong_check_character(make.uscc_number())
        data = rec.penalty(wrong, TODAY)
        with pytest.raises(InvalidInput) as error:
            desk.records.submit(desk.session, data, desk.department)
        assert [field for field, _ in _problems(error)] == ["subject_code"]

    def test_finds_subject_when_given_by_code(self, desk: Desk) -> None:
        assert desk.merchant.uscc is not None
        data = rec.penalty(desk.merchant.uscc, TODAY)
        record = desk.records.submit(desk.session, data, desk.department)
        assert record.subject_id == desk.merchant.id


class TestSubmitters:
    def test_forbidden_naming_the_rule_when_platform_submits_penalty(self, desk: Desk) -> None:
        before = desk.counts()
        with pytest.raises(Forbidden) as error:
            desk.records.submit(desk.session, rec.penalty(desk.merchant.id, TODAY), desk.platform)
        assert error.value.status_code == 403
        message = error.value.message
        assert "platform" in message
        assert "administrative_penalty" in message
        assert "department" in message
        assert "credit_office" in message
        assert desk.counts() == before

    @pytest.mark.parametrize("kind", list(OrgKind), ids=str)
    @pytest.mark.parametrize("code", ["administrative_penalty", "empty_parcel", "honour_award"])
    def test_allowed_exactly_when_catalogue_lists_kind(
        self, desk: Desk, kind: OrgKind, code: str
    ) -> None:
        by = desk.principal(kind)
        data = {
            "administrative_penalty": rec.penalty(desk.merchant.id, TODAY),
            "empty_parcel": rec.dishonest(desk.merchant.id, TODAY, type_code="empty_parcel"),
            "honour_award": rec.honour(desk.merchant.id, TODAY),
        }[code]
        allowed = kind in CATALOG.get(code).submitters
        before = desk.counts()
        if allowed:
            desk.records.submit(desk.session, data, by)
            assert desk.counts() == (before[0] + 1, before[1] + 1)
        else:
            with pytest.raises(Forbidden):
                desk.records.submit(desk.session, data, by)
            assert desk.counts() == before


class TestDuplicates:
    def test_conflict_when_same_organisation_repeats_decision_no(self, desk: Desk) -> None:
        first = rec.penalty(desk.merchant.id, TODAY)
        desk.records.submit(desk.session, first, desk.department)
        before = desk.counts()
        again = rec.penalty(desk.merchant.id, TODAY, decision_no=first.decision_no)
        with pytest.raises(Conflict) as error:
            desk.records.submit(desk.session, again, desk.department)
        assert error.value.status_code == 409
        assert error.value.message.startswith("decision_no:")
        assert desk.counts() == before

    def test_stored_when_another_organisation_uses_the_same_number(self, desk: Desk) -> None:
        first = rec.penalty(desk.merchant.id, TODAY)
        desk.records.submit(desk.session, first, desk.department)
        other = desk.principal(OrgKind.DEPARTMENT)
        again = rec.penalty(desk.merchant.id, TODAY, decision_no=first.decision_no)
        record = desk.records.submit(desk.session, again, other)
        assert (record.decision_no, record.source_org_id) == (
            first.decision_no,
            other.organisation_id,
        )
