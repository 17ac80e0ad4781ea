"""The demo city's complaints and reports: every state, late ones escalated, and advance
compensation paid from the platforms' funds for the upheld complaints only."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from ecredit.config import Settings
from ecredit.demo import seed_demo
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.complaint import UPHELD, Complaint, ComplaintKind, ComplaintStatus
from ecredit.models.fund import EntryKind, JournalEntry
from ecredit.models.record import CreditRecord


def test_complaints_in_every_state_with_paid_upheld_ones_when_seeded(
    db: Database, settings: Settings
) -> None:
    seed_demo(db, Vault.from_settings(settings), merchants=60, seed=2017)
    with db.unit_of_work() as session:
        items = list(session.scalars(select(Complaint)))
        states = Counter((c.kind, c.status) for c in items)
        payouts = session.scalars(
            select(JournalEntry).where(JournalEntry.kind == EntryKind.PAYOUT)
        ).all()
        upheld = [c for c in items if c.kind is ComplaintKind.COMPLAINT and c.status in UPHELD]
        records = session.scalars(
            select(CreditRecord).where(CreditRecord.type_code == "complaint_upheld")
        ).all()
    complaint_states = {s for k, s in states if k is ComplaintKind.COMPLAINT}
    assert complaint_states == set(ComplaintStatus) - {ComplaintStatus.CHECKING}
    report_states = {s for k, s in states if k is ComplaintKind.REPORT}
    assert {ComplaintStatus.CHECKING, ComplaintStatus.UPHELD, ComplaintStatus.REFUSED} <= (
        report_states
    )
    assert sum(1 for c in items if c.escalation_level > 0) >= 3
    assert sorted(p.complaint_ref or "" for p in payouts) == sorted(c.tracking_no for c in upheld)
    assert sorted(r.decision_no or "" for r in records) == sorted(c.tracking_no for c in upheld)
