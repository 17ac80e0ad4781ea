"""An organisation's penalties or licences back out in a 双公示 column set, as CSV or .xlsx.

- Scope: a credit office (or the system) exports every organisation's records, anyone else only
  the records it submitted.
- Values are current: corrections applied, the display window's end (with any early end) in
  公示截止期, amounts back in 万元. Revoked records are left out: neither the current penalty set
  nor the licence sets can say "revoked" in a way a receiver acts on, and a revoked decision must
  not be published again. (当前状态 is therefore 正常 for penalties, 有效 / 无效 for licences by
  their validity.)
- A natural person's ID number is written only for records the caller's organisation submitted
  (it gave us the number) and only when the caller holds personal:read; each one opened is
  written to the personal-data access log. Other rows leave 证件号码 empty. This is a staff
  export: no public route serves it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Principal, Scope
from ecredit.exchange.columns import PENALTY_KIND_LABELS, ColumnSet, ExchangeKind, F, column_set
from ecredit.exchange.repository import exchange_repository
from ecredit.exchange.service import EXPORT_TYPES
from ecredit.kit.clock import SHANGHAI
from ecredit.kit.crypto import Vault
from ecredit.models.org import Organisation, OrgKind
from ecredit.models.subject import MerchantForm, Subject
from ecredit.record.state import RecordState, fold
from ecredit.subject.repository import subject_repository
from ecredit.subject.service import identifies_by_person

TEN_THOUSAND = Decimal(10000)
ALL_RECORDS_KINDS = frozenset({OrgKind.CREDIT_OFFICE})
SHEET_TITLES = {ExchangeKind.PENALTY: "行政处罚", ExchangeKind.LICENCE: "行政许可"}


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    media_type: str
    content: bytes


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_records(
    session: Session,
    vault: Vault,
    kind: ExchangeKind,
    by: Principal,
    *,
    fmt: ExportFormat,
    columns: str = "current",
    today: date,
) -> ExportFile:
    chosen = column_set(kind, columns)
    rows = export_rows(session, vault, kind, by, chosen, today)
    if fmt is ExportFormat.CSV:
        content = to_csv(chosen.headers(), rows)
    else:
        content = to_xlsx(SHEET_TITLES[kind], chosen.headers(), rows)
    name = f"{kind.value}-{chosen.name}-{today.isoformat()}.{fmt.value}"
    return ExportFile(name, MEDIA_TYPES[fmt], content)


def export_rows(
    session: Session,
    vault: Vault,
    kind: ExchangeKind,
    by: Principal,
    columns: ColumnSet,
    today: date,
) -> list[list[str]]:
    """One list of cells per standing record, in the order of `columns`, oldest record first."""
    everyone = by.org_kind is None or by.org_kind in ALL_RECORDS_KINDS
    entries = exchange_repository.entries(
        session, EXPORT_TYPES[kind], None if everyone else by.organisation_id
    )
    states = [state for state in fold(entries) if not state.revoked]
    subjects = subject_repository.many(session, sorted({s.original.subject_id for s in states}))
    sources = {s.original.source_org_id for s in states} - {None}
    orgs = exchange_repository.organisations(session, sorted(o for o in sources if o))
    numbers = _id_numbers(session, vault, by, states, subjects)
    rows = []
    for state in states:
        subject = subjects[state.original.subject_id]
        own = by.organisation_id is not None and state.original.source_org_id == by.organisation_id
        org = orgs.get(state.original.source_org_id or 0)
        values = _values(kind, state, subject, org, today)
        if own and subject.id in numbers:
            values |= {F.ID_TYPE: "身份证", F.ID_NUMBER: numbers[subject.id]}
        rows.append([values.get(column.field, "") for column in columns.columns])
    return rows


def _values(
    kind: ExchangeKind,
    state: RecordState,
    subject: Subject,
    org: Organisation | None,
    today: date,
) -> dict[F, str]:
    current = state.current
    values = {
        F.NAME: subject.name,
        F.CATEGORY: _category(subject),
        F.USCC: subject.uscc or "",
        F.LEGAL_REP: subject.legal_representative or "",
        F.DECISION_NO: current.decision_no or "",
        F.DECISION_DATE: _day(current.decision_date),
        F.VALID_UNTIL: _day(current.valid_until),
        F.PUBLIC_UNTIL: _day(state.public_until),
        F.AUTHORITY: org.name if org else "",
        F.AUTHORITY_USCC: (org.uscc or "") if org else "",
        F.SOURCE: org.name if org else "",
        F.SOURCE_USCC: (org.uscc or "") if org else "",
        F.UPDATED: f"{current.recorded_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}",
    }
    return values | _kind_values(kind, state, today)


def _kind_values(kind: ExchangeKind, state: RecordState, today: date) -> dict[F, str]:
    current = state.current
    if kind is ExchangeKind.PENALTY:
        label = PENALTY_KIND_LABELS[current.penalty_kind] if current.penalty_kind else ""
        return {
            F.FACTS: current.summary or "",
            F.LEGAL_BASIS: current.legal_basis or "",
            F.PENALTY_CATEGORY: label,
            F.AMOUNT: _wan(current.amount),
            F.STATUS: "正常",
        }
    return {
        F.DOCUMENT_NAME: current.legal_basis or "",
        F.CONTENT: current.summary or "",
        F.VALID_FROM: _day(current.decision_date),
        F.STATUS: "有效" if state.status(today) == "in_force" else "无效",
    }


def _category(subject: Subject) -> str:
    if identifies_by_person(subject.kind, subject.merchant_form):
        return "自然人"
    if subject.merchant_form is MerchantForm.INDIVIDUAL_BUSINESS:
        return "个体工商户"
    return "法人及非法人组织"


def _id_numbers(
    session: Session,
    vault: Vault,
    by: Principal,
    states: list[RecordState],
    subjects: dict[int, Subject],
) -> dict[int, str]:
    """Opened ID numbers of the people in the caller's own records, each access logged."""
    if by.organisation_id is None or not by.has(Scope.PERSONAL_READ):
        return {}
    own = {s.original.subject_id for s in states if s.original.source_org_id == by.organisation_id}
    numbers: dict[int, str] = {}
    for subject_id in sorted(own):
        sealed = subjects[subject_id].id_number_sealed
        if sealed is None:
            continue
        numbers[subject_id] = vault.cipher.decrypt(sealed, "subject.id_number")
        audit_service.log_personal_access(session, subject_id, ["id_number"], "双公示 export")
    return numbers


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def _wan(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return format((amount / TEN_THOUSAND).normalize(), "f")


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with a BOM (Excel then shows the Chinese), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: list[str], rows: list[list[str]]) -> bytes:
    """Every cell as text, so codes keep their leading zeros and dates their format."""
    from openpyxl import Workbook  # imported here: only Excel exports pay for it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
