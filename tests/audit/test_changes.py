"""Automatic change records: before and after of every audited row, with actor and request."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.audit.context import acting_as
from ecredit.audit.service import audit_service
from ecredit.models import ChangeRecord, Organisation, OrgKind, Parameter, Subject, SubjectKind


def _organisation(session: Session, **overrides: object) -> Organisation:
    values: dict[str, object] = {"name": "某市市场监督管理局", "kind": OrgKind.DEPARTMENT}
    organisation = Organisation(**(values | overrides))
    session.add(organisation)
    session.flush()
    return organisation


class TestChangeRecords:
    def test_records_after_with_actor_when_audited_row_created(self, session: Session) -> None:
        with acting_as("user:alice", request_id="req-1"):
            organisation = _organisation(session, department="samr")
        [record] = audit_service.changes(session, "organisation", organisation.id)
        assert (record.action, record.actor, record.request_id) == ("create", "user:alice", "req-1")
        assert record.before is None
        assert record.after is not None
        assert record.after["name"] == "某市市场监督管理局"
        assert record.after["kind"] == "department"
        assert record.after["department"] == "samr"
        assert "created_at" not in record.after

    def test_records_only_changed_fields_when_audited_row_updated(self, session: Session) -> None:
        organisation = _organisation(session)
        with acting_as("user:bob"):
            organisation.department = "commerce"
            organisation.kind = OrgKind.CREDIT_OFFICE
            session.flush()
        records = audit_service.changes(session, "organisation", organisation.id)
        assert [r.action for r in records] == ["create", "update"]
        update = records[1]
        assert update.actor == "user:bob"
        assert update.before == {"department": None, "kind": "department"}
        assert update.after == {"department": "commerce", "kind": "credit_office"}

    def test_writes_nothing_when_flushed_without_changes(self, session: Session) -> None:
        organisation = _organisation(session)
        organisation.name = organisation.name
        session.flush()
        assert len(audit_service.changes(session, "organisation", organisation.id)) == 1

    def test_records_before_when_audited_row_deleted(self, session: Session) -> None:
        organisation = _organisation(session, department="post")
        session.delete(organisation)
        session.flush()
        records = audit_service.changes(session, "organisation", organisation.id)
        assert [r.action for r in records] == ["create", "delete"]
        deleted = records[1]
        assert deleted.after is None
        assert deleted.before is not None
        assert deleted.before["name"] == "某市市场监督管理局"
        assert deleted.before["department"] == "post"

    def test_redacts_sealed_fields_when_subject_changes(self, session: Session) -> None:
        subject = Subject(
            kind=SubjectKind.PRACTITIONER,
            name="张三",
            id_number_sealed="aes-gcm:c2VjcmV0",
            id_number_index="ab" * 32,
            phone_sealed="aes-gcm:cGhvbmU=",
        )
        session.add(subject)
        session.flush()
        subject.phone_sealed = "sm4-gcm:bmV3"
        session.flush()
        created, updated = audit_service.changes(session, "subject", subject.id)
        assert created.after is not None
        assert created.after["id_number_sealed"] == "[redacted]"
        assert created.after["id_number_index"] == "[redacted]"
        assert created.after["phone_index"] is None  # nothing to hide: stays visibly empty
        assert updated.before == {"phone_sealed": "[redacted]"}
        assert updated.after == {"phone_sealed": "[redacted]"}
        stored = " ".join(str(r.after) + str(r.before) for r in (created, updated))
        assert "c2VjcmV0" not in stored
        assert "bmV3" not in stored

    def test_ignores_model_when_not_audited(self, session: Session) -> None:
        session.add(Parameter(key="search.fuzzy_min_score", value=70))
        session.flush()
        assert session.scalars(select(ChangeRecord)).all() == []
