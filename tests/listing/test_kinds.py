"""The list-kind file: the packaged seed is valid and complete, and the strict loader names
the kind, field and rule of every problem."""

from __future__ import annotations

import pytest

from ecredit.catalog.loader import load_catalog
from ecredit.listing.kinds import (
    Colour,
    ListKindError,
    SeriousRecord,
    list_kinds,
    parse_list_kinds,
)
from ecredit.parameters.registry import SPECS

GOOD = """
[[kinds]]
code = "demo_list"
name_zh = "示例名单"
name_en = "Demo list"
colour = "black"
public = true
subject_kinds = ["merchant"]
validity_months_parameter = "listing.black_validity_months"
publicity_workdays_parameter = "listing.publicity_workdays"
legal_basis = "依据"
proposers = ["department"]
deciders = ["credit_office"]
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(ListKindError) as caught:
        parse_list_kinds(text, "kinds.toml")
    return caught.value.problems


class TestPackagedKinds:
    def test_seeds_the_five_lists_when_loaded(self) -> None:
        kinds = {kind.code: kind for kind in list_kinds().all()}
        assert {code: kind.colour for code, kind in kinds.items()} == {
            "ecommerce_serious_dishonesty": Colour.BLACK,
            "order_brushing_blacklist": Colour.BLACK,
            "logistics_blacklist": Colour.BLACK,
            "honest_merchant_redlist": Colour.RED,
            "watch_list": Colour.WATCH,
        }
        assert kinds["ecommerce_serious_dishonesty"].name_zh == "电子商务领域严重失信主体名单"
        assert kinds["order_brushing_blacklist"].name_zh == "炒信黑名单"
        assert not kinds["watch_list"].public

    def test_criteria_name_only_catalogue_types_when_loaded(self) -> None:
        catalog = load_catalog()
        hints = {spec.evaluation_hint for spec in catalog}
        for _kind, rule in list_kinds().serious_record_chain():
            assert isinstance(rule, SeriousRecord)
            assert set(rule.record_types) <= set(catalog.codes())
            assert set(rule.evaluation_hints) <= hints

    def test_defaults_match_the_documented_periods_when_not_overridden(self) -> None:
        defaults = {key: spec.default for key, spec in SPECS.items() if key.startswith("listing.")}
        assert defaults == {
            "listing.publicity_workdays": 7,
            "listing.watch_publicity_workdays": 0,
            "listing.black_validity_months": 36,
            "listing.red_validity_months": 12,
            "listing.watch_validity_months": 6,
            "listing.redlist_grade_a_months": 12,
        }


class TestLoaderValidation:
    def test_accepts_minimal_kind_when_valid(self) -> None:
        [kind] = parse_list_kinds(GOOD, "kinds.toml")
        assert (kind.code, kind.criteria) == ("demo_list", None)

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            (
                ('colour = "black"', 'colour = "grey"'),
                "colour: must be one of 'red', 'black' or 'watch'",
            ),
            (("public = true", "public = true\nshade = 1"), "shade: unknown key"),
            (('legal_basis = "依据"\n', ""), "legal_basis: is required"),
            (("listing.black_validity_months", "listing.nope"), "unknown parameter 'listing.nope'"),
            (('["department"]', '["bank"]'), "proposers.0: must be one of"),
            (('["merchant"]', '["merchant", "merchant"]'), "must not repeat an entry"),
            (
                ("public = true", 'public = true\ncriteria = { rule = "grade", grade = "E" }'),
                "criteria.grade: must be one of 'A', 'B', 'C' or 'D'",
            ),
        ],
    )
    def test_names_kind_field_and_rule_when_invalid(
        self, change: tuple[str, str], expected: str
    ) -> None:
        problems = _problems(GOOD.replace(*change))
        assert any(p.startswith("kinds.toml: kind 'demo_list': ") for p in problems), problems
        assert any(expected in p for p in problems), problems

    def test_rejects_duplicate_code_when_repeated(self) -> None:
        assert _problems(GOOD + GOOD) == ["kinds.toml: kind 'demo_list': code: duplicate code"]

    def test_rejects_file_when_not_toml_or_empty(self) -> None:
        assert _problems("kinds = [")[0].startswith("kinds.toml: toml:")
        assert _problems("other = 1") == ["kinds.toml: unknown key 'other'"]
