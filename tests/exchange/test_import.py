"""Importing 双公示 files: subjects by code only, every row reported, re-upload safe."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.exchange.columns import (
    LICENCE_CURRENT,
    PENALTY_CURRENT,
    PENALTY_OLDER,
    ExchangeKind,
)
from ecredit.exchange.parse import open_sheet
from ecredit.exchange.schemas import ImportReport, RowStatus
from ecredit.exchange.service import import_rows
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import AppError, Forbidden
from ecredit.models.org import Organisation, OrgKind
from ecredit.models.record import CreditRecord, PenaltyKind
from ecredit.record.service import RecordService
from tests.exchange.conftest import department
from tests.exchange.files import USCC_HEADER, licence, penalty, write_csv, write_xlsx
from tests.factories import orgs, subjects


def run(
    session: Session,
    records: RecordService,
    vault: Vault,
    path: Path,
    org: Organisation,
    kind: ExchangeKind = ExchangeKind.PENALTY,
) -> ImportReport:
    with open_sheet(path) as sheet:
        return import_rows(session, records, kind, sheet, orgs.principal(org), vault=vault)


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CreditRecord)) or 0


class TestPenaltyImport:
    def test_rows_are_recorded_as_administrative_penalty_when_department_is_not_samr(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        rows = [penalty(subject.uscc or "", "本商罚〔2026〕1号", commerce.uscc or "")]
        report = run(
            session, records, vault, write_csv(tmp_path / "p.csv", PENALTY_CURRENT, rows), commerce
        )
        assert report.totals.created == 1, report
        assert report.columns == "current"
        record = session.get(CreditRecord, report.rows[0].record_id)
        assert record is not None
        assert record.type_code == "administrative_penalty"
        assert record.subject_id == subject.id
        assert record.amount == Decimal("5000.00")
        assert record.penalty_kind is PenaltyKind.FINE
        assert record.summary == "虚假宣传：在网店商品页面对商品性能作虚假宣传"
        # the catalogue's window (general: 12 months), not the file's 公示截止期
        assert (record.public_from, record.public_until) == (date(2026, 3, 2), date(2027, 3, 2))

    def test_rows_are_recorded_as_samr_penalty_when_department_is_market_regulation(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        samr: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        row = penalty(
            subject.uscc or "",
            "本市监罚〔2026〕8号",
            samr.uscc or "",
            **{"处罚类别": "罚款；没收违法所得", "罚款金额（万元）": "1.234567"},
        )
        report = run(
            session, records, vault, write_csv(tmp_path / "p.csv", PENALTY_CURRENT, [row]), samr
        )
        record = session.get(CreditRecord, report.rows[0].record_id)
        assert record is not None
        assert record.type_code == "samr_penalty"
        assert record.penalty_kind is PenaltyKind.CONFISCATION  # the most severe category
        assert record.amount == Decimal("12345.67")
        assert record.public_until == date(2029, 3, 2)  # Order 45: 36 months

    def test_older_column_set_is_read_when_header_is_older(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        row = {
            "行政处罚决定书文号": "本商罚〔2019〕3号",
            "处罚名称": "虚假宣传案",
            "处罚类别1": "警告",
            "处罚事由": "虚假宣传",
            "处罚依据": "《反不正当竞争法》第二十条",
            "行政相对人名称": subject.name,
            "行政相对人代码_1(统一社会信用代码)": subject.uscc,
            "处罚决定日期": "2019年7月8日",
            "处罚机关": commerce.name,
            "当前状态": "正常",
        }
        report = run(
            session, records, vault, write_csv(tmp_path / "old.csv", PENALTY_OLDER, [row]), commerce
        )
        assert report.columns == "older"
        assert report.totals.created == 1, report
        record = session.get(CreditRecord, report.rows[0].record_id)
        assert record is not None
        assert (record.penalty_kind, record.decision_date) == (
            PenaltyKind.WARNING,
            date(2019, 7, 8),
        )

    def test_rows_are_read_when_csv_is_gb18030(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        rows = [penalty(subject.uscc or "", "本商罚〔2026〕2号", **{"处罚决定日期": "2026/03/02"})]
        path = write_csv(tmp_path / "gb.csv", PENALTY_CURRENT, rows, encoding="gb18030")
        report = run(session, records, vault, path, commerce)
        assert report.totals.created == 1, report
        record = session.get(CreditRecord, report.rows[0].record_id)
        assert record is not None
        assert record.legal_basis == "《中华人民共和国反不正当竞争法》第二十条"

    def test_natural_person_is_found_by_id_number_when_category_is_person(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        person = subjects.natural_person(session, vault, id_number=subjects.id_number())
        number = vault.cipher.decrypt(person.id_number_sealed or "", "subject.id_number")
        row = penalty(
            "",
            "本商罚〔2026〕5号",
            **{
                "行政相对人名称": "张三丰",
                "行政相对人类别": "自然人",
                "证件类型": "身份证",
                "证件号码": number,
            },
        )
        report = run(
            session, records, vault, write_csv(tmp_path / "p.csv", PENALTY_CURRENT, [row]), commerce
        )
        assert report.totals.created == 1, report
        shown = report.rows[0]
        assert shown.subject_code is not None
        assert number not in shown.subject_code
        assert shown.subject_name == "张**"
        record = session.get(CreditRecord, shown.record_id)
        assert record is not None
        assert record.subject_id == person.id


class TestRowsNotStored:
    def test_unknown_subject_is_listed_and_not_stored_when_code_is_not_registered(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        known = subjects.enterprise(session, vault)
        stranger = subjects.uscc_number()
        rows = [
            penalty(known.uscc or "", "本商罚〔2026〕10号"),
            # the name of a registered subject does not make the row match: codes only
            penalty(stranger, "本商罚〔2026〕11号", **{"行政相对人名称": known.name}),
        ]
        before = count(session)
        report = run(
            session, records, vault, write_csv(tmp_path / "p.csv", PENALTY_CURRENT, rows), commerce
        )
        assert (report.totals.created, report.totals.unknown_subject) == (1, 1)
        unknown = report.rows[1]
        assert (unknown.row, unknown.status, unknown.subject_code) == (
            3,
            RowStatus.UNKNOWN_SUBJECT,
            stranger,
        )
        assert unknown.subject_name == known.name
        assert count(session) == before + 1

    def test_each_bad_row_is_reported_with_row_number_and_column_when_cells_break_rules(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        code = subject.uscc or ""
        wrong_code, should_be = subjects.with_wrong_check_character(code)
        rows = [
            penalty(code, "本商罚〔2026〕20号", **{"处罚决定日期": "2026-02-30"}),
            penalty(wrong_code, "本商罚〔2026〕21号"),
            penalty(code, ""),
            penalty(code, "本商罚〔2026〕23号", **{"罚款金额（万元）": "五千"}),
            penalty(code, "本商罚〔2026〕24号", **{"处罚依据": ""}),
        ]
        before = count(session)
        report = run(
            session, records, vault, write_csv(tmp_path / "p.csv", PENALTY_CURRENT, rows), commerce
        )
        assert report.totals.error == 5
        assert count(session) == before
        found = {row.row: row.problems[0] for row in report.rows}
        assert (found[2].column, found[2].rule) == ("处罚决定日期", "date")
        assert found[3].column == USCC_HEADER
        assert f"'{should_be}'" in found[3].message
        assert (found[4].column, found[4].rule) == ("行政处罚决定书文号", "required")
        assert (found[5].column, found[5].rule) == ("罚款金额（万元）", "number")
        assert (found[6].column, found[6].rule) == ("处罚依据", "required")
        assert found[6].message.startswith("处罚依据:")

    def test_rows_are_refused_when_authority_code_is_another_organisations(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        rows = [penalty(subject.uscc or "", "本商罚〔2026〕30号", subjects.uscc_number())]
        report = run(
            session, records, vault, write_csv(tmp_path / "p.csv", PENALTY_CURRENT, rows), commerce
        )
        problem = report.rows[0].problems[0]
        assert report.totals.error == 1
        assert (problem.column, problem.rule) == ("处罚机关统一社会信用代码", "authority")
        assert commerce.name in problem.message

    def test_reupload_stores_nothing_new_when_file_was_imported(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        rows = [penalty(subject.uscc or "", f"本商罚〔2026〕4{i}号") for i in range(3)]
        path = write_csv(tmp_path / "p.csv", PENALTY_CURRENT, rows)
        first = run(session, records, vault, path, commerce)
        before = count(session)
        again = run(session, records, vault, path, commerce)
        assert first.totals.created == 3
        assert (again.totals.duplicate, again.totals.created) == (3, 0)
        assert [r.record_id for r in again.rows] == [r.record_id for r in first.rows]
        assert count(session) == before

    def test_whole_file_is_refused_when_header_is_unknown(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        path = write_csv(tmp_path / "x.csv", ["名称", "代码", "处罚决定日期"], [])
        with pytest.raises(AppError) as caught:
            run(session, records, vault, path, commerce)
        assert caught.value.status_code == 422
        assert "行政处罚决定书文号" in caught.value.message

    def test_import_is_forbidden_when_organisation_is_a_platform(
        self, session: Session, records: RecordService, vault: Vault, tmp_path: Path
    ) -> None:
        platform = department(session, "某电商平台", None, OrgKind.PLATFORM)
        path = write_csv(tmp_path / "p.csv", PENALTY_CURRENT, [])
        with pytest.raises(Forbidden):
            run(session, records, vault, path, platform)


class TestLicenceImport:
    def test_licences_are_recorded_when_file_is_xlsx_with_excel_dates(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        rows = [
            licence(
                subject.uscc or "",
                "JY-2026-001",
                **{"许可决定日期": 46027, "有效期自": 46027, "有效期至": 47852},
            ),
            licence(
                subject.uscc or "",
                "JY-2026-002",
                **{"许可决定日期": datetime(2026, 1, 5), "有效期至": "长期"},
            ),
        ]
        path = write_xlsx(tmp_path / "l.xlsx", LICENCE_CURRENT, rows)
        report = run(session, records, vault, path, commerce, ExchangeKind.LICENCE)
        assert report.totals.created == 2, report
        first = session.get(CreditRecord, report.rows[0].record_id)
        second = session.get(CreditRecord, report.rows[1].record_id)
        assert first is not None
        assert second is not None
        assert first.type_code == "administrative_licence"
        assert first.decision_date == date(2026, 1, 5)  # serial 46027
        assert (first.public_from, first.public_until) == (date(2026, 1, 5), date(2031, 1, 4))
        assert first.legal_basis == "食品经营许可决定书"
        assert first.summary == "预包装食品（含冷藏冷冻食品）销售"
        assert (second.decision_date, second.valid_until) == (date(2026, 1, 5), None)

    def test_header_variants_are_accepted_when_parentheses_are_half_width_or_spaced(
        self,
        session: Session,
        records: RecordService,
        vault: Vault,
        commerce: Organisation,
        tmp_path: Path,
    ) -> None:
        subject = subjects.enterprise(session, vault)
        header = [h.replace("（", "(").replace("）", ")") for h in LICENCE_CURRENT.headers()]
        header = [f" {h} " if "许可" in h else h for h in header]
        row = licence(subject.uscc or "", "JY-2026-010")
        values = [row.get(h, "") for h in LICENCE_CURRENT.headers()]
        values[header.index("行政相对人代码_1(统一社会信用代码)")] = subject.uscc
        path = tmp_path / "v.csv"
        path.write_text(
            ",".join(header) + "\n" + ",".join(str(v) for v in values) + "\n", encoding="utf-8"
        )
        report = run(session, records, vault, path, commerce, ExchangeKind.LICENCE)
        assert report.totals.created == 1, report
