"""The complainant's contact: sealed at rest, absent from the change log, masked for staff,
unmasked only through the logged contact read, never on the public tracking view."""

from __future__ import annotations

from sqlalchemy import select, text

from ecredit.audit.service import audit_service
from ecredit.complaint import views
from ecredit.models.audit import ChangeRecord
from tests.complaint.conftest import ADDRESS, FILED, NAME, PHONE, Desk


class TestSealing:
    def test_stores_no_plaintext_when_filed(self, desk: Desk) -> None:
        complaint = desk.complaint()
        row = desk.session.execute(
            text("SELECT * FROM complaint WHERE id = :id"), {"id": complaint.id}
        ).one()
        stored = " ".join(str(value) for value in row)
        assert all(secret not in stored for secret in (NAME, PHONE, ADDRESS))
        assert complaint.complainant_phone_index is not None

    def test_change_log_redacts_contact_when_filed(self, desk: Desk) -> None:
        complaint = desk.complaint()
        query = select(ChangeRecord).where(
            ChangeRecord.entity == "complaint", ChangeRecord.entity_id == complaint.id
        )
        [created] = desk.session.scalars(query).all()
        assert created.after is not None
        assert created.after["complainant_phone_sealed"] == "[redacted]"
        assert created.after["complainant_phone_index"] == "[redacted]"


class TestViews:
    def test_staff_view_masks_contact_when_read(self, desk: Desk) -> None:
        read = views.staff_read(desk.vault, desk.complaint(), FILED)
        assert (read.complainant_name, read.complainant_phone) == ("欧阳**", "139****5678")

    def test_public_tracking_has_no_contact_when_read(self, desk: Desk) -> None:
        tracked = views.tracking(desk.session, desk.complaint(), FILED).model_dump_json()
        assert all(part not in tracked for part in (NAME, PHONE, "139****", "欧阳"))

    def test_logs_every_unmasked_read_when_contact_opened(self, desk: Desk) -> None:
        complaint = desk.complaint()
        for _ in range(2):
            contact = desk.complaints.contact(
                desk.session, desk.vault, complaint.tracking_no, desk.department
            )
        assert (contact.name, contact.phone, contact.address) == (NAME, PHONE, ADDRESS)
        logged = audit_service.personal_accesses(desk.session, desk.merchant.id)
        assert len(logged) == 2
        assert logged[0].fields == ["complainant.name", "complainant.phone", "complainant.address"]
        assert complaint.tracking_no in logged[0].purpose

    def test_logs_nothing_when_anonymous_report_opened(self, desk: Desk) -> None:
        report = desk.report(anonymous=True)
        contact = desk.complaints.contact(
            desk.session, desk.vault, report.tracking_no, desk.department
        )
        assert (contact.name, contact.phone) == (None, None)
        assert audit_service.personal_accesses(desk.session, desk.merchant.id) == []
