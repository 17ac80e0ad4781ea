"""双公示 test files, written in the tests: CSV (UTF-8, BOM, GB18030) and .xlsx, any column set."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ecredit.exchange.columns import ColumnSet

Row = Mapping[str, Any]
USCC_HEADER = "行政相对人代码_1（统一社会信用代码）"


def penalty(uscc: str, decision_no: str, authority_uscc: str = "", **cells: Any) -> dict[str, Any]:
    """A current-set penalty row; `cells` override by header (spaces for parentheses: use
    the dict form)."""
    row: dict[str, Any] = {
        "行政相对人名称": "本溪测试商贸有限公司",
        "行政相对人类别": "法人及非法人组织",
        USCC_HEADER: uscc,
        "法定代表人": "王五",
        "行政处罚决定书文号": decision_no,
        "违法行为类型": "虚假宣传",
        "违法事实": "在网店商品页面对商品性能作虚假宣传",
        "处罚依据": "《中华人民共和国反不正当竞争法》第二十条",
        "处罚类别": "罚款",
        "罚款金额（万元）": "0.5",
        "处罚决定日期": "2026-03-02",
        "公示截止期": "2099-01-01",
        "处罚机关": "本溪市市场监督管理局",
        "处罚机关统一社会信用代码": authority_uscc,
    }
    return row | cells


def licence(uscc: str, decision_no: str, **cells: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "行政相对人名称": "本溪测试商贸有限公司",
        "行政相对人类别": "法人及非法人组织",
        USCC_HEADER: uscc,
        "行政许可决定文书名称": "食品经营许可决定书",
        "行政许可决定文书号": decision_no,
        "许可类别": "普通",
        "许可证书名称": "食品经营许可证",
        "许可编号": "JY12105020012345",
        "许可内容": "预包装食品（含冷藏冷冻食品）销售",
        "许可决定日期": "2026-01-05",
        "有效期自": "2026-01-05",
        "有效期至": "2031-01-04",
        "许可机关": "本溪市市场监督管理局",
        "当前状态": "有效",
    }
    return row | cells


def cells(header: list[str], row: Row) -> list[Any]:
    unknown = set(row) - set(header)
    assert not unknown, f"not in the header: {unknown}"
    return [row.get(name, "") for name in header]


def write_csv(
    path: Path, columns: ColumnSet | list[str], rows: Iterable[Row], encoding: str = "utf-8-sig"
) -> Path:
    header = columns.headers() if isinstance(columns, ColumnSet) else columns
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(cells(header, row) for row in rows)
    return path


def write_xlsx(path: Path, columns: ColumnSet | list[str], rows: Iterable[Row]) -> Path:
    header = columns.headers() if isinstance(columns, ColumnSet) else columns
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(cells(header, row))
    book.save(path)
    return path
