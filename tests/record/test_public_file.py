"""The public credit file: only what is on display, grouped in catalogue order, no history,
no personal data of a natural person."""

from __future__ import annotations

import json
from datetime import date

from ecredit.authz.principals import SYSTEM
from ecredit.kit.clock import FixedClock
from ecredit.kit.masking import PersonalField, mask
from ecredit.models.record import CreditRecord, EntryAction, PenaltyKind, Severity
from ecredit.record.schemas import PublicRecord, RecordAmendment
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.factories.api import Api
from tests.record.conftest import TODAY, Desk

PERSON = "张三丰"


def _repair(desk: Desk, record_id: int) -> None:
    """Credit repair granted (the repair domain's entry): hidden from the public, kept."""
    state = desk.records.state(desk.session, record_id)
    current = state.current
    entry = CreditRecord(
        subject_id=current.subject_id,
        type_code=current.type_code,
        action=EntryAction.REPAIR,
        amends_id=state.original.id,
        source_org_id=current.source_org_id,
        evidence_refs=[],
        reason="信用修复",
        recorded_by="test",
    )
    desk.records.store(desk.session, [entry])


def _submit(desk: Desk, data: object) -> int:
    return desk.records.submit(desk.session, data, desk.department).id  # type: ignore[arg-type]


class TestWhatIsShown:
    def test_only_standing_records_in_window_when_file_mixed(self, desk: Desk) -> None:
        merchant = desk.merchant.id
        shown = _submit(desk, rec.penalty(merchant, TODAY))
        expired = _submit(desk, rec.penalty(merchant, date(2025, 1, 10), severity=Severity.MINOR))
        future = _submit(desk, rec.penalty(merchant, date(2026, 3, 11)))
        warning = _submit(desk, rec.samr_penalty(merchant, PenaltyKind.WARNING, TODAY))
        revoked = _submit(desk, rec.penalty(merchant, TODAY))
        desk.records.revoke(desk.session, revoked, RecordAmendment(reason="撤销"), SYSTEM)
        repaired = _submit(desk, rec.penalty(merchant, TODAY))
        _repair(desk, repaired)
        assert desk.public_ids() == [shown]
        internal = [s.original.id for s in desk.records.file(desk.session, merchant)]
        assert internal == [shown, expired, future, warning, revoked, repaired]

    def test_groups_in_catalogue_order_when_submitted_in_another(self, desk: Desk) -> None:
        merchant = desk.merchant.id
        honour = desk.records.submit(desk.session, rec.honour(merchant, TODAY), desk.office).id
        brushing = [
            desk.records.submit(desk.session, rec.dishonest(merchant, TODAY), desk.platform).id
            for _ in range(2)
        ]
        penalty = _submit(desk, rec.penalty(merchant, TODAY))
        file = desk.public_file()
        assert [(g.type_code, [r.id for r in g.records]) for g in file.groups] == [
            ("administrative_penalty", [penalty]),
            ("order_brushing", brushing),
            ("honour_award", [honour]),
        ]
        assert [g.polarity.value for g in file.groups] == ["negative", "negative", "positive"]
        assert (file.subject_id, file.as_of) == (merchant, TODAY)

    def test_no_history_when_record_was_amended(self, desk: Desk) -> None:
        record_id = _submit(desk, rec.penalty(desk.merchant.id, TODAY))
        amendment = RecordAmendment(reason="内部原因：复核中", effective=date(2026, 12, 31))
        entry = desk.records.end_publicity(desk.session, record_id, amendment, desk.department)
        [group] = desk.public_file().groups
        [shown] = group.records
        assert set(shown.model_dump()) == set(PublicRecord.model_fields)
        assert {"history", "reason", "recorded_by", "current"}.isdisjoint(shown.model_dump())
        text = desk.public_file().model_dump_json()
        assert "内部原因" not in text
        assert f'"id":{entry.id}' not in text
        assert shown.public_until == date(2026, 12, 31)

    def test_empty_when_subject_has_no_records(self, desk: Desk) -> None:
        assert desk.public_file().groups == []


class TestPersonalData:
    def test_no_personal_data_when_subject_is_a_natural_person(self, desk: Desk) -> None:
        number, phone = make.id_number(), make.phone_number()
        person = make.natural_person(
            desk.session, desk.vault, name=PERSON, id_number=number, phone=phone
        )
        summary = f"当事人{PERSON}（身份证号{number}，电话{phone}）虚构交易"
        _submit(desk, rec.penalty(person.id, TODAY, summary=summary))
        text = desk.public_file(person.id).model_dump_json()
        for secret in (PERSON, PERSON[1:], number, phone):
            assert secret not in text
            assert json.dumps(secret)[1:-1] not in text
        [group] = desk.public_file(person.id).groups
        assert group.records[0].summary == (
            f"当事人{mask(PersonalField.PERSON_NAME, PERSON)}"
            f"（身份证号{mask(PersonalField.ID_NUMBER, number)}，"
            f"电话{mask(PersonalField.PHONE, phone)}）虚构交易"
        )

    def test_business_name_kept_when_subject_is_an_enterprise(self, desk: Desk) -> None:
        summary = f"当事人{desk.merchant.name}虚构交易"
        _submit(desk, rec.penalty(desk.merchant.id, TODAY, summary=summary))
        [group] = desk.public_file().groups
        assert group.records[0].summary == summary


class TestPublicRoute:
    def test_shows_the_public_file_when_asked_without_credentials(
        self, api: Api, clocked: FixedClock
    ) -> None:
        today = TODAY
        with api.db.unit_of_work() as session:
            person = make.natural_person(session, api.vault, name=PERSON)
            records = api.app.state.records
            summary = f"当事人{PERSON}虚构交易"
            shown = records.submit(session, rec.penalty(person.id, today, summary=summary), SYSTEM)
            hidden = records.submit(session, rec.penalty(person.id, today), SYSTEM)
            records.revoke(session, hidden.id, RecordAmendment(reason="撤销"), SYSTEM)
        response = api.client.get(f"/api/v1/public/subjects/{person.id}/file")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["as_of"] == today.isoformat()
        assert [[r["id"] for r in g["records"]] for g in body["groups"]] == [[shown.id]]
        assert PERSON not in response.text
        assert "history" not in response.text
        assert body["groups"][0]["records"][0]["summary"] == "当事人张**虚构交易"

    def test_not_found_when_subject_unknown(self, api: Api) -> None:
        response = api.client.get("/api/v1/public/subjects/987654/file")
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
