"""Commitment templates as data: the packaged ones load, versions stay, broken files say why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ecredit.catalog import CatalogError, load_catalog
from ecredit.commitment.template_spec import ClauseKind
from ecredit.commitment.templates import (
    load_templates,
    parse_templates,
    render,
    resolve_params,
    term_of,
)
from ecredit.kit.errors import AppError, NotFound
from ecredit.models.subject import SubjectKind

CLAUSE = """
[[templates.clauses]]
kind = "{kind}"
text_zh = "{text}"
text_en = "Text."
"""
PARAMETER = """
[[templates.parameters]]
name = "return_days"
type = "int"
label_zh = "天数"
label_en = "Days"
default = 7
min = 7
max = 30
"""


def a_template(code: str = "test_merchant", version: int = 1, **changes: str) -> str:
    """One `[[templates]]` entry; `changes` replace top-level lines, `parameters` / `clauses`
    replace the tables (raw TOML)."""
    fields = {
        "code": f'"{code}"',
        "version": str(version),
        "title_zh": '"测试承诺书"',
        "title_en": '"Test commitment"',
        "preamble_zh": '"本主体承诺："',
        "preamble_en": '"We promise:"',
        "subject_kinds": '["merchant"]',
        "term_months": "12",
        "basis": '"《测试规定》"',
    }
    parameters = changes.pop("parameters", PARAMETER)
    clauses = changes.pop(
        "clauses",
        CLAUSE.format(kind="service_guarantee", text="{return_days}日内无理由退货")
        + CLAUSE.format(kind="discipline", text="自愿接受约束和惩戒"),
    )
    fields.update(changes)
    head = "[[templates]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items())
    return head + parameters + clauses + "\n"


def error_of(text: str, file: str = "commitment_templates.toml") -> str:
    with pytest.raises(CatalogError) as caught:
        parse_templates(text, file)
    return str(caught.value)


class TestPackagedTemplates:
    def test_offers_three_current_templates_when_loaded(self) -> None:
        book = load_templates()
        current = {(spec.code, spec.version) for spec in book.current()}
        assert current == {("ecommerce_merchant", 2), ("food_seller", 1), ("logistics_carrier", 1)}

    def test_keeps_old_versions_loadable_when_superseded(self) -> None:
        book = load_templates()
        assert book.get("ecommerce_merchant", 1).version == 1
        assert book.get("ecommerce_merchant").version == 2
        with pytest.raises(NotFound, match="no version 9"):
            book.get("ecommerce_merchant", 9)

    def test_every_template_follows_the_seed_when_loaded(self) -> None:
        for spec in load_templates():
            kinds = {clause.kind for clause in spec.clauses}
            assert ClauseKind.DISCIPLINE in kinds, spec.code
            assert "约束和惩戒" in spec.clauses[-1].text_zh
            assert SubjectKind.PRACTITIONER not in spec.subject_kinds
        merchant = {c.kind for c in load_templates().get("ecommerce_merchant").clauses}
        assert merchant == set(ClauseKind)

    def test_renders_params_and_term_when_filled_in(self) -> None:
        spec = load_templates().get("ecommerce_merchant")
        values = resolve_params(spec, {"return_days": 15})
        end = term_of(spec, values, date(2026, 3, 2))
        text = render(spec, values, date(2026, 3, 2), end)
        assert values == {"return_days": 15, "term_months": 12}
        assert end == date(2027, 3, 1)
        assert "15日内无理由退货" in text
        assert text.startswith("电子商务经营者信用承诺书")
        assert "五、自愿接受" in text
        assert text.endswith("承诺期限：2026年3月2日至2027年3月1日。")

    def test_names_every_bad_param_when_resolved(self) -> None:
        spec = load_templates().get("food_seller")
        with pytest.raises(AppError) as caught:
            resolve_params(spec, {"return_days": 31, "colour": "red"})
        problems = {(p.field, p.rule) for p in caught.value.problems}
        assert problems == {
            ("params.colour", "unknown"),
            ("params.return_days", "max"),
            ("params.licence_no", "required"),
        }
        assert caught.value.status_code == 422

    def test_refuses_text_when_pattern_not_matched(self) -> None:
        spec = load_templates().get("food_seller")
        with pytest.raises(AppError, match=r"params\.licence_no: must match"):
            resolve_params(spec, {"licence_no": "食品许可123"})
        assert resolve_params(spec, {"licence_no": "JY12102050012345"})["return_days"] == 7

    def test_refuses_a_number_as_text_when_int_expected(self) -> None:
        spec = load_templates().get("ecommerce_merchant")
        with pytest.raises(AppError, match="must be a whole number"):
            resolve_params(spec, {"return_days": "15"})
        with pytest.raises(AppError, match="must be a whole number"):
            resolve_params(spec, {"return_days": True})


class TestOverrides:
    def test_adds_a_version_when_override_file_defines_one(self, tmp_path: Path) -> None:
        (tmp_path / "commitment_templates_local.toml").write_text(
            a_template("ecommerce_merchant", 3), "utf-8"
        )
        book = load_templates(tmp_path)
        assert book.get("ecommerce_merchant").version == 3
        assert book.source("ecommerce_merchant", 3).endswith("commitment_templates_local.toml")
        assert book.get("ecommerce_merchant", 1).title_zh == "电子商务经营者信用承诺书"

    def test_fails_naming_both_files_when_a_version_is_redefined(self, tmp_path: Path) -> None:
        (tmp_path / "commitment_templates_x.toml").write_text(a_template("food_seller", 1), "utf-8")
        with pytest.raises(CatalogError, match=r"version: version 1 already defined in "
                           r"commitment_templates\.toml"):  # fmt: skip
            load_templates(tmp_path)

    def test_record_catalogue_ignores_template_files_when_sharing_the_folder(
        self, tmp_path: Path
    ) -> None:
        (tmp_path / "commitment_templates_local.toml").write_text(a_template(), "utf-8")
        assert len(load_catalog(tmp_path)) == len(load_catalog())
        assert "test_merchant" in load_templates(tmp_path).codes()

    def test_ignores_other_toml_files_when_not_named_for_templates(self, tmp_path: Path) -> None:
        (tmp_path / "local.toml").write_text("[[types]]\n", "utf-8")
        assert len(load_templates(tmp_path)) == len(load_templates())

    def test_fails_when_folder_missing(self, tmp_path: Path) -> None:
        with pytest.raises(CatalogError, match="folder: does not exist"):
            load_templates(tmp_path / "nowhere")


class TestValidationErrors:
    def test_accepts_the_sample_when_valid(self) -> None:
        [spec] = parse_templates(a_template(), "t.toml")
        assert (spec.code, spec.version, spec.term_months) == ("test_merchant", 1, 12)

    def test_names_the_key_when_unknown(self) -> None:
        message = error_of(a_template(colour='"red"'))
        assert (
            message == "commitment_templates.toml: template 'test_merchant' v1: colour: unknown key"
        )

    def test_names_the_field_when_required_one_missing(self) -> None:
        text = a_template().replace('title_zh = "测试承诺书"\n', "")
        assert "template 'test_merchant' v1: title_zh: is required" in error_of(text)

    def test_refuses_placeholder_when_not_declared(self) -> None:
        clauses = CLAUSE.format(kind="discipline", text="{refund_days}日内自愿接受约束和惩戒")
        message = error_of(a_template(clauses=clauses))
        assert "undeclared placeholder 'refund_days'" in message

    def test_refuses_placeholder_when_it_carries_a_format(self) -> None:
        clauses = CLAUSE.format(kind="discipline", text="{return_days:>3}日内自愿接受约束和惩戒")
        assert "must be a plain parameter name" in error_of(a_template(clauses=clauses))

    def test_requires_a_discipline_clause_when_missing(self) -> None:
        clauses = CLAUSE.format(kind="liability", text="承担责任")
        assert "a 'discipline' clause" in error_of(a_template(clauses=clauses))

    def test_names_the_allowed_kinds_when_clause_kind_unknown(self) -> None:
        clauses = CLAUSE.format(kind="honesty", text="诚实") + CLAUSE.format(
            kind="discipline", text="惩戒"
        )
        message = error_of(a_template(clauses=clauses))
        assert "clauses.0.kind: must be one of 'information_truthfulness'" in message

    def test_refuses_default_when_out_of_bounds(self) -> None:
        parameters = PARAMETER.replace("default = 7", "default = 3")
        message = error_of(a_template(parameters=parameters))
        assert "parameters.0: default must be at least 7 (got 3)" in message

    def test_refuses_bounds_when_min_exceeds_max(self) -> None:
        parameters = PARAMETER.replace("max = 30", "max = 5").replace("default = 7\n", "")
        assert "parameters.0: min must not exceed max" in error_of(
            a_template(parameters=parameters)
        )

    def test_names_the_types_when_parameter_type_unknown(self) -> None:
        parameters = PARAMETER.replace('type = "int"', 'type = "money"')
        assert "parameters.0: unknown type 'money'" in error_of(a_template(parameters=parameters))

    def test_refuses_practitioners_when_listed_as_signers(self) -> None:
        message = error_of(a_template(subject_kinds='["merchant", "practitioner"]'))
        assert "subject_kinds.1: 'practitioner' may not make a commitment" in message

    def test_requires_term_parameter_to_match_term_when_declared(self) -> None:
        term = PARAMETER.replace('"return_days"', '"term_months"').replace("min = 7", "min = 1")
        message = error_of(a_template(parameters=PARAMETER + term, term_months="24"))
        assert "term_months must be an int defaulting to term_months" in message

    def test_refuses_version_when_not_positive(self) -> None:
        assert "version: Input should be greater than or equal to 1" in error_of(
            a_template(version=0)
        )

    def test_lists_every_problem_when_several_templates_broken(self) -> None:
        text = a_template("one", colour='"x"') + a_template("two", term_months='"12"')
        lines = error_of(text).splitlines()
        assert lines == [
            "commitment_templates.toml: template 'one' v1: colour: unknown key",
            "commitment_templates.toml: template 'two' v1: term_months: must be a whole number",
        ]

    def test_refuses_a_repeated_version_when_in_one_file(self) -> None:
        message = error_of(a_template() + a_template())
        assert "template 'test_merchant' v1: version: duplicate code and version" in message

    def test_reports_the_line_when_toml_broken(self) -> None:
        assert "toml:" in error_of("[[templates]\ncode = 1")
