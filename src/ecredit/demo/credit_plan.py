"""`plan_credit(city, seed, anchor)`: the demo city's credit records and commitments, as data.

A pure function of its arguments: dates count back from `anchor` (the seed's "today"), so the
same seed and anchor give the same records. Penalties come from market regulation and commerce
with the laws they cite, dishonest behaviours from the platforms with their case evidence,
licences and honours from the departments, a judgment debtor from the court.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ecredit.demo import credit_texts as texts
from ecredit.demo.plan import CREDIT_OFFICE, MINGDA_NAME, SAMR, CityPlan, PlannedSubject
from ecredit.models.record import PenaltyKind, Severity
from ecredit.models.subject import MerchantForm, VerificationStatus

COMMERCE = "本溪市商务局"
COURT = "本溪市中级人民法院"
HISTORY_DAYS = 730  # decisions spread over the last two years
LICENCE_SHARE = 0.35  # of registered businesses
PENALTY_SHARE = 0.08
DISHONEST_SHARE = 0.06
HONOUR_SHARE = 0.02
COMMITMENT_SHARE = 0.30  # of verified merchants
EXEMPLARS = 3  # at least; one in 150 merchants in a large city
CASE_PENALTIES = 12  # old general fines the objections and repairs can be about
SEVERITIES = ((Severity.MINOR, Severity.GENERAL, Severity.SERIOUS), (45, 40, 15))


@dataclass(frozen=True)
class PlannedRecord:
    source: str  # the submitting organisation's name
    subject: str  # the subject's name
    type_code: str
    values: dict[str, Any]  # the rest of a RecordCreate
    amend: str | None = None  # "correction" or "revocation", applied after all originals


@dataclass(frozen=True)
class PlannedCommitment:
    subject: str
    platform: str  # who signs for the merchant
    outcome: str  # active | breached | kept
    term_start: date
    return_days: int
    breach_on: date | None = None


@dataclass
class CreditPlan:
    records: list[PlannedRecord] = field(default_factory=list)
    commitments: list[PlannedCommitment] = field(default_factory=list)


def plan_credit(city: CityPlan, seed: int, anchor: date) -> CreditPlan:
    """Every record and commitment of the demo city, a pure function of its arguments."""
    planner = _Planner(random.Random(f"credit-{seed}"), anchor)
    planner.mingda(next(m for m in city.merchants if m.name == MINGDA_NAME))
    for merchant in city.merchants:
        if merchant.name != MINGDA_NAME:
            planner.merchant(merchant)
    planner.amendments(city.merchants[1:])
    planner.exemplars(city.merchants)
    planner.case_material(city.merchants[1:])
    return planner.plan


class _Planner:
    def __init__(self, rng: random.Random, anchor: date) -> None:
        self.rng = rng
        self.anchor = anchor
        self.plan = CreditPlan()
        self.numbers: dict[tuple[str, int], int] = {}
        self.debtors = 0

    def day(self, low: int = 0, high: int = HISTORY_DAYS) -> date:
        return self.anchor - timedelta(days=self.rng.randrange(low, high))

    def number(self, pattern: str, key: str, on: date) -> str:
        serial = self.numbers[(key, on.year)] = self.numbers.get((key, on.year), 0) + 1
        return pattern.format(year=on.year, n=serial)

    def add(self, source: str, subject: str, type_code: str, **values: Any) -> None:
        self.plan.records.append(PlannedRecord(source, subject, type_code, values))

    def mingda(self, merchant: PlannedSubject) -> None:
        self.licence(merchant, texts.LICENCES[0])
        on = self.anchor - timedelta(days=75)
        self.add(CREDIT_OFFICE, merchant.name, "honour_award", decision_date=on,
                 decision_no=self.number(texts.HONOUR_NO, "honour", on),
                 summary=texts.MINGDA_HONOUR)  # fmt: skip
        platform = merchant.shops[0].platform
        self.plan.commitments.append(
            PlannedCommitment(merchant.name, platform, "active", self.anchor, 15)
        )

    def merchant(self, merchant: PlannedSubject) -> None:
        business = merchant.form is not MerchantForm.NATURAL_PERSON
        draw = self.rng.random
        if business and draw() < LICENCE_SHARE:
            self.licence(merchant, self.rng.choice(texts.LICENCES))
        if business and draw() < PENALTY_SHARE:
            self.penalty(merchant)
        if draw() < DISHONEST_SHARE:
            self.dishonest(merchant)
        if business and draw() < HONOUR_SHARE:
            self.honour(merchant)
        if business and self.debtors < 2 and draw() < 0.004:
            self.debtor(merchant)
        verified = (
            merchant.verification and merchant.verification.outcome is VerificationStatus.VERIFIED
        )
        if verified and draw() < COMMITMENT_SHARE:
            self.commitment(merchant)

    def licence(self, merchant: PlannedSubject, licence: tuple[str, str, str]) -> None:
        name, basis, prefix = licence
        on = self.day(30, HISTORY_DAYS)
        self.add(SAMR, merchant.name, "administrative_licence", decision_date=on,
                 decision_no=self.number(prefix + "{year}{n:05d}号", prefix, on),
                 legal_basis=basis, summary=f"准予{name}",
                 valid_until=on + timedelta(days=5 * 365))  # fmt: skip

    def penalty(self, merchant: PlannedSubject) -> None:
        severity = self.rng.choices(*SEVERITIES)[0]
        source, pattern = self.rng.choice(((SAMR, texts.SAMR_NO), (SAMR, texts.SAMR_NO),
                                           (COMMERCE, texts.COMMERCE_NO)))  # fmt: skip
        basis, summary = self.rng.choice(texts.PENALTY_FACTS)
        kind, amount = _penalty_kind(self.rng, severity)
        on = self.day()
        self.add(source, merchant.name, "administrative_penalty", decision_date=on,
                 decision_no=self.number(pattern, source, on), severity=severity,
                 legal_basis=basis, penalty_kind=kind, amount=amount, summary=summary)  # fmt: skip

    def dishonest(self, merchant: PlannedSubject) -> None:
        type_code, summary = self.rng.choice(texts.DISHONEST)
        on = self.day()
        shop = merchant.shops[0]
        evidence = f"{shop.code}-JC-{on:%Y%m%d}-{self.rng.randrange(1000, 9999)}"
        self.add(shop.platform, merchant.name, type_code, decision_date=on,
                 evidence_refs=[evidence], summary=f"店铺“{shop.name}”{summary}")  # fmt: skip

    def honour(self, merchant: PlannedSubject) -> None:
        on = self.day(0, HISTORY_DAYS)
        self.add(CREDIT_OFFICE, merchant.name, "honour_award", decision_date=on,
                 decision_no=self.number(texts.HONOUR_NO, "honour", on),
                 summary=self.rng.choice(texts.HONOURS).format(year=on.year - 1))  # fmt: skip

    def debtor(self, merchant: PlannedSubject) -> None:
        self.debtors += 1
        on = self.day(60, 400)
        self.add(COURT, merchant.name, "dishonest_judgment_debtor", decision_date=on,
                 decision_no=f"（{on.year}）辽05执{self.rng.randrange(100, 999)}号",
                 legal_basis=texts.DEBTOR_BASIS, summary=texts.DEBTOR_SUMMARY,
                 valid_until=self.anchor + timedelta(days=365))  # fmt: skip

    def commitment(self, merchant: PlannedSubject) -> None:
        outcome = self.rng.choices(("active", "breached", "kept"), weights=(80, 8, 12))[0]
        start = self.anchor
        if outcome == "kept":  # a 6-month term that ended before the anchor
            start = self.anchor - timedelta(days=self.rng.randrange(200, 400))
        elif outcome == "breached":
            start = self.anchor - timedelta(days=self.rng.randrange(60, 300))
        breach_on = (
            start + timedelta(days=self.rng.randrange(5, 50)) if outcome == "breached" else None
        )
        platform = merchant.shops[0].platform
        days = self.rng.choice((7, 7, 15, 30))
        self.plan.commitments.append(
            PlannedCommitment(merchant.name, platform, outcome, start, days, breach_on)
        )

    def exemplars(self, merchants: tuple[PlannedSubject, ...]) -> None:
        """Model merchants with two honours from over a year ago and nothing negative: they hold
        grade A long enough for the red list (the well-known merchant among them)."""
        named = {r.subject for r in self.plan.records if r.type_code != "administrative_licence"}
        clean = [m for m in merchants if m.form is MerchantForm.ENTERPRISE
                 and m.verification and m.verification.outcome is VerificationStatus.VERIFIED
                 and (m.name not in named or m.name == MINGDA_NAME)]  # fmt: skip
        for merchant in clean[: max(EXEMPLARS, len(merchants) // 150)]:
            for days in (470, 450):
                on = self.anchor - timedelta(days=days)
                self.add(CREDIT_OFFICE, merchant.name, "honour_award", decision_date=on,
                         decision_no=self.number(texts.HONOUR_NO, "honour", on),
                         summary=texts.HONOURS[0].format(year=on.year - 1))  # fmt: skip

    def case_material(self, merchants: tuple[PlannedSubject, ...]) -> None:
        """Enough general fines decided long ago for every kind of objection and repair."""

        def old_fine(record: PlannedRecord) -> bool:
            values = record.values
            return (record.type_code == "administrative_penalty" and record.amend is None
                    and values["severity"] is Severity.GENERAL
                    and values["decision_date"] < self.anchor - timedelta(days=250))  # fmt: skip

        have = sum(1 for record in self.plan.records if old_fine(record))
        businesses = [m for m in merchants if m.form is MerchantForm.ENTERPRISE]
        for merchant in (
            businesses[-max(0, CASE_PENALTIES - have) :] if have < CASE_PENALTIES else []
        ):
            on = self.day(260, HISTORY_DAYS)
            basis, summary = self.rng.choice(texts.PENALTY_FACTS)
            self.add(SAMR, merchant.name, "administrative_penalty", decision_date=on,
                     decision_no=self.number(texts.SAMR_NO, SAMR, on), severity=Severity.GENERAL,
                     legal_basis=basis, penalty_kind=PenaltyKind.FINE,
                     amount=Decimal(self.rng.randrange(1, 20) * 5000), summary=summary)  # fmt: skip

    def amendments(self, merchants: tuple[PlannedSubject, ...]) -> None:
        """Two penalties corrected (the amount reduced on review), two revoked; a small city
        gets extra penalties so that both kinds of amendment exist."""
        businesses = [m for m in merchants if m.form is not MerchantForm.NATURAL_PERSON]
        penalties = [r for r in self.plan.records if r.type_code == "administrative_penalty"]
        for merchant in businesses[: max(0, 4 - len(penalties))]:
            self.penalty(merchant)
        penalties = [r for r in self.plan.records if r.type_code == "administrative_penalty"]
        picked = penalties[:2] + penalties[-2:] if len(penalties) >= 4 else []
        for index, record in enumerate(picked):
            amend = "correction" if index < 2 else "revocation"
            position = self.plan.records.index(record)
            self.plan.records[position] = PlannedRecord(
                record.source, record.subject, record.type_code, record.values, amend
            )


def _penalty_kind(rng: random.Random, severity: Severity) -> tuple[PenaltyKind, Decimal | None]:
    if severity is Severity.MINOR:
        kind = rng.choice((PenaltyKind.WARNING, PenaltyKind.SMALL_FINE))
        return kind, Decimal(rng.randrange(5, 50) * 100) if kind is PenaltyKind.SMALL_FINE else None
    if severity is Severity.GENERAL:
        return PenaltyKind.FINE, Decimal(rng.randrange(1, 20) * 5000)
    kind = rng.choice((PenaltyKind.FINE, PenaltyKind.CONFISCATION, PenaltyKind.SUSPENSION))
    return kind, Decimal(rng.randrange(10, 100) * 10000)
