"""The indicator model file: the packaged one loads; a broken one names file, field and rule."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from ecredit.catalog.loader import load_catalog
from ecredit.scoring.loader import ModelError, load_model, parse_model

PACKAGED = resources.files("ecredit.scoring").joinpath("data", "model_v1.toml").read_text()


def problems(text: str, catalog_check: bool = False, tmp_path: Path | None = None) -> list[str]:
    """The problems reported for `text`, parsed alone or loaded from a file with the catalogue."""
    if catalog_check and tmp_path is not None:
        path = tmp_path / "model.toml"
        path.write_text(text, "utf-8")
        with pytest.raises(ModelError) as caught:
            load_model(path, load_catalog())
    else:
        with pytest.raises(ModelError) as caught:
            parse_model(text, "model.toml")
    return [str(problem) for problem in caught.value.problems]


def changed(old: str, new: str) -> str:
    assert old in PACKAGED, old
    return PACKAGED.replace(old, new, 1)


class TestPackagedModel:
    def test_loads_when_checked_against_the_catalogue(self) -> None:
        model = load_model(catalog=load_catalog())
        assert (model.code, model.version, model.base) == ("ecommerce_subject", 1, 620)
        assert [d.code for d in model.dimensions] == [
            "identity", "legal", "conduct", "satisfaction", "commitment", "positive",
        ]  # fmt: skip


class TestModelErrors:
    def test_names_the_file_when_toml_is_broken(self) -> None:
        [problem] = problems("base = ")
        assert problem.startswith("model.toml: (file): not valid TOML")

    def test_names_unknown_key_when_top_level_has_a_typo(self) -> None:
        assert problems(changed("base = 620", "base = 620\nbsae = 1")) == [
            "model.toml: bsae: unknown key"
        ]

    def test_names_indicator_and_field_when_decay_months_not_positive(self) -> None:
        text = changed("fallback_months = 12 }", "fallback_months = 0 }")
        assert problems(text) == [
            "model.toml: indicators 'penalty'.decay.fallback_months: Input should be greater than 0"
        ]

    def test_names_indicator_when_decay_kind_unknown(self) -> None:
        [problem] = problems(changed('decay = { kind = "none" }', 'decay = { kind = "never" }'))
        assert problem.startswith(
            "model.toml: indicators 'judicial_dishonesty'.decay: unknown kind"
        )

    def test_names_points_when_severity_missing(self) -> None:
        text = changed("points = { minor = -20, general = -60, serious = -150 }",
                       "points = { minor = -20, general = -60 }")  # fmt: skip
        assert problems(text) == ["model.toml: indicators 'penalty'.points.serious: is required"]

    def test_names_the_dimension_when_indicator_points_at_unknown_one(self) -> None:
        [problem] = problems(changed('dimension = "legal"', 'dimension = "legl"'))
        assert problem.startswith(
            "model.toml: indicators 'judicial_dishonesty'.dimension: unknown dimension 'legl'"
        )

    def test_refuses_when_a_code_repeats(self) -> None:
        assert problems(changed('code = "fraud"', 'code = "penalty"')) == [
            "model.toml: indicators 'penalty'.code: duplicate code"
        ]

    def test_refuses_when_an_indicator_can_never_match(self) -> None:
        text = changed('type_codes = ["malicious_fraud", "counterfeit", "adulteration", '
                       '"empty_parcel"]\n', "")  # fmt: skip
        assert problems(text) == [
            "model.toml: indicators 'dishonest_conduct'.hint: unreachable, indicator 'fraud' "
            "already takes every 'dishonest_conduct' record"
        ]

    def test_refuses_when_floor_is_positive(self) -> None:
        text = changed("floor = -150\nceiling = 140", "floor = 10\nceiling = 140")
        assert problems(text) == [
            "model.toml: dimensions 'identity'.floor: Input should be less than or equal to 0"
        ]

    def test_refuses_when_platform_grade_points_incomplete(self) -> None:
        text = changed("grade_points = { A = 300, B = 150, C = 0, D = -300 }",
                       "grade_points = { A = 300, B = 150, C = 0 }")  # fmt: skip
        [problem] = problems(text)
        assert "platform" in problem
        assert "no points for grade D" in problem

    def test_refuses_when_hint_unknown_to_the_catalogue(self, tmp_path: Path) -> None:
        text = changed('hint = "positive_honour"', 'hint = "positive_honor"')
        assert problems(text, catalog_check=True, tmp_path=tmp_path) == [
            f"{tmp_path / 'model.toml'}: indicators 'honour'.hint: "
            "no record type has evaluation_hint 'positive_honor'"
        ]

    def test_refuses_when_type_code_has_another_hint(self, tmp_path: Path) -> None:
        text = changed('"empty_parcel"]', '"empty_parcel", "complaint_upheld"]')
        assert problems(text, catalog_check=True, tmp_path=tmp_path) == [
            f"{tmp_path / 'model.toml'}: indicators 'fraud'.type_codes: "
            "'complaint_upheld' has evaluation_hint 'complaint'"
        ]
