"""The public query window: search, a subject's public page, the website check.

Only the public view (views.public_view / public_name) reaches these templates, so personal
data leaves masked by the one masking function; the internal view is never used here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, Response
from starlette.requests import Request

from ecredit.kit.db import Database
from ecredit.kit.errors import InvalidInput, NotFound
from ecredit.parameters.service import parameter_service
from ecredit.subject import views
from ecredit.subject.search import search
from ecredit.subject.service import subject_service
from ecredit.subject.website import website_service
from ecredit.web import csrf
from ecredit.web.credit import public_credit
from ecredit.web.render import PortalError, render
from ecredit.web.standing import public_standing

MAX_QUERY = 100
RESULT_LIMIT = 20
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return render(request, "public/index.html", {"q": ""})


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "") -> Response:
    context: dict[str, object] = {"q": q, "hits": None, "error": None}
    if len(q.strip()) > MAX_QUERY:
        context["error"] = "search.too_long"
        return render(request, "public/search.html", context, status=422)
    database: Database = request.app.state.db
    try:
        with database.unit_of_work() as session:
            min_score = parameter_service.get(session, "search.fuzzy_min_score")
            hits = search(session, request.app.state.vault, q, RESULT_LIMIT, min_score)
            context["hits"] = [views.search_hit(hit, public=True) for hit in hits]
    except InvalidInput as exc:
        # The service's own words name the rule; the page shows them in the reader's language.
        context["error"] = "search.short" if exc.problems[0].rule == "min_length" else None
        context["error_text"] = exc.message
        return render(request, "public/search.html", context, status=422)
    return render(request, "public/search.html", context)


@router.get("/subjects/{subject_id}", response_class=HTMLResponse)
def subject_page(request: Request, subject_id: int) -> Response:
    database: Database = request.app.state.db
    try:
        with database.unit_of_work() as session:
            subject = subject_service.get(session, subject_id)
            public = views.public_view(session, request.app.state.vault, subject)
            credit = public_credit(request, session, subject.id)
            standing = public_standing(request, session, subject.id)
    except NotFound as exc:
        raise PortalError(404) from exc
    return render(request, "public/subject.html", {"subject": public, **credit, **standing})


@router.get("/verify-site", response_class=HTMLResponse)
def verify_site_form(request: Request) -> Response:
    return render(request, "public/verify_site.html", {"domain": "", "verdict": None})


@router.post("/verify-site", response_class=HTMLResponse)
def verify_site(request: Request, domain: Annotated[str, Form()] = "") -> Response:
    database: Database = request.app.state.db
    context: dict[str, object] = {"domain": domain, "verdict": None}
    try:
        with database.unit_of_work() as session:
            max_distance = parameter_service.get(session, "domain.lookalike_max_distance")
            checked, owner, lookalikes = website_service.verdict(session, domain, max_distance)
            owner_subject = subject_service.get(session, owner.subject_id) if owner else None
            context["verdict"] = {
                "domain": checked,
                "owner_id": owner_subject.id if owner_subject else None,
                "owner_name": views.public_name(owner_subject) if owner_subject else None,
                "lookalikes": lookalikes,
            }
    except InvalidInput as exc:
        context["error_text"] = exc.message
        return render(request, "public/verify_site.html", context, status=422)
    return render(request, "public/verify_site.html", context)
