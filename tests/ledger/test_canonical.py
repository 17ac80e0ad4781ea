"""The fast canonical forms (parts made before the id; plain row values; orjson) are the
reference `canonical_record` byte for byte, so the ledger's hashes do not depend on the path."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecredit.ledger.canonical import canonical_parts, canonical_record, canonical_values
from ecredit.models.record import CreditRecord, EntryAction, PenaltyKind, Severity

# Any text a field may hold: CJK, emoji, quotes, backslashes, every control character.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
OPTIONAL_TEXT = st.none() | TEXT
DAY = st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
AMOUNT = st.none() | st.decimals(
    min_value=0, max_value=Decimal("9999999999999999.99"), places=2, allow_nan=False
)
INSTANT = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
)
ID = st.integers(min_value=1, max_value=2**63 - 1)

RECORDS = st.fixed_dictionaries(
    {
        "subject_id": ID,
        "type_code": TEXT,
        "action": st.sampled_from(EntryAction),
        "amends_id": st.none() | ID,
        "source_org_id": st.none() | ID,
        "severity": st.none() | st.sampled_from(Severity),
        "legal_basis": OPTIONAL_TEXT,
        "decision_no": OPTIONAL_TEXT,
        "decision_date": DAY,
        "penalty_kind": st.none() | st.sampled_from(PenaltyKind),
        "amount": AMOUNT,
        "summary": OPTIONAL_TEXT,
        "evidence_refs": st.lists(TEXT, max_size=4),
        "valid_until": DAY,
        "public_from": DAY,
        "public_until": DAY,
        "reason": OPTIONAL_TEXT,
        "recorded_by": TEXT,
        "recorded_at": INSTANT,
    }
)


@settings(max_examples=300, deadline=None)
@given(values=RECORDS, record_id=ID)
def test_parts_joined_with_id_equal_reference_when_record_random(
    values: dict[str, Any], record_id: int
) -> None:
    reference = canonical_record(CreditRecord(id=record_id, **values))
    assert canonical_parts(values).with_id(record_id) == reference
    assert canonical_values({"id": record_id, **values}) == reference


def test_equal_reference_when_fields_hold_escapes_and_wide_numbers() -> None:
    values: dict[str, Any] = {
        "subject_id": 2**62, "type_code": "administrative_penalty",
        "action": EntryAction.ORIGINAL, "amends_id": None, "source_org_id": 7,
        "severity": Severity.SERIOUS, "legal_basis": "《电子商务法》第七十七条\t\"引号\"\\",
        "decision_no": "本市监罚〔2026〕1号\n", "decision_date": date(2026, 1, 5),
        "penalty_kind": PenaltyKind.FINE, "amount": Decimal("1E+3"),
        "summary": "\x00\x1f\x7f\u2028\u2029😀 é", "evidence_refs": ["a/b", "\u00e9"],
        "valid_until": None, "public_from": date(2026, 1, 5), "public_until": None,
        "reason": None, "recorded_by": "key:部门", "recorded_at": datetime(2026, 1, 5, tzinfo=UTC),
    }  # fmt: skip
    reference = canonical_record(CreditRecord(id=9, **values))
    assert canonical_parts(values).with_id(9) == reference
    assert b'"amount":"1000.00"' in reference


def test_fails_like_reference_when_text_holds_a_lone_surrogate() -> None:
    values: dict[str, Any] = {"summary": "\ud800", "type_code": "x"}
    with pytest.raises(UnicodeEncodeError):
        canonical_record(CreditRecord(id=1, **values))
    with pytest.raises(UnicodeEncodeError):
        canonical_parts(values)
