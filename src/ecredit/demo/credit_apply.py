"""Turning a `CreditPlan` into records and commitments through the real services: every record
is validated against the catalogue, authorised for its source and appended to the ledger.

Commitments that began before the anchor are signed by a commitment service whose clock stands
on their first day (signing never back-dates: the service refuses a term starting in the past),
then breached on their day, or completed as kept by `complete_due` on the anchor.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal, Scope
from ecredit.commitment.schemas import BreachCreate
from ecredit.commitment.service import CommitmentService
from ecredit.commitment.templates import TemplateBook
from ecredit.demo import credit_texts as texts
from ecredit.demo.apply import CityBuilder
from ecredit.demo.credit_plan import CreditPlan, PlannedCommitment, PlannedRecord
from ecredit.kit.clock import SHANGHAI, FixedClock
from ecredit.models.record import CreditRecord
from ecredit.record.schemas import RecordAmendment, RecordCorrection, RecordCreate
from ecredit.record.service import RecordService

TEMPLATE = "ecommerce_merchant"
KEPT_TERM_MONTHS = 6


def noon(day: date) -> datetime:
    """Noon of `day` in Beijing, as a UTC instant (a clock standing on that day)."""
    return datetime.combine(day, time(12), tzinfo=SHANGHAI).astimezone(UTC)


class CreditBuilder:
    """Applies a credit plan inside the city builder's unit of work; it only flushes."""

    def __init__(
        self, city: CityBuilder, records: RecordService, templates: TemplateBook, anchor: date
    ) -> None:
        self.city = city
        self.session: Session = city.session
        self.templates = templates
        self.anchor = anchor
        self.records = self._on(anchor, records)

    def _on(self, day: date, base: RecordService) -> RecordService:
        return RecordService(base.catalog, base.ledger_hash, FixedClock(noon(day)))

    def principal(self, source: str) -> Principal:
        """The user who records for a department or platform, or the organisation itself."""
        if source in self.city.principals:
            return self.city.principals[source]
        org = self.city.orgs[source]
        return Principal(
            actor=f"org:{org.id}", organisation_id=org.id, org_kind=org.kind,
            org_subject_id=org.subject_id, scopes=frozenset({Scope.RECORD_WRITE}),
        )  # fmt: skip

    def apply(self, plan: CreditPlan) -> None:
        stored: list[tuple[PlannedRecord, CreditRecord]] = []
        for planned in plan.records:
            data = RecordCreate(
                subject_id=self.city.subjects[planned.subject].id,
                type_code=planned.type_code,
                **planned.values,
            )
            stored.append(
                (planned, self.records.submit(self.session, data, self.principal(planned.source)))
            )
        for planned, record in stored:
            if planned.amend:
                self._amend(planned, record)
        for commitment in plan.commitments:
            self._commitment(commitment)
        CommitmentService(self.templates, self.records).complete_due(self.session, self.anchor)

    def _amend(self, planned: PlannedRecord, record: CreditRecord) -> None:
        by = self.principal(planned.source)
        if planned.amend == "revocation":
            amendment = RecordAmendment(reason=texts.REVOCATION_REASON)
            self.records.revoke(self.session, record.id, amendment, by)
            return
        if record.amount is None:
            correction = RecordCorrection(
                reason=texts.CORRECTION_REASON, summary=f"{record.summary}（经复核更正）"
            )
        else:
            amount = (record.amount * Decimal("0.6")).quantize(Decimal("1"))
            correction = RecordCorrection(reason=texts.CORRECTION_REASON, amount=amount)
        self.records.correct(self.session, record.id, correction, by)

    def _commitment(self, planned: PlannedCommitment) -> None:
        service = CommitmentService(self.templates, self._on(planned.term_start, self.records))
        by = self.principal(planned.platform)
        params: dict[str, object] = {"return_days": planned.return_days}
        if planned.outcome == "kept":
            params["term_months"] = KEPT_TERM_MONTHS
        subject_id = self.city.subjects[planned.subject].id
        signed = service.sign(self.session, subject_id, TEMPLATE, params, planned.term_start, by)
        if planned.outcome == "breached" and planned.breach_on is not None:
            evidence = f"XC-{planned.breach_on:%Y%m%d}-{signed.id:05d}"
            breach = BreachCreate(
                summary=texts.BREACH_SUMMARY, evidence_refs=[evidence],
                decision_date=planned.breach_on,
            )  # fmt: skip
            service.breach(self.session, signed.id, breach, by)
