"""Raising detector findings as alerts, and a regulator's decision on each (flush only).

A finding is raised once: its fingerprint is unique, so running a detector again over the same
data counts the finding as a duplicate and changes nothing. Confirming an alert records a credit
fact of the finding's catalogue type through the record service (ledgered like any record).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecredit.alert import repository as repo
from ecredit.alert.evidence import evidence_refs, summarise
from ecredit.alert.schemas import AlertConfirm, AlertFilter, RaiseCounts
from ecredit.audit.context import actor_of
from ecredit.authz.policies import may_review_alert, may_see_alerts
from ecredit.authz.principals import Principal
from ecredit.detection.finding import Finding
from ecredit.detection.finding import fingerprint as finding_fingerprint
from ecredit.kit.errors import InvalidInput, NotFound
from ecredit.kit.paging import Page, PageRequest
from ecredit.models.alert import ALERT_TRANSITIONS, Alert, AlertStatus, SubjectMatch
from ecredit.models.base import utcnow
from ecredit.models.org import OrgKind
from ecredit.models.subject import Shop
from ecredit.record.schemas import RecordCreate
from ecredit.record.service import RecordService

log = structlog.get_logger(__name__)


def _alert(finding: Finding, shop: Shop | None) -> Alert:
    match = SubjectMatch.NO_SHOP if finding.shop_code is None else SubjectMatch.UNKNOWN_SHOP
    return Alert(
        fingerprint=finding.fingerprint, detector=finding.detector,
        record_type=finding.record_type, platform_id=finding.platform_id,
        shop_code=finding.shop_code, shop_id=shop.id if shop else None,
        subject_id=shop.merchant_id if shop else None,
        subject_match=SubjectMatch.MATCHED if shop else match, score=float(finding.score),
        key=list(finding.key), window_start=finding.window_start,
        window_end=finding.window_end, evidence=dict(finding.evidence),
        status=AlertStatus.OPEN,
    )  # fmt: skip


def _shop_codes(evidence: dict[str, Any], key: str) -> list[str]:
    """The shop codes an evidence lists under `key` (none if it lists something else)."""
    listed = evidence.get(key)
    return [code for code in listed if isinstance(code, str)] if isinstance(listed, list) else []


class AlertService:
    def raise_findings(self, session: Session, findings: Iterable[Finding]) -> RaiseCounts:
        """Every finding not raised before becomes an open alert about its shop's merchant.

        Each finding given is counted once: raised, raised before (`duplicate`), repeated
        earlier in `findings`, or for a platform that is not registered. The last are not
        raised (an alert is about a platform's shop, and no regulator could act on one about
        nobody) but counted and logged: lake data of an unknown platform is a data problem
        the run must show, not a case."""
        given = list(findings)
        fresh: dict[str, Finding] = {}
        for finding in given:
            fresh.setdefault(finding.fingerprint, finding)
        strays = self._unregistered(session, fresh)
        known = repo.known_fingerprints(session, fresh)
        for fingerprint in known:
            del fresh[fingerprint]
        pairs = {(f.platform_id, f.shop_code) for f in fresh.values() if f.shop_code is not None}
        shops = repo.shops(session, pairs)
        alerts = [_alert(f, shops.get((f.platform_id, f.shop_code or ""))) for f in fresh.values()]
        raised = self._insert(session, alerts)
        return RaiseCounts(
            raised=len(raised), duplicate=len(known) + len(alerts) - len(raised),
            repeated=len(given) - len(fresh) - len(known) - strays, unregistered_platform=strays,
            unknown_shop=sum(1 for a in raised if a.subject_match is SubjectMatch.UNKNOWN_SHOP),
        )  # fmt: skip

    def _unregistered(self, session: Session, fresh: dict[str, Finding]) -> int:
        """Take the findings of unregistered platforms out of `fresh`; returns how many."""
        registered = repo.registered_platforms(session, {f.platform_id for f in fresh.values()})
        strays = [key for key, f in fresh.items() if f.platform_id not in registered]
        if strays:
            platforms = sorted({fresh[key].platform_id for key in strays})
            log.warning("alert.unregistered_platform", platforms=platforms, findings=len(strays))
        for key in strays:
            del fresh[key]
        return len(strays)

    def _insert(self, session: Session, alerts: list[Alert]) -> list[Alert]:
        """All at once; if a concurrent run raised some meanwhile, one by one, skipping those
        (and only those: any other refusal is an error of ours and propagates)."""
        try:
            with session.begin_nested():
                session.add_all(alerts)
            return alerts
        except IntegrityError:
            pass
        inserted = []
        for alert in alerts:
            try:
                with session.begin_nested():
                    session.add(alert)
                inserted.append(alert)
            except IntegrityError:
                if not repo.known_fingerprints(session, [alert.fingerprint]):
                    raise
        return inserted

    def get(self, session: Session, alert_id: int, principal: Principal) -> Alert:
        alert = session.get(Alert, alert_id)
        if alert is None:
            raise NotFound(f"no alert {alert_id}")
        may_see_alerts(principal, alert.platform_id).enforce()
        return alert

    def related(self, session: Session, alert: Alert) -> dict[str, int]:
        """Alerts of the same case, by shop code: a review ring's alerts at its other shops (the
        ring's fingerprint at each), the brushing alerts of an account ring's shops (newest).
        They are all on the alert's platform, so whoever may see it may see them."""
        if alert.detector == "review_ring":
            shops = [s for s in _shop_codes(alert.evidence, "shops") if s != alert.shop_code]
            wanted = {finding_fingerprint(alert.detector, alert.platform_id, shop, alert.key): shop
                      for shop in shops}  # fmt: skip
            return {wanted[found.fingerprint]: found.id
                    for found in repo.by_fingerprints(session, wanted)}  # fmt: skip
        if alert.detector == "account_ring":
            shops = _shop_codes(alert.evidence, "brushing_shops")
            return repo.newest_about_shops(session, alert.platform_id, "brushing", shops)
        return {}

    def page(
        self, session: Session, principal: Principal, request: PageRequest, where: AlertFilter
    ) -> Page[Alert]:
        """A platform sees the alerts about its own shops only, whatever it filters by."""
        if principal.org_kind is OrgKind.PLATFORM:
            where = where.model_copy(update={"platform_id": principal.org_subject_id})
        else:
            may_see_alerts(principal, where.platform_id or -1).enforce()
        return repo.page(session, request, where)

    def confirm(
        self, session: Session, records: RecordService, alert_id: int, data: AlertConfirm,
        by: Principal,
    ) -> Alert:  # fmt: skip
        """open → confirmed, with a credit record of the finding's type about its subject."""
        alert = self._decide(session, alert_id, AlertStatus.CONFIRMED, by)
        subject_id = alert.subject_id or data.subject_id
        if subject_id is None:
            message = "subject_id: this alert names no registered shop; say whose record it is"
            raise InvalidInput("subject_id", "required_when_unmatched", message)
        record = records.submit(session, RecordCreate(
            subject_id=subject_id, type_code=alert.record_type, severity=data.severity,
            decision_no=data.decision_no or f"ALERT-{alert.id}", decision_date=records.today(),
            summary=summarise(alert, data.note), evidence_refs=evidence_refs(alert),
        ), by)  # fmt: skip
        self._close(alert, AlertStatus.CONFIRMED, data.note, session)
        alert.subject_id, alert.record_id = subject_id, record.id
        session.flush()
        return alert

    def dismiss(self, session: Session, alert_id: int, reason: str, by: Principal) -> Alert:
        """open → dismissed, with the reason."""
        alert = self._decide(session, alert_id, AlertStatus.DISMISSED, by)
        self._close(alert, AlertStatus.DISMISSED, reason, session)
        session.flush()
        return alert

    def _decide(self, session: Session, alert_id: int, target: AlertStatus, by: Principal) -> Alert:
        may_review_alert(by).enforce()
        alert = repo.locked(session, alert_id)
        if alert is None:
            raise NotFound(f"no alert {alert_id}")
        ALERT_TRANSITIONS.check(alert.status, target)
        return alert

    def _close(
        self, alert: Alert, status: AlertStatus, reason: str | None, session: Session
    ) -> None:
        alert.status, alert.decision_reason = status, reason
        alert.decided_by, alert.decided_at = actor_of(session), utcnow()


alert_service = AlertService()
