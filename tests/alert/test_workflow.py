"""The alert transition table: every from/to pair."""

from __future__ import annotations

import pytest

from ecredit.kit.errors import Conflict
from ecredit.models.alert import ALERT_TRANSITIONS, AlertStatus

ALLOWED = {
    (AlertStatus.OPEN, AlertStatus.CONFIRMED),
    (AlertStatus.OPEN, AlertStatus.DISMISSED),
}


@pytest.mark.parametrize(
    ("current", "target", "allowed"), list(ALERT_TRANSITIONS.all_pairs(AlertStatus))
)
def test_allows_exactly_the_table_when_any_pair_tried(
    current: AlertStatus, target: AlertStatus, allowed: bool
) -> None:
    assert allowed == ((current, target) in ALLOWED)
    if allowed:
        ALERT_TRANSITIONS.check(current, target)
    else:
        with pytest.raises(Conflict):
            ALERT_TRANSITIONS.check(current, target)
