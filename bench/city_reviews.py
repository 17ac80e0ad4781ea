"""Seeded generator: a city's reviews with one injected review ring and its ground truth.

    python -m bench.city_reviews --out /tmp/lake --density 0.05 --camouflage popular

Background: `reviews` reviews over `shops` shops (Zipf popularity, exponent 0.9) written by
`reviewers` accounts (lognormal activity, sigma 1.2), ratings around each shop's quality, times
spread over 90 days, texts drawn from a pool where short stock phrases ("好评") repeat a lot.
Ring: `ring_reviewers` × `ring_shops`, each pair reviewed with probability `density`, 5 stars,
in a 72-hour campaign per shop, texts that are small edits of a few shared scripts.
Camouflage of the ring accounts:
- random:   as many extra reviews of random shops as ring reviews;
- popular:  as many extra reviews, aimed at shops in proportion to their popularity;
- hijacked: the ring accounts are existing active honest accounts that keep their reviews.
The table follows the lake contract's `reviews` columns (plus `platform`, as hive partitions give).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

CAMOUFLAGES = ("random", "popular", "hijacked")
START = datetime(2026, 8, 1, tzinfo=UTC)
SPAN_US = 90 * 86_400 * 1_000_000
CAMPAIGN_US = 72 * 3_600 * 1_000_000

HONEST_PHRASES = (
    "好评",
    "很好",
    "物流很快",
    "包装完好",
    "质量不错",
    "性价比高",
    "和描述一致",
    "客服态度好",
    "下次还来",
    "一般般",
    "有点小贵",
    "尺码偏小",
    "颜色正",
    "味道不错",
    "发货慢了点",
    "做工精细",
    "孩子很喜欢",
    "送人挺好",
    "用了一周再来评价",
    "还可以吧",
    "不太满意",
    "有色差",
    "挺实用的",
    "五星好评",
    "满意",
    "回购了",
    "快递员很好",
    "价格实惠",
    "比超市便宜",
    "手感很好",
)
SCRIPT_PHRASES = (
    "亲测有效强烈推荐",
    "老板人超好必须五星",
    "宝贝收到了惊艳到我了",
    "全网最低价闭眼入",
    "朋友推荐来的果然没失望",
    "质量杠杠的物超所值",
    "已经第三次回购了",
    "颜值在线品质过硬",
    "发货神速包装精美",
    "客服小姐姐超级耐心",
    "真的是良心卖家",
    "比实体店好太多了",
)


@dataclass(frozen=True)
class Scenario:
    density: float
    camouflage: str
    reviews: int = 1_000_000
    shops: int = 50_000
    reviewers: int = 400_000
    ring_reviewers: int = 200
    ring_shops: int = 200
    seed: int = 7


@dataclass(frozen=True)
class CityReviews:
    table: pa.Table
    ring_reviewers: frozenset[str]
    ring_shops: frozenset[str]


def generate(scenario: Scenario) -> CityReviews:
    """The reviews table and the ring's members; the same scenario gives the same bytes."""
    rng = np.random.default_rng([scenario.seed, int(scenario.density * 1000)])
    popularity = _zipf(scenario.shops, 0.9, rng)
    activity = rng.lognormal(0.0, 1.2, scenario.reviewers)
    activity /= activity.sum()
    quality = rng.uniform(3.0, 4.8, scenario.shops)
    ring_rows, ring_cols = _ring_members(scenario, activity, rng)
    ring_r, ring_c = _ring_edges(scenario, ring_rows, ring_cols, rng)
    camo_r, camo_c = _camouflage(scenario, ring_rows, len(ring_r), popularity, rng)
    background = scenario.reviews - len(ring_r) - len(camo_r)
    honest_r = rng.choice(scenario.reviewers, background, p=activity)
    honest_c = rng.choice(scenario.shops, background, p=popularity)
    honest = _honest_columns(np.concatenate([honest_c, camo_c]), quality, rng)
    ring = _ring_columns(ring_c, rng)
    reviewer = np.concatenate([honest_r, camo_r, ring_r])
    shop = np.concatenate([honest_c, camo_c, ring_c])
    columns = {name: np.concatenate([honest[name], ring[name]]) for name in honest}
    order = rng.permutation(len(reviewer))
    # Account numbers are shuffled so that fresh ring accounts do not stand out by their ids.
    label = rng.permutation(scenario.reviewers + scenario.ring_reviewers)
    columns = {name: values[order] for name, values in columns.items()}
    table = _table(label[reviewer[order]], shop[order], columns)
    return CityReviews(
        table=table,
        ring_reviewers=frozenset(_reviewer_ids(label[ring_rows])),
        ring_shops=frozenset(_shop_ids(ring_cols)),
    )


def _zipf(count: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    return rng.permutation(weights / weights.sum())


def _ring_members(
    scenario: Scenario, activity: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Hijacked rings reuse active honest accounts; the others are fresh accounts."""
    if scenario.camouflage == "hijacked":
        rows = rng.choice(scenario.reviewers, scenario.ring_reviewers, replace=False, p=activity)
    else:
        rows = np.arange(scenario.reviewers, scenario.reviewers + scenario.ring_reviewers)
    cols = rng.choice(scenario.shops, scenario.ring_shops, replace=False)
    return rows, cols


def _ring_edges(
    scenario: Scenario, rows: np.ndarray, cols: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    hit = rng.random((len(rows), len(cols))) < scenario.density
    r, c = np.nonzero(hit)
    return rows[r], cols[c]


def _camouflage(
    scenario: Scenario,
    rows: np.ndarray,
    ring_edges: int,
    popularity: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """About one camouflage review per ring review (hijacked accounts bring their own)."""
    if scenario.camouflage == "hijacked":
        return np.empty(0, np.int64), np.empty(0, np.int64)
    who = rng.choice(rows, ring_edges)
    if scenario.camouflage == "popular":
        return who, rng.choice(scenario.shops, ring_edges, p=popularity)
    return who, rng.integers(0, scenario.shops, ring_edges)


def _honest_columns(
    shops: np.ndarray, quality: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    count = len(shops)
    ratings = np.clip(np.rint(rng.normal(quality[shops], 1.0)), 1, 5).astype(np.int8)
    pool = _honest_pool(rng)
    text_rank = np.minimum(rng.zipf(1.3, count) - 1, len(pool) - 1)
    times = rng.integers(0, SPAN_US, count)
    return {"rating": ratings, "time": times, "text": pool[text_rank]}


def _honest_pool(rng: np.random.Generator) -> np.ndarray:
    """Stock phrases first (they repeat most), then longer random combinations."""
    phrases = np.array(HONEST_PHRASES, dtype=object)
    combos = [
        "，".join(rng.choice(phrases, rng.integers(2, 6), replace=False)) for _ in range(20_000)
    ]
    return np.array([*HONEST_PHRASES, *combos], dtype=object)


def _ring_columns(shops: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    count = len(shops)
    campaign = {shop: rng.integers(0, SPAN_US - CAMPAIGN_US) for shop in np.unique(shops)}
    starts = np.array([campaign[shop] for shop in shops], dtype=np.int64)
    times = starts + rng.integers(0, CAMPAIGN_US, count)
    phrases = np.array(SCRIPT_PHRASES, dtype=object)
    scripts = [list(rng.choice(phrases, 4, replace=False)) for _ in range(6)]
    texts = np.array([_edited(scripts[rng.integers(0, 6)], rng) for _ in range(count)], object)
    return {"rating": np.full(count, 5, np.int8), "time": times, "text": texts}


def _edited(script: list[str], rng: np.random.Generator) -> str:
    """A shared script with one phrase swapped for a stock one: near, not exact, duplicates."""
    words = list(script)
    words[rng.integers(0, len(words))] = HONEST_PHRASES[rng.integers(0, len(HONEST_PHRASES))]
    return "，".join(words) + "！" * int(rng.integers(0, 3))


def _reviewer_ids(rows: np.ndarray) -> list[str]:
    return [f"U{row:07d}" for row in rows]


def _shop_ids(cols: np.ndarray) -> list[str]:
    return [f"S{col:06d}" for col in cols]


def _table(reviewer: np.ndarray, shop: np.ndarray, columns: dict[str, np.ndarray]) -> pa.Table:
    count = len(reviewer)
    times = np.int64(START.timestamp() * 1_000_000) + columns["time"]
    reviewer_ids = pc.binary_join_element_wise(
        "U", pc.utf8_lpad(pa.array(reviewer.astype(str)), width=7, padding="0"), ""
    )
    shop_ids = pc.binary_join_element_wise(
        "S", pc.utf8_lpad(pa.array(shop.astype(str)), width=6, padding="0"), ""
    )
    return pa.table(
        {
            "review_id": pa.array(np.char.add("R", np.arange(count).astype(str))),
            "reviewer_id": reviewer_ids,
            "shop_id": shop_ids,
            "product_id": pa.nulls(count, pa.string()),
            "rating": pa.array(columns["rating"], pa.int8()),
            "review_time": pa.array(times, pa.timestamp("us", tz="UTC")),
            "text": pa.array(columns["text"], pa.string()),
            "order_id": pa.nulls(count, pa.string()),
            "platform": pa.array(np.ones(count, np.int64)),
        }
    )


def write(city: CityReviews, root: Path, platform_id: int = 1) -> Path:
    """One Parquet part under the lake layout (one day partition suffices for the benchmark)."""
    folder = root / "reviews" / f"platform={platform_id}" / "day=2026-08-01"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "part-bench.parquet"
    pq.write_table(city.table.drop_columns(["platform"]), path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--density", type=float, default=0.05)
    parser.add_argument("--camouflage", choices=CAMOUFLAGES, default="random")
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    scenario = Scenario(args.density, args.camouflage, reviews=args.reviews, seed=args.seed)
    city = generate(scenario)
    print(write(city, args.out), city.table.num_rows, "reviews")


if __name__ == "__main__":
    main()
