"""Each input alone: its reason, its points and its facts (default parameters)."""

from __future__ import annotations

from datetime import timedelta

from ecredit.models.alert import AlertStatus
from ecredit.models.listing import ListStatus
from ecredit.models.record import Severity
from ecredit.models.warning import WarningLevel
from tests.factories import warnings as make
from tests.warning.conftest import Scene


class TestDetectorAlerts:
    def test_open_and_confirmed_alerts_score_by_status_when_in_window(self, scene: Scene) -> None:
        s, who = scene.session, (scene.platform_id, scene.merchant_id)
        ids = [make.alert(s, *who, scene.now - timedelta(days=1)).id,
               make.alert(s, *who, scene.now - timedelta(days=89), detector="fake_reviews").id,
               make.alert(s, *who, scene.now, AlertStatus.CONFIRMED).id]  # fmt: skip
        make.alert(s, *who, scene.now, AlertStatus.DISMISSED)
        make.alert(s, *who, scene.now - timedelta(days=90, seconds=1))
        warning = scene.recompute()
        assert (warning.level, warning.score) == (WarningLevel.WARNING, 45)
        assert warning.reasons == [{"code": "detector_alerts", "points": 45, "facts": {
            "open": 2, "confirmed": 1, "detectors": {"brushing": 2, "fake_reviews": 1},
            "alert_ids": ids}}]  # fmt: skip


class TestComplaintSpike:
    def test_spike_scores_with_ratio_and_baseline_when_both_met(self, scene: Scene) -> None:
        make.complaints(scene.session, scene.merchant_id, scene.days_ago(0), 4)
        make.complaints(scene.session, scene.merchant_id, scene.days_ago(29), 2)  # latest period
        make.complaints(scene.session, scene.merchant_id, scene.days_ago(30))  # baseline
        make.complaints(scene.session, scene.merchant_id, scene.days_ago(119))  # baseline
        make.complaints(scene.session, scene.merchant_id, scene.days_ago(120), 9)  # too old
        warning = scene.recompute()
        assert (warning.level, warning.score) == (WarningLevel.ATTENTION, 30)
        assert warning.reasons == [{"code": "complaint_spike", "points": 30, "facts": {
            "complaints": 6, "period_days": 30, "baseline": 0.6667, "baseline_periods": 3,
            "ratio": 9.0, "min_count": 5, "min_ratio": 3.0}}]  # fmt: skip

    def test_zero_baseline_has_no_ratio_when_spiking(self, scene: Scene) -> None:
        make.complaints(scene.session, scene.merchant_id, scene.days_ago(3), 5)
        [reason] = scene.recompute().reasons
        assert (reason["facts"]["ratio"], reason["facts"]["baseline"]) == (None, 0.0)


class TestNegativeRecords:
    def test_records_in_force_score_by_severity_when_decided_in_window(self, scene: Scene) -> None:
        s, m = scene.session, scene.merchant_id
        general = make.record(s, m, scene.days_ago(90))
        serious = make.record(s, m, scene.days_ago(0), Severity.SERIOUS)
        by_default = make.record(s, m, scene.days_ago(5), None, "order_brushing")  # serious
        make.revoke(s, make.record(s, m, scene.days_ago(2), Severity.SERIOUS))
        make.record(s, m, scene.days_ago(91), Severity.SERIOUS)  # before the window
        make.record(s, m, scene.days_ago(1), Severity.SERIOUS, public_until=scene.days_ago(1))
        make.record(s, m, scene.days_ago(1), Severity.MINOR, "honour_award")  # positive
        warning = scene.recompute()
        assert (warning.level, warning.score) == (WarningLevel.HIGH, 15 + 40 + 40)
        assert warning.reasons == [{"code": "negative_records", "points": 95, "facts": {
            "by_severity": {"general": 1, "serious": 2},
            "types": {"administrative_penalty": 2, "order_brushing": 1},
            "record_ids": [general.id, serious.id, by_default.id]}}]  # fmt: skip

    def test_recording_date_counts_when_record_has_no_decision_date(self, scene: Scene) -> None:
        make.record(scene.session, scene.merchant_id, None, Severity.MINOR,
                    recorded_at=scene.now)  # fmt: skip
        assert scene.recompute().score == 5


class TestListEntries:
    def test_black_and_watch_entries_score_when_effective_in_window(self, scene: Scene) -> None:
        s, m = scene.session, scene.merchant_id
        black = make.list_entry(s, m, "ecommerce_serious_dishonesty", scene.days_ago(90))
        watch = make.list_entry(s, m, "watch_list", scene.days_ago(0))
        make.list_entry(s, m, "order_brushing_blacklist", scene.days_ago(91))  # too old
        make.list_entry(s, m, "watch_list", scene.days_ago(1), ListStatus.REMOVED)
        make.list_entry(s, m, "honest_merchant_redlist", scene.days_ago(1))  # red: no warning
        warning = scene.recompute()
        assert (warning.level, warning.score) == (WarningLevel.HIGH, 70)
        assert warning.reasons == [{"code": "lists", "points": 70, "facts": {
            "kinds": {"ecommerce_serious_dishonesty": 1, "watch_list": 1},
            "entry_ids": [black.id, watch.id]}}]  # fmt: skip
