"""Importing a department's 双公示 file: find each row's subject, check the row, and record the
valid rows through `RecordService.submit_batch` (validation, ledger, dedupe by decision number).

- Subjects are found by USCC, or for a natural person (行政相对人类别 = 自然人, or only an ID
  number given) by resident ID number through the blind index; never by name. A row whose subject
  is not registered is reported as `unknown_subject` and not stored.
- Penalties are recorded as `administrative_penalty`, or as `samr_penalty` (SAMR Order 45's
  publicity by kind of penalty) when the importing organisation is a market-regulation department
  (`Organisation.department == "samr"`). Licences are `administrative_licence`.
- 处罚机关统一社会信用代码 / 许可机关统一社会信用代码, when filled, must be the importing
  organisation's own code: a department imports only its own decisions.
- A re-upload finds its rows already recorded and reports them as duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_number

from ecredit.authz.principals import Principal
from ecredit.exchange.columns import ExchangeKind, F, detect
from ecredit.exchange.parse import Cell, Sheet, cell_text
from ecredit.exchange.rows import RowReader, Values
from ecredit.exchange.schemas import ImportProblem, ImportReport, ImportRow, ImportTotals, RowStatus
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Forbidden, InvalidInput
from ecredit.kit.ids import validate_ric, validate_uscc
from ecredit.kit.masking import PersonalField, mask
from ecredit.models.org import Organisation
from ecredit.models.subject import Subject
from ecredit.record.schemas import RecordCreate
from ecredit.record.service import RecordService
from ecredit.subject.repository import subject_repository

PENALTY_TYPE = "administrative_penalty"
SAMR_PENALTY_TYPE = "samr_penalty"
LICENCE_TYPE = "administrative_licence"
EXPORT_TYPES = {
    ExchangeKind.PENALTY: (PENALTY_TYPE, SAMR_PENALTY_TYPE),
    ExchangeKind.LICENCE: (LICENCE_TYPE,),
}
BATCH = 500  # rows per submit_batch call (its own limit is 1,000)
Progress = Callable[[int], None]


def record_type(kind: ExchangeKind, org: Organisation) -> str:
    if kind is ExchangeKind.LICENCE:
        return LICENCE_TYPE
    return SAMR_PENALTY_TYPE if org.department == "samr" else PENALTY_TYPE


@dataclass(frozen=True)
class _Import:
    session: Session
    records: RecordService
    vault: Vault
    by: Principal
    org: Organisation
    type_code: str
    reader: RowReader


def import_rows(
    session: Session,
    records: RecordService,
    kind: ExchangeKind,
    rows: Sheet,
    by: Principal,
    *,
    vault: Vault,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a 双公示 file's rows as the calling organisation; every row is reported."""
    org = _organisation(session, by)
    type_code = record_type(kind, org)
    if by.org_kind is not None and not records.catalog.may_submit(type_code, by.org_kind):
        raise Forbidden(f"a {by.org_kind.value} may not record '{type_code}'")
    columns, positions = detect(kind, rows.header)
    job = _Import(session, records, vault, by, org, type_code, RowReader(kind, columns, positions))
    report = ImportReport(
        kind=kind.value, type_code=type_code, columns=columns.name, totals=ImportTotals(), rows=[]
    )
    pending: list[tuple[ImportRow, RecordCreate]] = []
    for number, cells in rows.rows:
        if not any(cell_text(cell) for cell in cells):
            continue  # blank lines are not rows
        row, item = _read(job, number, cells)
        report.rows.append(row)
        if item is not None:
            pending.append((row, item))
        if len(pending) >= BATCH:
            _submit(job, pending)
            pending = []
        if progress and len(report.rows) % 100 == 0:
            progress(len(report.rows))
    _submit(job, pending)
    report.totals = _totals(report.rows)
    if progress:
        progress(len(report.rows))
    return report


def _organisation(session: Session, by: Principal) -> Organisation:
    org = session.get(Organisation, by.organisation_id) if by.organisation_id else None
    if org is None:
        raise Forbidden("an import is made by an organisation; this caller acts for none")
    return org


def _read(job: _Import, number: int, cells: list[Cell]) -> tuple[ImportRow, RecordCreate | None]:
    reader = job.reader
    values = reader.values(cells)
    problems: list[ImportProblem] = []
    subject, person, code = _subject(job, values, problems)
    name = reader.text(values, F.NAME) or None
    row = ImportRow(
        row=number,
        status=RowStatus.ERROR,
        decision_no=reader.text(values, F.DECISION_NO) or None,
        subject_name=mask(PersonalField.PERSON_NAME, name) if person else name,
        subject_code=code,
    )
    _check_authority(job, values, problems)
    fields = reader.record_fields(values, problems)
    if problems:
        row.problems = problems
        return row, None
    if subject is None:
        row.status = RowStatus.UNKNOWN_SUBJECT
        return row, None
    try:
        item = RecordCreate(subject_id=subject.id, type_code=job.type_code, **fields)
    except ValidationError as exc:
        row.problems = [_pydantic_problem(reader, error) for error in exc.errors()]
        return row, None
    return row, item


def _subject(
    job: _Import, values: Values, problems: list[ImportProblem]
) -> tuple[Subject | None, bool, str | None]:
    """(the registered subject or None, whether a natural person, the code to report)."""
    reader = job.reader
    uscc, id_number = reader.text(values, F.USCC), reader.text(values, F.ID_NUMBER)
    person = "自然人" in reader.text(values, F.CATEGORY) or (not uscc and bool(id_number))
    field, text = (F.ID_NUMBER, id_number) if person else (F.USCC, uscc)
    shown = mask(PersonalField.ID_NUMBER, text) if person else text
    if not text:
        what = "a natural person's ID number" if person else "the code (or 证件号码 for a person)"
        problems.append(reader.problem(field, "required", f"required: {what}"))
        return None, person, None
    try:
        if person:
            index = job.vault.index("id_number", validate_ric(text, field.value))
            return subject_repository.by_id_number_index(job.session, index), True, shown
        code = validate_uscc(text, field.value)
        return subject_repository.by_uscc(job.session, code), False, code
    except InvalidInput as exc:
        rule = exc.problems[0].rule if exc.problems else exc.code
        problems.append(reader.problem(field, rule, exc.message))
        return None, person, shown


def _check_authority(job: _Import, values: Values, problems: list[ImportProblem]) -> None:
    stated = job.reader.text(values, F.AUTHORITY_USCC)
    if not stated:
        return
    own = job.org.uscc
    if own is None:
        message = f"{job.org.name} has no unified social credit code on file to compare with"
    elif uscc_number.compact(stated).upper() != own:
        message = (
            f"'{stated}' is not the code of the importing organisation {job.org.name} ({own}); "
            "an organisation imports only its own decisions"
        )
    else:
        return
    problems.append(job.reader.problem(F.AUTHORITY_USCC, "authority", message))


def _submit(job: _Import, pending: list[tuple[ImportRow, RecordCreate]]) -> None:
    if not pending:
        return
    result = job.records.submit_batch(job.session, [item for _, item in pending], job.by)
    for (row, _item), outcome in zip(pending, result.items, strict=True):
        row.status = RowStatus(outcome.status)
        row.record_id = outcome.record_id
        row.problems = [_record_problem(job.reader, problem) for problem in outcome.problems]


def _record_problem(reader: RowReader, problem: dict[str, str]) -> ImportProblem:
    """A record-service problem, named by the file's column instead of our field."""
    field, message = problem.get("field", ""), problem.get("message", "")
    column = reader.column_of(field)
    if field and message.startswith(f"{field}:"):
        message = f"{column}:{message[len(field) + 1 :]}"
    return ImportProblem(column=column, rule=problem.get("rule", ""), message=message)


def _pydantic_problem(reader: RowReader, error: object) -> ImportProblem:
    details = error if isinstance(error, dict) else {}
    location = details.get("loc") or ("row",)
    column = reader.column_of(str(location[0]))
    return ImportProblem(
        column=column, rule=str(details.get("type", "invalid")),
        message=f"{column}: {details.get('msg', 'invalid')}",
    )  # fmt: skip


def _totals(rows: list[ImportRow]) -> ImportTotals:
    counts = {status: sum(row.status is status for row in rows) for status in RowStatus}
    return ImportTotals(
        rows=len(rows),
        created=counts[RowStatus.CREATED],
        duplicate=counts[RowStatus.DUPLICATE],
        unknown_subject=counts[RowStatus.UNKNOWN_SUBJECT],
        error=counts[RowStatus.ERROR],
    )
