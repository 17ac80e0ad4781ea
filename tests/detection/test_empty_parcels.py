import json
from datetime import timedelta
from typing import Any

from ecredit.detection.empty_parcels import EmptyParcelParams, detect_empty_parcels
from ecredit.detection.finding import Finding
from tests.detection.signals_lake import (  # noqa: F401 (the fixtures)
    LakeTable,
    lake_table_fixture,
    signals_backend_fixture,
    utc,
)

PICKED = utc(2026, 11, 20, 9, 0)
NORMAL_ROUTE = "揽收,运输,运输,派送,签收"


def _ship(n: int, **changes: Any) -> dict[str, Any]:
    """An honest parcel: 2 days in transit, full weight, five scans."""
    row: dict[str, Any] = {
        "waybill_no": f"YT{n:06d}",
        "carrier_id": "YTO",
        "order_id": f"O{n}",
        "shop_id": "S1",
        "declared_weight_g": 520,
        "item_weight_g": 500,
        "picked_up_at": PICKED,
        "signed_at": PICKED + timedelta(days=2),
        "scans": 5,
        "scan_kinds": NORMAL_ROUTE,
    }
    return {**row, **changes}


FAST = {"signed_at": PICKED + timedelta(hours=3)}
LIGHT = {"declared_weight_g": 10}
BARE = {"scans": 2, "scan_kinds": "揽收,签收"}


def _detect(lake_table: LakeTable, rows: list[dict[str, Any]], **params: Any) -> list[Finding]:
    return detect_empty_parcels(lake_table("shipments", rows), EmptyParcelParams(**params))


def _suspects(findings: list[Finding]) -> dict[str, list[str]]:
    return {w["waybill_no"]: w["signals"] for f in findings for w in f.evidence["waybills"]}


class TestSignals:
    def test_a_parcel_with_two_signals_is_suspect_with_its_evidence(
        self, lake_table: LakeTable
    ) -> None:
        [finding] = _detect(lake_table, [_ship(1, **FAST, **LIGHT), _ship(2), _ship(3)])
        assert finding.shop_code == "S1"
        assert finding.key == ("2026-11-20",)
        assert finding.record_type == "empty_parcel"
        assert finding.evidence["shipments_that_day"] == 3
        assert finding.evidence["suspect_shipments"] == 1
        [waybill] = finding.evidence["waybills"]
        assert waybill["signals"] == ["fast_sign", "light"]
        assert waybill["transit_hours"] == 3.0
        assert waybill["declared_weight_g"] == 10
        assert json.loads(json.dumps(finding.evidence)) == finding.evidence

    def test_one_signal_alone_is_not_enough(self, lake_table: LakeTable) -> None:
        rows = [_ship(1, **FAST), _ship(2, **LIGHT), _ship(3, **BARE)]
        assert _detect(lake_table, rows) == []
        assert len(_detect(lake_table, rows, min_signals=1)) == 1

    def test_fast_sign_boundary_is_exclusive_at_twelve_hours(self, lake_table: LakeTable) -> None:
        just_under = {"signed_at": PICKED + timedelta(hours=12) - timedelta(microseconds=1)}
        exactly = {"signed_at": PICKED + timedelta(hours=12)}
        rows = [_ship(1, **LIGHT, **just_under), _ship(2, **LIGHT, **exactly)]
        assert _suspects(_detect(lake_table, rows)) == {"YT000001": ["fast_sign", "light"]}

    def test_unsigned_parcels_are_not_fast(self, lake_table: LakeTable) -> None:
        assert _detect(lake_table, [_ship(1, signed_at=None, **LIGHT)]) == []

    def test_light_is_relative_to_the_item_weight_with_a_strict_boundary(
        self, lake_table: LakeTable
    ) -> None:
        rows = [
            _ship(1, **FAST, declared_weight_g=49),  # 49 < 10 % of 500
            _ship(2, **FAST, declared_weight_g=50),  # exactly 10 %: not light
            _ship(3, **FAST, declared_weight_g=20, item_weight_g=15),  # a light item, honestly
        ]
        assert _suspects(_detect(lake_table, rows)) == {"YT000001": ["fast_sign", "light"]}

    def test_light_falls_back_to_an_absolute_weight_without_item_weight(
        self, lake_table: LakeTable
    ) -> None:
        rows = [
            _ship(1, **FAST, item_weight_g=None, declared_weight_g=49),
            _ship(2, **FAST, item_weight_g=None, declared_weight_g=50),
        ]
        assert list(_suspects(_detect(lake_table, rows))) == ["YT000001"]

    def test_bare_route_means_only_pickup_and_signature(self, lake_table: LakeTable) -> None:
        rows = [
            _ship(1, **FAST, **BARE),
            _ship(2, **FAST, scans=3, scan_kinds="揽收,运输,签收"),
            _ship(3, **FAST, scans=2, scan_kinds="揽收,派送"),
            _ship(4, **FAST, scans=1, scan_kinds=None),
        ]
        assert _suspects(_detect(lake_table, rows)) == {
            "YT000001": ["fast_sign", "bare_route"],
            "YT000004": ["fast_sign", "bare_route"],
        }


class TestWaybillReuse:
    def test_a_waybill_on_two_shops_is_suspect_on_its_own(self, lake_table: LakeTable) -> None:
        rows = [_ship(1), _ship(1, order_id="O9", shop_id="S2"), _ship(2)]
        findings = _detect(lake_table, rows)
        assert sorted(f.shop_code or "" for f in findings) == ["S1", "S2"]
        s1 = next(f for f in findings if f.shop_code == "S1")
        [waybill] = s1.evidence["waybills"]
        assert waybill["signals"] == ["shared_waybill", "cross_shop_waybill"]
        assert waybill["also_on_waybill"] == [{"platform": 1, "shop_id": "S2", "order_id": "O9"}]

    def test_the_same_shop_code_on_another_platform_is_another_shop(
        self, lake_table: LakeTable
    ) -> None:
        rows = [_ship(1), _ship(1, order_id="O9", platform=2)]
        assert {f.platform_id for f in _detect(lake_table, rows)} == {1, 2}

    def test_a_merged_shipment_of_one_shop_is_not_suspect_alone(
        self, lake_table: LakeTable
    ) -> None:
        rows = [_ship(1), _ship(1, order_id="O9")]
        assert _detect(lake_table, rows) == []
        assert len(_detect(lake_table, [_ship(1, **FAST), _ship(1, order_id="O9")])) == 1

    def test_the_same_number_at_another_carrier_is_another_waybill(
        self, lake_table: LakeTable
    ) -> None:
        rows = [_ship(1), _ship(1, order_id="O9", shop_id="S2", carrier_id="ZTO")]
        assert _detect(lake_table, rows) == []


class TestFindings:
    def test_one_finding_per_shop_and_pickup_day(self, lake_table: LakeTable) -> None:
        next_day = {"picked_up_at": PICKED + timedelta(days=1)}
        rows = [
            _ship(1, **FAST, **LIGHT),
            _ship(2, **FAST, **BARE),
            _ship(3, **LIGHT, **BARE, **next_day),
        ]
        findings = _detect(lake_table, rows)
        assert [(f.key, f.evidence["suspect_shipments"]) for f in findings] == [
            (("2026-11-20",), 2),
            (("2026-11-21",), 1),
        ]
        assert findings[0].evidence["signal_counts"]["fast_sign"] == 2
        assert findings[0].window_start == utc(2026, 11, 20)

    def test_min_parcels_and_the_evidence_cap(self, lake_table: LakeTable) -> None:
        rows = [_ship(n, **FAST, **LIGHT) for n in range(3)]
        assert _detect(lake_table, rows, min_parcels=4) == []
        [finding] = _detect(lake_table, rows, min_parcels=3, max_listed=2)
        assert finding.evidence["suspect_shipments"] == 3
        assert len(finding.evidence["waybills"]) == 2
