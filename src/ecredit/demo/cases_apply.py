"""Objections and credit repairs of the demo city, in every state, through the repair service on
clocks standing on their days: open, acknowledged, upheld (corrected, revoked), refused,
withdrawn, a granted record repair (the record leaves the public view), a granted list-entry
repair (the entry is removed), a subject's own filing, and one left overdue and escalated by the
escalation job's service for the anchor date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ecredit.authz.principals import Principal
from ecredit.demo.apply import CityBuilder
from ecredit.demo.credit_apply import noon
from ecredit.demo.plan import CREDIT_OFFICE
from ecredit.kit.clock import FixedClock
from ecredit.kit.errors import AppError
from ecredit.kit.paging import PageRequest
from ecredit.listing.service import ListingService
from ecredit.models.listing import ListStatus
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord, PenaltyKind, Severity
from ecredit.models.repair import CaseKind, CaseTarget
from ecredit.record.schemas import RecordCorrection
from ecredit.record.service import RecordService
from ecredit.repair.schemas import CaseCreate, CaseDecision, PublicCaseCreate
from ecredit.repair.service import RepairService


@dataclass(frozen=True)
class PlannedCase:
    kind: CaseKind
    filed: int  # days before the anchor
    outcome: str  # filed | acknowledged | granted | refused | withdrawn | corrected | revoked
    grounds: str


OBJECTIONS = (
    PlannedCase(CaseKind.OBJECTION, 1, "filed", "处罚决定书记载的金额与实际缴纳不符"),
    PlannedCase(CaseKind.OBJECTION, 12, "filed", "该记录所述店铺已于处罚前转让他人经营"),  # overdue
    PlannedCase(CaseKind.OBJECTION, 5, "acknowledged", "认定事实有误，相关订单均为真实交易"),
    PlannedCase(CaseKind.OBJECTION, 30, "corrected", "罚款金额计算有误，应按复核结果更正"),
    PlannedCase(CaseKind.OBJECTION, 28, "revoked", "原处罚决定已被行政复议决定撤销"),
    PlannedCase(CaseKind.OBJECTION, 26, "refused", "认为处罚过重"),
)
REPAIRS = (
    PlannedCase(CaseKind.REPAIR, 24, "granted", "已全额缴纳罚款并完成整改，申请信用修复"),
    PlannedCase(CaseKind.REPAIR, 22, "refused", "已整改，申请提前结束公示"),
    PlannedCase(CaseKind.REPAIR, 20, "withdrawn", "已缴纳罚款，申请信用修复"),
)


class CaseBuilder:
    """Files and decides the demo's cases; it only flushes."""

    def __init__(self, city: CityBuilder, records: RecordService, anchor: date) -> None:
        self.city, self.session, self.anchor = city, city.session, anchor
        self.records = records
        office = city.orgs[CREDIT_OFFICE]
        self.office = Principal(actor=f"org:{office.id}", organisation_id=office.id,
                                org_kind=OrgKind.CREDIT_OFFICE)  # fmt: skip
        # The credit office decides: a correction or revocation is an amendment, which only the
        # recording organisation or the credit office may make, whoever recorded the fact.
        self.decider = self.office

    def on(self, days_before: int) -> RepairService:
        clock = FixedClock(noon(self.anchor - timedelta(days=days_before)))
        return RepairService(RecordService(self.records.catalog, self.records.ledger_hash, clock))

    def apply(self) -> None:
        penalties = self._penalties()
        for planned in OBJECTIONS + REPAIRS:
            for record_id in list(penalties):
                if self._case(planned, record_id):
                    penalties.remove(record_id)
                    break
        self._list_repairs()
        self.on(0).escalate_overdue(self.session, self.anchor)

    def _penalties(self) -> list[int]:
        """Penalties in force that a repair may reach (general, a fine, decided long ago)."""
        cutoff = self.anchor - timedelta(days=200)
        found = self.session.query(CreditRecord.id).filter(
            CreditRecord.type_code == "administrative_penalty",
            CreditRecord.amends_id.is_(None),
            CreditRecord.severity == Severity.GENERAL,
            CreditRecord.penalty_kind == PenaltyKind.FINE,
            CreditRecord.decision_date < cutoff,
        )
        return sorted(row[0] for row in found)

    def _case(self, planned: PlannedCase, record_id: int) -> bool:
        """File and walk one case; False (nothing kept) when the record does not admit it."""
        data = CaseCreate(
            kind=planned.kind, target=CaseTarget.RECORD, record_id=record_id,
            grounds=planned.grounds, evidence_refs=[f"申请材料-{record_id}"],
        )  # fmt: skip
        try:
            with self.session.begin_nested():
                case = self.on(planned.filed).file(self.session, data, self.office)
        except AppError:
            return False
        self._walk(case.id, planned)
        return True

    def _walk(self, case_id: int, planned: PlannedCase) -> None:
        later = self.on(planned.filed - 2)
        if planned.outcome == "withdrawn":
            later.withdraw(self.session, case_id, "当事人自愿撤回申请", self.office)
            return
        if planned.outcome == "filed":
            return
        later.acknowledge(self.session, case_id, self.decider)
        decision = _decision(planned.outcome)
        if decision is not None:
            self.on(planned.filed - 4).decide(self.session, case_id, decision, self.decider)

    def _list_repairs(self) -> None:
        """Two effective black entries: one repair granted (entry removed), one filed by the
        merchant itself with proof of identity, waiting."""
        listing = ListingService(clock=FixedClock(noon(self.anchor)))
        effective = listing.queue(self.session, PageRequest(1, 1000), ListStatus.EFFECTIVE).items
        black = [e for e in effective if e.list_kind != "honest_merchant_redlist"
                 and e.list_kind != "watch_list"]  # fmt: skip
        if len(black) < 2:
            return
        granted = CaseCreate(kind=CaseKind.REPAIR, target=CaseTarget.LIST_ENTRY,
                             list_entry_id=black[0].id, grounds="已纠正失信行为并履行全部义务",
                             evidence_refs=["整改报告-2026-01"])  # fmt: skip
        case = self.on(15).file(self.session, granted, self.office)
        self.on(14).acknowledge(self.session, case.id, self.decider)
        reason = "当事人已纠正失信行为、履行相关义务，准予信用修复"
        self.on(10).decide(self.session, case.id, CaseDecision(decision="granted", reason=reason),
                           self.decider)  # fmt: skip
        self._own_filing(black[1].subject_id, black[1].id)

    def _own_filing(self, subject_id: int, entry_id: int) -> None:
        subject = next(s for s in self.city.subjects.values() if s.id == subject_id)
        if subject.uscc is None:
            return
        data = PublicCaseCreate(
            kind=CaseKind.REPAIR, target=CaseTarget.LIST_ENTRY, list_entry_id=entry_id,
            grounds="本企业已完成整改并公开作出信用承诺，申请移出名单", uscc=subject.uscc,
            contact_name="刘经理", contact_phone="13904140000", evidence_refs=["信用承诺书"],
        )  # fmt: skip
        self.on(2).file_public(self.session, self.city.vault, subject_id, data)


def _decision(outcome: str) -> CaseDecision | None:
    if outcome == "corrected":
        correction = RecordCorrection(reason="经复核，罚款金额更正", amount=Decimal("3000"))
        return CaseDecision(decision="granted", reason="异议成立，予以更正", correction=correction)
    if outcome == "revoked":
        return CaseDecision(decision="granted", reason="原决定已被撤销，异议成立", revoke=True)
    if outcome == "granted":
        return CaseDecision(decision="granted", reason="已履行义务并完成整改，准予信用修复")
    if outcome == "refused":
        return CaseDecision(decision="refused", reason="不符合信用修复或异议条件")
    return None
