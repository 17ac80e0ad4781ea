"""The loop counts per measure, per organisation and per subject, and the public view of one
subject's measures (counts only: no organisation is named)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecredit.kit.errors import NotFound
from ecredit.measure.catalogue import MeasureCatalogue, MeasureSpec
from ecredit.measure.loop import LoopFacts
from ecredit.measure.repository import EntryFact, measure_repository
from ecredit.measure.schemas import (
    PublicMeasureLoop,
    PublicMembershipMeasures,
    StatsBy,
    StatsRow,
)
from ecredit.subject.repository import subject_repository
from ecredit.subject.views import public_name

Pairs = list[tuple[EntryFact, MeasureSpec]]


def loop_stats(
    session: Session, catalogue: MeasureCatalogue, by: StatsBy, limit: int = 100
) -> list[StatsRow]:
    facts = LoopFacts(session, catalogue)
    if by is StatsBy.MEASURE:
        grouped = facts.by_measure()
        rows = [
            StatsRow(key=spec.code, label=spec.name_zh, **_counts(facts, grouped.get(spec.code)))
            for spec in catalogue
        ]
    elif by is StatsBy.ORGANISATION:
        rows = [
            StatsRow(
                key=str(org.id),
                label=org.name,
                **_counts(facts, facts.for_organisation(org), org.id),
            )
            for org in measure_repository.organisations(session)
        ]
        rows = [row for row in rows if row.initiated or row.responded]
    else:
        by_subject = facts.by_subject()
        subjects = subject_repository.many(session, list(by_subject))
        rows = [
            StatsRow(key=str(sid), label=public_name(subjects[sid]), **_counts(facts, pairs))
            for sid, pairs in by_subject.items()
            if sid in subjects
        ]
    rows.sort(key=lambda row: (-row.initiated, row.key))
    return rows[:limit]


def _counts(facts: LoopFacts, pairs: Pairs | None, org_id: int | None = None) -> dict[str, int]:
    return facts.counts(pairs or [], org_id).model_dump()


def public_measures(
    session: Session, catalogue: MeasureCatalogue, subject_id: int, today: date
) -> list[PublicMembershipMeasures]:
    """Each entry in force today and, per measure, the loop counts over every organisation."""
    if subject_repository.get(session, subject_id) is None:
        raise NotFound(f"subject {subject_id} does not exist")
    facts = LoopFacts(session, catalogue, subject_id)
    result = []
    for entry in measure_repository.effective_entries(session, subject_id, today):
        if not catalogue.is_public(entry.list_kind):
            continue  # a watch list steers supervision; it is not published
        fact = EntryFact(entry.id, entry.subject_id, entry.list_kind, entry.status)
        loops = [
            PublicMeasureLoop(
                code=spec.code,
                name_zh=spec.name_zh,
                name_en=spec.name_en,
                kind=spec.kind,
                **facts.counts([(fact, spec)]).model_dump(),
            )
            for spec in catalogue.for_list_kind(entry.list_kind)
        ]
        result.append(
            PublicMembershipMeasures(
                entry_id=entry.id,
                list_kind=entry.list_kind,
                colour=catalogue.colour(entry.list_kind),
                since=entry.effective_from,
                valid_until=entry.valid_until,
                measures=loops,
            )
        )
    return result
