"""The arithmetic of an evaluation, with no database: facts in; points, caps, clamp, grade out.

Both paths (one subject through its record states, every subject through bulk rows) reduce a
file to the same `Fact`s and call the same `Engine.evaluate`, so they cannot disagree. The
contributions start with the base, so their sum is the score, exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from ecredit.catalog.loader import Catalog
from ecredit.models.scoring import Grade
from ecredit.scoring.model import (
    SCORE_MAX,
    SCORE_MIN,
    AnyIndicator,
    Decay,
    HalfLife,
    MethodIndicator,
    NoDecay,
    RatingIndicator,
    RecordIndicator,
    ScoringModel,
    StatusIndicator,
)

DAYS_PER_MONTH = 365.25 / 12
BASE, CAP, CLAMP = "base", "cap", "clamp"
Contribution = dict[str, Any]  # {"dimension", "indicator", "record_id", "points", "note"}
Rating = tuple[str, int, int]  # (party, number of ratings, sum of their stars)


@dataclass(frozen=True, slots=True)
class Fact:
    """A record in force as the evaluation sees it: its current version, its window's end."""

    record_id: int  # the original entry's id: the record's identity
    type_code: str
    severity: str | None
    decided: date | None
    window_end: date | None


@dataclass(frozen=True)
class Thresholds:
    """Lowest score of grades A, B and C; anything below C is D."""

    a: int
    b: int
    c: int

    def grade(self, score: int) -> Grade:
        if score >= self.a:
            return Grade.A
        if score >= self.b:
            return Grade.B
        return Grade.C if score >= self.c else Grade.D


@dataclass(frozen=True)
class Outcome:
    score: int
    contributions: list[Contribution]


@dataclass(frozen=True)
class _TypeRule:
    indicator: RecordIndicator
    default_severity: str
    name: str


class Engine:
    """One model applied to one catalogue; `evaluate` is pure and deterministic."""

    def __init__(self, model: ScoringModel, catalog: Catalog) -> None:
        self.model = model
        self._rules = {spec.code: rule for spec in catalog if (rule := _rule(model, spec))}
        self._dimensions = [d.code for d in model.dimensions]
        self._hints = {spec.code: spec.evaluation_hint for spec in catalog}
        self._empty: dict[tuple[str, str | None], Outcome] = {}
        self._fact_cache: dict[tuple[Any, ...], tuple[str, str, int, str] | None] = {}
        self._subject_cache: dict[tuple[str, str | None], dict[str, list[Contribution]]] = {}
        self._base = contribution(BASE, BASE, None, model.base, f"{model.code} v{model.version}")

    def evaluate(
        self,
        status: str,
        method: str | None,
        facts: Sequence[Fact],
        as_of: date,
        ratings: Sequence[Rating] = (),
    ) -> Outcome:
        """`ratings`: the shipment evaluations received in the rating indicator's window."""
        if not facts and not ratings:  # most subjects: the outcome depends on verification
            key = (status, method)
            if key not in self._empty:
                self._empty[key] = self._evaluate(status, method, (), as_of, ())
            return self._empty[key]
        return self._evaluate(status, method, facts, as_of, ratings)

    def _evaluate(
        self,
        status: str,
        method: str | None,
        facts: Sequence[Fact],
        as_of: date,
        ratings: Sequence[Rating],
    ) -> Outcome:
        rows = {code: list(held) for code, held in self._subject_rows(status, method).items()}
        for fact in sorted(facts, key=lambda f: f.record_id):
            row = self._fact_row(fact, as_of)
            if row is not None:
                rows[row["dimension"]].append(row)
        rating = self.model.rating()
        if rating is not None and (row := rating_row(rating, ratings)) is not None:
            rows[rating.dimension].append(row)
        result = [self._base]
        for dimension in self.model.dimensions:
            result += rows[dimension.code]
            raw = sum(r["points"] for r in rows[dimension.code])
            held = min(max(raw, dimension.floor), dimension.ceiling)
            if held != raw:
                note = f"{dimension.code} held within [{dimension.floor}, {dimension.ceiling}]"
                result.append(
                    contribution(dimension.code, CAP, None, held - raw, f"{note} (sum {raw})")
                )
        raw_score = sum(r["points"] for r in result)
        score = min(max(raw_score, SCORE_MIN), SCORE_MAX)
        if score != raw_score:
            note = f"score held within [{SCORE_MIN}, {SCORE_MAX}] (raw {raw_score})"
            result.append(contribution(CLAMP, CLAMP, None, score - raw_score, note))
        return Outcome(score, result)

    def _subject_rows(self, status: str, method: str | None) -> dict[str, list[Contribution]]:
        """The rows of the subject's own fields by dimension (the same for equal fields)."""
        key = (status, method)
        if key not in self._subject_cache:
            rows: dict[str, list[Contribution]] = {code: [] for code in self._dimensions}
            for indicator in self.model.indicators:
                row = _subject_row(indicator, status, method)
                if row is not None:
                    rows[indicator.dimension].append(row)
            self._subject_cache[key] = rows
        return self._subject_cache[key]

    def _fact_row(self, fact: Fact, as_of: date) -> Contribution | None:
        key = (fact.type_code, fact.severity, fact.decided, fact.window_end, as_of)
        if key not in self._fact_cache:
            if len(self._fact_cache) > 200_000:
                self._fact_cache.clear()
            self._fact_cache[key] = self._fact_parts(fact, as_of)
        parts = self._fact_cache[key]
        if parts is None:
            return None
        dimension, indicator, points, note = parts
        return contribution(dimension, indicator, fact.record_id, points, note)

    def _fact_parts(self, fact: Fact, as_of: date) -> tuple[str, str, int, str] | None:
        """Everything of a fact's row but its record id (shared by equal facts)."""
        rule = self._rules.get(fact.type_code)
        if rule is None or fact.decided is None or fact.decided > as_of:
            return None
        if fact.window_end is not None and fact.window_end < as_of:
            return None  # expired: its display window is over
        severity = fact.severity or rule.default_severity
        full = int(getattr(rule.indicator.points, severity))
        factor = decay_factor(rule.indicator.decay, fact.decided, fact.window_end, as_of)
        note = f"{rule.name} ({fact.type_code}), {severity}, {fact.decided}: {full:+d}"
        if factor != 1.0:
            note += f" × {factor:.2f}"
        return rule.indicator.dimension, rule.indicator.code, round(full * factor), note

    def in_force(self, fact: Fact, as_of: date) -> bool:
        """Decided by `as_of` and not past its window (revocations are folded out before)."""
        if fact.decided is None or fact.decided > as_of:
            return False
        return fact.window_end is None or fact.window_end >= as_of

    def hint_of(self, type_code: str) -> str | None:
        return self._hints.get(type_code)


def decay_factor(decay: Decay, decided: date, window_end: date | None, as_of: date) -> float:
    if isinstance(decay, NoDecay):
        return 1.0
    if isinstance(decay, HalfLife):
        return _half_life(decay.months, (as_of - decided).days)
    end = window_end or decided + timedelta(days=round(decay.fallback_months * DAYS_PER_MONTH))
    return _linear((end - decided).days, (end - as_of).days)


@lru_cache(maxsize=65536)
def _half_life(months: int, age_days: int) -> float:
    return float(0.5 ** (max(age_days, 0) / (months * DAYS_PER_MONTH)))


@lru_cache(maxsize=65536)
def _linear(span_days: int, remaining_days: int) -> float:
    if span_days <= 0:
        return 0.0
    return min(max(remaining_days / span_days, 0.0), 1.0)


def _rule(model: ScoringModel, spec: Any) -> _TypeRule | None:
    for indicator in model.indicators:
        if not isinstance(indicator, RecordIndicator) or indicator.hint != spec.evaluation_hint:
            continue
        if not indicator.type_codes or spec.code in indicator.type_codes:
            return _TypeRule(indicator, spec.default_severity.value, spec.name_zh)
    return None


def rating_row(indicator: RatingIndicator, ratings: Sequence[Rating]) -> Contribution | None:
    """The weighted mean rating against the neutral one, once there are enough ratings."""
    weights = {str(party): weight for party, weight in indicator.party_weights.items()}
    count = sum(n for party, n, _ in ratings if weights.get(party))
    weight = sum(weights.get(party, 0) * n for party, n, _ in ratings)
    if count < indicator.min_ratings or weight == 0:
        return None
    mean = sum(weights.get(party, 0) * stars for party, _, stars in ratings) / weight
    points = round((mean - indicator.neutral) * indicator.points_per_star)
    note = f"{count} ratings, weighted mean {mean:.2f} (neutral {indicator.neutral}): {points:+d}"
    return contribution(indicator.dimension, indicator.code, None, points, note)


def _subject_row(indicator: AnyIndicator, status: str, method: str | None) -> Contribution | None:
    if isinstance(indicator, StatusIndicator):
        points = indicator.points.get(status, 0)  # type: ignore[call-overload]
        return contribution(indicator.dimension, indicator.code, None, points, status)
    if isinstance(indicator, MethodIndicator) and status == "verified" and method:
        points = indicator.points.get(method, 0)  # type: ignore[call-overload]
        return contribution(
            indicator.dimension, indicator.code, None, points, f"verified by {method}"
        )
    return None


def contribution(
    dimension: str, indicator: str, record_id: int | None, points: int, note: str
) -> Contribution:
    return {
        "dimension": dimension,
        "indicator": indicator,
        "record_id": record_id,
        "points": points,
        "note": note,
    }
