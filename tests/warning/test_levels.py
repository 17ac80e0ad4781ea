"""Spike boundaries, level thresholds, inputs ageing out, and what a change of level announces."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ecredit.models.alert import AlertStatus
from ecredit.models.warning import WarningLevel
from ecredit.parameters.service import parameter_service
from tests.factories import warnings as make
from tests.warning.conftest import Scene


class TestSpikeBoundaries:
    @pytest.mark.parametrize(
        ("latest", "before", "spikes"),
        [
            (5, 0, True),  # the minimum, over no baseline
            (4, 0, False),  # one short of the minimum, however high the ratio
            (5, 5, True),  # baseline 5/3: ratio exactly 3
            (6, 6, True),  # baseline 2: ratio exactly 3
            (5, 6, False),  # baseline 2: ratio 2.5
            (4, 1, False),  # ratio 12, but under the minimum
        ],
    )
    def test_spike_needs_minimum_and_ratio_when_counted(
        self, scene: Scene, latest: int, before: int, spikes: bool
    ) -> None:
        make.complaints(scene.session, scene.merchant_id, scene.days_ago(10), latest)
        make.complaints(scene.session, scene.merchant_id, scene.days_ago(60), before)
        codes = [reason["code"] for reason in scene.recompute().reasons]
        assert codes == (["complaint_spike"] if spikes else [])


class TestLevels:
    @pytest.mark.parametrize(
        ("confirmed", "level"),
        [
            (19, WarningLevel.NONE),
            (20, WarningLevel.ATTENTION),
            (39, WarningLevel.ATTENTION),
            (40, WarningLevel.WARNING),
            (69, WarningLevel.WARNING),
            (70, WarningLevel.HIGH),
        ],
    )
    def test_level_is_the_highest_threshold_reached_when_scored(
        self, scene: Scene, confirmed: int, level: WarningLevel
    ) -> None:
        parameter_service.set(scene.session, "warning.alert_confirmed_points", confirmed)
        make.alert(scene.session, scene.platform_id, scene.merchant_id, scene.now,
                   AlertStatus.CONFIRMED)  # fmt: skip
        warning = scene.recompute()
        assert (warning.score, warning.level) == (confirmed, level)


class TestChanges:
    def test_change_announced_once_when_level_moves(self, scene: Scene) -> None:
        make.list_entry(scene.session, scene.merchant_id, "watch_list", scene.days_ago(0))
        first = scene.recompute()
        changed_at = first.changed_at
        assert [e.data for e in scene.level_events()] == [
            {"from": "none", "to": "attention", "score": 20, "reasons": ["lists"]}
        ]
        [event] = scene.emitted()
        assert event["data"] == {"from": "none", "to": "attention", "score": 20,
                                 "reasons": ["lists"]}  # fmt: skip
        scene.clock.advance(timedelta(hours=1))
        again = scene.recompute()
        assert (again.level, again.changed_at, again.computed_at) == (
            WarningLevel.ATTENTION,
            changed_at,
            scene.now,
        )
        assert (len(scene.level_events()), len(scene.emitted())) == (1, 1)

    def test_warning_clears_when_inputs_age_out(self, scene: Scene) -> None:
        make.alert(scene.session, scene.platform_id, scene.merchant_id, scene.now,
                   AlertStatus.CONFIRMED)  # fmt: skip
        assert scene.recompute().level is WarningLevel.ATTENTION
        scene.clock.advance(timedelta(days=91))
        counts = scene.service.recompute_all(scene.session)
        assert (counts.subjects, counts.changed) == (1, 1)
        warning = scene.recompute()
        assert (warning.level, warning.score, warning.reasons) == (WarningLevel.NONE, 0, [])
        assert [e.data["to"] for e in scene.level_events()] == ["attention", "none"]
        assert [e["data"]["to"] for e in scene.emitted()] == ["attention", "none"]
        assert scene.service.recompute_all(scene.session).subjects == 0

    def test_no_event_when_never_warned(self, scene: Scene) -> None:
        make.alert(scene.session, scene.platform_id, scene.merchant_id, scene.now)
        warning = scene.recompute()
        assert (warning.level, warning.score) == (WarningLevel.NONE, 10)
        assert (scene.level_events(), scene.emitted()) == ([], [])


class TestCandidates:
    def test_each_input_nominates_its_subject_when_in_window(self, scene: Scene) -> None:
        s = scene.session
        make.record(s, scene.merchant_id, None, recorded_at=scene.now)  # no decision date
        counts = scene.service.recompute_all(s)
        assert (counts.subjects, counts.changed) == (1, 0)  # 15 points: still none
        make.complaints(s, scene.merchant_id, scene.days_ago(29), 5)
        assert scene.service.recompute_all(s).changed == 1
        assert scene.recompute().level is WarningLevel.WARNING  # 15 + 30
