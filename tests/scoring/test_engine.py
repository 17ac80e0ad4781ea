"""The arithmetic alone (no database): every dimension, decay, caps, clamp, grades."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ecredit.catalog.loader import load_catalog
from ecredit.models.scoring import Grade
from ecredit.scoring.engine import Engine, Fact, Outcome, Thresholds
from ecredit.scoring.loader import load_model

AS_OF = date(2026, 7, 2)
YEAR_AGO, ENDS = date(2026, 1, 1), date(2026, 12, 31)  # AS_OF is halfway through this window
ENGINE = Engine(load_model(catalog=load_catalog()), load_catalog())
_ids = iter(range(1, 10_000))


def fact(type_code: str, severity: str | None = None, decided: date = AS_OF,
         window_end: date | None = None) -> Fact:  # fmt: skip
    return Fact(next(_ids), type_code, severity, decided, window_end)


def verified(*facts: Fact, as_of: date = AS_OF) -> Outcome:
    return ENGINE.evaluate("verified", "licence_check", list(facts), as_of)


def points(outcome: Outcome, indicator: str) -> list[int]:
    return [row["points"] for row in outcome.contributions if row["indicator"] == indicator]


def by_dimension(outcome: Outcome) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in outcome.contributions:
        totals[row["dimension"]] = totals.get(row["dimension"], 0) + row["points"]
    return totals


class TestIdentity:
    def test_base_alone_when_unverified_with_empty_file(self) -> None:
        outcome = ENGINE.evaluate("unverified", None, [], AS_OF)
        assert outcome.score == 620
        assert [(r["indicator"], r["points"]) for r in outcome.contributions] == [
            ("base", 620), ("verification_status", 0),
        ]  # fmt: skip

    def test_verified_and_method_count_when_verified_by_licence(self) -> None:
        outcome = verified()
        assert (points(outcome, "verification_status"), points(outcome, "verification_method")) \
            == ([100], [40])  # fmt: skip
        assert outcome.score == 760

    def test_method_ignored_when_verification_revoked(self) -> None:
        outcome = ENGINE.evaluate("revoked", "licence_check", [], AS_OF)
        assert points(outcome, "verification_method") == []
        assert outcome.score == 620 - 150


class TestDimensions:
    @pytest.mark.parametrize(
        ("type_code", "severity", "indicator", "dimension", "expected"),
        [
            ("administrative_penalty", "general", "penalty", "legal", -60),
            ("samr_penalty", "serious", "penalty", "legal", -150),
            ("dishonest_judgment_debtor", None, "judicial_dishonesty", "legal", -300),
            ("order_brushing", None, "dishonest_conduct", "conduct", -200),
            ("fake_traffic", "general", "dishonest_conduct", "conduct", -80),
            ("malicious_fraud", None, "fraud", "conduct", -250),
            ("complaint_upheld", None, "complaint_upheld", "satisfaction", -15),
            ("commitment_breach", None, "commitment_breach", "commitment", -100),
            ("commitment_kept", None, "commitment_kept", "commitment", 20),
            ("honour_award", None, "honour", "positive", 80),
        ],
    )
    def test_fact_counts_in_its_dimension_when_fresh(
        self, type_code: str, severity: str | None, indicator: str, dimension: str, expected: int
    ) -> None:
        outcome = verified(fact(type_code, severity))
        [row] = [r for r in outcome.contributions if r["record_id"] is not None]
        assert (row["indicator"], row["dimension"], row["points"]) == (
            indicator, dimension, expected,
        )  # fmt: skip
        assert outcome.score == 760 + expected

    def test_neutral_licence_counts_nothing_when_recorded(self) -> None:
        assert verified(fact("administrative_licence")).score == 760

    def test_contributions_and_base_sum_to_score_when_file_is_mixed(self) -> None:
        outcome = verified(
            fact("order_brushing"), fact("honour_award"), fact("complaint_upheld"),
            fact("administrative_penalty", "minor", YEAR_AGO, ENDS),
        )  # fmt: skip
        assert sum(r["points"] for r in outcome.contributions) == outcome.score
        assert outcome.score == 760 - 200 + 80 - 15 - 10


class TestDecay:
    def test_halfway_points_when_window_half_over(self) -> None:
        outcome = verified(fact("administrative_penalty", "general", YEAR_AGO, ENDS))
        assert points(outcome, "penalty") == [-30]
        assert "× 0.50" in next(r["note"] for r in outcome.contributions if r["record_id"])

    def test_fades_over_fallback_months_when_window_has_no_end(self) -> None:
        decided = AS_OF - timedelta(days=183)  # about half of the 12-month fallback
        assert points(verified(fact("samr_penalty", "general", decided, None)), "penalty") \
            == [-30]  # fmt: skip

    def test_half_points_when_one_half_life_passed(self) -> None:
        decided = AS_OF - timedelta(days=731)  # 24 months
        assert points(verified(fact("commitment_kept", None, decided)), "commitment_kept") \
            == [10]  # fmt: skip

    def test_full_points_when_decay_is_none(self) -> None:
        old = fact("dishonest_judgment_debtor", None, date(2020, 1, 1), None)
        assert points(verified(old), "judicial_dishonesty") == [-300]

    def test_nothing_counts_when_window_ended(self) -> None:
        expired = fact("order_brushing", None, YEAR_AGO, AS_OF - timedelta(days=1))
        assert verified(expired).score == 760
        last_day = fact("order_brushing", None, YEAR_AGO, AS_OF)
        assert points(verified(last_day), "dishonest_conduct") == [0]

    def test_nothing_counts_when_decided_after_evaluation_day(self) -> None:
        assert verified(fact("order_brushing", None, AS_OF + timedelta(days=1))).score == 760

    def test_score_recovers_when_time_passes(self) -> None:
        brushing = fact("order_brushing", None, YEAR_AGO, date(2029, 1, 1))
        scores = [verified(brushing, as_of=day).score for day in
                  (YEAR_AGO, date(2027, 1, 1), date(2028, 6, 1), date(2029, 1, 2))]  # fmt: skip
        assert scores == sorted(scores)
        assert (scores[0], scores[-1]) == (560, 760)


class TestCaps:
    def test_dimension_held_at_floor_when_many_negatives(self) -> None:
        outcome = verified(*(fact("order_brushing") for _ in range(3)))
        assert points(outcome, "cap") == [100]
        assert by_dimension(outcome)["conduct"] == -500
        assert outcome.score == 260

    def test_dimension_held_at_ceiling_when_many_honours(self) -> None:
        outcome = verified(fact("honour_award"), fact("honour_award"))
        assert points(outcome, "cap") == [-40]
        assert outcome.score == 760 + 120

    def test_score_clamped_to_zero_when_everything_is_bad(self) -> None:
        facts = [fact(code) for code in ("dishonest_judgment_debtor", "order_brushing",
                                         "order_brushing", "order_brushing")]  # fmt: skip
        facts += [fact("administrative_penalty", "serious") for _ in range(2)]
        facts += [fact("commitment_breach", "serious") for _ in range(2)]
        facts += [fact("complaint_upheld", "serious") for _ in range(2)]
        outcome = ENGINE.evaluate("revoked", None, facts, AS_OF)
        assert outcome.score == 0
        assert points(outcome, "clamp") == [930]
        assert sum(r["points"] for r in outcome.contributions) == 0


class TestThresholds:
    @pytest.mark.parametrize(
        ("score", "grade"),
        [(1000, Grade.A), (850, Grade.A), (849, Grade.B), (700, Grade.B), (699, Grade.C),
         (550, Grade.C), (549, Grade.D), (0, Grade.D)],
    )  # fmt: skip
    def test_grade_by_lowest_scores_when_thresholds_default(self, score: int, grade: Grade) -> None:
        assert Thresholds(850, 700, 550).grade(score) is grade
