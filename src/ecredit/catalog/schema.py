"""The shape of the credit information catalogue (信用信息目录) files, as strict Pydantic models.

A catalogue file is TOML with one `[[types]]` table per record type. Every model forbids unknown
keys so that a typo in an operator's override file fails loudly instead of being ignored.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from ecredit.models.org import OrgKind
from ecredit.models.record import PenaltyKind as PenaltyKind
from ecredit.models.record import Severity as Severity


class Polarity(StrEnum):
    """Whether a fact speaks for (positive) or against (negative) the subject's credit."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


RECORD_FIELDS: frozenset[str] = frozenset(
    {
        "legal_basis",
        "decision_no",
        "decision_date",
        "penalty_kind",
        "amount",
        "evidence_refs",
        "valid_until",
        "summary",
    }
)


def _positive_months(value: int) -> int:
    if value <= 0:
        raise ValueError("must be a positive number of months")
    return value


def _record_field(value: str) -> str:
    if value not in RECORD_FIELDS:
        raise ValueError(f"must be one of {', '.join(sorted(RECORD_FIELDS))}")
    return value


T = TypeVar("T")


def _unique(values: tuple[T, ...]) -> tuple[T, ...]:
    if len(set(values)) != len(values):
        raise ValueError("must not repeat an entry")
    return values


Months = Annotated[int, Field(strict=True), AfterValidator(_positive_months)]
RecordField = Annotated[str, AfterValidator(_record_field)]
SnakeCase = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class MinMonths(_Strict):
    """Per severity, how long a fact stays public before repair may be applied for."""

    minor: Months | None = None
    general: Months | None = None
    serious: Months | None = None


class BySeverity(_Strict):
    """Public for the severity's number of months from the decision date (NDRC Order 36)."""

    kind: Literal["by_severity"]
    minor: Months
    general: Months
    serious: Months
    min_months: MinMonths = MinMonths()

    def months(self, severity: Severity) -> int:
        return int(getattr(self, severity.value))

    def minimum(self, severity: Severity) -> int | None:
        value: int | None = getattr(self.min_months, severity.value)
        return value

    @model_validator(mode="after")
    def _minimum_within_maximum(self) -> BySeverity:
        for severity in Severity:
            minimum = self.minimum(severity)
            if minimum is not None and minimum > self.months(severity):
                raise ValueError(f"min_months.{severity.value} must not exceed {severity.value}")
        return self


class ByPenaltyKind(_Strict):
    """Public for a period chosen by the kind of penalty (SAMR Order 45, Arts. 13-14).

    Every penalty kind appears once, either in `months` or in `not_published`. Kinds in
    `extend_while_valid` stay public at least until the restriction's `valid_until`; kinds in
    `no_early_stop` cannot be taken down early by repair.
    """

    kind: Literal["by_penalty_kind"]
    months: dict[PenaltyKind, Months]
    not_published: Annotated[tuple[PenaltyKind, ...], AfterValidator(_unique)] = ()
    extend_while_valid: Annotated[tuple[PenaltyKind, ...], AfterValidator(_unique)] = ()
    no_early_stop: Annotated[tuple[PenaltyKind, ...], AfterValidator(_unique)] = ()

    @model_validator(mode="after")
    def _every_kind_once(self) -> ByPenaltyKind:
        both = set(self.months) & set(self.not_published)
        if both:
            raise ValueError(f"{_names(both)} both in months and not_published")
        missing = set(PenaltyKind) - set(self.months) - set(self.not_published)
        if missing:
            raise ValueError(f"no period for {_names(missing)}")
        return self


class WhileValid(_Strict):
    """Public from the decision date until `valid_until` (licences, list entries)."""

    kind: Literal["while_valid"]


class Fixed(_Strict):
    """Public for a fixed number of months whatever the severity (positive facts)."""

    kind: Literal["fixed"]
    months: Months


class NotPublished(_Strict):
    """Kept in the file but never shown to the public."""

    kind: Literal["not_published"]


PublicityRule = Annotated[
    BySeverity | ByPenaltyKind | WhileValid | Fixed | NotPublished, Field(discriminator="kind")
]
PUBLICITY_KINDS: frozenset[str] = frozenset(
    {"by_severity", "by_penalty_kind", "while_valid", "fixed", "not_published"}
)


class RecordTypeSpec(_Strict):
    """One entry of the catalogue: what a kind of credit fact is and how it is handled."""

    code: SnakeCase
    name_zh: Text
    name_en: Text
    polarity: Polarity
    default_severity: Severity
    required_fields: Annotated[tuple[RecordField, ...], AfterValidator(_unique)] = ()
    submitters: Annotated[tuple[OrgKind, ...], Field(min_length=1), AfterValidator(_unique)]
    publicity: PublicityRule
    evaluation_hint: SnakeCase
    basis: Text

    @model_validator(mode="after")
    def _rule_has_its_inputs(self) -> RecordTypeSpec:
        if isinstance(self.publicity, ByPenaltyKind) and "penalty_kind" not in self.required_fields:
            raise ValueError("publicity by_penalty_kind needs 'penalty_kind' in required_fields")
        return self


class CatalogFile(_Strict):
    """A whole file: only a list of types (each validated on its own for precise messages)."""

    types: list[dict[str, object]]


def _names(kinds: set[PenaltyKind]) -> str:
    return ", ".join(sorted(k.value for k in kinds))
