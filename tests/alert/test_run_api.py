"""Detection runs over HTTP: the credit office lists and reads them, queues one (202), is refused
while one runs or is queued (409); a platform is refused (403)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ecredit.alert.runs import DETECT_JOB, RunRequest, detection_runs
from ecredit.authz.principals import Scope
from ecredit.detection.engine import open_lake
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.models.detection import DetectionRun, RunStatus, RunTrigger
from ecredit.models.jobs import Job, JobPriority
from ecredit.models.org import OrgKind
from tests.alert.lakes import (
    BRUSHING,
    break_reviews,
    lake_of_unregistered_platform,
    lake_with_rings,
)
from tests.factories import subjects
from tests.factories.api import Api

RUNS = "/api/v1/detection-runs"


def _two_runs(api: Api) -> tuple[int, int]:
    """A succeeded run, then a failed one, over the settings' lake."""
    root = Path(api.settings.resolved_lake_url)
    lake_with_rings(root, api.db, api.vault)
    lake = open_lake(str(root))
    first = detection_runs.run(api.db, lake, RunRequest(RunTrigger.CLI, ("brushing",)))
    break_reviews(root)
    second = detection_runs.run(api.db, lake, RunRequest(RunTrigger.JOB))
    return first.id, second.id


class TestReadingRuns:
    def test_lists_newest_first_with_steps_and_totals(self, api: Api) -> None:
        first, second = _two_runs(api)
        page = api.client.get(RUNS, headers=api.headers(Scope.ALERT_READ)).json()
        assert page["total"] == 2
        assert [item["id"] for item in page["items"]] == [second, first]
        failed, succeeded = page["items"]
        assert (failed["status"], failed["failed_detector"]) == ("failed", "review_ring")
        assert "No magic bytes" in failed["error"]
        assert [step["detector"] for step in failed["steps"]] == ["brushing", "account_ring"]
        assert (succeeded["status"], succeeded["trigger"], succeeded["engine"]) == (
            "succeeded", "cli", "duckdb")  # fmt: skip
        assert succeeded["requested"] == ["brushing"]
        assert (succeeded["findings"], succeeded["raised"]) == (BRUSHING, BRUSHING)
        assert succeeded["seconds"] >= succeeded["steps"][0]["seconds"] > 0
        assert succeeded["steps"][0]["unknown_shop"] == 3
        small = api.client.get(f"{RUNS}?size=1&page=2", headers=api.headers(Scope.ALERT_READ))
        assert [item["id"] for item in small.json()["items"]] == [first]

    def test_shows_findings_of_an_unregistered_platform(self, api: Api) -> None:
        root = Path(api.settings.resolved_lake_url)
        lake_of_unregistered_platform(root, api.db, api.vault)
        lake = open_lake(str(root))
        run = detection_runs.run(api.db, lake, RunRequest(RunTrigger.CLI, ("brushing",)))
        shown = api.client.get(f"{RUNS}/{run.id}", headers=api.headers(Scope.ALERT_READ)).json()
        assert (shown["raised"], shown["duplicate"], shown["repeated"]) == (0, 0, 0)
        assert shown["unregistered_platform"] == BRUSHING
        assert shown["steps"][0]["unregistered_platform"] == BRUSHING

    def test_reads_one_and_404_when_unknown(self, api: Api) -> None:
        first, _second = _two_runs(api)
        headers = api.headers(Scope.ALERT_READ)
        one = api.client.get(f"{RUNS}/{first}", headers=headers)
        assert one.status_code == 200
        assert one.json()["steps"][0]["raised"] == BRUSHING
        missing = api.client.get(f"{RUNS}/{first + 100}", headers=headers)
        assert missing.status_code == 404
        assert f"no detection run {first + 100}" in missing.json()["message"]

    def test_platform_is_refused_when_reading(self, api: Api) -> None:
        first, _second = _two_runs(api)
        with api.db.unit_of_work() as session:
            platform_id = subjects.platform(session, api.vault).id
        platform = {"X-API-Key": api.key((Scope.ALERT_READ,), OrgKind.PLATFORM, platform_id)}
        for url in (RUNS, f"{RUNS}/{first}"):
            refused = api.client.get(url, headers=platform)
            assert refused.status_code == 403
            assert "credit office or a department" in refused.json()["message"]


class TestQueueingRun:
    def test_queues_the_job_and_refuses_a_second_while_queued(self, api: Api) -> None:
        key = api.key((Scope.ALERT_REVIEW,))
        queued = api.client.post(RUNS, json={"detectors": ["brushing", "brushing"]},
                                 headers={"X-API-Key": key})  # fmt: skip
        assert queued.status_code == 202, queued.text
        body = queued.json()
        assert body["detectors"] == ["brushing"]
        with api.db.unit_of_work() as session:
            job = session.get_one(Job, body["job_id"])
            assert (job.name, job.priority) == (DETECT_JOB, JobPriority.INTERACTIVE)
            requested_by = job.payload.pop("requested_by")
            assert job.payload == {"only": ["brushing"], "trigger": "api"}
            assert requested_by.startswith("apikey:")
        again = api.client.post(RUNS, json={}, headers={"X-API-Key": key})
        assert again.status_code == 409
        assert f"already queued (job {body['job_id']}" in again.json()["message"]

    def test_job_runs_and_records_the_callers_run(self, api: Api) -> None:
        lake_with_rings(Path(api.settings.resolved_lake_url), api.db, api.vault)
        queued = api.client.post(RUNS, json={"detectors": ["brushing"]},
                                 headers=api.headers(Scope.ALERT_REVIEW))  # fmt: skip
        assert JobService(registry, settings=api.settings).run_due(api.db) == 1
        with api.db.unit_of_work() as session:
            run = session.scalars(select(DetectionRun)).one()
            assert (run.trigger, run.status) == (RunTrigger.API, RunStatus.SUCCEEDED)
            assert run.requested_by.startswith("apikey:")
            assert session.get_one(Job, queued.json()["job_id"]).finished_at is not None

    def test_refuses_while_a_run_is_running(self, api: Api) -> None:
        now = datetime.now(UTC)
        with api.db.unit_of_work() as session:
            running = DetectionRun(engine="duckdb", trigger=RunTrigger.CLI, requested=[],
                                   requested_by="cli:ops", status=RunStatus.RUNNING,
                                   running_slot=True, started_at=now, heartbeat_at=now)  # fmt: skip
            session.add(running)
            session.flush()
            run_id = running.id
        refused = api.client.post(RUNS, json={}, headers=api.headers(Scope.ALERT_REVIEW))
        assert refused.status_code == 409
        assert f"detection run {run_id} is running since" in refused.json()["message"]

    def test_422_naming_detectors_when_unknown(self, api: Api) -> None:
        refused = api.client.post(RUNS, json={"detectors": ["brushing", "telepathy"]},
                                  headers=api.headers(Scope.ALERT_REVIEW))  # fmt: skip
        assert refused.status_code == 422
        problem = refused.json()["problems"][0]
        assert problem["field"] == "detectors"
        assert "unknown telepathy" in problem["message"]

    def test_refused_without_review_scope_or_as_platform(self, api: Api) -> None:
        reader = api.client.post(RUNS, json={}, headers=api.headers(Scope.ALERT_READ))
        assert reader.status_code == 403
        with api.db.unit_of_work() as session:
            platform_id = subjects.platform(session, api.vault).id
        platform = {"X-API-Key": api.key((Scope.ALERT_REVIEW,), OrgKind.PLATFORM, platform_id)}
        assert api.client.post(RUNS, json={}, headers=platform).status_code == 403
        with api.db.unit_of_work() as session:
            assert session.scalars(select(Job).where(Job.name == DETECT_JOB)).first() is None


def test_openapi_describes_the_routes(api: Api) -> None:
    spec = api.app.openapi()
    schemas = spec["components"]["schemas"]
    assert {"DetectionRunRead", "DetectionStepRead", "DetectionRunQueued"} <= schemas.keys()
    post = spec["paths"][RUNS]["post"]
    assert "202" in post["responses"]
    create = schemas[post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                     .rsplit("/", 1)[-1]]  # fmt: skip
    assert "brushing" in create["properties"]["detectors"]["items"]["enum"]
    assert {"findings", "raised", "seconds"} <= schemas["DetectionRunRead"]["properties"].keys()


def test_server_knows_the_job_it_queues_without_running_jobs(tmp_path: Path) -> None:
    """A server whose jobs run in a separate worker still enqueues `alert.detect` (a fresh
    process: the test session has every handler loaded already)."""
    script = (
        "from ecredit.app import create_app\n"
        "from ecredit.config import Settings\n"
        "from ecredit.jobs.registry import registry\n"
        f"create_app(Settings(_env_file=None, data_dir={str(tmp_path)!r}), run_jobs=False)\n"
        f"print({DETECT_JOB!r} in registry.handlers)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False, env={**os.environ, "ECREDIT_LOG_JSON": "false"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("True")
