"""Review rings on small crafted review tables (DuckDB through Ibis memtables)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import ibis
import numpy as np
import pyarrow as pa
import pytest

from ecredit.detection.review_minhash import band_layout, signatures
from ecredit.detection.review_rings import (
    RECORD_TYPE,
    RingParameters,
    detect_review_rings,
    flagged_reviewers,
    score_blocks,
)
from ecredit.detection.review_signals import BlockReviews, SignalSettings, near_duplicates

START_US = int(datetime(2026, 9, 1, tzinfo=UTC).timestamp() * 1_000_000)
DAY_US = 86_400 * 1_000_000
SCRIPT = ("亲测有效强烈推荐", "老板人超好必须五星", "宝贝收到了惊艳到我了", "全网最低价闭眼入")
POPULARITY = 1.0 / np.arange(1, 601) ** 0.9 / (1.0 / np.arange(1, 601) ** 0.9).sum()
STOCK = ("好评", "很好", "物流很快", "包装完好", "质量不错", "性价比高", "和描述一致", "客服态度好")


@dataclass
class Reviews:
    """Rows of a crafted reviews table, built up by the helpers below."""

    reviewer: list[str]
    shop: list[str]
    rating: list[int]
    time_us: list[int]
    text: list[str]

    def add(self, reviewer: str, shop: str, rating: int, time_us: int, text: str) -> None:
        self.reviewer.append(reviewer)
        self.shop.append(shop)
        self.rating.append(rating)
        self.time_us.append(time_us)
        self.text.append(text)

    def table(self, platform: int = 1) -> ibis.Table:
        count = len(self.reviewer)
        arrow = pa.table(
            {
                "review_id": [f"R{i:06d}" for i in range(count)],
                "reviewer_id": self.reviewer,
                "shop_id": self.shop,
                "product_id": pa.nulls(count, pa.string()),
                "rating": pa.array(self.rating, pa.int8()),
                "review_time": pa.array(self.time_us, pa.timestamp("us", tz="UTC")),
                "text": self.text,
                "order_id": pa.nulls(count, pa.string()),
                "platform": pa.array([platform] * count, pa.int64()),
            }
        )
        return ibis.memtable(arrow)


def honest_city(rng: np.random.Generator, reviews: int = 12_000) -> Reviews:
    """3 000 accounts (lognormal activity) reviewing 600 shops (Zipf popularity) over 60 days."""
    activity = rng.lognormal(0.0, 1.0, 3_000)
    who = rng.choice(3_000, reviews, p=activity / activity.sum())
    where = rng.choice(600, reviews, p=POPULARITY)
    data = Reviews([], [], [], [], [])
    for reviewer, shop in zip(who.tolist(), where.tolist(), strict=True):
        text = "，".join(rng.choice(STOCK, int(rng.integers(1, 4)), replace=False))
        when = START_US + int(rng.integers(0, 60 * DAY_US))
        data.add(f"U{reviewer:05d}", f"S{shop:04d}", int(rng.integers(3, 6)), when, text)
    return data


def plant_ring(
    data: Reviews, rng: np.random.Generator, scripted_texts: bool = True, prefix: str = "X"
) -> tuple[set[str], set[str]]:
    """40 fresh accounts × 25 unpopular shops at density 0.4, five stars in a 3-day campaign;
    for each ring review the account also reviews a shop drawn by popularity (camouflage)."""
    ring = [f"{prefix}{i:03d}" for i in range(40)]
    shops = [f"S{shop:04d}" for shop in rng.choice(np.arange(200, 600), 25, replace=False)]
    campaign = START_US + int(rng.integers(0, 50 * DAY_US))
    wording = np.random.default_rng(99)  # texts apart, so that they leave the graph unchanged
    for reviewer in ring:
        for shop in shops:
            if rng.random() < 0.4:
                text = _scripted(wording) if scripted_texts else _random_text(wording)
                data.add(reviewer, shop, 5, campaign + int(rng.integers(0, 3 * DAY_US)), text)
                popular = f"S{int(rng.choice(600, p=POPULARITY)):04d}"
                data.add(reviewer, popular, 4, START_US + int(rng.integers(0, 60 * DAY_US)), "好评")
    return set(ring), set(shops)


def _scripted(rng: np.random.Generator) -> str:
    words = list(SCRIPT)
    words[int(rng.integers(0, 4))] = STOCK[int(rng.integers(0, len(STOCK)))]
    return "，".join(words)


def _random_text(rng: np.random.Generator) -> str:
    letters = rng.choice(list("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"), 24)
    return "".join(letters.tolist())


def named(findings: list) -> set[str]:  # type: ignore[type-arg]
    return {name for finding in findings for name in finding.evidence["reviewers"]}


class TestRingDetection:
    def test_planted_block_is_found_when_its_accounts_camouflage(self) -> None:
        rng = np.random.default_rng(1)
        data = honest_city(rng)
        ring, shops = plant_ring(data, rng)

        findings = detect_review_rings(data.table(), platform_id=1)

        flagged = named(findings)
        assert len(flagged & ring) >= 0.9 * len(ring)
        assert len(flagged - ring) <= 0.1 * len(ring)
        assert {f.shop_code for f in findings} <= shops
        assert len({f.shop_code for f in findings}) >= 0.8 * len(shops)
        first = findings[0]
        assert first.detector == "review_ring"
        assert first.record_type == RECORD_TYPE
        assert first.platform_id == 1
        assert set(first.evidence["shops"]) <= shops
        assert first.evidence["density"] > 0.3
        assert all(0 < score <= 1 for score in first.evidence["reviewers"].values())

    def test_two_rings_are_two_blocks_each_with_its_shops_reviews(self) -> None:
        rng = np.random.default_rng(5)
        data = honest_city(rng)
        first_ring, first_shops = plant_ring(data, rng)
        second_ring, second_shops = plant_ring(data, rng, prefix="Y")

        blocks = score_blocks(data.table(), 1, RingParameters())
        findings = detect_review_rings(data.table(), platform_id=1)

        assert len(blocks) == 2
        for block in blocks:  # the second block's reviews come from a query of their own
            assert set(block.reviews["shop_id"].to_pylist()) <= first_shops | second_shops
            assert block.reviews.num_rows >= 0.3 * 40 * 25
        flagged = named(findings)
        assert len(flagged & first_ring) >= 0.9 * 40
        assert len(flagged & second_ring) >= 0.9 * 40
        assert {f.shop_code for f in findings} & (first_shops - second_shops)
        assert {f.shop_code for f in findings} & (second_shops - first_shops)

    def test_an_honest_popular_shops_reviewers_are_not_flagged(self) -> None:
        rng = np.random.default_rng(2)
        data = honest_city(rng)
        for reviewer in range(800):  # one very popular shop: 800 one-off reviewers
            when = START_US + int(rng.integers(0, 60 * DAY_US))
            data.add(f"P{reviewer:04d}", "S-STAR", int(rng.integers(4, 6)), when, "很好")
        ring, _ = plant_ring(data, rng)

        findings = detect_review_rings(data.table(), platform_id=1)

        assert "S-STAR" not in {f.shop_code for f in findings}
        assert not {name for name in named(findings) if name.startswith("P")}
        assert named(findings) <= ring | {f"U{i:05d}" for i in range(3_000)}

    def test_no_finding_in_an_honest_city(self) -> None:
        data = honest_city(np.random.default_rng(3))

        assert detect_review_rings(data.table(), platform_id=1) == []

    def test_near_duplicate_texts_raise_the_scores(self) -> None:
        scripted = self._ring_scores(scripted_texts=True)
        distinct = self._ring_scores(scripted_texts=False)

        assert scripted.keys() == distinct.keys()
        assert all(scripted[name] > distinct[name] for name in scripted)

    def _ring_scores(self, scripted_texts: bool) -> dict[str, float]:
        rng = np.random.default_rng(4)
        data = honest_city(rng)
        ring, _ = plant_ring(data, rng, scripted_texts=scripted_texts)
        (block,) = score_blocks(data.table(), 1, RingParameters())
        return {name: block.reviewer_scores[name] for name in ring & set(block.reviewer_scores)}

    def test_same_input_gives_the_same_findings_and_fingerprints(self) -> None:
        rng = np.random.default_rng(5)
        data = honest_city(rng)
        plant_ring(data, rng)

        first = detect_review_rings(data.table(), platform_id=1)
        again = detect_review_rings(data.table(), platform_id=1)

        assert first
        assert [f.fingerprint for f in first] == [f.fingerprint for f in again]
        assert first == again

    def test_the_order_of_the_rows_does_not_matter(self) -> None:
        rng = np.random.default_rng(8)
        data = honest_city(rng)
        plant_ring(data, rng)
        shuffled = np.random.default_rng(9).permutation(len(data.reviewer))
        reordered = Reviews(
            *(
                [column[i] for i in shuffled]
                for column in (data.reviewer, data.shop, data.rating, data.time_us, data.text)
            )
        )

        first = detect_review_rings(data.table(), platform_id=1)
        again = detect_review_rings(reordered.table(), platform_id=1)

        assert [f.fingerprint for f in first] == [f.fingerprint for f in again]
        assert [f.evidence["reviewers"] for f in first] == [f.evidence["reviewers"] for f in again]

    def test_other_platforms_rows_are_left_out(self) -> None:
        rng = np.random.default_rng(6)
        data = honest_city(rng)
        plant_ring(data, rng)

        assert detect_review_rings(data.table(platform=2), platform_id=1) == []

    def test_weak_members_are_not_named(self) -> None:
        rng = np.random.default_rng(7)
        data = honest_city(rng)
        plant_ring(data, rng)
        (block,) = score_blocks(data.table(), 1, RingParameters())

        strict = flagged_reviewers(block, RingParameters(min_reviewer_score=0.99))

        assert len(strict) < len(flagged_reviewers(block, RingParameters()))


class TestNearDuplicates:
    def _flags(self, texts: list[str], authors: list[int]) -> list[float]:
        count = len(texts)
        reviews = BlockReviews(
            reviewer=np.array(authors),
            shop=np.zeros(count, dtype=np.int64),
            rating=np.full(count, 5),
            time_us=np.zeros(count, dtype=np.int64),
            text=pa.array(texts, pa.string()),
        )
        settings = SignalSettings(
            shingle=3, min_text_chars=8, permutations=64, similarity=0.6, burst_hours=72
        )
        return near_duplicates(reviews, settings).tolist()

    def test_small_edits_of_one_script_by_two_accounts_are_near_duplicates(self) -> None:
        texts = [
            "亲测有效强烈推荐，老板人超好必须五星，全网最低价",
            "亲测有效强烈推荐，老板人超好必须五星！全网最低价闭眼入",
        ]
        assert self._flags(texts, [1, 2]) == [1.0, 1.0]

    @pytest.mark.parametrize(
        ("texts", "authors"),
        [
            (["好评", "好评", "好评"], [1, 2, 3]),  # stock phrases are too short to count
            (["亲测有效强烈推荐老板人超好", "物流很快包装完好质量不错性价比高"], [1, 2]),
            (["亲测有效强烈推荐老板人超好", "亲测有效强烈推荐老板人超好"], [1, 1]),  # one author
        ],
    )
    def test_short_distinct_or_single_author_texts_are_not(
        self, texts: list[str], authors: list[int]
    ) -> None:
        assert self._flags(texts, authors) == [0.0] * len(texts)


class TestMinHash:
    """Our array MinHash/LSH gives datasketch's signatures and band layout (it replaced it)."""

    def test_signatures_are_datasketch_affine32_ones(self) -> None:
        from datasketch import MinHash  # type: ignore[import-untyped]

        rng = np.random.default_rng(0)
        letters = list("亲测有效强烈推荐老板人超好必须五星ab12")
        texts = ["".join(rng.choice(letters, int(rng.integers(0, 25)))) for _ in range(200)]
        ours = signatures(texts, 3, 64)
        for text, signature in zip(texts, ours, strict=True):
            theirs = MinHash(num_perm=64, seed=1, scheme="affine32")
            theirs.update_batch([text[i : i + 3].encode() for i in range(len(text) - 2)])
            assert theirs.hashvalues.tolist() == signature.tolist()

    @pytest.mark.parametrize("permutations", [16, 64, 128])
    def test_band_layout_is_datasketch_optimum(self, permutations: int) -> None:
        from datasketch.lsh import _optimal_param  # type: ignore[import-untyped]

        for threshold in (0.3, 0.5, 0.6, 0.8, 0.9):
            expected = _optimal_param(threshold, permutations, 0.5, 0.5)
            assert band_layout(threshold, permutations) == expected
