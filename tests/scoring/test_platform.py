"""The third-party evaluation of a platform from its merchants."""

from __future__ import annotations

import pytest

from ecredit.kit.errors import Conflict
from ecredit.models.scoring import Grade
from ecredit.scoring.platform import evaluate_platform, platform_outcome
from tests.factories import commitments as shops
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.scoring.conftest import DAY, Desk


class TestPlatformEvaluation:
    def test_merchants_complaints_and_fraud_counted_when_platform_evaluated(
        self, desk: Desk
    ) -> None:
        platform = make.platform(desk.session, desk.vault)
        merchants = [desk.merchant() for _ in range(4)]
        outsider = desk.merchant()
        for merchant in merchants:
            shops.shop(desk.session, platform, merchant)
        shops.shop(desk.session, platform, merchants[0])  # a second shop: still one merchant
        desk.record(rec.dishonest(merchants[0].id, DAY))  # order brushing: fraud, C
        desk.record(rec.dishonest(merchants[1].id, DAY, "complaint_upheld"))
        desk.record(rec.dishonest(merchants[1].id, DAY, "complaint_upheld"))
        desk.repair(desk.record(rec.dishonest(merchants[2].id, DAY, "fake_traffic")))
        desk.record(rec.dishonest(outsider.id, DAY, "counterfeit"))  # not on this platform
        desk.scoring.evaluate_all(desk.session)

        evaluation = evaluate_platform(desk.scoring, desk.session, platform.id)
        assert (evaluation.merchants, evaluation.confirmed_fraud) == (4, 1)
        assert evaluation.complaint_rate == 0.5
        assert evaluation.grade_counts == {"B": 3, "C": 1}
        # base 600; grades (3×150 + 0)/4 = 112.5 → 112 (half to even);
        # complaints 0.5 × -200 = -100; fraud 0.25 × -400 = -100
        assert [r["points"] for r in evaluation.contributions] == [600, 112, -100, -100]
        assert evaluation.score == sum(r["points"] for r in evaluation.contributions) == 512
        assert evaluation.grade is Grade.D

    def test_refused_when_subject_is_not_a_platform(self, desk: Desk) -> None:
        with pytest.raises(Conflict, match="not a platform"):
            evaluate_platform(desk.scoring, desk.session, desk.merchant().id)

    def test_floors_hold_when_every_merchant_misbehaves(self, desk: Desk) -> None:
        model = desk.scoring.model.platform
        score, rows = platform_outcome(model, 2, {"D": 2}, 10, 10)
        assert [(r["indicator"], r["points"]) for r in rows] == [
            ("base", 600), ("merchant_grades", -300), ("complaint_rate", -200),
            ("confirmed_fraud", -300), ("clamp", 200),
        ]  # fmt: skip
        assert score == sum(r["points"] for r in rows) == 0
