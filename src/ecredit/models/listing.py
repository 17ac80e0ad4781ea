"""Red, black and watch lists: entries with a workflow from proposal to expiry or removal."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import StrEnumType
from ecredit.kit.workflow import TransitionTable
from ecredit.models.base import Base, Timestamped


class ListStatus(StrEnum):
    PROPOSED = "proposed"
    UNDER_REVIEW = "under_review"
    PUBLICISED = "publicised"  # 公示: open for objections for N working days
    EFFECTIVE = "effective"
    EXPIRED = "expired"
    REMOVED = "removed"  # by repair, revocation of the basis, or a decision
    REJECTED = "rejected"  # the proposal was not confirmed


LIST_TRANSITIONS = TransitionTable[ListStatus](
    name="list entry",
    allowed={
        ListStatus.PROPOSED: frozenset({ListStatus.UNDER_REVIEW, ListStatus.REJECTED}),
        ListStatus.UNDER_REVIEW: frozenset({ListStatus.PUBLICISED, ListStatus.REJECTED}),
        ListStatus.PUBLICISED: frozenset(
            {ListStatus.EFFECTIVE, ListStatus.REJECTED, ListStatus.REMOVED}
        ),
        ListStatus.EFFECTIVE: frozenset({ListStatus.EXPIRED, ListStatus.REMOVED}),
    },
)
"""proposed → under review → publicised for objections (公示) → effective → expired at the end
of validity, or removed (repair, revocation); a proposal may be rejected until it is effective;
an objection upheld during publicity removes it."""


class ListEntry(Timestamped, Base):
    """A subject's membership (proposed or actual) of one list kind."""

    __tablename__ = "list_entry"
    __audited__ = True
    __table_args__ = (Index("ix_list_entry_subject_status", "subject_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    list_kind: Mapped[str] = mapped_column(String(60), index=True)
    status: Mapped[ListStatus] = mapped_column(StrEnumType(ListStatus))
    # "criteria:<rule>" for an automatic proposal, "decision" for a department's decision.
    origin: Mapped[str] = mapped_column(String(80))
    proposed_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    decided_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))
    legal_basis: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text)
    publicity_from: Mapped[date | None] = mapped_column(Date)
    publicity_until: Mapped[date | None] = mapped_column(Date)
    effective_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(500))
    # Optimistic locking: of two concurrent transitions of one entry, exactly one commits.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declaration
