"""The staff detection-runs page: each run's engine, trigger, status, detectors and alerts in zh
and en; a run queued from the page (refused while one is queued); staff without alert review and
a platform's staff are refused."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.alert.runs import RunRequest, detection_runs
from ecredit.authz.principals import Role
from ecredit.config import Settings
from ecredit.detection.engine import open_lake
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.detection import RunTrigger
from ecredit.models.org import OrgKind
from ecredit.org.schemas import OrganisationCreate
from ecredit.org.service import organisation_service
from tests.alert.lakes import break_reviews, lake_of_unregistered_platform, lake_with_rings
from tests.web import factories

PAGE = "/staff/detection-runs"


def _runs(settings: Settings, db: Database, vault: Vault) -> tuple[int, int]:
    """(a succeeded CLI run of brushing, a failed daily run), and users of two roles."""
    with db.unit_of_work() as session:
        factories.staff_user(session, "reviewer", Role.VERIFIER)
        factories.staff_user(session, "registrar", Role.REGISTRAR)
    root = Path(settings.resolved_lake_url)
    lake_with_rings(root, db, vault)
    lake = open_lake(str(root))
    first = detection_runs.run(db, lake, RunRequest(RunTrigger.CLI, ("brushing",)))
    break_reviews(root)
    second = detection_runs.run(db, lake, RunRequest(RunTrigger.JOB))
    return first.id, second.id


class TestDetectionRunsPage:
    def test_lists_runs_with_detectors_in_both_languages(
        self, app: FastAPI, client: TestClient, settings: Settings, db: Database, vault: Vault
    ) -> None:
        first, second = _runs(settings, db, vault)
        factories.login(client, "reviewer")
        html = client.get(PAGE).text
        assert html.index(f'id="run-{second}"') < html.index(f'id="run-{first}"')
        assert 'class="badge badge-dr-succeeded" data-testid="status">成功' in html
        assert 'class="badge badge-dr-failed" data-testid="status">失败' in html
        assert "失败于 review_ring" in html
        assert "No magic bytes" in html
        assert "命令行" in html
        assert "定时任务" in html
        assert 'data-testid="step-brushing">brushing：4 · ' in html
        assert "fake_traffic：<span" not in html  # the failed run stopped before it
        assert "<strong>4</strong>" in html  # the CLI run's new alerts
        assert f'href="{PAGE}"' in html  # the nav line
        assert html.count('data-testid="thresholds"><summary>所用阈值') == 2
        assert "<td><code>detection.brushing.min_ratio</code></td><td>3.0</td>" in html
        assert "<code>detection.review_ring.min_shops</code>" in html  # the daily run's
        english = client.get(f"{PAGE}?lang=en").text
        assert ">Succeeded<" in english
        assert "failed in review_ring" in english
        assert "Nightly job" in english
        assert "Thresholds used" in english

    def test_shows_findings_of_an_unregistered_platform_in_both_languages(
        self, app: FastAPI, client: TestClient, settings: Settings, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "reviewer", Role.VERIFIER)
        root = Path(settings.resolved_lake_url)
        lake_of_unregistered_platform(root, db, vault)
        detection_runs.run(db, open_lake(str(root)), RunRequest(RunTrigger.CLI, ("brushing",)))
        factories.login(client, "reviewer")
        html = client.get(PAGE).text
        assert 'data-testid="unregistered-brushing">4 条发现的平台未登记，未生成预警' in html
        assert "已有 0，本次重复 0，平台未登记（未生成预警）4，未登记店铺 0" in html
        english = client.get(f"{PAGE}?lang=en").text
        assert "4 findings of an unregistered platform, not raised" in english
        assert "0 already raised, 0 repeated in the run, 4 of an unregistered platform" in english

    def test_queues_run_from_the_page_and_refuses_a_second(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "reviewer", Role.VERIFIER)
        factories.login(client, "reviewer")
        token = factories.csrf_token(client, PAGE)
        queued = client.post(PAGE, data={"csrf_token": token}, follow_redirects=False)
        assert queued.status_code == 303
        assert queued.headers["location"].startswith(f"{PAGE}?queued=")
        assert "已排队（任务 #" in client.get(queued.headers["location"]).text
        again = client.post(PAGE, data={"csrf_token": token}, follow_redirects=False)
        assert again.status_code == 409
        assert (
            'data-testid="run-refused">未排队： detectors: a detection run is already' in again.text
        )

    def test_alert_queue_links_here(self, app: FastAPI, client: TestClient, db: Database) -> None:
        with db.unit_of_work() as session:
            factories.staff_user(session, "reviewer", Role.VERIFIER)
        factories.login(client, "reviewer")
        assert f'<a href="{PAGE}">监测运行 ›</a>' in client.get("/staff/alerts").text

    def test_forbidden_without_review_scope(
        self, app: FastAPI, client: TestClient, settings: Settings, db: Database, vault: Vault
    ) -> None:
        _runs(settings, db, vault)
        factories.login(client, "registrar")
        assert client.get(PAGE).status_code == 403
        token = factories.csrf_token(client, "/staff")
        assert client.post(PAGE, data={"csrf_token": token}).status_code == 403

    def test_forbidden_to_a_platforms_staff(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            platform = factories.enterprise(session, vault, "某电商平台有限公司")
            organisation_service.create(session, OrganisationCreate(
                name="某电商平台", kind=OrgKind.PLATFORM, subject_id=platform.id))  # fmt: skip
            factories.staff_user(session, "platform.reviewer", Role.VERIFIER, org="某电商平台")
        factories.login(client, "platform.reviewer")
        refused = client.get(PAGE)
        assert refused.status_code == 403
        assert "credit office or a department" in refused.text
