"""The demo city's consequences, through the real services on clocks that stand on their days:
evaluations (a year ago, last month, today), list entries in every state across the kinds, and
the joint measures loop (checks logged, feedback from departments and platforms).

A pure schedule decides what happens to each proposal: proposals are taken in id order and
their fate follows their position, so the same seed and anchor give the same lists.
"""

from __future__ import annotations

from datetime import date, timedelta

from ecredit.authz.principals import Principal
from ecredit.catalog.loader import Catalog
from ecredit.demo.apply import CityBuilder
from ecredit.demo.credit_apply import noon
from ecredit.demo.plan import CREDIT_OFFICE, SAMR
from ecredit.kit.clock import FixedClock
from ecredit.kit.paging import PageRequest
from ecredit.listing.schemas import ListEntryCreate
from ecredit.listing.service import ListingService
from ecredit.listing.workflow import publicity_over
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.org import OrgKind
from ecredit.models.subject import SubjectKind
from ecredit.scoring.service import ScoringService

YEAR_AGO, LAST_MONTH = 430, 45  # days before the anchor of the earlier evaluations
REVIEW = "经审核，符合列入条件"
# position in the kind's proposals (mod len) → the state it is walked to
BLACK_FATES = ("proposed", "under_review", "rejected", "late", "effective", "effective",
               "effective", "effective")  # fmt: skip
RED_FATES = ("proposed", "late", "effective", "effective")
WATCH_FATES = ("proposed", "rejected", "effective", "effective")
BLACK = "ecommerce_serious_dishonesty"
DECISIONS = (
    ("order_brushing_blacklist", "effective", 60, "多次组织刷单炒信，情节严重"),
    (BLACK, "effective", 55, "销售假冒商品，情节严重"),
    (BLACK, "removed", 70, "虚假宣传情节严重"),
    (BLACK, "proposed", 3, "多次发布虚假促销信息"),
    (BLACK, "under_review", 8, "拒不履行行政处罚决定"),
    (BLACK, "late", 8, "组织虚假交易，误导消费者"),
    (BLACK, "rejected", 12, "涉嫌价格欺诈"),
    ("watch_list", "expired", 230, "多次被投诉未及时处理"),
    ("honest_merchant_redlist", "expired", 420, "连续两年诚信经营表彰"),
    ("honest_merchant_redlist", "effective", 60, "获评市级诚信示范企业"),
)
PATH = {
    "under_review": (ListStatus.UNDER_REVIEW,),
    "rejected": (ListStatus.UNDER_REVIEW, ListStatus.REJECTED),
    "late": (ListStatus.UNDER_REVIEW,),
    "effective": (ListStatus.UNDER_REVIEW, ListStatus.PUBLICISED),
}


class ListBuilder:
    """Evaluates the city and walks its list entries; it only flushes."""

    def __init__(self, city: CityBuilder, catalog: Catalog, anchor: date) -> None:
        self.city, self.session, self.catalog, self.anchor = city, city.session, catalog, anchor
        office = city.orgs[CREDIT_OFFICE]
        self.office = Principal(actor=f"org:{office.id}", organisation_id=office.id,
                                org_kind=OrgKind.CREDIT_OFFICE)  # fmt: skip
        self.department = city.principals[SAMR]
        self.scoring = ScoringService.create(catalog, clock=FixedClock(noon(anchor)))

    def on(self, days_before: int) -> ListingService:
        return ListingService(clock=FixedClock(noon(self.day(days_before))))

    def day(self, days_before: int) -> date:
        return self.anchor - timedelta(days=days_before)

    def evaluate(self, days_before: int) -> None:
        self.scoring.evaluate_all(self.session, as_of=self.day(days_before))

    def apply(self) -> None:
        """Evaluate a year ago and last month, propose by criteria, walk, decide, sweep."""
        self.evaluate(YEAR_AGO)
        self.evaluate(LAST_MONTH)
        self.on(LAST_MONTH).sweep(self.session, self.day(LAST_MONTH), self.catalog)
        proposals = self.entries()
        for kinds, fates in (("black", BLACK_FATES), ("red", RED_FATES), ("watch", WATCH_FATES)):
            mine = [e for e in proposals if _colour(e.list_kind) == kinds]
            for position, entry in enumerate(mine):
                self.walk(entry, fates[position % len(fates)])
        self.by_decision()
        self.on(0).sweep(self.session, self.anchor, self.catalog)

    def walk(self, entry: ListEntry, fate: str, start: int = LAST_MONTH) -> None:
        by = self.office if entry.list_kind == "honest_merchant_redlist" else self.department
        for offset, target in enumerate(PATH.get(fate, ()), start=1):
            reason = (
                "经核查，当事人已主动纠正，不予列入" if target is ListStatus.REJECTED else REVIEW
            )
            self.on(start - 2 * offset).transition(self.session, entry.id, target, reason, by)
        if fate == "late":  # publicised yesterday: still open for objections today
            self.on(1).transition(self.session, entry.id, ListStatus.PUBLICISED, REVIEW, by)
        if fate == "effective":
            self.confirm(entry, by, start - 25)

    def confirm(self, entry: ListEntry, by: Principal, days_before: int) -> None:
        """Effective on the first day after publicity (never later than the anchor)."""
        days_before = max(0, days_before)
        while days_before > 0 and not publicity_over(entry, self.day(days_before)):
            days_before -= 1
        if publicity_over(entry, self.day(days_before)):
            self.on(days_before).transition(
                self.session, entry.id, ListStatus.EFFECTIVE, "公示期满无异议", by
            )

    def by_decision(self) -> None:
        """Entries a department or the credit office decided, so that every state exists in a
        city of any size: each (kind, fate, days before the anchor it was proposed, reason)."""
        free = self._unlisted(len(DECISIONS))
        for subject_id, (kind, fate, days, reason) in zip(free, DECISIONS, strict=True):
            entry = self.propose(subject_id, kind, days, reason)
            self.walk(entry, "effective" if fate in ("removed", "expired") else fate, days)
            if fate == "removed":
                self.on(5).remove(self.session, entry.id, "作为列入依据的行政处罚决定已被撤销",
                                  self.department)  # fmt: skip

    def entries(self) -> list[ListEntry]:
        """Every list entry so far, in id order."""
        return self.on(0).queue(self.session, PageRequest(1, 1_000_000)).items

    def propose(self, subject_id: int, kind: str, days_before: int, reason: str) -> ListEntry:
        spec = self.on(days_before).kind(kind)
        by = self.office if kind == "honest_merchant_redlist" else self.department
        data = ListEntryCreate(subject_id=subject_id, list_kind=kind, legal_basis=spec.legal_basis,
                               reason=reason)  # fmt: skip
        return self.on(days_before).propose(self.session, data, by)

    def _unlisted(self, count: int) -> list[int]:
        listed = {e.subject_id for e in self.entries()}
        merchants = [
            s.id for s in self.city.subjects.values()
            if s.kind is SubjectKind.MERCHANT and s.uscc and s.id not in listed
        ]  # fmt: skip
        return sorted(merchants)[-count:]


def _colour(list_kind: str) -> str:
    if list_kind == "watch_list":
        return "watch"
    return "red" if list_kind == "honest_merchant_redlist" else "black"
