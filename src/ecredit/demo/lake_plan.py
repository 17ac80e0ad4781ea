"""The demo lake as data: the month it covers, which shops of the demo city trade in it and which
of them play a planted part for the detectors to find.

A pure function of the city plan, its credit plan and the anchor day. The planted parts go to
verified merchants with no dishonest or penalty record planned, each merchant one part, so that a
regulator confirming an alert sees a clean file change. The parts are spread over the platforms:

- 本溪优品网: an order-brushing episode (its buyers an account ring sharing a device and a payment
  account), an evasive episode just under the ratio-3 threshold that must not be found, and a
  day of empty parcels;
- 辽东集市: a review ring over six shops and a fake discount;
- 山城易购: a burst of bot traffic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ecredit.demo.credit_plan import CreditPlan
from ecredit.demo.plan import MINGDA_NAME, PLATFORMS, CityPlan, PlannedSubject
from ecredit.kit.clock import SHANGHAI
from ecredit.models.subject import VerificationStatus

MONTH_DAYS = 30
ACTIVE_SHOPS = 40  # per platform: the shops that trade in the month
RING_SHOPS = 6
HARMLESS_RECORDS = frozenset({"administrative_licence"})
# Which platform (by its place in PLATFORMS) hosts which planted parts.
PARTS: tuple[tuple[str, ...], ...] = (
    ("brushing", "evasive", "empty_parcels"),
    ("review_ring", "fake_discount"),
    ("bot_traffic",),
)


@dataclass(frozen=True)
class Month:
    """`days` days of Beijing time, starting at midnight; times are aware datetimes."""

    start: datetime
    days: int = MONTH_DAYS

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)

    @property
    def batch_key(self) -> str:
        """The key of every batch of this month: an upload of the same month adds nothing."""
        return f"demo-month-{self.start.astimezone(SHANGHAI):%Y-%m-%d}"

    def at(self, day: int, hours: float) -> datetime:
        """`hours` after midnight of the month's day `day` (from 0), to the whole second (as
        the lake's files carry it, so planted times stay exact)."""
        return self.start + timedelta(days=day, seconds=int(hours * 3600))


def month_before(anchor: date) -> Month:
    """The 30 days that end when the anchor day begins in Beijing: always in the past of a demo
    whose "today" is the anchor."""
    first = anchor - timedelta(days=MONTH_DAYS)
    return Month(datetime.combine(first, time(0), tzinfo=SHANGHAI))


@dataclass(frozen=True)
class PlatformCast:
    """One platform's trading shops (planted ones first) and the part some of them play."""

    platform: str  # the platform subject's name
    number: int  # 1, 2, 3…: keeps waybill numbers of different platforms apart
    shops: tuple[str, ...]
    brushing: str | None = None  # orders ÷ buyers clearly ≥ 3 within an hour
    evasive: str | None = None  # orders ÷ buyers just under 3 in every hour: not brushing
    empty_parcels: str | None = None
    review_ring: tuple[str, ...] = ()
    bot_traffic: str | None = None
    fake_discount: str | None = None


@dataclass(frozen=True)
class LakePlan:
    month: Month
    casts: tuple[PlatformCast, ...]
    owners: dict[tuple[str, str], str] = field(default_factory=dict)  # (platform, shop) → merchant


def plan_lake(city: CityPlan, credit: CreditPlan, anchor: date) -> LakePlan:
    """The month before the anchor, each platform's trading shops and the planted parts."""
    busy = {r.subject for r in credit.records if r.type_code not in HARMLESS_RECORDS}
    quiet = [m for m in city.merchants if _quiet(m, busy)]
    owners = {(s.platform, s.code): m.name for m in city.merchants for s in m.shops}
    used: set[str] = set()
    casts = []
    for number, ((platform, _domain, _prefix), parts) in enumerate(
        zip(PLATFORMS, PARTS, strict=True), start=1
    ):
        roles = {part: _take(quiet, used, platform, _wanted(part)) for part in parts}
        codes = [code for p, code in owners if p == platform]
        casts.append(_cast(platform, number, roles, codes))
    return LakePlan(month_before(anchor), tuple(casts), owners)


def _cast(
    platform: str, number: int, roles: dict[str, list[str]], codes: list[str]
) -> PlatformCast:
    """Planted shops first, then the platform's other shops, up to ACTIVE_SHOPS in all."""
    planted = [shop for shops in roles.values() for shop in shops]
    others = [code for code in codes if code not in planted]

    def one(part: str) -> str | None:
        return next(iter(roles.get(part, ())), None)

    return PlatformCast(
        platform=platform,
        number=number,
        shops=tuple(planted + others)[:ACTIVE_SHOPS],
        brushing=one("brushing"),
        evasive=one("evasive"),
        empty_parcels=one("empty_parcels"),
        review_ring=tuple(roles.get("review_ring", ())),
        bot_traffic=one("bot_traffic"),
        fake_discount=one("fake_discount"),
    )


def _quiet(merchant: PlannedSubject, busy: set[str]) -> bool:
    verified = merchant.verification is not None and (
        merchant.verification.outcome is VerificationStatus.VERIFIED
    )
    return verified and merchant.name not in busy and merchant.name != MINGDA_NAME


def _wanted(part: str) -> int:
    return RING_SHOPS if part == "review_ring" else 1


def _take(quiet: list[PlannedSubject], used: set[str], platform: str, count: int) -> list[str]:
    """Shops on `platform` of `count` quiet merchants not cast yet; none if there are fewer (a
    tiny city leaves the part out)."""
    chosen: list[tuple[str, str]] = []
    for merchant in quiet:
        shop = next((s.code for s in merchant.shops if s.platform == platform), None)
        if merchant.name not in used and shop is not None:
            chosen.append((merchant.name, shop))
        if len(chosen) == count:
            used.update(name for name, _shop in chosen)
            return [shop for _name, shop in chosen]
    return []
