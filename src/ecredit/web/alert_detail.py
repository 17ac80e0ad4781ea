"""One alert's page: the finding, its evidence drawn per detector (the brushing chart; a review
ring's chart of its reviews here, its members and reviews; tables for the other detectors) and
the decision.

Regulators (alert:review, government) see the confirm and dismiss forms of an open alert; a
platform's users (alert:read) see the alerts about their own shops read-only. Another
platform's alert answers 404, as an unknown one does: a platform learns nothing about it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.requests import Request

from ecredit.alert.service import alert_service
from ecredit.authz.policies import may_review_alert
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.clock import SHANGHAI
from ecredit.kit.errors import Forbidden, NotFound
from ecredit.models.alert import ALERT_TRANSITIONS, Alert, AlertStatus
from ecredit.models.subject import Shop, Subject
from ecredit.subject.views import public_name
from ecredit.web import csrf, i18n, plotly_assets
from ecredit.web.alert_chart import brushing_figure
from ecredit.web.alert_evidence import EvidenceView, evidence_view, review_page, reviewer_rows
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.credit import type_label
from ecredit.web.render import PortalError, render
from ecredit.web.ring_chart import ring_figure
from ecredit.web.staff import staff_work

STATUSES = frozenset(s.value for s in AlertStatus)
MAX_ROWS = 200  # rows of one evidence table; the rest are counted ("the first 200 of …")
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


def may_decide(principal: Principal) -> bool:
    """Whether to offer confirm and dismiss: the scope, and the policy (never a platform)."""
    return principal.has(Scope.ALERT_REVIEW) and may_review_alert(principal).allowed


def at_second(moment: datetime | None) -> str:
    """An evidence instant in Beijing time to the second (windows are exact to the second)."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


@router.get("/staff/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(
    request: Request, alert_id: int, principal: StaffDep, page: int = 1, moved: str = ""
) -> Response:
    require_scope(principal, Scope.ALERT_READ)
    notice = moved if moved in STATUSES else None
    return detail_page(request, principal, alert_id, {"notice": notice, "review_page": page})


def detail_page(
    request: Request, principal: Principal, alert_id: int, extra: dict[str, Any], code: int = 200
) -> Response:
    """The page, with `extra` (a notice, a refused decision) in its context."""
    with staff_work(request, principal) as session:
        try:
            alert = alert_service.get(session, alert_id, principal)
        except (NotFound, Forbidden) as exc:
            raise PortalError(404) from exc
        context = _finding_context(session, alert)
    view = evidence_view(alert.detector, alert.evidence)
    context |= _evidence_context(request, view, int(extra.get("review_page") or 1))
    context |= {
        "may_decide": may_decide(principal) and bool(ALERT_TRANSITIONS.allowed.get(alert.status)),
        "type_name": type_label(request), "at": at_second, "max_rows": MAX_ROWS, **extra,
    }  # fmt: skip
    return render(request, "alerts/detail.html", context, code)


def _finding_context(session: Session, alert: Alert) -> dict[str, Any]:
    platform = session.get(Subject, alert.platform_id)
    subject = session.get(Subject, alert.subject_id) if alert.subject_id else None
    shop = session.get(Shop, alert.shop_id) if alert.shop_id else None
    return {
        "a": alert,
        "platform_name": platform.name if platform else "",
        # A natural person's name masked, as everywhere outside the personal-data view.
        "subject_name": public_name(subject) if subject else "",
        "shop_name": shop.name if shop else "",
        "related": alert_service.related(session, alert),
    }


def _evidence_context(request: Request, view: EvidenceView, page: int) -> dict[str, Any]:
    context: dict[str, Any] = {"view": view, "ev": view.evidence}
    translate = i18n.translator(i18n.resolve_language(request))
    if view.template == "brushing.html":
        context["chart"] = brushing_figure(view.evidence, translate)
    elif view.template == "review_ring.html":
        context["chart"] = ring_figure(view.evidence, translate)
        context["reviews"] = review_page(view.evidence, page)
        context["reviewers"] = reviewer_rows(view.evidence)
    if context.get("chart"):
        context["plotly"] = {
            "js": plotly_assets.js_url(),
            "css": plotly_assets.css_url(),
            "maps_css": plotly_assets.maps_css_url(),
            "maps_css_id": plotly_assets.maps_css_id(),
        }
    return context
