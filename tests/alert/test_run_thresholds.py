"""Detector thresholds as runtime parameters: a run reads them when it starts, its detectors
find what those thresholds say (a planted brushing episode or account ring drops out when a
threshold is raised past it), and the run and its alerts record the values used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ecredit.alert import thresholds
from ecredit.alert.runs import RunRequest, detection_runs
from ecredit.authz.principals import Scope
from ecredit.detection.engine import open_lake
from ecredit.detection.run import NAMES, DetectorSettings
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.alert import Alert
from ecredit.models.detection import DetectionRun, RunTrigger
from ecredit.models.parameters import ParameterRevision
from ecredit.parameters.registry import SPECS
from ecredit.parameters.service import parameter_service
from tests.alert.lakes import ACCOUNT_RINGS, BRUSHING, lake_with_rings
from tests.factories.api import Api

MIN_RATIO = "detection.brushing.min_ratio"
MIN_BUYERS = "detection.account_ring.min_buyers"
ORDERS = ("brushing", "account_ring")
RUNS, PARAMETERS = "/api/v1/detection-runs", "/api/v1/parameters"


def _set(db: Database, key: str, value: Any) -> None:
    with db.unit_of_work() as session:
        parameter_service.set(session, key, value, reason="test")


def _run(db: Database, root: Path) -> DetectionRun:
    return detection_runs.run(db, open_lake(str(root)), RunRequest(RunTrigger.CLI, ORDERS))


def _findings(run: DetectionRun) -> dict[str, int]:
    return {step.detector: step.findings for step in run.steps}


def _defaults(*detectors: str) -> dict[str, Any]:
    return {key: SPECS[key].default for name in detectors for key in thresholds.keys_of(name)}


class TestDeclaredThresholds:
    def test_build_the_code_defaults_when_no_parameter_set(self) -> None:
        assert thresholds.settings(_defaults(*NAMES)) == DetectorSettings()

    def test_belong_to_a_known_detector_when_keyed_by_detection(self) -> None:
        keys = {key for key in SPECS if key.startswith("detection.")} - {
            "detection.run_stale_hours"
        }
        assert keys == {key for name in NAMES for key in thresholds.keys_of(name)}
        assert all(SPECS[key].minimum is not None for key in keys)
        assert all(SPECS[key].maximum is not None for key in keys)
        assert all(SPECS[key].minimum <= SPECS[key].default <= SPECS[key].maximum for key in keys)


class TestRunThresholds:
    def test_records_defaults_and_finds_as_before_when_no_parameter_set(
        self, tmp_path: Path, db: Database, vault: Vault
    ) -> None:
        lake_with_rings(tmp_path, db, vault)
        run = _run(db, tmp_path)
        assert _findings(run) == {"brushing": BRUSHING, "account_ring": ACCOUNT_RINGS}
        assert run.parameters == _defaults(*ORDERS)
        with db.unit_of_work() as session:
            evidence = session.scalars(select(Alert.evidence).where(Alert.detector == "brushing"))
            stamps = [item[thresholds.EVIDENCE_KEY] for item in evidence]
        assert stamps == [{"id": run.id, "thresholds": _defaults("brushing")}] * BRUSHING

    def test_raises_no_brushing_when_min_ratio_raised_above_the_planted_episodes(
        self, tmp_path: Path, db: Database, vault: Vault
    ) -> None:
        lake_with_rings(tmp_path, db, vault)  # every episode: 3 orders of one buyer in 3 minutes
        _set(db, MIN_RATIO, 4)
        strict = _run(db, tmp_path)
        assert _findings(strict) == {"brushing": 0, "account_ring": 0}
        assert strict.parameters is not None
        assert strict.parameters[MIN_RATIO] == 4.0
        _set(db, MIN_RATIO, 3)
        again = _run(db, tmp_path)
        assert _findings(again) == {"brushing": BRUSHING, "account_ring": ACCOUNT_RINGS}
        assert {step.raised for step in again.steps} == {BRUSHING, ACCOUNT_RINGS}
        with db.unit_of_work() as session:
            recorded = session.get_one(DetectionRun, strict.id).parameters
        assert recorded == {**_defaults(*ORDERS), MIN_RATIO: 4.0}

    def test_raises_no_ring_when_min_buyers_above_the_planted_ring(
        self, tmp_path: Path, db: Database, vault: Vault
    ) -> None:
        lake_with_rings(tmp_path, db, vault)  # the ring: X, Y and Z
        _set(db, MIN_BUYERS, 4)
        run = _run(db, tmp_path)
        assert _findings(run) == {"brushing": BRUSHING, "account_ring": 0}
        _set(db, MIN_BUYERS, 3)
        assert _findings(_run(db, tmp_path))["account_ring"] == ACCOUNT_RINGS

    def test_records_only_planned_detectors_thresholds(
        self, tmp_path: Path, db: Database, vault: Vault
    ) -> None:
        lake_with_rings(tmp_path, db, vault)
        run = detection_runs.run(
            db, open_lake(str(tmp_path)), RunRequest(RunTrigger.CLI, ("brushing",))
        )
        assert run.parameters == _defaults("brushing")


class TestOverHttp:
    def test_changed_threshold_changes_findings_and_shows_on_run_and_alert(self, api: Api) -> None:
        root = Path(api.settings.resolved_lake_url)
        lake_with_rings(root, api.db, api.vault)
        writer = api.headers(Scope.PARAMETER_WRITE)
        changed = api.client.put(
            f"{PARAMETERS}/{MIN_BUYERS}", json={"value": 3, "reason": "三人成团"}, headers=writer
        )
        assert changed.status_code == 200, changed.text
        run = _run(api.db, root)
        shown = api.client.get(f"{RUNS}/{run.id}", headers=api.headers(Scope.ALERT_READ)).json()
        assert shown["parameters"] == {**_defaults(*ORDERS), MIN_BUYERS: 3}
        assert [step["findings"] for step in shown["steps"]] == [BRUSHING, ACCOUNT_RINGS]
        alerts = api.client.get(
            "/api/v1/alerts?detector=account_ring", headers=api.headers(Scope.ALERT_READ)
        ).json()["items"]
        (ring,) = alerts
        detail = api.client.get(
            f"/api/v1/alerts/{ring['id']}", headers=api.headers(Scope.ALERT_READ)
        ).json()
        assert detail["evidence"][thresholds.EVIDENCE_KEY] == {
            "id": run.id, "thresholds": {MIN_BUYERS: 3}
        }  # fmt: skip

    @pytest.mark.parametrize(
        ("key", "value", "rule"),
        [
            (MIN_RATIO, 1.5, "minimum"),
            (MIN_RATIO, "NaN", "type"),
            ("detection.empty_parcel.min_signals", 5, "maximum"),
            ("detection.review_ring.text_similarity", "similar", "type"),
        ],
    )
    def test_refuses_threshold_out_of_bounds_and_keeps_no_revision(
        self, api: Api, key: str, value: object, rule: str
    ) -> None:
        refused = api.client.put(
            f"{PARAMETERS}/{key}",
            json={"value": value, "reason": "typo"},
            headers=api.headers(Scope.PARAMETER_WRITE),
        )
        assert refused.status_code == 422, refused.text
        (problem,) = refused.json()["problems"]
        assert (problem["field"], problem["rule"]) == (key, rule)
        with api.db.unit_of_work() as session:
            assert session.scalars(select(ParameterRevision)).all() == []
            assert parameter_service.get(session, key) == SPECS[key].default
