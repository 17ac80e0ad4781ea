"""Fake traffic (虚假流量): hours whose visits, clicks or orders are far out of line with the shop.

《网络反不正当竞争暂行规定》 (SAMR 2024) Art. 9 lists 虚假交易、虚构交易额/成交量 among the
forbidden means (/work/shared/reference/detection-notes.md §6.2). Two patterns are detected in
the traffic dataset (one row per shop and hour):

* **bot** — a burst of visits or clicks with next to no conversion: robot traffic bought to lift a
  ranking. An hour is a bot hour when `max(z_visits, z_clicks) ≥ z_threshold` and
  `visits ≥ min_burst_visits` and `conversion ≤ bot_max_conversion_ratio × population conversion`.
* **brushing** — a burst of orders with near-total conversion from few accounts (刷单). An hour is
  a brushing hour when `z_orders ≥ z_threshold`, `orders ≥ min_burst_orders`,
  `conversion ≥ brushing_min_conversion` and `orders ≥ brushing_orders_per_buyer × buyers`
  (buyers must be reported; the default 3 is the Shopee concentrate rate).

Where, all bounds inclusive:

* `conversion = orders / max(visits, 1)`.
* `z_m = (m − median_m) / scale_m` for m in visits, clicks, orders, with median and MAD over the
  shop's own hours in the data given (the burst included: a median and a MAD ignore a burst
  shorter than half the history) and `scale_m = max(1.4826 × MAD_m, scale_floor_ratio × median_m,
  min_scale)`: the floors keep a flat history (MAD 0) from turning any wobble into a burst.
* population conversion = the median, over the platform's shops with visits, of each shop's
  conversion over all its hours (a median over shops, so bought traffic in a few shops does not
  move it, and hours of small shops with no order do not drag it to zero).
* Shops with fewer than `min_history_hours` hours are not judged.

Consecutive flagged hours of one kind and shop form one burst, one finding: key (kind, first
hour), window [first hour, last hour + 1 h), score the highest z of the burst, evidence the shop's
baseline (median and MAD per metric, hours of history), the population conversion and each
hour's counts, conversion and z (up to `max_listed_hours`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir

from ecredit.detection.finding import Finding

DETECTOR = "fake_traffic"
RECORD_TYPE = "fake_traffic"
MAD_TO_SIGMA = 1.4826  # makes the MAD a consistent estimator of a normal standard deviation
METRICS = ("visits", "clicks", "orders")
_SHOP = ("platform", "shop_id")
_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class FakeTrafficParams:
    z_threshold: float = 6.0
    scale_floor_ratio: float = 0.1
    min_scale: float = 1.0
    min_history_hours: int = 24
    min_burst_visits: int = 100
    bot_max_conversion_ratio: float = 0.2
    min_burst_orders: int = 10
    brushing_min_conversion: float = 0.5
    brushing_orders_per_buyer: float = 3.0
    max_listed_hours: int = 48


def _shop_baseline(traffic: ir.Table, params: FakeTrafficParams) -> ir.Table:
    """Median, MAD and robust scale of each metric over the shop's own hours."""
    medians = traffic.group_by(list(_SHOP)).aggregate(
        history_hours=traffic.count(),
        **{f"median_{m}": traffic[m].median() for m in METRICS},
    )
    with_median = traffic.join(medians, list(_SHOP))
    mads = with_median.group_by(list(_SHOP)).aggregate(
        **{
            f"mad_{m}": (with_median[m] - with_median[f"median_{m}"]).abs().median()
            for m in METRICS
        }
    )
    base = medians.join(mads, list(_SHOP))
    return base.mutate(
        **{
            f"scale_{m}": ibis.greatest(
                base[f"mad_{m}"] * MAD_TO_SIGMA,
                base[f"median_{m}"] * params.scale_floor_ratio,
                ibis.literal(params.min_scale),
            )
            for m in METRICS
        }
    )


def _population_conversion(traffic: ir.Table) -> ir.Table:
    """Median over the platform's shops of each shop's own conversion (all its orders / visits)."""
    shops = traffic.group_by(list(_SHOP)).aggregate(
        orders=traffic.orders.sum(), visits=traffic.visits.sum()
    )
    shops = shops.filter(shops.visits > 0)
    return shops.group_by("platform").aggregate(
        population_conversion=(shops.orders.cast("float64") / shops.visits).median()
    )


def traffic_hours(traffic: ir.Table, params: FakeTrafficParams | None = None) -> ir.Table:
    """Every judged shop-hour with its z-scores, conversion and kind (bot, brushing or null)."""
    params = params or FakeTrafficParams()
    base = _shop_baseline(traffic, params)
    t = traffic.join(base, list(_SHOP)).join(_population_conversion(traffic), "platform")
    t = t.filter(t.history_hours >= params.min_history_hours)
    t = t.mutate(
        conversion=t.orders.cast("float64") / ibis.greatest(t.visits, 1),
        **{f"z_{m}": (t[m] - t[f"median_{m}"]) / t[f"scale_{m}"] for m in METRICS},
    )
    bot = (
        (ibis.greatest(t.z_visits, t.z_clicks) >= params.z_threshold)
        & (t.visits >= params.min_burst_visits)
        & (t.conversion <= params.bot_max_conversion_ratio * t.population_conversion)
    )
    brushing = (
        (t.z_orders >= params.z_threshold)
        & (t.orders >= params.min_burst_orders)
        & (t.conversion >= params.brushing_min_conversion)
        & t.buyers.notnull()
        & (t.orders >= params.brushing_orders_per_buyer * t.buyers)
    )
    kind = ibis.cases((bot, "bot"), (brushing, "brushing"), else_=ibis.null("string"))
    return t.mutate(kind=kind)


def detect_fake_traffic(
    traffic: ir.Table, params: FakeTrafficParams | None = None
) -> list[Finding]:
    """One finding per burst: consecutive bot or brushing hours of one shop."""
    params = params or FakeTrafficParams()
    hours = traffic_hours(traffic, params)
    flagged = hours.filter(hours.kind.notnull()).order_by([*_SHOP, "kind", "hour"])
    findings: list[Finding] = []
    for burst in _bursts(flagged.to_pyarrow().to_pylist()):
        findings.append(_finding(burst, params))
    return findings


def _as_utc(value: datetime) -> datetime:
    # Spark hands back naive timestamps in its UTC session zone; DuckDB keeps the zone.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _bursts(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group rows (sorted by shop, kind, hour) into runs of consecutive hours."""
    bursts: list[list[dict[str, Any]]] = []
    for row in rows:
        row["hour"] = _as_utc(row["hour"])
        last = bursts[-1][-1] if bursts else None
        same_run = (
            last is not None
            and (last["platform"], last["shop_id"], last["kind"])
            == (row["platform"], row["shop_id"], row["kind"])
            and row["hour"] - last["hour"] == _HOUR
        )
        if same_run:
            bursts[-1].append(row)
        else:
            bursts.append([row])
    return bursts


def _hour_evidence(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "hour": row["hour"].isoformat(),
        "visits": row["visits"],
        "clicks": row["clicks"],
        "orders": row["orders"],
        "buyers": row["buyers"],
        "conversion": round(row["conversion"], 4),
        **{f"z_{m}": round(row[f"z_{m}"], 2) for m in METRICS},
    }


def _finding(burst: list[dict[str, Any]], params: FakeTrafficParams) -> Finding:
    first, kind = burst[0], burst[0]["kind"]
    z_names = ("z_visits", "z_clicks") if kind == "bot" else ("z_orders",)
    score = max(row[name] for row in burst for name in z_names)
    evidence = {
        "kind": kind,
        "hours": len(burst),
        "visits": sum(row["visits"] for row in burst),
        "clicks": sum(row["clicks"] for row in burst),
        "orders": sum(row["orders"] for row in burst),
        "shop_baseline": {
            "history_hours": first["history_hours"],
            **{f"median_{m}": first[f"median_{m}"] for m in METRICS},
            **{f"mad_{m}": first[f"mad_{m}"] for m in METRICS},
        },
        "population_conversion": round(first["population_conversion"], 6),
        "hourly": [_hour_evidence(row) for row in burst[: params.max_listed_hours]],
        "parameters": asdict(params),
    }
    return Finding(
        detector=DETECTOR,
        platform_id=int(first["platform"]),
        shop_code=first["shop_id"],
        record_type=RECORD_TYPE,
        score=round(float(score), 4),
        key=(kind, first["hour"].isoformat()),
        window_start=first["hour"],
        window_end=burst[-1]["hour"] + _HOUR,
        evidence=evidence,
    )
