"""Thin JSON routes of alerts: a platform reads the alerts about its shops; a regulator confirms
(→ a credit record) or dismisses them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ecredit.alert.evidence import subject_note, summarise
from ecredit.alert.schemas import AlertConfirm, AlertDismiss, AlertFilter, AlertRead
from ecredit.alert.service import alert_service
from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.paging import MAX_PAGE_SIZE, PageRequest
from ecredit.kit.schemas import PageOut
from ecredit.models.alert import Alert
from ecredit.record.deps import RecordsDep

router = APIRouter(prefix="/alerts", tags=["alerts"])
Read = Requires(Scope.ALERT_READ)
Review = Requires(Scope.ALERT_REVIEW)


def alert_read(alert: Alert) -> AlertRead:
    read = AlertRead.model_validate(alert)
    return read.model_copy(update={"subject_note": subject_note(alert),
                                   "summary": summarise(alert)})  # fmt: skip


@router.get("", response_model=PageOut[AlertRead])
def list_alerts(
    session: SessionDep,
    where: Annotated[AlertFilter, Depends()],
    principal: Principal = Read,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> PageOut[AlertRead]:
    """Alerts newest first, filtered by status, platform, detector, record type, shop or
    subject; a platform's key sees the alerts about its own shops only."""
    found = alert_service.page(session, principal, PageRequest(page, size), where)
    items = [alert_read(alert) for alert in found.items]
    return PageOut(items=items, total=found.total, page=found.page, size=found.size)


@router.get("/{alert_id}", response_model=AlertRead)
def get_alert(alert_id: int, session: SessionDep, principal: Principal = Read) -> AlertRead:
    """One alert with its evidence."""
    return alert_read(alert_service.get(session, alert_id, principal))


@router.post("/{alert_id}/confirm", response_model=AlertRead)
def confirm_alert(
    alert_id: int,
    data: AlertConfirm,
    session: SessionDep,
    records: RecordsDep,
    principal: Principal = Review,
) -> AlertRead:
    """open → confirmed: records a credit fact of the finding's type about the alert's subject,
    the evidence summarised and referenced (409 when the alert is no longer open)."""
    return alert_read(alert_service.confirm(session, records, alert_id, data, principal))


@router.post("/{alert_id}/dismiss", response_model=AlertRead)
def dismiss_alert(
    alert_id: int, data: AlertDismiss, session: SessionDep, principal: Principal = Review
) -> AlertRead:
    """open → dismissed, with the reason (409 when the alert is no longer open)."""
    return alert_read(alert_service.dismiss(session, alert_id, data.reason, principal))
