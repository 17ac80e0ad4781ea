"""The shipment-rating indicator: its arithmetic and its rules in the model file."""

from __future__ import annotations

import pytest

from ecredit.catalog.loader import load_catalog
from ecredit.scoring.engine import rating_row
from ecredit.scoring.loader import ModelError, load_model, parse_model
from tests.scoring.test_model import PACKAGED

RATING = load_model(catalog=load_catalog()).rating()


class TestRatingRow:
    def test_counts_nothing_when_fewer_ratings_than_the_minimum(self) -> None:
        assert RATING is not None
        assert rating_row(RATING, [("consumer", 2, 2)]) is None

    def test_weights_a_regulator_twice_when_mean_is_taken(self) -> None:
        assert RATING is not None
        # (2 × 5 + 2 × 1) / (2 + 2) = 3.0 → neutral, 0 points; a merchant's 5 lifts it.
        row = rating_row(RATING, [("regulator", 1, 5), ("consumer", 2, 2)])
        assert row is not None
        assert row["points"] == 0
        lifted = rating_row(RATING, [("regulator", 1, 5), ("consumer", 2, 2), ("merchant", 1, 5)])
        assert lifted is not None
        assert lifted["points"] == round((17 / 5 - 3) * 30)

    def test_ignores_parties_without_a_weight(self) -> None:
        assert RATING is not None
        assert rating_row(RATING, [("platform", 9, 9)]) is None


class TestModelRules:
    def test_refuses_a_second_rating_indicator(self) -> None:
        start = PACKAGED.index('[[indicators]]\ncode = "shipment_rating"')
        block = PACKAGED[start : PACKAGED.index("# ---- commitments")]
        text = PACKAGED.replace(
            block, block + block.replace('"shipment_rating"\nsource', '"rating_2"\nsource')
        )
        with pytest.raises(ModelError) as caught:
            parse_model(text, "model.toml")
        assert [str(p) for p in caught.value.problems] == [
            "model.toml: indicators 'rating_2'.source: "
            "only one shipment_rating indicator is allowed"
        ]

    def test_names_the_field_when_a_party_is_unknown(self) -> None:
        text = PACKAGED.replace("consumer = 1 }", "consumer = 1, courier = 1 }")
        with pytest.raises(ModelError) as caught:
            parse_model(text, "model.toml")
        [problem] = caught.value.problems
        assert str(problem).startswith("model.toml: indicators 'shipment_rating'.party_weights")
