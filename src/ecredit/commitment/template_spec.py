"""The shape of a commitment template (信用承诺书范本), as strict Pydantic models.

A templates file is TOML with one `[[templates]]` table per (code, version). Every model forbids
unknown keys, so a typo in an operator's file fails loudly instead of being ignored.
"""

from __future__ import annotations

import re
import string
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, model_validator

from ecredit.models.subject import SubjectKind

TERM_PARAMETER = "term_months"
# Who may make a commitment: businesses, not natural-person practitioners (从业人员).
SIGNING_KINDS = frozenset({SubjectKind.MERCHANT, SubjectKind.LOGISTICS, SubjectKind.PLATFORM})
MAX_TERM_MONTHS = 120


class ClauseKind(StrEnum):
    """What a clause promises, after the seed: 信息真实性、产品质量、服务保证、责任与义务, and
    the voluntary acceptance of restrictions and penalties after a breach (约束和惩戒)."""

    INFORMATION_TRUTHFULNESS = "information_truthfulness"
    PRODUCT_QUALITY = "product_quality"
    SERVICE_GUARANTEE = "service_guarantee"
    LIABILITY = "liability"
    DISCIPLINE = "discipline"


SnakeCase = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]


def _signing_kind(kind: SubjectKind) -> SubjectKind:
    if kind not in SIGNING_KINDS:
        allowed = ", ".join(sorted(k.value for k in SIGNING_KINDS))
        raise ValueError(f"'{kind.value}' may not make a commitment (allowed: {allowed})")
    return kind


def _unique_kinds(kinds: tuple[SubjectKind, ...]) -> tuple[SubjectKind, ...]:
    if len(set(kinds)) != len(kinds):
        raise ValueError("must not repeat an entry")
    return kinds


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class IntParameter(_Strict):
    """A whole number between `min` and `max` (both inclusive), e.g. 七天无理由退货's days."""

    type: Literal["int"]
    name: SnakeCase
    label_zh: Text
    label_en: Text
    default: StrictInt | None = None
    min: StrictInt | None = None
    max: StrictInt | None = None

    @model_validator(mode="after")
    def _bounds(self) -> IntParameter:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not exceed max")
        if self.default is not None and (problem := self.problem(self.default)):
            raise ValueError(f"default {problem[1]}")
        return self

    def problem(self, value: object) -> tuple[str, str] | None:
        """(rule, sentence) when `value` is not acceptable, else None."""
        if not isinstance(value, int) or isinstance(value, bool):
            return "int", "must be a whole number"
        if self.min is not None and value < self.min:
            return "min", f"must be at least {self.min} (got {value})"
        if self.max is not None and value > self.max:
            return "max", f"must be at most {self.max} (got {value})"
        return None


class TextParameter(_Strict):
    """A short text, optionally matching `pattern` (a licence number, a hotline)."""

    type: Literal["text"]
    name: SnakeCase
    label_zh: Text
    label_en: Text
    default: str | None = None
    max_length: StrictInt = Field(200, ge=1, le=500)
    pattern: str | None = None

    @model_validator(mode="after")
    def _valid_pattern(self) -> TextParameter:
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a regular expression: {exc}") from None
        if self.default is not None and (problem := self.problem(self.default)):
            raise ValueError(f"default {problem[1]}")
        return self

    def problem(self, value: object) -> tuple[str, str] | None:
        if not isinstance(value, str) or not value.strip():
            return "text", "must be a non-empty text"
        if len(value) > self.max_length:
            return "max_length", f"must be at most {self.max_length} characters"
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            return "pattern", f"must match {self.pattern}"
        return None


Parameter = Annotated[IntParameter | TextParameter, Field(discriminator="type")]
PARAMETER_TYPES: frozenset[str] = frozenset({"int", "text"})


class Clause(_Strict):
    kind: ClauseKind
    text_zh: Text
    text_en: Text


class TemplateSpec(_Strict):
    """One version of a standard-format commitment: its clauses, parameters and term."""

    code: SnakeCase
    version: Annotated[StrictInt, Field(ge=1)]
    title_zh: Text
    title_en: Text
    preamble_zh: Text
    preamble_en: Text
    subject_kinds: Annotated[
        tuple[Annotated[SubjectKind, AfterValidator(_signing_kind)], ...],
        Field(min_length=1),
        AfterValidator(_unique_kinds),
    ]
    term_months: Annotated[StrictInt, Field(ge=1, le=MAX_TERM_MONTHS)]
    parameters: tuple[Parameter, ...] = ()
    clauses: Annotated[tuple[Clause, ...], Field(min_length=1)]
    basis: Text

    @model_validator(mode="after")
    def _consistent(self) -> TemplateSpec:
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError("parameters: a name is declared twice")
        for index, clause in enumerate(self.clauses, start=1):
            for language, text in (("zh", clause.text_zh), ("en", clause.text_en)):
                unknown = sorted(placeholders(text) - set(names))
                if unknown:
                    raise ValueError(
                        f"clauses #{index} text_{language}: undeclared placeholder {unknown[0]!r}"
                    )
        if ClauseKind.DISCIPLINE not in {clause.kind for clause in self.clauses}:
            raise ValueError("clauses: a 'discipline' clause (自愿接受约束和惩戒) is required")
        term = self.parameter(TERM_PARAMETER)
        if term is not None and (term.type != "int" or term.default != self.term_months):
            raise ValueError(
                f"parameters: {TERM_PARAMETER} must be an int defaulting to term_months"
            )
        return self

    def parameter(self, name: str) -> IntParameter | TextParameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a clause; a format spec, conversion or index is refused."""
    found: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"malformed placeholder: {exc}") from None
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if spec or conversion or not field.isidentifier():
            raise ValueError(f"placeholder {{{field}}} must be a plain parameter name")
        found.add(field)
    return found


class TemplatesFile(_Strict):
    """A whole file: only a list of templates (each validated on its own for precise messages)."""

    templates: list[dict[str, object]]
