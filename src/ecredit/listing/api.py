"""Thin JSON routes of red, black and watch lists: public pages, staff queue and decisions,
and the notices a subject has received."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.errors import NotFound
from ecredit.kit.paging import MAX_PAGE_SIZE, PageRequest
from ecredit.kit.schemas import PageOut
from ecredit.listing import views
from ecredit.listing.repository import PublicFilter, list_entry_repository
from ecredit.listing.schemas import (
    ListEntryCreate,
    ListEntryDetail,
    ListEntryRead,
    ListKindRead,
    NoticeRead,
    PublicListEntry,
    TransitionRequest,
)
from ecredit.listing.service import ListingService, listing_service
from ecredit.models.listing import ListStatus
from ecredit.models.subject import SubjectKind
from ecredit.subject.service import subject_service

router = APIRouter(tags=["lists"])
public_router = APIRouter(prefix="/public", tags=["public"])
PageNumber = Annotated[int, Query(ge=1)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


def get_listing(request: Request) -> ListingService:
    """The app's listing service (tests put one on a fixed clock in app.state.listing)."""
    service = getattr(request.app.state, "listing", None)
    return service if isinstance(service, ListingService) else listing_service


ListingDep = Annotated[ListingService, Depends(get_listing)]


@public_router.get("/lists", response_model=list[ListKindRead])
def public_lists(session: SessionDep, listing: ListingDep) -> list[ListKindRead]:
    """The public red and black lists, with their legal basis, validity and publicity period."""
    return [views.kind_read(session, kind) for kind in listing.kinds.public()]


@public_router.get("/lists/{kind}/entries", response_model=PageOut[PublicListEntry])
def public_list_entries(
    kind: str,
    session: SessionDep,
    listing: ListingDep,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    region: Annotated[str | None, Query(pattern=r"^[0-9]{2,6}$")] = None,
    subject_kind: SubjectKind | None = None,
    page: PageNumber = 1,
    size: PageSize = 20,
) -> PageOut[PublicListEntry]:
    """Members of a list and proposals publicised for objections; search by name, pinyin or
    code (`q`), filter by region code prefix or subject kind."""
    spec = listing.kinds.get(kind)
    if spec is None or not spec.public:
        raise NotFound(f"no public list '{kind}'")
    where = PublicFilter(q=q, region=region, subject_kind=subject_kind)
    found = list_entry_repository.public_page(session, kind, where, PageRequest(page, size))
    items = [views.public_entry(entry, subject) for entry, subject in found.items]
    return PageOut(items=items, total=found.total, page=found.page, size=found.size)


@public_router.get("/subjects/{subject_id}/lists", response_model=list[PublicListEntry])
def public_memberships(
    subject_id: int, session: SessionDep, listing: ListingDep
) -> list[PublicListEntry]:
    """A subject's public list memberships (effective, or publicised for objections)."""
    subject = subject_service.get(session, subject_id)
    codes = [kind.code for kind in listing.kinds.public()]
    entries = list_entry_repository.shown_of_subject(session, subject_id, codes)
    return [views.public_entry(entry, subject) for entry in entries]


@router.post("/list-entries", status_code=201, response_model=ListEntryRead)
def propose_entry(
    data: ListEntryCreate,
    session: SessionDep,
    listing: ListingDep,
    principal: Principal = Requires(Scope.LIST_PROPOSE),
) -> ListEntryRead:
    """Propose a subject for a list by decision, with the legal basis and the reason."""
    return views.entry_read(listing.propose(session, data, principal))


@router.post("/list-entries/{entry_id}/transitions", response_model=ListEntryRead)
def transition_entry(
    entry_id: int,
    data: TransitionRequest,
    session: SessionDep,
    listing: ListingDep,
    principal: Principal = Requires(Scope.LIST_DECIDE),
) -> ListEntryRead:
    """Move an entry: under_review, publicised, effective (after publicity), rejected or
    removed (with a reason), expired (after validity). A forbidden or concurrent move is a 409."""
    entry = listing.transition(session, entry_id, data.status, data.reason, principal,
                               data.version)  # fmt: skip
    return views.entry_read(entry)


@router.get("/list-entries", response_model=PageOut[ListEntryRead])
def list_queue(
    session: SessionDep,
    listing: ListingDep,
    status: ListStatus | None = None,
    kind: str | None = None,
    page: PageNumber = 1,
    size: PageSize = 20,
    _: Principal = Requires(Scope.RECORD_READ),
) -> PageOut[ListEntryRead]:
    """The staff queue of list entries, by status and list kind."""
    found = listing.queue(session, PageRequest(page, size), status, kind)
    items = [views.entry_read(entry) for entry in found.items]
    return PageOut(items=items, total=found.total, page=found.page, size=found.size)


@router.get("/list-entries/{entry_id}", response_model=ListEntryDetail)
def get_entry(
    entry_id: int,
    session: SessionDep,
    listing: ListingDep,
    _: Principal = Requires(Scope.RECORD_READ),
) -> ListEntryDetail:
    return views.entry_detail(session, listing.get(session, entry_id))


@router.get("/subjects/{subject_id}/notices", response_model=list[NoticeRead])
def subject_notices(
    subject_id: int, session: SessionDep, _: Principal = Requires(Scope.RECORD_READ)
) -> list[NoticeRead]:
    """Every notice sent to the subject (列入告知, 公示, 列入决定, 移出 …), oldest first."""
    subject_service.get(session, subject_id)
    notices = list_entry_repository.notices(session, subject_id)
    return [NoticeRead.model_validate(notice) for notice in notices]
