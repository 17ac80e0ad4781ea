"""The exchange routes: multipart upload with a JSON or CSV report, export, and 422s."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from ecredit.authz.principals import Scope
from ecredit.exchange.columns import PENALTY_CURRENT
from tests.exchange.conftest import department
from tests.exchange.files import penalty, write_csv
from tests.factories import orgs, subjects
from tests.factories.api import Api

IMPORT = "/api/v1/exchange/penalty/import"
EXPORT = "/api/v1/exchange/penalty/export"


def setup(api: Api, scopes: tuple[Scope, ...] = tuple(Scope)) -> tuple[dict[str, str], str, str]:
    """(headers of a samr department's key, its USCC, a registered subject's USCC)."""
    with api.db.unit_of_work() as session:
        org = department(session, "本溪市市场监督管理局", "samr")
        _key, plaintext = orgs.api_key(session, org, scopes)
        subject = subjects.enterprise(session, api.vault)
        return {"X-API-Key": plaintext}, org.uscc or "", subject.uscc or ""


def upload(path: Path) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (path.name, path.read_bytes(), "text/csv")}


class TestImportRoute:
    def test_report_is_answered_when_file_is_uploaded(self, api: Api, tmp_path: Path) -> None:
        headers, own, code = setup(api)
        rows = [penalty(code, "本市监罚〔2026〕1号", own), penalty(code, "", own)]
        path = write_csv(tmp_path / "p.csv", PENALTY_CURRENT, rows)
        first = api.client.post(IMPORT, files=upload(path), headers=headers)
        assert first.status_code == 200, first.text
        body = first.json()
        assert (body["type_code"], body["totals"]["created"], body["totals"]["error"]) == (
            "samr_penalty",
            1,
            1,
        )
        assert body["rows"][1]["problems"][0]["column"] == "行政处罚决定书文号"
        again = api.client.post(
            IMPORT, files=upload(path), headers=headers, params={"report": "csv"}
        )
        assert again.status_code == 200
        assert again.headers["content-type"].startswith("text/csv")
        lines = again.content.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("行号,结果,status")
        assert lines[1].startswith("2,重复（已有记录）,duplicate")

    def test_unknown_kind_is_422_when_path_names_another_kind(self, api: Api) -> None:
        headers, _own, _code = setup(api)
        files = {"file": ("p.csv", b"a,b\n", "text/csv")}
        response = api.client.post("/api/v1/exchange/sanction/import", files=files, headers=headers)
        assert response.status_code == 422
        assert "kind" in response.json()["message"]

    def test_unknown_columns_are_422_naming_them_when_header_is_foreign(self, api: Api) -> None:
        headers, _own, _code = setup(api)
        files = {"file": ("p.csv", "名称,代码\n某公司,1\n".encode(), "text/csv")}
        response = api.client.post(IMPORT, files=files, headers=headers)
        assert response.status_code == 422
        assert "处罚依据" in response.json()["message"]

    def test_unreadable_workbook_is_422_when_file_is_not_xlsx(self, api: Api) -> None:
        headers, _own, _code = setup(api)
        files = {"file": ("p.xlsx", b"PK\x03\x04not a zip", "application/octet-stream")}
        response = api.client.post(IMPORT, files=files, headers=headers)
        assert response.status_code == 422
        assert response.json()["problems"][0]["field"] == "file"

    def test_upload_is_403_when_key_lacks_record_write(self, api: Api, tmp_path: Path) -> None:
        headers, _own, _code = setup(api, (Scope.RECORD_READ,))
        path = write_csv(tmp_path / "p.csv", PENALTY_CURRENT, [])
        assert api.client.post(IMPORT, files=upload(path), headers=headers).status_code == 403


class TestExportRoute:
    def test_workbook_is_answered_when_xlsx_is_asked(self, api: Api, tmp_path: Path) -> None:
        headers, own, code = setup(api)
        path = write_csv(tmp_path / "p.csv", PENALTY_CURRENT, [penalty(code, "本市监罚1号", own)])
        assert api.client.post(IMPORT, files=upload(path), headers=headers).status_code == 200
        response = api.client.get(EXPORT, params={"format": "xlsx"}, headers=headers)
        assert response.status_code == 200, response.text
        assert "attachment" in response.headers["content-disposition"]
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        header, row = list(sheet.iter_rows(values_only=True))[:2]
        assert list(header) == PENALTY_CURRENT.headers()
        assert row[header.index("行政处罚决定书文号")] == "本市监罚1号"

    def test_bad_choices_are_422_when_format_or_columns_are_unknown(self, api: Api) -> None:
        headers, _own, _code = setup(api)
        for params in ({"format": "pdf"}, {"columns": "2015"}):
            assert api.client.get(EXPORT, params=params, headers=headers).status_code == 422
