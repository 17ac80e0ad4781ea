"""Red, black and watch lists: proposals by decision, transitions, removal, the nightly sweep.

Services flush only; the edge (HTTP request, job run) commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ecredit.authz.policies import may_act_on_list
from ecredit.authz.principals import SYSTEM, Principal
from ecredit.catalog.loader import Catalog
from ecredit.kit.clock import Clock, SystemClock, local_date
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.kit.paging import Page, PageRequest
from ecredit.listing import workflow
from ecredit.listing.criteria import candidate_subjects, propose_by_criteria
from ecredit.listing.kinds import ListKind, ListKinds, list_kinds
from ecredit.listing.repository import PublicFilter, list_entry_repository
from ecredit.listing.schemas import ListEntryCreate, SweepResult
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.notice import Notice
from ecredit.models.record import CreditRecord
from ecredit.models.subject import Subject
from ecredit.subject.service import subject_service

__all__ = ["ListingService", "listing_service", "propose_by_criteria", "remove"]


@dataclass
class ListingService:
    clock: Clock = SystemClock()  # noqa: RUF009 - a stateless default is safe to share

    def today(self) -> date:
        return local_date(self.clock.now())

    @property
    def kinds(self) -> ListKinds:
        return list_kinds()

    def kind(self, code: str, field: str = "list_kind") -> ListKind:
        kind = self.kinds.get(code)
        if kind is None:
            known = ", ".join(self.kinds.codes())
            raise InvalidInput(field, "list_kind", f"{field}: unknown list '{code}' ({known})")
        return kind

    def get(self, session: Session, entry_id: int) -> ListEntry:
        entry = list_entry_repository.get(session, entry_id)
        if entry is None:
            raise NotFound(f"list entry {entry_id} does not exist")
        return entry

    def propose(self, session: Session, data: ListEntryCreate, by: Principal) -> ListEntry:
        """A department's or the credit office's proposal, with its legal basis and reason."""
        kind = self.kind(data.list_kind)
        may_act_on_list(by, kind.proposers, "propose entries", kind.name_zh).enforce()
        subject = self._subject(session, data)
        if subject.kind not in kind.subject_kinds:
            raise InvalidInput(
                "subject_id", "subject_kind",
                f"subject_id: a {subject.kind.value} cannot be put on {kind.code}",
            )  # fmt: skip
        self._source(session, data.source_record_id, subject.id)
        session.get(Subject, subject.id, with_for_update=True)  # one proposal at a time
        live = list_entry_repository.live(session, subject.id, kind.code)
        if live is not None:
            raise Conflict(
                f"subject {subject.id} already has a {live.status.value} entry #{live.id} "
                f"of {kind.code}"
            )
        entry = ListEntry(
            subject_id=subject.id,
            list_kind=kind.code,
            origin="decision",
            proposed_by_org_id=by.organisation_id,
            source_record_id=data.source_record_id,
            legal_basis=data.legal_basis,
            reason=data.reason,
        )
        return workflow.create(session, entry, kind)

    def transition(
        self,
        session: Session,
        entry_id: int,
        target: ListStatus,
        reason: str | None,
        by: Principal,
        version: int | None = None,
    ) -> ListEntry:
        entry = self.get(session, entry_id)
        if version is not None and version != entry.version:
            raise Conflict(
                f"list entry {entry_id} is at version {entry.version}, not {version}: "
                "it changed since it was read"
            )
        kind = self.kind(entry.list_kind)
        return workflow.move(session, entry, kind, target, by, self.today(), reason)

    def remove(self, session: Session, entry_id: int, reason: str, by: Principal) -> ListEntry:
        """Take an entry off its list (repair granted, basis revoked, or a decision)."""
        return self.transition(session, entry_id, ListStatus.REMOVED, reason, by)

    def queue(
        self,
        session: Session,
        request: PageRequest,
        status: ListStatus | None = None,
        list_kind: str | None = None,
    ) -> Page[ListEntry]:
        if list_kind is not None:
            self.kind(list_kind, "kind")
        return list_entry_repository.queue(session, request, status, list_kind)

    def of_subject(self, session: Session, subject_id: int) -> list[ListEntry]:
        """Every entry of the subject, in any status, oldest first (staff view)."""
        return list_entry_repository.of_subject(session, subject_id)

    def shown_of_subject(self, session: Session, subject_id: int) -> list[ListEntry]:
        """The subject's entries the public sees: on a public list, publicised or effective."""
        codes = [kind.code for kind in self.kinds.public()]
        return list_entry_repository.shown_of_subject(session, subject_id, codes)

    def public_page(
        self, session: Session, list_kind: str, where: PublicFilter, request: PageRequest
    ) -> Page[tuple[ListEntry, Subject]]:
        """Members and publicised proposals of a public list (404 for an unknown or private one)."""
        kind = self.kinds.get(list_kind)
        if kind is None or not kind.public:
            raise NotFound(f"no public list '{list_kind}'")
        return list_entry_repository.public_page(session, list_kind, where, request)

    def notices(self, session: Session, subject_id: int) -> list[Notice]:
        """Every notice sent to the subject, oldest first."""
        return list_entry_repository.notices(session, subject_id)

    def sweep(self, session: Session, today: date, catalog: Catalog | None = None) -> SweepResult:
        """Nightly: criteria for every candidate subject, publicity ended → effective, validity
        ended → expired."""
        proposed = sum(
            len(propose_by_criteria(session, subject_id, today, catalog))
            for subject_id in candidate_subjects(session, self.kinds)
        )
        effective = list_entry_repository.due_effective(session, today)
        for entry in effective:
            kind = self.kind(entry.list_kind)
            workflow.move(session, entry, kind, ListStatus.EFFECTIVE, SYSTEM, today)
        expired = list_entry_repository.due_expiry(session, today)
        for entry in expired:
            kind = self.kind(entry.list_kind)
            workflow.move(session, entry, kind, ListStatus.EXPIRED, SYSTEM, today, "有效期届满")
        return SweepResult(proposed=proposed, effective=len(effective), expired=len(expired))

    def _subject(self, session: Session, data: ListEntryCreate) -> Subject:
        if data.subject_id is not None:
            subject = session.get(Subject, data.subject_id)
            if subject is None:
                raise InvalidInput(
                    "subject_id", "exists", f"subject_id: subject {data.subject_id} does not exist"
                )
            return subject
        try:
            return subject_service.find_by_code(session, data.subject_code or "", "subject_code")
        except NotFound as exc:
            raise InvalidInput("subject_code", "exists", f"subject_code: {exc.message}") from exc

    def _source(self, session: Session, record_id: int | None, subject_id: int) -> None:
        if record_id is None:
            return
        record = session.get(CreditRecord, record_id)
        if record is None or record.subject_id != subject_id:
            raise InvalidInput(
                "source_record_id", "exists",
                f"source_record_id: record {record_id} is not a record of subject {subject_id}",
            )  # fmt: skip


listing_service = ListingService()


def remove(session: Session, entry_id: int, reason: str, by: Principal) -> ListEntry:
    """Remove a list entry (publicised or effective): the repair domain's entry point."""
    return listing_service.remove(session, entry_id, reason, by)
