"""The shipment trace pages: public by waybill (no personal data), staff with the findings."""

from __future__ import annotations

from starlette.testclient import TestClient

from ecredit.authz.principals import Role
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.shipment.ingest import ingest
from tests.factories import shipments
from tests.web import factories


def _shipment(db: Database, vault: Vault) -> str:
    """A delivered parcel with an exception on the way and a late-arriving collection scan."""
    with db.unit_of_work() as session:
        world = shipments.logistics(session, vault)
        waybill = shipments.shipment(session, vault, world).waybill
        first, *rest = shipments.journey(waybill, world.courier_id)
        broken = shipments.event(waybill, "x1", "exception", 10, note="外包装破损")
        ingest(session, [*rest, broken], world.carrier)
        ingest(session, [first], world.carrier)
    return waybill


class TestPublicPage:
    def test_shows_steps_without_personal_data(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        waybill = _shipment(db, vault)
        html = client.get("/shipments", params={"waybill": waybill}).text
        assert "签收" in html
        assert "沈阳和平网点" in html
        for secret in ("李快递", shipments.CONSIGNEE, "139****5678"):
            assert secret not in html
        assert 'href="/shipments"' in client.get("/").text

    def test_answers_404_and_422_when_waybill_unknown_or_malformed(
        self, client: TestClient
    ) -> None:
        assert client.get("/shipments", params={"waybill": "SD9999999999"}).status_code == 404
        assert client.get("/shipments", params={"waybill": "<x>"}).status_code == 422


class TestStaffPage:
    def test_shows_holders_findings_and_masked_consignee(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        waybill = _shipment(db, vault)
        with db.unit_of_work() as session:
            factories.staff_user(session, "viewer1", Role.VIEWER)
        factories.login(client, "viewer1")
        html = client.get("/staff/shipments", params={"waybill": waybill}).text
        assert "李快递" in html
        assert "异常扫描" in html
        assert "139****5678" in html
        assert shipments.CONSIGNEE not in html
        assert "迟到" in html
        assert waybill in client.get("/staff/shipments").text

    def test_redirects_to_login_when_anonymous(self, client: TestClient) -> None:
        response = client.get("/staff/shipments", follow_redirects=False)
        assert response.status_code in (302, 303, 401)
