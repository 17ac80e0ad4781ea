"""Feedback and the loop's counts (发起 → 响应 → 反馈).

Definitions (also in docs/api.md):
- 发起 initiated: an entry that is or was in force (effective, expired or removed after being
  effective) makes each measure of its list kind applicable: one (entry, measure) pair each.
  Seen from an organisation: the pairs whose measure its kind (and department) carries out.
- 响应 responded: an organisation checked the subject while the entry was in force and the
  answer named the measure: one (entry, measure, organisation) triple, however often it checked.
- 反馈 applied / not applied: the organisation reported on the measure for the entry. Reports are
  facts: a second report is a new row (pointing at the one it supersedes); counts use the latest
  report of each (entry, measure, organisation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy.orm import Session

from ecredit.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from ecredit.measure.catalogue import MeasureCatalogue, MeasureSpec
from ecredit.measure.check import Caller
from ecredit.measure.repository import ONCE_EFFECTIVE, EntryFact, measure_repository
from ecredit.measure.schemas import FeedbackCreate, LoopCounts
from ecredit.models.measure import FeedbackOutcome, MeasureFeedback
from ecredit.models.org import Organisation

Triple = tuple[int, str, int]  # (entry id, measure code, organisation id)


class FeedbackService:
    def report(
        self,
        session: Session,
        catalogue: MeasureCatalogue,
        caller: Caller,
        data: FeedbackCreate,
        actor: str,
    ) -> tuple[MeasureFeedback, int | None]:
        """Record one report; returns it and the id of the report it supersedes, if any."""
        spec = catalogue.get(data.measure_code)
        if spec is None:
            raise InvalidInput("measure_code", "unknown", f"no measure {data.measure_code!r}")
        reason = (data.reason or "").strip() or None
        if data.outcome is FeedbackOutcome.NOT_APPLIED and reason is None:
            raise InvalidInput("reason", "required", "say why the measure was not applied")
        entry = measure_repository.entry(session, data.list_entry_id)
        if entry is None:
            raise NotFound(f"list entry {data.list_entry_id} does not exist")
        if entry.status not in ONCE_EFFECTIVE or entry.effective_from is None:
            raise Conflict(f"list entry {entry.id} has never been in force ({entry.status})")
        if entry.list_kind not in spec.list_kinds:
            message = f"measure {spec.code} does not apply to the list {entry.list_kind}"
            raise InvalidInput("measure_code", "not_applicable", message)
        if not spec.carried_out_by(caller.org_kind, caller.department):
            raise Forbidden(f"measure {spec.code} is not carried out by your organisation kind")
        earlier = measure_repository.feedback_history(
            session, entry.id, spec.code, caller.organisation_id
        )
        feedback = MeasureFeedback(
            list_entry_id=entry.id,
            subject_id=entry.subject_id,
            measure_code=spec.code,
            organisation_id=caller.organisation_id,
            outcome=data.outcome,
            reason=reason,
            detail={"check_id": data.check_id, "supersedes": earlier[-1].id if earlier else None},
            reported_by=actor,
        )
        measure_repository.add_feedback(session, feedback)
        return feedback, earlier[-1].id if earlier else None


class LoopFacts:
    """What the counts are made of, read once: pairs, responses and latest outcomes."""

    def __init__(
        self, session: Session, catalogue: MeasureCatalogue, subject_id: int | None = None
    ) -> None:
        self.catalogue = catalogue
        self.entries = {e.id: e for e in measure_repository.once_effective(session, subject_id)}
        self.pairs = [
            (entry, spec)
            for entry in self.entries.values()
            for spec in catalogue.for_list_kind(entry.list_kind)
        ]
        self.responded = self._responses(session, subject_id)
        self.outcomes: dict[Triple, FeedbackOutcome] = {
            (f.list_entry_id, f.measure_code, f.organisation_id): f.outcome
            for f in measure_repository.latest_feedback(session, subject_id)
        }

    def _responses(self, session: Session, subject_id: int | None) -> set[Triple]:
        triples: set[Triple] = set()
        for org_id, entry_ids, codes in measure_repository.checks_answered(session, subject_id):
            for entry_id in entry_ids:
                entry = self.entries.get(entry_id)
                if entry is None:
                    continue
                for code in codes:
                    spec = self.catalogue.get(code)
                    if spec is not None and entry.list_kind in spec.list_kinds:
                        triples.add((entry_id, code, org_id))
        return triples

    def counts(
        self, pairs: Iterable[tuple[EntryFact, MeasureSpec]], org_id: int | None = None
    ) -> LoopCounts:
        """The counts over `pairs`, for one organisation's triples or for every organisation's."""
        wanted = {(entry.id, spec.code) for entry, spec in pairs}
        result = LoopCounts(initiated=len(wanted))
        result.responded = sum(
            1 for t in self.responded if t[:2] in wanted and org_id in (None, t[2])
        )
        for triple, outcome in self.outcomes.items():
            if triple[:2] in wanted and org_id in (None, triple[2]):
                if outcome is FeedbackOutcome.APPLIED:
                    result.applied += 1
                else:
                    result.not_applied += 1
        return result

    def by_measure(self) -> dict[str, list[tuple[EntryFact, MeasureSpec]]]:
        grouped: dict[str, list[tuple[EntryFact, MeasureSpec]]] = defaultdict(list)
        for entry, spec in self.pairs:
            grouped[spec.code].append((entry, spec))
        return grouped

    def by_subject(self) -> dict[int, list[tuple[EntryFact, MeasureSpec]]]:
        grouped: dict[int, list[tuple[EntryFact, MeasureSpec]]] = defaultdict(list)
        for entry, spec in self.pairs:
            grouped[entry.subject_id].append((entry, spec))
        return grouped

    def for_organisation(self, org: Organisation) -> list[tuple[EntryFact, MeasureSpec]]:
        return [
            (entry, spec)
            for entry, spec in self.pairs
            if spec.carried_out_by(org.kind, org.department)
        ]


feedback_service = FeedbackService()
