"""Thin routes of the 双公示 exchange: upload a licence / penalty file, download them back."""

from __future__ import annotations

import shutil
import tempfile
from enum import StrEnum
from pathlib import Path

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response

from ecredit.authz.deps import Requires, SessionDep, VaultDep
from ecredit.authz.principals import Principal, Scope
from ecredit.exchange.columns import ExchangeKind
from ecredit.exchange.export import ExportFormat, export_records
from ecredit.exchange.parse import open_sheet
from ecredit.exchange.report import report_csv
from ecredit.exchange.schemas import ImportReport
from ecredit.exchange.service import import_rows
from ecredit.record.deps import RecordsDep

router = APIRouter(prefix="/exchange", tags=["exchange"])
COPY_CHUNK = 1 << 20


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


class ColumnsChoice(StrEnum):
    CURRENT = "current"
    OLDER = "older"


@router.post("/{kind}/import", response_model=ImportReport)
def import_file(
    kind: ExchangeKind,
    session: SessionDep,
    records: RecordsDep,
    vault: VaultDep,
    file: UploadFile = File(description="A 双公示 file: .csv (UTF-8 or GB18030) or .xlsx"),
    report: ReportFormat = Query(ReportFormat.JSON, description="json, or csv for people"),
    principal: Principal = Requires(Scope.RECORD_WRITE),
) -> ImportReport | Response:
    """Record the rows of a department's 行政处罚 / 行政许可 file (current or older national
    columns). Every row is reported: created, duplicate (already recorded: a re-upload stores
    nothing new), unknown_subject (not registered: never matched by name) or error (the column
    and the rule). `?report=csv` answers the same report as a CSV file."""
    with tempfile.TemporaryDirectory(prefix="ecredit-import-") as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as target:
            shutil.copyfileobj(file.file, target, COPY_CHUNK)
        with open_sheet(path) as sheet:
            result = import_rows(session, records, kind, sheet, principal, vault=vault)
    if report is ReportFormat.CSV:
        return Response(
            report_csv(result).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{kind.value}-import.csv"'},
        )
    return result


@router.get("/{kind}/export", response_class=Response)
def export_file(
    kind: ExchangeKind,
    session: SessionDep,
    records: RecordsDep,
    vault: VaultDep,
    format: ExportFormat = Query(ExportFormat.CSV),
    columns: ColumnsChoice = Query(ColumnsChoice.CURRENT),
    principal: Principal = Requires(Scope.RECORD_READ),
) -> Response:
    """The caller's standing records (a credit office: everyone's) in the national columns,
    current values, amounts in 万元; revoked ones are left out. ID numbers only in the records
    the caller's organisation submitted, and only with personal:read."""
    exported = export_records(
        session, vault, kind, principal, fmt=format, columns=columns.value, today=records.today()
    )
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
