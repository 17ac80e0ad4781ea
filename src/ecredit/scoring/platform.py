"""The third-party evaluation of a platform (C4): from its merchants' grades, the complaints
upheld against them, and the confirmed fraud in their files.

Merchants are those with a shop on the platform. Complaints and fraud are records in force
(neither revoked nor repaired, decided by the evaluation date, window not over) whose type
carries the model's complaint or fraud hint: dishonest-conduct records are what confirmed
detections and platform reports become. Rates are per merchant.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecredit.kit.errors import Conflict, NotFound
from ecredit.models.base import utcnow
from ecredit.models.scoring import Grade, PlatformEvaluation
from ecredit.models.subject import SubjectKind
from ecredit.scoring.engine import BASE, CLAMP, Contribution, contribution
from ecredit.scoring.facts import from_rows
from ecredit.scoring.model import SCORE_MAX, SCORE_MIN, PlatformModel
from ecredit.scoring.repository import scoring_repository
from ecredit.scoring.service import ScoringService
from ecredit.subject.service import subject_service


def evaluate_platform(
    service: ScoringService, session: Session, platform_id: int, as_of: date | None = None
) -> PlatformEvaluation:
    """A new platform evaluation (a 409 when the subject is not a platform)."""
    subject = subject_service.get(session, platform_id)
    if subject.kind is not SubjectKind.PLATFORM:
        raise Conflict(f"subject {platform_id} is a {subject.kind.value}, not a platform")
    as_of = as_of or service.today()
    merchants = scoring_repository.merchant_count(session, platform_id)
    grades = scoring_repository.merchant_grades(session, platform_id)
    complaints, fraud = _counts(service, session, platform_id, as_of)
    score, contributions = platform_outcome(
        service.model.platform, merchants, grades, complaints, fraud
    )
    evaluation = PlatformEvaluation(
        platform_id=platform_id, model_version=service.model.version, as_of=as_of,
        merchants=merchants, grade_counts=grades,
        complaint_rate=complaints / merchants if merchants else 0.0, confirmed_fraud=fraud,
        score=score, grade=service.thresholds(session).grade(score),
        contributions=contributions, evaluated_at=utcnow(),
    )  # fmt: skip
    session.add(evaluation)
    session.flush()
    return evaluation


def evaluate_platforms(service: ScoringService, session: Session, as_of: date | None = None) -> int:
    """Every platform (after the subjects, so merchants' grades are fresh); how many."""
    ids = scoring_repository.platform_ids(session)
    for platform_id in ids:
        evaluate_platform(service, session, platform_id, as_of)
    return len(ids)


def latest_platform(session: Session, platform_id: int) -> PlatformEvaluation:
    evaluation = scoring_repository.latest_platform(session, platform_id)
    if evaluation is None:
        raise NotFound(f"platform {platform_id} has not been evaluated yet")
    return evaluation


def platform_outcome(
    model: PlatformModel, merchants: int, grades: dict[str, int], complaints: int, fraud: int
) -> tuple[int, list[Contribution]]:
    """(score, contributions): the base, the merchants' grades, complaints, fraud, clamp."""
    graded = sum(grades.values())
    weighted = sum(model.grade_points[Grade(g)] * n for g, n in grades.items())
    mix = ", ".join(f"{g} {grades.get(g, 0)}" for g in Grade)
    complaint_rate = complaints / merchants if merchants else 0.0
    fraud_rate = fraud / merchants if merchants else 0.0
    complaint_points = round(complaint_rate * model.complaint_rate_points)
    fraud_points = round(fraud_rate * model.fraud_rate_points)
    rows = [
        contribution(BASE, BASE, None, model.base, "platform base score"),
        contribution("merchants", "merchant_grades", None,
                     round(weighted / graded) if graded else 0,
                     f"{graded} graded of {merchants} merchants: {mix}"),
        contribution("satisfaction", "complaint_rate", None,
                     max(complaint_points, model.complaint_floor),
                     f"{complaints} upheld complaints / {merchants} merchants"),
        contribution("conduct", "confirmed_fraud", None,
                     max(fraud_points, model.fraud_floor),
                     f"{fraud} dishonest-conduct records / {merchants} merchants"),
    ]  # fmt: skip
    raw = sum(row["points"] for row in rows)
    score = min(max(raw, SCORE_MIN), SCORE_MAX)
    if score != raw:
        rows.append(contribution(CLAMP, CLAMP, None, score - raw, f"raw {raw}"))
    return score, rows


def _counts(
    service: ScoringService, session: Session, platform_id: int, as_of: date
) -> tuple[int, int]:
    """(upheld complaints, dishonest-conduct records) in force across the merchants' files."""
    engine, platform = service.engine, service.model.platform
    complaints = fraud = 0
    for fact in from_rows(scoring_repository.merchant_record_rows(session, platform_id)):
        if not engine.in_force(fact, as_of):
            continue
        hint = engine.hint_of(fact.type_code)
        complaints += hint == platform.complaint_hint
        fraud += hint == platform.fraud_hint
    return complaints, fraud
