"""Price fraud (虚构原价, 先涨后降): a "discount" from a price the goods were not really sold at.

Rules encoded (text as quoted in /work/shared/reference/detection-notes.md §5):

* 《规范促销行为暂行规定》 (SAMR Order No. 32, in force 2020-12-01), Art. 21: "经营者折价、减价，
  应当标明或者通过其他方便消费者认知的方式表明折价、减价的基准。未标明或者表明基准的，其折价、减价
  应当以同一经营者在同一经营场所内，在本次促销活动前七日内最低成交价格为基准。"
* NDRC interpretation of 《禁止价格欺诈行为的规定》: "原价是指经营者在本次降价前七日内在本交易场所
  成交的有交易票据的最低交易价格；如前七日内没有交易价格，以本次降价前最后一次交易价格作为原价。"
* 《明码标价和禁止价格欺诈规定》 (SAMR Order No. 56, in force 2022-07-01), Art. 19 (3) forbids
  "通过虚假折价、减价或者价格比较等方式销售商品或者提供服务".

Definitions (prices dataset of the lake contract; one shop = one 经营场所):

* A **promotion event** is the set of `kind = "promotion"` rows of one (platform, shop, product,
  promotion_id); rows without a promotion_id are each an event of their own. Its start `t0` is its
  earliest observation, its reference price `P_ref` the highest reference_price it showed, its
  promotion price `P_promo` the lowest price it showed.
* **Base price** `P_base`: the lowest `kind = "transaction"` price of that shop and product with
  `t0 − 7 days ≤ observed_at < t0` (168 hours back, the start included, `t0` itself excluded).
  With no transaction in that interval, the last transaction price before `t0` (the lowest, if
  several share that instant). With no transaction at all before `t0` the event is unverifiable
  and never flagged.
* **Fabricated reference price**: `P_ref > P_base`. Equal is lawful; any excess, even one fen, is
  not (money is exact decimal, no tolerance).
* **Raise then discount**: `P_before` is the last listed price before `t0 − R` (R = raise window,
  default 7 days; lowest if several at that instant) and `P_peak` the highest listed price in
  `[t0 − R, t0)`. Flagged when `P_peak > P_before` (a raise inside the window) and
  `P_promo ≥ P_before` (the "discounted" price is not below the price before the raise: the
  discount is not real). A promotion price equal to the pre-raise price is flagged.

Evidence per event: the rule(s) broken, `t0`, P_ref, P_promo, P_base and where it came from, the
number of transactions in the 7-day interval, P_before/P_peak and the time of the peak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

from ecredit.detection.finding import Finding

DETECTOR = "price_fraud"
RECORD_TYPE = "price_fraud"
FABRICATED_REFERENCE = "fabricated_reference"
RAISE_THEN_DISCOUNT = "raise_then_discount"
RULES = {
    FABRICATED_REFERENCE: (
        "规范促销行为暂行规定 第二十一条; 明码标价和禁止价格欺诈规定 第十九条(三)"
    ),
    RAISE_THEN_DISCOUNT: "明码标价和禁止价格欺诈规定 第十九条(三)",
}
_EVENT_KEYS = ("platform", "shop_id", "product_id", "promotion_key", "untagged_at")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PriceFraudParams:
    base_days: int = 7  # the rule's "前七日内": fixed by law, a parameter only for what-if runs
    raise_window_days: int = 7  # how recent a list-price raise counts as "shortly before"


def promotion_events(prices: ir.Table) -> ir.Table:
    """One row per promotion event with its start, highest reference and lowest promotion price."""
    promos = prices.filter(prices.kind == "promotion")
    untagged = ibis.ifelse(
        promos.promotion_id.isnull(), promos.observed_at, ibis.null(promos.observed_at.type())
    )
    # Null keys never match in a join; the events are joined back on these filled columns.
    promos = promos.mutate(
        promotion_key=promos.promotion_id.fill_null(""),
        untagged_at=untagged.fill_null(_EPOCH),
    )
    return promos.group_by(list(_EVENT_KEYS)).aggregate(
        promotion_id=promos.promotion_id.max(),
        start=promos.observed_at.min(),
        reference_price=promos.reference_price.max(),
        promotion_price=promos.price.min(),
    )


def _rows_of_kind(prices: ir.Table, kind: str) -> ir.Table:
    rows = prices.filter(prices.kind == kind)
    return rows.select(
        r_platform=rows.platform,
        r_shop=rows.shop_id,
        r_product=rows.product_id,
        r_at=rows.observed_at,
        r_price=rows.price,
    )


def _same_product(events: ir.Table, rows: ir.Table) -> list[ir.BooleanValue]:
    return [
        events.platform == rows.r_platform,
        events.shop_id == rows.r_shop,
        events.product_id == rows.r_product,
    ]


def _in_interval(
    events: ir.Table, rows: ir.Table, days_back: int, *, value: str, how: str
) -> ir.Table:
    """Per event, min or max of the rows' price in [start − days_back, start) and their count."""
    lower = events.start - ibis.interval(days=days_back)
    joined = events.join(
        rows,
        [*_same_product(events, rows), rows.r_at >= lower, rows.r_at < events.start],
    )
    price = joined.r_price.min() if how == "min" else joined.r_price.max()
    return joined.group_by(list(_EVENT_KEYS)).aggregate(
        **{value: price, f"{value}_n": joined.r_price.count()}
    )


def _last_before(events: ir.Table, rows: ir.Table, days_back: int, *, value: str) -> ir.Table:
    """Per event, the lowest price among the rows at the last instant before start − days_back."""
    cutoff = events.start - ibis.interval(days=days_back)
    earlier = events.join(rows, [*_same_product(events, rows), rows.r_at < cutoff])
    last = earlier.group_by(list(_EVENT_KEYS)).aggregate(last_at=earlier.r_at.max())
    at_last = last.join(
        rows,
        [
            last.platform == rows.r_platform,
            last.shop_id == rows.r_shop,
            last.product_id == rows.r_product,
            rows.r_at == last.last_at,
        ],
    )
    return at_last.group_by(list(_EVENT_KEYS)).aggregate(
        **{value: at_last.r_price.min(), f"{value}_at": at_last.last_at.max()}
    )


def price_checks(prices: ir.Table, params: PriceFraudParams | None = None) -> ir.Table:
    """Every promotion event with its base price, pre-raise and peak prices and both verdicts."""
    params = params or PriceFraudParams()
    events = promotion_events(prices)
    tx, listed = _rows_of_kind(prices, "transaction"), _rows_of_kind(prices, "listed")
    parts = [
        _in_interval(events, tx, params.base_days, value="window_min", how="min"),
        _last_before(events, tx, 0, value="last_tx"),
        _last_before(events, listed, params.raise_window_days, value="before"),
        _in_interval(events, listed, params.raise_window_days, value="peak", how="max"),
    ]
    checked = events
    for part in parts:
        checked = checked.left_join(part, list(_EVENT_KEYS)).select(
            checked, *[c for c in part.columns if c not in _EVENT_KEYS]
        )
    base = checked.window_min.coalesce(checked.last_tx)
    fabricated = (
        checked.reference_price.notnull() & base.notnull() & (checked.reference_price > base)
    )
    raised = (
        checked.before.notnull()
        & (checked.peak > checked.before)
        & (checked.promotion_price >= checked.before)
    )
    return checked.mutate(
        base_price=base,
        fabricated=fabricated.fill_null(False),
        raised=raised.fill_null(False),
    )


def detect_price_fraud(prices: ir.Table, params: PriceFraudParams | None = None) -> list[Finding]:
    """Findings for every promotion event that breaks at least one of the two rules."""
    params = params or PriceFraudParams()
    checked = price_checks(prices, params)
    flagged = checked.filter(checked.fabricated | checked.raised)
    rows = flagged.order_by(["platform", "shop_id", "product_id", "start"]).to_pyarrow()
    return [_finding(row, params) for row in rows.to_pylist()]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _as_utc(value: datetime) -> datetime:
    # Spark hands back naive timestamps in its UTC session zone; DuckDB keeps the zone.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else _as_utc(value).isoformat()


def _finding(row: dict[str, Any], params: PriceFraudParams) -> Finding:
    # Score: the share by which the shown price exceeds the real one (reference over base,
    # peak over the pre-raise price).
    scores = {}
    if row["fabricated"]:
        scores[FABRICATED_REFERENCE] = (row["reference_price"] - row["base_price"]) / row[
            "base_price"
        ]
    if row["raised"]:
        scores[RAISE_THEN_DISCOUNT] = (row["peak"] - row["before"]) / row["before"]
    violations = list(scores)
    start = _as_utc(row["start"])
    event_ref = row["promotion_id"] or start.isoformat()
    evidence = {
        "violations": violations,
        "rules": [RULES[v] for v in violations],
        "product_id": row["product_id"],
        "promotion_id": row["promotion_id"],
        "promotion_start": start.isoformat(),
        "reference_price": _money(row["reference_price"]),
        "promotion_price": _money(row["promotion_price"]),
        "base_price": _money(row["base_price"]),
        "base_source": "7_day_lowest" if row["window_min"] is not None else "last_transaction",
        "transactions_in_7_days": row["window_min_n"] or 0,
        "price_before_raise": _money(row["before"]),
        "price_before_raise_at": _iso(row["before_at"]),
        "peak_listed_price": _money(row["peak"]),
        "listed_prices_in_raise_window": row["peak_n"] or 0,
        "base_days": params.base_days,
        "raise_window_days": params.raise_window_days,
    }
    return Finding(
        detector=DETECTOR,
        platform_id=int(row["platform"]),
        shop_code=row["shop_id"],
        record_type=RECORD_TYPE,
        score=float(max(scores.values())),
        key=(row["product_id"], event_ref),
        window_start=start - timedelta(days=params.base_days),
        window_end=start,
        evidence=evidence,
    )
