"""Transition tables: anything not listed is a 409 naming from and to."""

from __future__ import annotations

from enum import StrEnum

import pytest

from ecredit.kit.errors import Conflict
from ecredit.kit.workflow import TransitionTable


class Light(StrEnum):
    RED = "red"
    GREEN = "green"
    AMBER = "amber"
    OFF = "off"


TABLE = TransitionTable[Light](
    name="traffic light",
    allowed={
        Light.RED: frozenset({Light.GREEN}),
        Light.GREEN: frozenset({Light.AMBER, Light.OFF}),
        Light.AMBER: frozenset({Light.RED}),
    },
)
ALLOWED = {(Light.RED, Light.GREEN), (Light.GREEN, Light.AMBER), (Light.GREEN, Light.OFF),
           (Light.AMBER, Light.RED)}  # fmt: skip


class TestTransitionTable:
    @pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
    def test_passes_when_transition_listed(self, current: Light, target: Light) -> None:
        assert TABLE.can(current, target)
        TABLE.check(current, target)

    def test_raises_conflict_naming_from_and_to_when_transition_not_listed(self) -> None:
        with pytest.raises(Conflict) as error:
            TABLE.check(Light.RED, Light.AMBER)
        assert error.value.status_code == 409
        assert "traffic light" in error.value.message
        assert "from 'red' to 'amber'" in error.value.message
        assert "allowed from here: green" in error.value.message

    def test_says_none_allowed_when_state_is_terminal(self) -> None:
        with pytest.raises(Conflict, match="allowed from here: none"):
            TABLE.check(Light.OFF, Light.RED)

    def test_lists_every_pair_when_walking_the_matrix(self) -> None:
        pairs = list(TABLE.all_pairs(Light))
        assert len(pairs) == len(Light) ** 2
        assert {(a, b) for a, b, ok in pairs if ok} == ALLOWED
        for current, target, ok in pairs:
            if not ok:
                with pytest.raises(Conflict):
                    TABLE.check(current, target)
