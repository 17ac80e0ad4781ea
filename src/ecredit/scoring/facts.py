"""A credit file reduced to the facts an evaluation counts.

Two sources, one meaning. `from_states` takes the record service's fold (`RecordState`);
`from_rows` folds bare rows the same way for the bulk path, without ORM objects: the current
version is the latest original or correction, a revocation or a repair removes the record, an
expiry entry can only bring the window's end forward.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from ecredit.record.state import RecordState
from ecredit.scoring.engine import Fact

# (subject_id, id, amends_id, action, type_code, severity, decision_date, public_until)
RecordRow = tuple[int, int, int | None, str, str, str | None, date | None, date | None]
_VERSIONS = frozenset({"original", "correction"})
_REMOVALS = frozenset({"revocation", "repair"})


def from_states(states: Iterable[RecordState]) -> list[Fact]:
    """Facts of records neither revoked nor repaired (expiry is judged at the evaluation date)."""
    facts = []
    for state in states:
        if state.revoked or state.repaired:
            continue
        current = state.current
        severity = current.severity.value if current.severity is not None else None
        facts.append(
            Fact(state.original.id, current.type_code, severity, current.decision_date,
                 state.public_until)
        )  # fmt: skip
    return facts


def from_rows(rows: Iterable[RecordRow]) -> list[Fact]:
    """Facts of one subject's rows (any order of families; entries of a family by id)."""
    families: dict[int, list[Any]] = {}
    for _subject, record_id, amends_id, action, type_code, severity, decided, until in rows:
        root = amends_id or record_id
        family = families.get(root)
        if family is None:  # [type, severity, decided, until, removed, expiry end]
            family = families[root] = [type_code, severity, decided, until, False, None]
        if action in _VERSIONS:
            family[0:4] = [type_code, severity, decided, until]
        elif action in _REMOVALS:
            family[4] = True
        elif until is not None:  # an expiry entry
            family[5] = until if family[5] is None else min(family[5], until)
    return [
        Fact(root, f[0], f[1], f[2], _earliest(f[3], f[5]))
        for root, f in families.items()
        if not f[4]
    ]


def _earliest(first: date | None, second: date | None) -> date | None:
    if first is None or second is None:
        return first or second
    return min(first, second)
