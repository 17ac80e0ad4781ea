"""The import report as a CSV file for people (UTF-8 with BOM, so Excel shows the Chinese)."""

from __future__ import annotations

import csv
import io

from ecredit.exchange.schemas import ImportReport, RowStatus

REPORT_HEADER = [
    "行号", "结果", "status", "行政相对人名称", "行政相对人代码", "决定书文号", "记录编号", "问题",
]  # fmt: skip
STATUS_LABELS = {
    RowStatus.CREATED: "新增",
    RowStatus.DUPLICATE: "重复（已有记录）",
    RowStatus.UNKNOWN_SUBJECT: "主体未登记",
    RowStatus.ERROR: "错误",
}


def report_csv(report: ImportReport) -> str:
    """One line per row of the file, in file order, after the header."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REPORT_HEADER)
    for row in report.rows:
        writer.writerow(
            [
                row.row,
                STATUS_LABELS[row.status],
                row.status.value,
                row.subject_name or "",
                row.subject_code or "",
                row.decision_no or "",
                row.record_id or "",
                "；".join(problem.message for problem in row.problems),
            ]
        )
    return buffer.getvalue()
