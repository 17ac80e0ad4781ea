"""Raising findings once, mapping them to the registry, and the regulator's decision."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.alert.schemas import AlertConfirm, AlertFilter, RaiseCounts
from ecredit.alert.service import alert_service
from ecredit.authz.principals import SYSTEM
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, Forbidden, InvalidInput
from ecredit.kit.paging import PageRequest
from ecredit.models.alert import Alert, AlertStatus, SubjectMatch
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord
from ecredit.record.service import RecordService
from tests.alert.conftest import Market, market
from tests.factories import orgs
from tests.factories.alerts import finding


def _alerts(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Alert)) or 0


class TestRaise:
    def test_maps_shop_to_merchant_when_shop_registered(
        self, session: Session, shop_market: Market
    ) -> None:
        counts = alert_service.raise_findings(
            session, [finding(shop_market.platform_id, shop_market.shop_code)]
        )
        assert (counts.raised, counts.duplicate, counts.unknown_shop) == (1, 0, 0)
        alert = session.scalars(select(Alert)).one()
        assert (alert.subject_id, alert.shop_id) == (shop_market.merchant_id, shop_market.shop_id)
        assert alert.subject_match is SubjectMatch.MATCHED
        assert alert.evidence["orders"] == ["o1", "o2", "o3"]
        assert alert.status is AlertStatus.OPEN

    def test_keeps_alert_without_subject_when_shop_unknown(
        self, session: Session, shop_market: Market
    ) -> None:
        counts = alert_service.raise_findings(
            session, [finding(shop_market.platform_id, "NOT-REGISTERED"),
                      finding(shop_market.platform_id, None, detector="review_ring")],
        )  # fmt: skip
        assert (counts.raised, counts.unknown_shop) == (2, 1)
        matches = set(session.scalars(select(Alert.subject_match)))
        assert matches == {SubjectMatch.UNKNOWN_SHOP, SubjectMatch.NO_SHOP}
        assert set(session.scalars(select(Alert.subject_id))) == {None}

    def test_counts_duplicate_and_changes_nothing_when_raised_again(
        self, session: Session, shop_market: Market
    ) -> None:
        same = finding(shop_market.platform_id, shop_market.shop_code, key=("w1",))
        alert_service.raise_findings(session, [same])
        stored = session.scalars(select(Alert)).one()
        stored_at, evidence = stored.updated_at, dict(stored.evidence)
        rerun = finding(shop_market.platform_id, shop_market.shop_code, key=("w1",), score=0.1,
                        evidence={"orders": []})  # fmt: skip
        counts = alert_service.raise_findings(session, [rerun, rerun])
        assert (counts.raised, counts.duplicate, counts.repeated) == (0, 1, 1)
        session.refresh(stored)
        assert (stored.updated_at, stored.evidence, stored.score) == (stored_at, evidence, 0.93)
        assert _alerts(session) == 1

    def test_counts_repeat_once_when_same_finding_given_twice_in_one_call(
        self, session: Session, shop_market: Market
    ) -> None:
        same = finding(shop_market.platform_id, shop_market.shop_code, key=("w1",))
        other = finding(shop_market.platform_id, shop_market.shop_code, key=("w2",))
        counts = alert_service.raise_findings(session, [same, other, same, same])
        assert counts == RaiseCounts(raised=2, duplicate=0, repeated=2)
        assert _alerts(session) == 2

    def test_raises_nothing_but_counts_when_platform_not_registered(
        self, session: Session, shop_market: Market
    ) -> None:
        merchant, missing = shop_market.merchant_id, shop_market.platform_id + 10_000
        strays = [finding(merchant, "S1"), finding(missing, "S1"), finding(missing, None)]
        good = finding(shop_market.platform_id, shop_market.shop_code)
        counts = alert_service.raise_findings(session, [*strays, good, strays[0]])
        assert counts == RaiseCounts(raised=1, repeated=1, unregistered_platform=3)
        assert set(session.scalars(select(Alert.platform_id))) == {shop_market.platform_id}

    def test_every_finding_counted_once_when_mixed(
        self, session: Session, shop_market: Market
    ) -> None:
        before = finding(shop_market.platform_id, shop_market.shop_code)
        alert_service.raise_findings(session, [before])
        given = [before, before, finding(shop_market.platform_id, "NEW"),
                 finding(shop_market.merchant_id, "S9")]  # fmt: skip
        counts = alert_service.raise_findings(session, given)
        assert counts == RaiseCounts(
            raised=1, duplicate=1, repeated=1, unregistered_platform=1, unknown_shop=1
        )
        parts = counts.raised + counts.duplicate + counts.repeated + counts.unregistered_platform
        assert parts == len(given)


class TestDecide:
    def test_records_credit_fact_when_regulator_confirms(
        self, session: Session, shop_market: Market, records: RecordService
    ) -> None:
        alert_service.raise_findings(
            session, [finding(shop_market.platform_id, shop_market.shop_code)]
        )
        alert = session.scalars(select(Alert)).one()
        office = orgs.principal(orgs.organisation(session, OrgKind.CREDIT_OFFICE))
        alert_service.confirm(session, records, alert.id, AlertConfirm(note="查实"), office)
        record = session.get(CreditRecord, alert.record_id)
        assert record is not None
        assert (record.subject_id, record.type_code) == (shop_market.merchant_id, "order_brushing")
        assert f"alert:{alert.id}" in record.evidence_refs
        assert "orders: [o1, o2, o3]" in (record.summary or "")
        assert "查实" in (record.summary or "")
        assert alert.status is AlertStatus.CONFIRMED

    def test_refuses_409_when_decided_alert_decided_again(
        self, session: Session, shop_market: Market, records: RecordService
    ) -> None:
        alert_service.raise_findings(session, [finding(shop_market.platform_id, None)])
        alert = session.scalars(select(Alert)).one()
        alert_service.dismiss(session, alert.id, "正常促销活动", SYSTEM)
        assert alert.decision_reason == "正常促销活动"
        with pytest.raises(Conflict, match="dismissed"):
            alert_service.confirm(session, records, alert.id, AlertConfirm(), SYSTEM)

    def test_asks_for_subject_when_confirming_unmatched_alert(
        self, session: Session, vault: Vault, records: RecordService
    ) -> None:
        other = market(session, vault)
        alert_service.raise_findings(session, [finding(other.platform_id, "UNKNOWN")])
        alert = session.scalars(select(Alert)).one()
        with pytest.raises(InvalidInput) as refused:
            alert_service.confirm(session, records, alert.id, AlertConfirm(), SYSTEM)
        assert refused.value.problems[0].field == "subject_id"
        named = AlertConfirm(subject_id=other.merchant_id)
        assert alert_service.confirm(session, records, alert.id, named, SYSTEM).record_id

    def test_forbids_platform_to_decide_or_see_other_platforms(
        self, session: Session, vault: Vault, shop_market: Market, records: RecordService
    ) -> None:
        alert_service.raise_findings(
            session, [finding(shop_market.platform_id, shop_market.shop_code)]
        )
        alert = session.scalars(select(Alert)).one()
        other = market(session, vault)
        stranger = orgs.principal(
            orgs.organisation(session, OrgKind.PLATFORM, subject_id=other.platform_id)
        )
        with pytest.raises(Forbidden):
            alert_service.dismiss(session, alert.id, "not ours", stranger)
        with pytest.raises(Forbidden):
            alert_service.get(session, alert.id, stranger)
        page = alert_service.page(session, stranger, PageRequest(), AlertFilter())
        assert page.total == 0


class TestRelated:
    def test_links_a_rings_alerts_by_its_fingerprint_and_an_account_rings_brushing_alerts(
        self, session: Session, shop_market: Market
    ) -> None:
        platform = shop_market.platform_id
        ring = {"shops": ["S1", "S2", "S3"]}
        raised = [
            finding(platform, shop, detector="review_ring", key=("r1",), evidence=ring)
            for shop in ("S1", "S2")
        ]
        raised.append(finding(platform, "S3", detector="review_ring", key=("r2",), evidence=ring))
        raised.append(finding(platform, "S2"))  # brushing
        raised.append(finding(platform, None, detector="account_ring", key=("X", "Y"),
                              evidence={"brushing_shops": ["S2", "S9"]}))  # fmt: skip
        alert_service.raise_findings(session, raised)
        by_key = {
            (a.detector, a.shop_code, tuple(a.key)): a for a in session.scalars(select(Alert))
        }
        first = by_key[("review_ring", "S1", ("r1",))]
        assert alert_service.related(session, first) == {
            "S2": by_key[("review_ring", "S2", ("r1",))].id
        }
        rings = by_key[("account_ring", None, ("X", "Y"))]
        brushing = next(a for (detector, shop, _k), a in by_key.items() if detector == "brushing")
        assert alert_service.related(session, rings) == {"S2": brushing.id}

    def test_finds_nothing_when_the_evidence_lists_no_shops(
        self, session: Session, shop_market: Market
    ) -> None:
        odd = finding(
            shop_market.platform_id, "S1", detector="review_ring", evidence={"shops": "S2"}
        )
        alert_service.raise_findings(session, [odd])
        assert alert_service.related(session, session.scalars(select(Alert)).one()) == {}
