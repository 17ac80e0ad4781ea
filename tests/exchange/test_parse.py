"""Reading cells and headers: dates in every shape met, amounts, column sets, penalty kinds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ecredit.exchange.columns import (
    PENALTY_CURRENT,
    PENALTY_OLDER,
    ExchangeKind,
    detect,
    penalty_kind,
)
from ecredit.exchange.parse import cell_date, cell_decimal, cell_text, open_sheet
from ecredit.kit.errors import InvalidInput
from ecredit.models.record import PenaltyKind


class TestCells:
    @pytest.mark.parametrize(
        "cell",
        [
            "2026-03-02",
            "2026/3/2",
            "2026年3月2日",
            "2026-03-02 00:00:00",
            "20260302",
            46083,
            46083.0,
            "46083",
            datetime(2026, 3, 2, 9, 30),
            date(2026, 3, 2),
        ],
    )
    def test_date_is_read_when_cell_has_a_known_shape(self, cell: object) -> None:
        assert cell_date(cell) == date(2026, 3, 2)

    @pytest.mark.parametrize("cell", ["2026-02-30", "03/02/2026", "下月", 0, "3000000"])
    def test_date_is_refused_with_formats_named_when_cell_is_not_a_date(self, cell: object) -> None:
        with pytest.raises(ValueError, match=r"not a|Excel"):
            cell_date(cell)

    def test_empty_cells_are_none_when_read_as_date_or_number(self) -> None:
        assert cell_date("  ") is None
        assert cell_decimal(None) is None

    def test_amount_is_exact_when_cell_is_text_or_number(self) -> None:
        assert cell_decimal("1,234.5") == Decimal("1234.5")
        assert cell_decimal(0.1) == Decimal("0.1")
        assert cell_text(912105020000000000.0) == "912105020000000000"


class TestColumns:
    def test_older_set_is_detected_when_header_is_older(self) -> None:
        assert detect(ExchangeKind.PENALTY, PENALTY_OLDER.headers())[0] is PENALTY_OLDER
        assert detect(ExchangeKind.PENALTY, PENALTY_CURRENT.headers())[0] is PENALTY_CURRENT

    def test_missing_required_columns_are_named_when_header_lacks_them(self) -> None:
        header = [h for h in PENALTY_CURRENT.headers() if h not in ("处罚依据", "处罚类别")]
        with pytest.raises(InvalidInput, match="处罚依据, 处罚类别"):
            detect(ExchangeKind.PENALTY, header)

    def test_licence_file_is_refused_when_uploaded_as_penalty(self) -> None:
        from ecredit.exchange.columns import LICENCE_CURRENT

        with pytest.raises(InvalidInput, match="行政处罚决定书文号"):
            detect(ExchangeKind.PENALTY, LICENCE_CURRENT.headers())

    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("警告", PenaltyKind.WARNING),
            ("通报批评", PenaltyKind.CRITICISM),
            ("罚款", PenaltyKind.FINE),
            ("没收违法所得", PenaltyKind.CONFISCATION),
            ("没收非法财物", PenaltyKind.CONFISCATION),
            ("责令停产停业", PenaltyKind.SUSPENSION),
            ("限制开展生产经营活动", PenaltyKind.SUSPENSION),
            ("暂扣或者吊销许可证", PenaltyKind.LICENCE_REVOCATION),
            ("吊销营业执照", PenaltyKind.LICENCE_REVOCATION),
            ("警告;罚款", PenaltyKind.FINE),
            ("行政拘留", PenaltyKind.OTHER),
            ("其他", PenaltyKind.OTHER),
        ],
    )
    def test_penalty_kind_is_mapped_when_category_is_national_wording(
        self, text: str, kind: PenaltyKind
    ) -> None:
        assert penalty_kind(text) is kind


class TestFiles:
    def test_old_xls_is_refused_with_advice_when_uploaded(self, tmp_path: Path) -> None:
        path = tmp_path / "old.xls"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
        with pytest.raises(InvalidInput, match=r"\.xlsx"), open_sheet(path):
            pass

    def test_broken_xlsx_is_refused_when_zip_is_damaged(self, tmp_path: Path) -> None:
        path = tmp_path / "broken.xlsx"
        path.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
        with pytest.raises(InvalidInput, match="cannot be read"), open_sheet(path):
            pass

    def test_empty_file_is_refused_when_there_is_no_header(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.csv"
        path.write_bytes(b"")
        with pytest.raises(InvalidInput, match="no header"), open_sheet(path):
            pass
