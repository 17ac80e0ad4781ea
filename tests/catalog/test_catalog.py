"""The catalogue file: the packaged one loads, overrides apply, broken files say exactly why."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecredit.catalog import (
    CatalogError,
    PenaltyKind,
    Polarity,
    Severity,
    UnknownRecordType,
    load_catalog,
    parse_catalog,
)
from ecredit.catalog.schema import ByPenaltyKind, BySeverity, Fixed, WhileValid
from ecredit.models.org import OrgKind

REQUIRED_CODES = {
    "administrative_licence",
    "administrative_penalty",
    "samr_penalty",
    "malicious_review",
    "order_brushing",
    "fake_traffic",
    "misleading_listing",
    "counterfeit",
    "adulteration",
    "price_fraud",
    "false_advertising",
    "malicious_fraud",
    "service_breach",
    "intimidation",
    "empty_parcel",
    "refusal_to_correct",
    "ip_infringement",
    "personal_data_leak",
    "complaint_upheld",
    "commitment_breach",
    "dishonest_judgment_debtor",
    "honour_award",
    "commitment_kept",
}


def a_type(code: str = "order_brushing", **changes: str) -> str:
    """One `[[types]]` entry as TOML; `changes` replace or add whole lines (key = raw value)."""
    fields = {
        "code": f'"{code}"',
        "name_zh": '"测试"',
        "name_en": '"Test"',
        "polarity": '"negative"',
        "default_severity": '"general"',
        "required_fields": '["decision_date"]',
        "submitters": '["platform"]',
        "publicity": '{ kind = "by_severity", minor = 3, general = 12, serious = 36 }',
        "evaluation_hint": '"dishonest_conduct"',
        "basis": '"《测试规定》"',
    }
    fields.update(changes)
    return "[[types]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items()) + "\n"


def error_of(text: str, file: str = "record_types.toml") -> str:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, file)
    return str(caught.value)


class TestPackagedCatalog:
    def test_contains_every_required_code_when_loaded(self) -> None:
        catalog = load_catalog()
        assert set(catalog.codes()) >= REQUIRED_CODES

    def test_penalties_follow_order_36_when_by_severity(self) -> None:
        rule = load_catalog().get("administrative_penalty").publicity
        assert isinstance(rule, BySeverity)
        assert (rule.minor, rule.general, rule.serious) == (3, 12, 36)
        assert rule.minimum(Severity.GENERAL) == 3
        assert rule.minimum(Severity.SERIOUS) == 12
        assert rule.minimum(Severity.MINOR) is None

    def test_rules_have_expected_kinds_when_special(self) -> None:
        catalog = load_catalog()
        assert isinstance(catalog.get("samr_penalty").publicity, ByPenaltyKind)
        assert isinstance(catalog.get("dishonest_judgment_debtor").publicity, WhileValid)
        assert isinstance(catalog.get("administrative_licence").publicity, WhileValid)
        assert isinstance(catalog.get("honour_award").publicity, Fixed)

    def test_positive_group_holds_honours_when_grouped_by_polarity(self) -> None:
        groups = load_catalog().by_polarity()
        positive = {spec.code for spec in groups[Polarity.POSITIVE]}
        assert positive == {"honour_award", "commitment_kept"}
        assert set(groups) == set(Polarity)

    def test_court_may_submit_judgment_debtor_when_department(self) -> None:
        catalog = load_catalog()
        assert catalog.may_submit("dishonest_judgment_debtor", OrgKind.DEPARTMENT)
        assert not catalog.may_submit("dishonest_judgment_debtor", OrgKind.PLATFORM)
        assert catalog.may_submit("empty_parcel", "logistics")

    def test_unknown_record_type_hints_known_codes_when_code_missing(self) -> None:
        with pytest.raises(UnknownRecordType) as caught:
            load_catalog().get("no_such_type")
        assert isinstance(caught.value, KeyError)
        assert "no_such_type" in str(caught.value)
        assert "order_brushing" in str(caught.value)

    def test_every_type_cites_a_basis_when_loaded(self) -> None:
        for spec in load_catalog().all():
            assert spec.basis.startswith("《"), spec.code


class TestOverrides:
    def test_adds_a_type_when_override_has_new_code(self, tmp_path: Path) -> None:
        (tmp_path / "local.toml").write_text(a_type("live_stream_fraud"), "utf-8")
        catalog = load_catalog(tmp_path)
        assert "live_stream_fraud" in catalog
        assert catalog.all()[-1].code == "live_stream_fraud"
        assert catalog.source("live_stream_fraud") == str(tmp_path / "local.toml")

    def test_replaces_a_type_in_place_when_override_reuses_code(self, tmp_path: Path) -> None:
        before = load_catalog().codes()
        (tmp_path / "local.toml").write_text(
            a_type("order_brushing", default_severity='"minor"'), "utf-8"
        )
        catalog = load_catalog(tmp_path)
        assert catalog.get("order_brushing").default_severity is Severity.MINOR
        assert catalog.codes() == before

    def test_ignores_other_files_when_not_toml(self, tmp_path: Path) -> None:
        (tmp_path / "README.txt").write_text("not a catalogue", "utf-8")
        assert len(load_catalog(tmp_path)) == len(load_catalog())

    def test_fails_naming_both_files_when_two_overrides_share_a_code(self, tmp_path: Path) -> None:
        (tmp_path / "a.toml").write_text(a_type("x_one"), "utf-8")
        (tmp_path / "b.toml").write_text(a_type("x_one"), "utf-8")
        with pytest.raises(CatalogError, match=r"b\.toml: type 'x_one': code: already defined in"):
            load_catalog(tmp_path)

    def test_fails_naming_the_file_when_override_is_broken(self, tmp_path: Path) -> None:
        (tmp_path / "bad.toml").write_text(a_type("x_one", polarity='"sideways"'), "utf-8")
        with pytest.raises(
            CatalogError, match=r"bad\.toml: type 'x_one': polarity: must be one of"
        ):
            load_catalog(tmp_path)

    def test_fails_when_override_folder_is_missing(self, tmp_path: Path) -> None:
        with pytest.raises(CatalogError, match="does not exist"):
            load_catalog(tmp_path / "absent")


class TestValidationErrors:
    def test_names_polarity_when_polarity_is_bad(self) -> None:
        message = error_of(a_type(polarity='"sideways"'))
        assert message.startswith("record_types.toml: type 'order_brushing': polarity: must be one")

    def test_names_both_entries_when_code_is_duplicated(self) -> None:
        message = error_of(a_type("x_one") + a_type("x_one"))
        assert message == "record_types.toml: type 'x_one': code: duplicate code (also type #1)"

    def test_names_submitter_when_org_kind_is_unknown(self) -> None:
        message = error_of(a_type(submitters='["platform", "courier"]'))
        assert "type 'order_brushing': submitters.1: must be one of 'credit_office'" in message

    def test_names_severity_when_months_are_negative(self) -> None:
        rule = '{ kind = "by_severity", minor = 3, general = 12, serious = -1 }'
        message = error_of(a_type(publicity=rule))
        assert message == (
            "record_types.toml: type 'order_brushing': publicity.serious: "
            "must be a positive number of months"
        )

    def test_names_key_when_key_is_unknown(self) -> None:
        message = error_of(a_type(colour='"red"'))
        assert message == "record_types.toml: type 'order_brushing': colour: unknown key"

    def test_names_key_when_publicity_key_is_unknown(self) -> None:
        rule = '{ kind = "fixed", months = 36, forever = true }'
        assert "publicity.forever: unknown key" in error_of(a_type(publicity=rule))

    def test_names_field_when_required_field_is_not_allowed(self) -> None:
        message = error_of(a_type(required_fields='["decision_date", "colour"]'))
        assert "required_fields.1: must be one of amount, decision_date" in message

    def test_names_index_when_code_is_missing(self) -> None:
        entry = a_type().replace('code = "order_brushing"\n', "")
        assert "record_types.toml: type #1: code: is required" in error_of(entry)

    def test_names_code_when_code_is_not_snake_case(self) -> None:
        assert "type 'Order-Brushing': code:" in error_of(a_type("Order-Brushing"))

    def test_names_kind_when_publicity_kind_is_unknown(self) -> None:
        message = error_of(a_type(publicity='{ kind = "forever" }'))
        assert "publicity: unknown kind 'forever'" in message

    def test_rejects_minimum_when_above_maximum(self) -> None:
        rule = (
            '{ kind = "by_severity", minor = 3, general = 12, serious = 36, '
            "min_months = { general = 13 } }"
        )
        assert "min_months.general must not exceed general" in error_of(a_type(publicity=rule))

    def test_rejects_penalty_rule_when_a_kind_has_no_period(self) -> None:
        rule = '{ kind = "by_penalty_kind", not_published = ["warning"], months = { fine = 36 } }'
        fields = '["penalty_kind"]'
        message = error_of(a_type(publicity=rule, required_fields=fields))
        assert "publicity: no period for confiscation, criticism" in message

    def test_rejects_penalty_rule_when_penalty_kind_not_required(self) -> None:
        months = ", ".join(
            f"{k} = 3"
            for k in (kind.value for kind in PenaltyKind if kind is not PenaltyKind.WARNING)
        )
        rule = (
            f'{{ kind = "by_penalty_kind", not_published = ["warning"], months = {{ {months} }} }}'
        )
        assert "needs 'penalty_kind' in required_fields" in error_of(a_type(publicity=rule))

    def test_names_file_when_toml_is_malformed(self) -> None:
        assert error_of("[[types]\n", "ops.toml").startswith("ops.toml: toml:")

    def test_names_key_when_top_level_key_is_unknown(self) -> None:
        assert error_of("version = 2\n" + a_type()) == "record_types.toml: version: unknown key"

    def test_rejects_months_when_not_whole_numbers(self) -> None:
        rule = '{ kind = "fixed", months = 1.5 }'
        assert "publicity.months: must be a whole number" in error_of(a_type(publicity=rule))

    def test_lists_every_problem_when_several_are_wrong(self) -> None:
        with pytest.raises(CatalogError) as caught:
            parse_catalog(a_type(polarity='"x"', basis='""'), "f.toml")
        fields = {p.field for p in caught.value.problems}
        assert fields == {"polarity", "basis"}
