from ecredit.detection.finding import Finding


def _finding(**changes: object) -> Finding:
    values: dict[str, object] = {
        "detector": "brushing",
        "platform_id": 7,
        "shop_code": "S-1",
        "record_type": "order_brushing",
        "score": 3.0,
        "key": ("2026-11-01T10:00:00+00:00",),
    }
    values.update(changes)
    return Finding(**values)  # type: ignore[arg-type]


def test_equal_findings_share_a_fingerprint_whatever_their_score_and_evidence() -> None:
    first = _finding(score=3.0, evidence={"orders": ["a"]})
    again = _finding(score=4.5, evidence={"orders": ["a", "b"]})
    assert first.fingerprint == again.fingerprint
    assert len(first.fingerprint) == 64


def test_the_fingerprint_changes_with_detector_platform_shop_and_key() -> None:
    base = _finding().fingerprint
    assert _finding(detector="review_ring").fingerprint != base
    assert _finding(platform_id=8).fingerprint != base
    assert _finding(shop_code="S-2").fingerprint != base
    assert _finding(key=("2026-11-01T10:00:01+00:00",)).fingerprint != base
