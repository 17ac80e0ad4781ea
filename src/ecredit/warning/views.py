"""A stored warning (or its absence) as the API shows it; a natural person's name masked."""

from __future__ import annotations

from ecredit.models.subject import Subject
from ecredit.models.warning import SubjectWarning, WarningLevel
from ecredit.subject.views import public_name
from ecredit.warning.schemas import ReasonRead, WarningRead


def warning_read(subject: Subject, warning: SubjectWarning | None) -> WarningRead:
    """A subject never assessed reads as level none, with no reasons and no times."""
    if warning is None:
        return WarningRead(subject_id=subject.id, subject_name=public_name(subject),
                           region_code=subject.region_code, level=WarningLevel.NONE, score=0,
                           reasons=[], computed_at=None, changed_at=None)  # fmt: skip
    return WarningRead(
        subject_id=subject.id, subject_name=public_name(subject), region_code=subject.region_code,
        level=warning.level, score=warning.score,
        reasons=[ReasonRead.model_validate(reason) for reason in warning.reasons],
        computed_at=warning.computed_at, changed_at=warning.changed_at,
    )  # fmt: skip
