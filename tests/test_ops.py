"""Operations endpoints: health, readiness, metrics, request ids, the API's own documentation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Scope
from ecredit.config import Settings
from ecredit.kit.db import Database
from tests.factories import subjects as make
from tests.factories.api import Api, running_app


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[Api]:
    with running_app(settings, db) as running:
        yield running


class TestProbes:
    def test_ok_when_process_up(self, api: Api) -> None:
        response = api.client.get("/healthz")
        assert (response.status_code, response.json()) == (200, {"status": "ok"})

    def test_ready_when_database_answers(self, api: Api) -> None:
        response = api.client.get("/readyz")
        assert (response.status_code, response.json()) == (200, {"status": "ready"})

    def test_unavailable_not_500_when_database_unreachable(
        self, settings: Settings, tmp_path_factory: pytest.TempPathFactory
    ) -> None:
        missing = tmp_path_factory.mktemp("gone") / "no-such-dir" / "db.sqlite3"
        with running_app(settings, Database.from_url(f"sqlite:///{missing}")) as api:
            response = api.client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"


class TestMetricsAndRequestIds:
    def test_counts_requests_by_route_when_metrics_scraped(self, api: Api) -> None:
        api.client.get("/api/v1/public/subjects/999999")
        metrics = api.client.get("/metrics")
        assert metrics.status_code == 200
        assert metrics.headers["content-type"].startswith("text/plain")
        line = next(
            line
            for line in metrics.text.splitlines()
            if line.startswith("ecredit_http_requests_total{")
            and 'route="/api/v1/public/subjects/{subject_id}"' in line
        )
        assert 'status="404"' in line
        assert line.endswith(" 1.0")
        assert "ecredit_http_request_seconds_bucket" in metrics.text

    def test_echoes_request_id_when_client_sends_one(self, api: Api) -> None:
        response = api.client.get("/healthz", headers={"X-Request-ID": "req-abc-123"})
        assert response.headers["X-Request-ID"] == "req-abc-123"

    def test_makes_request_id_when_client_sends_none(self, api: Api) -> None:
        first = api.client.get("/healthz").headers["X-Request-ID"]
        second = api.client.get("/healthz").headers["X-Request-ID"]
        assert len(first) == 32
        assert first != second

    @pytest.mark.parametrize(
        "sent", [None, "req-7", "x" * 65, "bad id\twith spaces"], ids=["none", "ok", "long", "junk"]
    )
    def test_change_records_carry_echoed_request_id_when_subject_written(
        self, api: Api, sent: str | None
    ) -> None:
        headers = api.headers(Scope.SUBJECT_WRITE) | ({"X-Request-ID": sent} if sent else {})
        body = make.subject_create().model_dump(mode="json")
        response = api.client.post("/api/v1/subjects", json=body, headers=headers)
        assert response.status_code == 201, response.text
        echoed = response.headers["X-Request-ID"]
        assert (echoed == sent) is (sent == "req-7")
        with api.db.unit_of_work() as session:
            records = audit_service.changes(session, "subject", response.json()["id"])
            assert [record.request_id for record in records] == [echoed]


class TestApiDocumentation:
    def test_serves_openapi_when_schema_requested(self, api: Api) -> None:
        response = api.client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        schema = response.json()
        assert schema["info"]["title"] == "ecredit"
        assert "/api/v1/subjects" in schema["paths"]
        assert "/healthz" not in schema["paths"]

    def test_serves_docs_page_when_browsed(self, api: Api) -> None:
        response = api.client.get("/api/docs")
        assert response.status_code == 200
        assert "text/html" in response.headers["content-type"]
        assert "/api/v1/openapi.json" in response.text
