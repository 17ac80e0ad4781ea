"""The shape of an indicator model file (`data/model_v<N>.toml`), as strict Pydantic models.

A model names dimensions (each held between a floor and a ceiling), indicators (a subject
field, or the records whose type carries an `evaluation_hint`, with points by severity and a
time decay), the base score and the platform view. Unknown keys are errors, so a typo in an
operator's copy fails loudly instead of being ignored.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecredit.models.scoring import Grade
from ecredit.models.shipment import RaterParty
from ecredit.models.subject import VerificationMethod, VerificationStatus

SCORE_MIN, SCORE_MAX = 0, 1000
SnakeCase = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]
PositiveMonths = Annotated[int, Field(strict=True, gt=0)]
PositiveInt = Annotated[int, Field(strict=True, gt=0)]
Points = Annotated[int, Field(strict=True, ge=-SCORE_MAX, le=SCORE_MAX)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class NoDecay(_Strict):
    """Full points for as long as the record is in force."""

    kind: Literal["none"]


class HalfLife(_Strict):
    """Points halve every `months` months after the decision date."""

    kind: Literal["half_life"]
    months: PositiveMonths


class WindowFade(_Strict):
    """Points fade linearly to zero at the end of the record's display window; a record
    without a window end fades over `fallback_months` from its decision date."""

    kind: Literal["window"]
    fallback_months: PositiveMonths


Decay = Annotated[NoDecay | HalfLife | WindowFade, Field(discriminator="kind")]
DECAY_KINDS = frozenset({"none", "half_life", "window"})


class SeverityPoints(_Strict):
    minor: Points
    general: Points
    serious: Points


class Dimension(_Strict):
    """A group of indicators whose sum is held between `floor` and `ceiling`."""

    code: SnakeCase
    name_zh: Text
    name_en: Text
    floor: Annotated[int, Field(strict=True, le=0)]
    ceiling: Annotated[int, Field(strict=True, ge=0)]


class _Indicator(_Strict):
    code: SnakeCase
    dimension: SnakeCase
    name_zh: Text
    name_en: Text


class RecordIndicator(_Indicator):
    """Records of the types whose `evaluation_hint` is `hint` (optionally only `type_codes`).
    A record counts for the first indicator that matches it, in file order."""

    source: Literal["record"]
    hint: SnakeCase
    type_codes: tuple[SnakeCase, ...] = ()
    points: SeverityPoints
    decay: Decay


class StatusIndicator(_Indicator):
    """Points by the subject's real-name verification status."""

    source: Literal["verification_status"]
    points: dict[VerificationStatus, Points]


class MethodIndicator(_Indicator):
    """Points by verification method, counted only while the subject is verified."""

    source: Literal["verification_method"]
    points: dict[VerificationMethod, Points]


class RatingIndicator(_Indicator):
    """Points from the mean rating (1–5) a carrier or courier received in shipment evaluations
    over the last `months` months, each party's ratings weighted; `points_per_star` per star
    above or below `neutral`, counted once there are at least `min_ratings` ratings."""

    source: Literal["shipment_rating"]
    months: PositiveMonths
    min_ratings: PositiveInt
    neutral: Annotated[int, Field(strict=True, ge=1, le=5)]
    points_per_star: Annotated[int, Field(strict=True, ge=0, le=SCORE_MAX)]
    party_weights: dict[RaterParty, Annotated[int, Field(strict=True, ge=0)]]


AnyIndicator = RecordIndicator | StatusIndicator | MethodIndicator | RatingIndicator
Indicator = Annotated[AnyIndicator, Field(discriminator="source")]
INDICATOR_SOURCES = frozenset(
    {"record", "verification_status", "verification_method", "shipment_rating"}
)


class PlatformModel(_Strict):
    """The third-party view of a platform from its merchants."""

    base: Annotated[int, Field(strict=True, ge=SCORE_MIN, le=SCORE_MAX)]
    grade_points: dict[Grade, Points]
    complaint_rate_points: Annotated[int, Field(strict=True, le=0)]
    complaint_floor: Annotated[int, Field(strict=True, le=0)]
    fraud_rate_points: Annotated[int, Field(strict=True, le=0)]
    fraud_floor: Annotated[int, Field(strict=True, le=0)]
    complaint_hint: SnakeCase
    fraud_hint: SnakeCase

    @model_validator(mode="after")
    def _every_grade(self) -> PlatformModel:
        missing = [g.value for g in Grade if g not in self.grade_points]
        if missing:
            raise ValueError(f"grade_points: no points for grade {', '.join(missing)}")
        return self


class ScoringModel(_Strict):
    """A whole model file: identity, base score, dimensions, indicators, platform view."""

    code: SnakeCase
    version: PositiveInt
    name_zh: Text
    name_en: Text
    base: Annotated[int, Field(strict=True, ge=SCORE_MIN, le=SCORE_MAX)]
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    indicators: Annotated[list[Indicator], Field(min_length=1)]
    platform: PlatformModel

    @model_validator(mode="after")
    def _consistent(self) -> ScoringModel:
        problems = _duplicates("dimensions", [d.code for d in self.dimensions])
        problems += _duplicates("indicators", [i.code for i in self.indicators])
        known = {d.code for d in self.dimensions}
        problems += [
            f"indicators '{i.code}'.dimension: unknown dimension '{i.dimension}' "
            f"(known: {', '.join(sorted(known))})"
            for i in self.indicators
            if i.dimension not in known
        ]
        problems += _unreachable(self.indicators)
        ratings = [i.code for i in self.indicators if isinstance(i, RatingIndicator)]
        problems += [f"indicators '{code}'.source: only one shipment_rating indicator is allowed"
                     for code in ratings[1:]]  # fmt: skip
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def dimension(self, code: str) -> Dimension:
        return next(d for d in self.dimensions if d.code == code)

    def indicator(self, code: str) -> AnyIndicator:
        return next(i for i in self.indicators if i.code == code)

    def rating(self) -> RatingIndicator | None:
        """The shipment-rating indicator, if the model has one."""
        return next((i for i in self.indicators if isinstance(i, RatingIndicator)), None)


def _duplicates(section: str, codes: list[str]) -> list[str]:
    counts = Counter(codes)
    return [f"{section} '{code}'.code: duplicate code" for code, n in counts.items() if n > 1]


def _unreachable(indicators: list[AnyIndicator]) -> list[str]:
    """An indicator after a catch-all of the same hint (no type_codes) would never match."""
    catch_all: dict[str, str] = {}
    problems: list[str] = []
    for indicator in indicators:
        if not isinstance(indicator, RecordIndicator):
            continue
        if indicator.hint in catch_all:
            problems.append(
                f"indicators '{indicator.code}'.hint: unreachable, indicator "
                f"'{catch_all[indicator.hint]}' already takes every '{indicator.hint}' record"
            )
        elif not indicator.type_codes:
            catch_all[indicator.hint] = indicator.code
    return problems
