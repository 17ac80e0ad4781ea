"""The public red and black lists: the kinds, and each list's entries with search, filters and
pages. Only public kinds exist here (a watch list is not published); entries come through
`listing.views.public_entry`, so a natural person's name is masked."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from starlette.requests import Request

from ecredit.kit.db import Database
from ecredit.kit.errors import NotFound
from ecredit.kit.paging import PageRequest
from ecredit.listing import views
from ecredit.listing.repository import PublicFilter
from ecredit.models.subject import SubjectKind
from ecredit.web import csrf, services
from ecredit.web.render import PortalError, render
from ecredit.web.standing import kind_label

PAGE_SIZE = 20
MAX_QUERY = 100
REGION = re.compile(r"^[0-9]{2,6}$")
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@router.get("/lists", response_class=HTMLResponse)
def list_kinds(request: Request) -> Response:
    listing = services.listing(request)
    database: Database = request.app.state.db
    with database.unit_of_work() as session:
        kinds = [views.kind_read(session, kind) for kind in listing.kinds.public()]
    return render(request, "public/lists.html", {"kinds": kinds})


@router.get("/lists/{kind}", response_class=HTMLResponse)
def list_page(
    request: Request, kind: str, q: str = "", region: str = "", subject_kind: str = "",
    page: int = 1,
) -> Response:  # fmt: skip
    listing = services.listing(request)
    filters, errors = _filters(q, region, subject_kind)
    page = max(1, min(page, 10_000))
    database: Database = request.app.state.db
    try:
        with database.unit_of_work() as session:
            found = listing.public_page(session, kind, filters, PageRequest(page, PAGE_SIZE))
            spec = views.kind_read(session, listing.kind(kind))
            entries = [views.public_entry(entry, subject) for entry, subject in found.items]
    except NotFound as exc:
        raise PortalError(404) from exc
    context: dict[str, Any] = {
        "kind": spec,
        "entries": entries,
        "total": found.total,
        "page": found.page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "values": {"q": q, "region": region, "subject_kind": subject_kind},
        "errors": errors,
        "subject_kinds": [k.value for k in SubjectKind if k in listing.kind(kind).subject_kinds],
        "page_url": lambda number: _page_url(request, number),
        "kind_name": kind_label(request, listing.kinds),
        "today": services.today(request),
    }
    return render(request, "public/list.html", context, 422 if errors else 200)


def _filters(q: str, region: str, subject_kind: str) -> tuple[PublicFilter, dict[str, str]]:
    """The filters that are valid; each invalid one is named and left out."""
    errors: dict[str, str] = {}
    text = q.strip()
    if len(text) > MAX_QUERY:
        errors["q"] = "lists.q_too_long"
        text = ""
    code = region.strip()
    if code and not REGION.match(code):
        errors["region"] = "lists.region_invalid"
        code = ""
    try:
        chosen = SubjectKind(subject_kind) if subject_kind else None
    except ValueError:
        errors["subject_kind"] = "lists.kind_invalid"
        chosen = None
    return PublicFilter(q=text or None, region=code or None, subject_kind=chosen), errors


def _page_url(request: Request, number: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return f"{request.url.path}?{urlencode([*params, ('page', str(number))])}"
