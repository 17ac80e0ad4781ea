"""Review rings (C11, issue 6 item 2b): accounts that review a set of shops together far more
than their activity explains, camouflage or not.

1. The (reviewer, shop) pairs of every review are pulled once from the Ibis table.
2. Dense blocks are peeled off the graph (review_peeling: FRAUDAR column weights, excess over a
   degree null model, several blocks per run).
3. The reviews of the blocks' shops are pulled (a filtered query for the first block's shops,
   run by the engine while the search looks for more blocks, and one for any other block's);
   those on each block's edges are scored: near-duplicate texts, bursts, rating deviation
   (review_signals), combined with each account's structural support in the block.
4. One finding per (block, shop) that received enough ring reviews, with the block's members and
   per-member scores as evidence.

    findings = detect_review_rings(lake_reviews_table, platform_id=3)
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecredit.detection.finding import Finding
from ecredit.detection.review_graph import build_graph
from ecredit.detection.review_peeling import Block, PeelingSettings, iter_blocks
from ecredit.detection.review_signals import (
    BlockReviews,
    SignalSettings,
    bursts,
    near_duplicates,
    rating_deviation,
)

DETECTOR = "review_ring"
RECORD_TYPE = "malicious_review"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class RingParameters:
    column_offset: float = 5.0  # c in the FRAUDAR column weight 1/log(degree + c)
    min_block_score: float = 0.8  # excess weight per member; background blocks score ≈ 0.4
    periphery: float = 0.5  # accounts adding this share of a block's score join it
    min_reviewers: int = 5
    min_shops: int = 3
    max_blocks: int = 20
    min_reviewer_score: float = 0.25  # block members scoring less are not named
    min_shop_reviews: int = 3  # a shop with fewer ring reviews gets no finding
    burst_hours: float = 72.0
    shingle: int = 3
    min_text_chars: int = 8
    minhash_permutations: int = 64
    text_similarity: float = 0.6

    def peeling(self) -> PeelingSettings:
        return PeelingSettings(
            floor=self.min_block_score,
            epsilon=0.1,
            margin=0,
            min_score=self.min_block_score,
            periphery=self.periphery,
            min_rows=self.min_reviewers,
            min_cols=self.min_shops,
            max_blocks=self.max_blocks,
        )

    def signals(self) -> SignalSettings:
        return SignalSettings(
            shingle=self.shingle,
            min_text_chars=self.min_text_chars,
            permutations=self.minhash_permutations,
            similarity=self.text_similarity,
            burst_hours=self.burst_hours,
        )


@dataclass(frozen=True)
class ScoredBlock:
    block: Block
    reviews: pa.Table  # review_id, reviewer_id, shop_id, rating, review_time, score and signals
    reviewer_scores: dict[str, float]  # every block reviewer, named or not
    shop_reviews: dict[str, int]  # all reviews of each block shop


def detect_review_rings(
    reviews: ibis.Table, platform_id: int, parameters: RingParameters | None = None
) -> list[Finding]:
    """Findings for one platform's reviews (a lake `reviews` table, any Ibis backend)."""
    parameters = parameters or RingParameters()
    return [
        finding
        for scored in score_blocks(reviews, platform_id, parameters)
        for finding in _findings(scored, platform_id, parameters)
    ]


def score_blocks(
    reviews: ibis.Table, platform_id: int, parameters: RingParameters
) -> list[ScoredBlock]:
    """The blocks found, best first, each with its reviews and members scored."""
    if "platform" in reviews.columns:
        reviews = reviews.filter(reviews.platform == platform_id)
    graph = build_graph(
        reviews.select("reviewer_id", "shop_id").to_pyarrow(), parameters.column_offset
    )
    blocks: list[Block] = []
    names: list[_Names] = []
    with ThreadPoolExecutor(max_workers=1) as engine:
        first: Future[pa.Table] | None = None
        for block in iter_blocks(graph, parameters.peeling()):
            blocks.append(block)
            names.append(_Names(graph.reviewer_ids(block.rows), graph.shop_ids(block.cols)))
            if first is None:  # the engine fetches them while the search looks for more
                first = engine.submit(_shop_reviews, reviews, sorted(names[0].shops))
        del graph
        if first is None:
            return []
        raw = _with_other_shops(reviews, first.result(), names)
    totals = raw.group_by("shop_id").aggregate([("rating", "sum"), ("rating", "count")])
    return [
        _score(block, name, raw, totals, parameters)
        for block, name in zip(blocks, names, strict=True)
    ]


@dataclass(frozen=True)
class _Names:
    """A block's reviewer ids (in row order) and shop ids (in column order)."""

    reviewers: list[str]
    shops: list[str]


def _with_other_shops(reviews: ibis.Table, first: pa.Table, names: list[_Names]) -> pa.Table:
    """The first block's shops' reviews, and those of any other block's shops."""
    others = sorted({shop for name in names[1:] for shop in name.shops} - set(names[0].shops))
    if not others:
        return first
    return pa.concat_tables([first, _shop_reviews(reviews, others)]).sort_by("review_id")


def _shop_reviews(reviews: ibis.Table, shop_ids: list[str]) -> pa.Table:
    """Every review of the blocks' shops: the ring's, and the rest for the shops' baselines."""
    columns = ["review_id", "reviewer_id", "shop_id", "rating", "review_time", "text"]
    mine = reviews.filter(reviews.shop_id.isin(shop_ids)).select(*columns)
    return mine.to_pyarrow().sort_by("review_id")


def _score(
    block: Block, names: _Names, raw: pa.Table, totals: pa.Table, parameters: RingParameters
) -> ScoredBlock:
    reviewer_names = pa.array(names.reviewers, pa.string())
    shop_names = pa.array(names.shops, pa.string())
    keep = pc.and_(
        pc.is_in(raw["reviewer_id"], reviewer_names), pc.is_in(raw["shop_id"], shop_names)
    )
    mine = raw.filter(keep)
    data = BlockReviews(
        reviewer=pc.index_in(mine["reviewer_id"], reviewer_names).to_numpy().astype(np.int64),
        shop=pc.index_in(mine["shop_id"], shop_names).to_numpy().astype(np.int64),
        rating=mine["rating"].to_numpy().astype(np.int64),
        time_us=mine["review_time"].cast(pa.int64()).to_numpy(),
        text=mine["text"].combine_chunks(),
    )
    return _combine(block, names, mine, data, _block_totals(totals, shop_names), parameters)


def _block_totals(totals: pa.Table, shop_names: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Per block shop (in column order): the sum of its ratings and its number of reviews."""
    where = pc.index_in(totals["shop_id"], shop_names)
    mine = totals.filter(pc.is_valid(where))
    position = pc.drop_null(where).to_numpy()
    rating_sum = np.zeros(len(shop_names))
    count = np.zeros(len(shop_names), dtype=np.int64)
    rating_sum[position] = mine["rating_sum"].to_numpy()
    count[position] = mine["rating_count"].to_numpy()
    return rating_sum, count


def _combine(
    block: Block,
    names: _Names,
    mine: pa.Table,
    data: BlockReviews,
    totals: tuple[np.ndarray, np.ndarray],
    parameters: RingParameters,
) -> ScoredBlock:
    """Review score = the author's structural support × (½ + ½ × mean of the three signals);
    reviewer score = support × (½ + ½ × mean signal over the reviewer's block reviews)."""
    settings = parameters.signals()
    duplicate = near_duplicates(data, settings)
    burst = bursts(data, settings.burst_hours)
    deviation = rating_deviation(data, *totals)
    evidence = (duplicate + burst + deviation) / 3.0
    support = block.row_support[data.reviewer]
    review_score = support * (0.5 + 0.5 * evidence)
    per_reviewer = np.bincount(data.reviewer, evidence, len(block.rows))
    count = np.maximum(np.bincount(data.reviewer, minlength=len(block.rows)), 1)
    reviewer_score = block.row_support * (0.5 + 0.5 * per_reviewer / count)
    scored = mine.drop_columns(["text"]).append_column("score", pa.array(review_score))
    scored = scored.append_column("near_duplicate", pa.array(duplicate))
    scored = scored.append_column("burst", pa.array(burst)).append_column(
        "rating_deviation", pa.array(deviation)
    )
    return ScoredBlock(
        block=block,
        reviews=scored,
        reviewer_scores=dict(zip(names.reviewers, reviewer_score.tolist(), strict=True)),
        shop_reviews=dict(zip(names.shops, totals[1].tolist(), strict=True)),
    )


def flagged_reviewers(scored: ScoredBlock, parameters: RingParameters) -> list[str]:
    """The block's reviewers named in findings, by id."""
    return sorted(
        name
        for name, score in scored.reviewer_scores.items()
        if score >= parameters.min_reviewer_score
    )


def _findings(scored: ScoredBlock, platform_id: int, parameters: RingParameters) -> list[Finding]:
    named = flagged_reviewers(scored, parameters)
    shops = sorted(scored.shop_reviews)
    members = {
        "ring": hashlib.sha256("\n".join(shops).encode()).hexdigest()[:16],
        "reviewers": {name: round(scored.reviewer_scores[name], 4) for name in named},
        "shops": shops,
        "density": round(scored.block.density, 4),
        "block_score": round(scored.block.score, 4),
        "lift": round(scored.block.lift, 2),
    }
    by_shop: dict[str, list[dict[str, Any]]] = {}
    kept = scored.reviews.filter(
        pc.is_in(scored.reviews["reviewer_id"], pa.array(named, pa.string()))
    )
    for row in _evidence_rows(kept.sort_by("review_id")):
        by_shop.setdefault(row.pop("shop_id"), []).append(row)
    return [
        _finding(shop, by_shop[shop], scored.shop_reviews[shop], members, platform_id)
        for shop in shops
        if len(by_shop.get(shop, ())) >= parameters.min_shop_reviews
    ]


def _evidence_rows(reviews: pa.Table) -> list[dict[str, Any]]:
    """Per review, its evidence (with shop_id and time_us, popped by the caller), formatted
    column by column: rings with tens of thousands of reviews stay cheap."""
    time = reviews["review_time"]
    columns = {
        "review_id": reviews["review_id"],
        "reviewer_id": reviews["reviewer_id"],
        "shop_id": reviews["shop_id"],
        "rating": reviews["rating"],
        "review_time": pc.binary_join_element_wise(
            pc.strftime(time, format="%Y-%m-%dT%H:%M:%S"), "+00:00", ""
        ),
        "time_us": time.cast(pa.int64()),
        "score": pc.round(reviews["score"], 4),
        "near_duplicate": pc.greater(reviews["near_duplicate"], 0),
        "burst": pc.round(reviews["burst"], 4),
        "rating_deviation": pc.round(reviews["rating_deviation"], 4),
    }
    rows: list[dict[str, Any]] = pa.table(columns).to_pylist()
    return rows


def _finding(
    shop: str,
    rows: list[dict[str, Any]],
    shop_reviews: int,
    members: dict[str, Any],
    platform_id: int,
) -> Finding:
    """One shop's ring reviews; its score is their mean score."""
    times = [row.pop("time_us") for row in rows]
    evidence = {
        **members,
        "ring_reviews": len(rows),
        "shop_reviews": shop_reviews,
        "ring_share": round(len(rows) / max(shop_reviews, 1), 4),
        "reviews": rows,
    }
    return Finding(
        detector=DETECTOR,
        platform_id=platform_id,
        shop_code=shop,
        record_type=RECORD_TYPE,
        score=round(float(np.mean([row["score"] for row in rows])), 4),
        key=(members["ring"],),
        window_start=EPOCH + timedelta(microseconds=min(times)),
        window_end=EPOCH + timedelta(microseconds=max(times)),
        evidence=evidence,
    )
