"""Request body limits through the real app: a body past its endpoint's limit is refused with
413 before it is read (Content-Length) or as soon as it passes the limit (chunked), and nothing
is stored; a body at the limit is accepted. The limits are lowered here to keep bodies small."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from ecredit.app import create_app
from ecredit.authz.principals import Scope
from ecredit.config import Settings
from ecredit.exchange.columns import PENALTY_CURRENT
from ecredit.kit.db import Database
from ecredit.models.complaint import Complaint
from ecredit.models.lake import LakeBatch
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord
from tests.exchange.files import penalty, write_csv
from tests.exchange.test_api import IMPORT
from tests.exchange.test_api import setup as exchange_setup
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.factories.api import Api, running_app
from tests.lake import files
from tests.support.live_server import serving

LAKE_LIMIT, SHEET_LIMIT, JSON_LIMIT, FORM_LIMIT = 64 << 10, 32 << 10, 16 << 10, 4 << 10
CHUNK = 4 << 10
RECORDS_BATCH = "/api/v1/records/batch"
ROWS_UNDER = 80  # 双公示 rows whose CSV weighs between the JSON and the spreadsheet limit


@pytest.fixture
def settings(settings: Settings) -> Settings:
    limits = {"lake_upload_limit": LAKE_LIMIT, "spreadsheet_upload_limit": SHEET_LIMIT,
              "json_body_limit": JSON_LIMIT, "form_body_limit": FORM_LIMIT}  # fmt: skip
    return settings.model_copy(update=limits)


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[Api]:
    with running_app(settings, db) as running:
        yield running


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory uploads are spooled in, watched by the test."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


class Stream:
    """A body sent chunk by chunk (no Content-Length unless a test sets one); counts what the
    server pulled."""

    def __init__(self, body: bytes) -> None:
        self.chunks = [body[i : i + CHUNK] for i in range(0, len(body), CHUNK)]
        self.pulled = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk


def count(api: Api, model: type[Any]) -> int:
    with api.db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def ndjson_of_size(tmp_path: Path, size: int) -> bytes:
    """Valid orders, the last line padded with spaces (ignored by JSON) to exactly `size`."""
    body = files.ndjson(tmp_path / "o.ndjson", files.orders(size // 200)).read_bytes()
    assert len(body) < size
    return body[:-1] + b" " * (size - len(body)) + b"\n"


def assert_problem_413(response: Any, limit: str) -> None:
    assert response.status_code == 413, response.text
    body = response.json()
    assert (body["error"], body["limit_bytes"] > 0) == ("payload_too_large", True)
    assert body["message"].startswith(f"request body: larger than the {limit} limit")
    assert body["problems"] == [{"field": "body", "rule": "max_size", "message": body["message"]}]


def lake_target(api: Api) -> tuple[str, dict[str, str]]:
    """The orders upload URL of a new platform, and its key's headers."""
    with api.db.unit_of_work() as session:
        platform = make.platform(session, api.vault).id
    key = api.key((Scope.LAKE_UPLOAD,), OrgKind.PLATFORM, platform)
    headers = {"X-API-Key": key, "Content-Type": "application/x-ndjson"}
    return f"/api/v1/lake/orders/batches?platform_id={platform}", headers


class TestLakeUploadLimit:
    def lake_files(self, api: Api) -> list[Path]:
        return [p for p in Path(api.settings.resolved_lake_url).rglob("*") if p.is_file()]

    def test_refused_unread_when_content_length_over_limit(self, api: Api, tmp_path: Path) -> None:
        url, headers = lake_target(api)
        stream = Stream(ndjson_of_size(tmp_path, LAKE_LIMIT + 1))
        length = {"Content-Length": str(LAKE_LIMIT + 1)}
        response = api.client.post(url, content=stream, headers=headers | length)
        assert_problem_413(response, "64 KiB")
        assert response.headers["connection"] == "close"
        assert stream.pulled == 0
        assert (count(api, LakeBatch), self.lake_files(api)) == (0, [])

    def test_aborted_and_spool_removed_when_chunked_body_passes_limit(
        self, api: Api, tmp_path: Path, spool: Path
    ) -> None:
        url, headers = lake_target(api)
        stream = Stream(ndjson_of_size(tmp_path, 4 * LAKE_LIMIT))
        response = api.client.post(url, content=stream, headers=headers)
        assert_problem_413(response, "64 KiB")
        assert list(spool.iterdir()) == []
        assert (count(api, LakeBatch), self.lake_files(api)) == (0, [])

    def test_accepted_when_chunked_body_is_exactly_the_limit(
        self, api: Api, tmp_path: Path, spool: Path
    ) -> None:
        url, headers = lake_target(api)
        response = api.client.post(url, content=Stream(ndjson_of_size(tmp_path, LAKE_LIMIT)),
                                   headers=headers)  # fmt: skip
        assert response.status_code == 201, response.text
        assert response.json()["rows_rejected"] == 0
        assert count(api, LakeBatch) == 1
        assert list(spool.iterdir()) == []


class TestSpreadsheetImportLimit:
    def _file(self, api: Api, tmp_path: Path, rows: int) -> tuple[dict[str, str], bytes]:
        headers, own, code = exchange_setup(api)
        decisions = [penalty(code, f"本市监罚〔2026〕{n}号", own) for n in range(rows)]
        return headers, write_csv(tmp_path / "p.csv", PENALTY_CURRENT, decisions).read_bytes()

    def test_refused_when_file_over_limit(self, api: Api, tmp_path: Path) -> None:
        headers, body = self._file(api, tmp_path, 200)
        assert len(body) > SHEET_LIMIT
        response = api.client.post(IMPORT, files={"file": ("p.csv", body, "text/csv")},
                                   headers=headers)  # fmt: skip
        assert_problem_413(response, "32 KiB")
        assert count(api, CreditRecord) == 0

    def test_imported_when_file_under_limit(self, api: Api, tmp_path: Path) -> None:
        headers, body = self._file(api, tmp_path, ROWS_UNDER)
        assert JSON_LIMIT < len(body) < SHEET_LIMIT  # its limit, not the JSON one
        response = api.client.post(IMPORT, files={"file": ("p.csv", body, "text/csv")},
                                   headers=headers)  # fmt: skip
        assert response.status_code == 200, response.text
        assert response.json()["totals"]["created"] == ROWS_UNDER


class TestJsonBodyLimit:
    def _batch(self, api: Api, size: int) -> tuple[dict[str, str], bytes]:
        """A records batch of `size` records, each with a 4,000-character summary (12 KB)."""
        with api.db.unit_of_work() as session:
            subject = make.enterprise(session, api.vault).id
        records = [rec.penalty(subject, date(2026, 3, 2), summary="违" * 4000) for _ in range(size)]
        batch = {"records": [data.model_dump(mode="json", exclude_none=True) for data in records]}
        headers = {"X-API-Key": api.key((Scope.RECORD_WRITE,), OrgKind.DEPARTMENT),
                   "Content-Type": "application/json"}  # fmt: skip
        return headers, json.dumps(batch, ensure_ascii=False).encode()

    def test_refused_when_chunked_batch_passes_limit(self, api: Api) -> None:
        headers, body = self._batch(api, 2)
        assert len(body) > JSON_LIMIT
        stream = Stream(body)
        response = api.client.post(RECORDS_BATCH, content=stream, headers=headers)
        assert_problem_413(response, "16 KiB")
        assert count(api, CreditRecord) == 0

    def test_recorded_when_batch_under_limit(self, api: Api) -> None:
        headers, body = self._batch(api, 1)
        assert len(body) < JSON_LIMIT
        response = api.client.post(RECORDS_BATCH, content=body, headers=headers)
        assert response.status_code == 200, response.text
        assert count(api, CreditRecord) == 1


class TestPortalFormLimit:
    def test_chinese_page_when_form_over_limit(self, api: Api) -> None:
        form = {"description": "x" * FORM_LIMIT, "csrf_token": "t"}
        response = api.client.post("/complaints/new", data=form)
        assert response.status_code == 413
        assert response.headers["content-type"].startswith("text/html")
        assert "提交内容过大" in response.text
        assert "4 KiB" in response.text
        assert count(api, Complaint) == 0

    def test_english_page_when_streamed_form_passes_limit(self, api: Api) -> None:
        stream = Stream(b"description=" + b"x" * 2 * FORM_LIMIT)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "lang=en"}
        response = api.client.post("/complaints/new", content=stream, headers=headers)
        assert response.status_code == 413
        assert "larger than the 4 KiB limit for this page" in response.text
        assert count(api, Complaint) == 0


class TestOverRealHttp:
    """uvicorn on 127.0.0.1: a chunked upload is cut off near the limit, not read to its end."""

    def test_stops_reading_when_streamed_upload_passes_limit(self, api: Api, spool: Path) -> None:
        url, headers = lake_target(api)
        served = create_app(api.settings, db=api.db, run_jobs=False)
        sent = Endless(64 << 20)  # 1,024 × the limit: far more than the sockets' buffers hold
        with serving(served) as base, httpx.Client(base_url=base) as client:
            response = client.post(url, content=sent, headers=headers)
        assert_problem_413(response, "64 KiB")
        assert sent.pulled < sent.total // 4, f"read {sent.pulled:,} of {sent.total:,} bytes"
        assert list(spool.iterdir()) == []
        assert count(api, LakeBatch) == 0


class Endless:
    """`total` bytes of valid NDJSON orders, made as they are pulled; counts what was pulled."""

    def __init__(self, total: int) -> None:
        line = (json.dumps(files.order(1)) + "\n").encode()
        self.chunk = line * (CHUNK // len(line))
        self.total, self.pulled = total, 0

    def __iter__(self) -> Iterator[bytes]:
        while self.pulled < self.total:
            self.pulled += len(self.chunk)
            yield self.chunk
