"""The review-ring chart's figure, from crafted evidence: one row per ring account by score (empty
for a member that wrote nothing here), every review on its account's row coloured by its stars,
and the burst shaded."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from ecredit.web import i18n
from ecredit.web.alert_evidence import ReviewRingEvidence
from ecredit.web.ring_chart import MAX_REVIEWER_ROWS, ring_figure

T0 = datetime(2026, 11, 1, 16, 0, tzinfo=UTC)  # 2 November 00:00 in Beijing
ZH, EN = i18n.translator("zh"), i18n.translator("en")


def review(n: int, reviewer: str, rating: int, hours: float, **signals: Any) -> dict[str, Any]:
    return {"review_id": f"V{n}", "reviewer_id": reviewer, "rating": rating,
            "review_time": (T0 + timedelta(hours=hours)).isoformat(), "score": 0.7,
            "near_duplicate": False, "burst": 0.2, "rating_deviation": 0.1, **signals}  # fmt: skip


def evidence(reviewers: dict[str, float], reviews: list[dict[str, Any]]) -> ReviewRingEvidence:
    return ReviewRingEvidence.model_validate({
        "ring": "r1", "reviewers": reviewers, "shops": ["S1", "S2", "S3"], "density": 0.8,
        "block_score": 1.2, "lift": 4.0, "ring_reviews": len(reviews), "shop_reviews": 40,
        "ring_share": len(reviews) / 40, "reviews": reviews,
    })  # fmt: skip


RING = evidence(
    {"alice": 0.6, "bob": 0.9, "carol": 0.4},  # carol wrote nothing of this shop
    [
        review(1, "alice", 5, 0, burst=0.75, near_duplicate=True),
        review(2, "bob", 5, 2, burst=0.75, near_duplicate=True),
        review(3, "bob", 5, 10, burst=0.5),
        review(4, "alice", 1, 300),
        review(5, "bob", 4, 40),
    ],
)


def marks(figure: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(review id, row, legend name) of every mark."""
    return [(custom[0], row, trace["name"]) for trace in figure["data"]
            for custom, row in zip(trace["customdata"], trace["y"], strict=True)]  # fmt: skip


class TestRingFigure:
    def test_one_row_per_member_by_score_every_review_on_its_row(self) -> None:
        figure = ring_figure(RING, ZH)
        assert figure is not None
        assert figure["layout"]["yaxis"]["categoryarray"] == ["carol", "alice", "bob"]  # bottom up
        assert sorted(marks(figure)) == [
            ("V1", "alice", "5 星"), ("V2", "bob", "5 星"), ("V3", "bob", "5 星"),
            ("V4", "alice", "1 星"), ("V5", "bob", "4 星"),
        ]  # fmt: skip
        assert Counter(row for _, row, _ in marks(figure)) == {"bob": 3, "alice": 2}
        assert [trace["name"] for trace in figure["data"]] == ["5 星", "4 星", "1 星"]

    def test_marks_near_duplicates_and_shades_the_burst(self) -> None:
        figure = ring_figure(RING, ZH)
        assert figure is not None
        five = figure["data"][0]
        assert five["marker"]["symbol"] == ["diamond", "diamond", "circle"]
        assert [custom[3] for custom in five["customdata"]] == ["是", "是", "否"]
        [shade] = figure["layout"]["shapes"]
        # From the first to the last review with a burst share of 50 % or more, Beijing time.
        assert (shade["x0"], shade["x1"]) == (
            "2026-11-02 00:00:00.000000",
            "2026-11-02 10:00:00.000000",
        )
        assert figure["data"][0]["x"][0] == "2026-11-02 00:00:00.000000"

    def test_labels_are_chinese_or_english(self) -> None:
        chinese, english = ring_figure(RING, ZH), ring_figure(RING, EN)
        assert chinese is not None
        assert english is not None
        assert chinese["layout"]["xaxis"]["title"]["text"] == "评价时间（北京时间）"
        assert english["layout"]["xaxis"]["title"]["text"] == "Review time (Beijing)"
        assert english["layout"]["legend"]["title"]["text"] == "Rating"
        assert english["data"][0]["name"] == "5 stars"

    def test_accounts_beyond_the_row_limit_share_one_row(self) -> None:
        count = MAX_REVIEWER_ROWS + 3
        names = {f"r{n:02d}": 1 - n / 100 for n in range(count)}
        ring = evidence(names, [review(n, name, 5, n) for n, name in enumerate(names)])
        figure = ring_figure(ring, ZH)
        assert figure is not None
        rows = figure["layout"]["yaxis"]["categoryarray"][::-1]
        assert rows == [*list(names)[:MAX_REVIEWER_ROWS], "其他成员"]
        assert Counter(row for _, row, _ in marks(figure))["其他成员"] == 3
        assert "shapes" not in figure["layout"]  # no review here is part of a burst

    def test_no_figure_without_reviews(self) -> None:
        assert ring_figure(evidence({"alice": 0.5}, []), ZH) is None
