"""Exporting back in the national columns: current values, revoked left out, round trip safe."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.exchange.columns import (
    LICENCE_CURRENT,
    LICENCE_OLDER,
    PENALTY_CURRENT,
    PENALTY_OLDER,
    ExchangeKind,
)
from ecredit.exchange.export import ExportFormat, export_records
from ecredit.kit.crypto import Vault
from ecredit.models.audit import PersonalDataAccess
from ecredit.models.org import Organisation
from ecredit.record.schemas import RecordAmendment, RecordCorrection
from ecredit.record.service import RecordService
from tests.exchange.files import USCC_HEADER, licence, penalty, write_csv, write_xlsx
from tests.exchange.test_import import run
from tests.factories import orgs, subjects


def export(
    session: Session,
    records: RecordService,
    vault: Vault,
    org: Organisation,
    kind: ExchangeKind = ExchangeKind.PENALTY,
    fmt: ExportFormat = ExportFormat.CSV,
    columns: str = "current",
) -> bytes:
    exported = export_records(
        session, vault, kind, orgs.principal(org), fmt=fmt, columns=columns, today=records.today()
    )
    return exported.content


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


class TestExport:
    def test_reimport_is_all_duplicates_when_exported_file_is_uploaded_again(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        samr: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        rows = [
            penalty(subject.uscc or "", f"本市监罚〔2026〕5{i}号", samr.uscc or "")
            for i in range(3)
        ]
        imported = run(
            session, records, vault, write_csv(tmp_path / "in.csv", PENALTY_CURRENT, rows), samr
        )
        assert imported.totals.created == 3
        for fmt in ExportFormat:
            out = tmp_path / f"out.{fmt.value}"
            out.write_bytes(export(session, records, vault, samr, fmt=fmt))
            again = run(session, records, vault, out, samr)
            assert (again.totals.duplicate, again.totals.rows) == (3, 3), again

    def test_columns_and_values_are_national_when_exported_as_csv(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        samr: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        row = penalty(subject.uscc or "", "本市监罚〔2026〕60号", samr.uscc or "")
        run(session, records, vault, write_csv(tmp_path / "in.csv", PENALTY_CURRENT, [row]), samr)
        content = export(session, records, vault, samr)
        header = content.decode("utf-8-sig").splitlines()[0].split(",")
        assert header == PENALTY_CURRENT.headers()
        [line] = read_csv(content)
        assert line[USCC_HEADER] == subject.uscc
        assert line["罚款金额（万元）"] == "0.5"
        assert line["处罚类别"] == "罚款"
        assert line["公示截止期"] == "2029-03-02"  # ours (36 months), not the file's 2099-01-01
        assert (line["处罚机关"], line["处罚机关统一社会信用代码"]) == (samr.name, samr.uscc)

    def test_corrections_are_applied_and_revoked_records_left_out_when_exported(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        rows = [penalty(subject.uscc or "", f"本商罚〔2026〕7{i}号") for i in range(2)]
        report = run(
            session, records, vault, write_csv(tmp_path / "in.csv", PENALTY_CURRENT, rows), commerce
        )
        by = orgs.principal(commerce)
        first, second = (row.record_id or 0 for row in report.rows)
        records.correct(session, first, RecordCorrection(reason="金额笔误", amount=8000), by)
        records.revoke(session, second, RecordAmendment(reason="复议撤销"), by)
        lines = read_csv(export(session, records, vault, commerce))
        assert [line["行政处罚决定书文号"] for line in lines] == ["本商罚〔2026〕70号"]
        assert lines[0]["罚款金额（万元）"] == "0.8"

    def test_older_columns_are_written_when_asked(
        self, session: Session, records: RecordService, vault: Vault, commerce: Organisation,
        tmp_path: Path,
    ) -> None:  # fmt: skip
        subject = subjects.enterprise(session, vault)
        rows = [penalty(subject.uscc or "", "本商罚〔2026〕80号")]
        run(session, records, vault, write_csv(tmp_path / "in.csv", PENALTY_CURRENT, rows),
            commerce)  # fmt: skip
        old_penalty = export(session, records, vault, commerce, columns="older")
        assert list(read_csv(old_penalty)[0]) == PENALTY_OLDER.headers()
        (tmp_path / "old.csv").write_bytes(old_penalty)
        assert run(session, records, vault, tmp_path / "old.csv", commerce).totals.duplicate == 1

    def test_older_licence_columns_carry_validity_when_exported_as_xlsx(
        self, session: Session, records: RecordService, vault: Vault, commerce: Organisation,
        tmp_path: Path,
    ) -> None:  # fmt: skip
        subject = subjects.enterprise(session, vault)
        rows = [licence(subject.uscc or "", "JY-2026-080")]
        path = write_xlsx(tmp_path / "l.xlsx", LICENCE_CURRENT, rows)
        run(session, records, vault, path, commerce, ExchangeKind.LICENCE)
        content = export(session, records, vault, commerce, ExchangeKind.LICENCE,
                         ExportFormat.XLSX, "older")  # fmt: skip
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        header, first = list(sheet.iter_rows(values_only=True))[:2]
        assert list(header) == LICENCE_OLDER.headers()
        line = dict(zip(header, first, strict=True))
        assert (line["许可截止期"], line["当前状态"]) == ("2031-01-04", "有效")
        (tmp_path / "old.xlsx").write_bytes(content)
        again = run(session, records, vault, tmp_path / "old.xlsx", commerce, ExchangeKind.LICENCE)
        assert again.totals.duplicate == 1

    def test_id_number_is_exported_only_when_caller_submitted_the_record(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        office: Organisation,
        tmp_path: Path,
    ) -> None:
        person = subjects.natural_person(session, vault, id_number=subjects.id_number())
        number = vault.cipher.decrypt(person.id_number_sealed or "", "subject.id_number")
        row = penalty("", "本商罚〔2026〕90号", **{"行政相对人类别": "自然人", "证件号码": number})
        run(
            session,
            records,
            vault,
            write_csv(tmp_path / "in.csv", PENALTY_CURRENT, [row]),
            commerce,
        )
        [own] = read_csv(export(session, records, vault, commerce))
        [others] = read_csv(export(session, records, vault, office))
        assert (own["证件号码"], own["行政相对人类别"]) == (number, "自然人")
        assert others["证件号码"] == ""
        logged = session.scalars(select(PersonalDataAccess)).all()
        assert [(entry.subject_id, entry.fields) for entry in logged] == [
            (person.id, ["id_number"])
        ]
