"""An alert's evidence read into the shape its detector wrote (detection/<detector>.py `_finding`),
for the detail page's tables and chart.

Evidence is stored JSON, written by whichever detector version raised the alert: each shape is a
Pydantic model that ignores keys it does not know, and evidence that does not fit its
detector's model (an older version, a hand-made alert) is shown as plain key / value lines
instead of failing the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ecredit.alert.evidence import short_value

REVIEWS_PER_PAGE = 50


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class OrderRow(_Shape):
    order_id: str
    buyer_id: str
    ordered_at: datetime


class BrushingWindow(_Shape):
    start: datetime
    end: datetime
    orders: int
    buyers: int

    @property
    def ratio(self) -> float:
        return self.orders / max(self.buyers, 1)


class SuspiciousBuyer(_Shape):
    buyer_id: str
    orders: int
    share: float


class BrushingEvidence(_Shape):
    windows: list[BrushingWindow]
    orders: list[str] = []
    buyers: dict[str, int] = {}  # orders inside brushing windows, per buyer
    suspicious_buyers: list[SuspiciousBuyer] = []
    order_rows: list[OrderRow] = []  # absent from alerts raised before the portal drew charts
    nearby_orders: list[OrderRow] = []
    nearby_total: int = 0


class RingReview(_Shape):
    review_id: str
    reviewer_id: str
    rating: int
    review_time: datetime
    score: float
    near_duplicate: bool
    burst: float
    rating_deviation: float


class ReviewRingEvidence(_Shape):
    ring: str
    reviewers: dict[str, float]  # the ring's named accounts and their scores
    shops: list[str]
    density: float
    block_score: float
    lift: float
    ring_reviews: int
    shop_reviews: int
    ring_share: float
    reviews: list[RingReview]


class RingMember(_Shape):
    buyer_id: str
    brushing_shops: list[str]


class SharedValue(_Shape):
    attribute: str
    value: str
    buyers: list[str]


class AccountRingEvidence(_Shape):
    members: list[RingMember]
    brushing_shops: list[str]
    shared: list[SharedValue]


class TrafficHour(_Shape):
    hour: datetime
    visits: int
    clicks: int
    orders: int
    buyers: int | None = None
    conversion: float
    z_visits: float
    z_clicks: float
    z_orders: float


class FakeTrafficEvidence(_Shape):
    kind: str  # "bot" or "brushing"
    hours: int
    visits: int
    clicks: int
    orders: int
    shop_baseline: dict[str, float]
    population_conversion: float
    hourly: list[TrafficHour]
    parameters: dict[str, Any] = {}


class ShipmentRef(_Shape):
    platform: int
    shop_id: str
    order_id: str


class Waybill(_Shape):
    waybill_no: str
    carrier_id: str
    order_id: str
    signals: list[str]
    transit_hours: float | None
    declared_weight_g: float | None
    item_weight_g: float | None
    scans: int | None
    scan_kinds: str | None
    also_on_waybill: list[ShipmentRef] = []


class EmptyParcelEvidence(_Shape):
    pickup_day: str
    shipments_that_day: int
    suspect_shipments: int
    suspect_share: float
    signal_counts: dict[str, int]
    waybills: list[Waybill]
    waybills_listed: int
    parameters: dict[str, Any] = {}


class PriceFraudEvidence(_Shape):
    violations: list[str]
    rules: list[str]
    product_id: str
    promotion_id: str | None
    promotion_start: datetime
    reference_price: str | None
    promotion_price: str | None
    base_price: str | None
    base_source: str
    transactions_in_7_days: int
    price_before_raise: str | None
    price_before_raise_at: datetime | None
    peak_listed_price: str | None
    listed_prices_in_raise_window: int
    base_days: int
    raise_window_days: int


SHAPES: dict[str, type[_Shape]] = {
    "brushing": BrushingEvidence,
    "review_ring": ReviewRingEvidence,
    "account_ring": AccountRingEvidence,
    "fake_traffic": FakeTrafficEvidence,
    "empty_parcel": EmptyParcelEvidence,
    "price_fraud": PriceFraudEvidence,
}


@dataclass(frozen=True)
class EvidenceView:
    """What the detail page shows: `template` under alerts/evidence/, the evidence as read, and
    the plain lines of evidence that fits no known shape."""

    template: str
    evidence: Any
    lines: list[tuple[str, str]]


def evidence_view(detector: str, evidence: dict[str, Any]) -> EvidenceView:
    shape = SHAPES.get(detector)
    if shape is not None:
        try:
            return EvidenceView(f"{detector}.html", shape.model_validate(evidence), [])
        except ValidationError:
            pass
    lines = [(name, short_value(value)) for name, value in evidence.items()]
    return EvidenceView("plain.html", evidence, lines)


@dataclass(frozen=True)
class ReviewPage:
    rows: list[RingReview]
    page: int
    pages: int
    total: int


def review_page(evidence: ReviewRingEvidence, page: int) -> ReviewPage:
    """The ring's reviews of this shop by time, a page at a time."""
    ordered = sorted(evidence.reviews, key=lambda review: (review.review_time, review.review_id))
    pages = max(1, -(-len(ordered) // REVIEWS_PER_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * REVIEWS_PER_PAGE
    return ReviewPage(ordered[start : start + REVIEWS_PER_PAGE], page, pages, len(ordered))


def reviewer_rows(evidence: ReviewRingEvidence) -> list[tuple[str, float, int]]:
    """(reviewer, score, reviews of this shop) for every named member, highest score first."""
    written: dict[str, int] = {}
    for review in evidence.reviews:
        written[review.reviewer_id] = written.get(review.reviewer_id, 0) + 1
    members = sorted(evidence.reviewers.items(), key=lambda item: (-item[1], item[0]))
    return [(name, score, written.get(name, 0)) for name, score in members]
