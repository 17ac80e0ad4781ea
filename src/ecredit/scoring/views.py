"""Evaluations as the API shows them: the snapshot split into base and contributions, and the
public explanation summed by dimension and indicator (names from the model in force)."""

from __future__ import annotations

from typing import Any

from ecredit.models.scoring import Evaluation, PlatformEvaluation, SubjectGrade
from ecredit.scoring.engine import BASE, CAP, CLAMP
from ecredit.scoring.model import ScoringModel
from ecredit.scoring.schemas import (
    ContributionRead,
    DimensionExplanation,
    EvaluationRead,
    IndicatorExplanation,
    PlatformEvaluationRead,
    PublicGrade,
)

_NAMES = {
    CAP: ("上下限调整", "Dimension cap"),
    CLAMP: ("分值范围调整", "Score range (0–1000)"),
}


def _split(rows: list[dict[str, Any]]) -> tuple[int, list[ContributionRead]]:
    base = sum(r["points"] for r in rows if r["indicator"] == BASE)
    return base, [ContributionRead(**r) for r in rows if r["indicator"] != BASE]


def evaluation_read(evaluation: Evaluation) -> EvaluationRead:
    base, contributions = _split(evaluation.contributions)
    return EvaluationRead(
        id=evaluation.id, subject_id=evaluation.subject_id, model_code=evaluation.model_code,
        model_version=evaluation.model_version, as_of=evaluation.as_of, base=base,
        score=evaluation.score, grade=evaluation.grade, contributions=contributions,
        evaluated_at=evaluation.evaluated_at,
    )  # fmt: skip


def platform_read(evaluation: PlatformEvaluation) -> PlatformEvaluationRead:
    base, contributions = _split(evaluation.contributions)
    return PlatformEvaluationRead(
        id=evaluation.id, platform_id=evaluation.platform_id,
        model_version=evaluation.model_version, as_of=evaluation.as_of,
        merchants=evaluation.merchants, grade_counts=evaluation.grade_counts,
        complaint_rate=evaluation.complaint_rate, confirmed_fraud=evaluation.confirmed_fraud,
        base=base, score=evaluation.score, grade=evaluation.grade,
        contributions=contributions, evaluated_at=evaluation.evaluated_at,
    )  # fmt: skip


def public_grade(
    evaluation: Evaluation, grade: SubjectGrade | None, model: ScoringModel
) -> PublicGrade:
    base, contributions = _split(evaluation.contributions)
    dimensions: dict[str, dict[str, IndicatorExplanation]] = {}
    for row in contributions:
        indicators = dimensions.setdefault(row.dimension, {})
        item = indicators.get(row.indicator) or _indicator(model, row.indicator)
        indicators[row.indicator] = item.model_copy(
            update={"facts": item.facts + (row.record_id is not None),
                    "points": item.points + row.points}
        )  # fmt: skip
    return PublicGrade(
        subject_id=evaluation.subject_id, grade=evaluation.grade, score=evaluation.score,
        grade_since=grade.grade_since if grade and grade.evaluation_id == evaluation.id else None,
        as_of=evaluation.as_of, model_code=evaluation.model_code,
        model_version=evaluation.model_version, base=base,
        dimensions=[_dimension(model, code, items) for code, items in dimensions.items()],
    )  # fmt: skip


def _indicator(model: ScoringModel, code: str) -> IndicatorExplanation:
    names = _NAMES.get(code) or next(
        ((i.name_zh, i.name_en) for i in model.indicators if i.code == code), (code, code)
    )
    return IndicatorExplanation(code=code, name_zh=names[0], name_en=names[1], facts=0, points=0)


def _dimension(
    model: ScoringModel, code: str, items: dict[str, IndicatorExplanation]
) -> DimensionExplanation:
    names = _NAMES.get(code) or next(
        ((d.name_zh, d.name_en) for d in model.dimensions if d.code == code), (code, code)
    )
    return DimensionExplanation(
        code=code, name_zh=names[0], name_en=names[1],
        points=sum(i.points for i in items.values()), indicators=list(items.values()),
    )  # fmt: skip
