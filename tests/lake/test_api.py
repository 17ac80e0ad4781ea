"""The lake over HTTP: a platform's key uploads its own data, retries are free, the error report
downloads as CSV."""

from __future__ import annotations

from pathlib import Path

from ecredit.authz.principals import Scope
from ecredit.models.org import OrgKind
from tests.factories import subjects as make
from tests.factories.api import Api
from tests.lake import files

LAKE = "/api/v1/lake"


def _platform_key(api: Api) -> tuple[int, dict[str, str]]:
    with api.db.unit_of_work() as session:
        platform = make.platform(session, api.vault).id
    key = api.key((Scope.LAKE_UPLOAD,), OrgKind.PLATFORM, platform)
    return platform, {"X-API-Key": key}


class TestLakeApi:
    def test_uploads_retries_and_reports_when_platform_sends_csv(
        self, api: Api, tmp_path: Path
    ) -> None:
        platform, headers = _platform_key(api)
        path = files.csv_file(tmp_path / "o.csv", files.orders(4, {2: {"buyer_id": ""}}))
        url = f"{LAKE}/orders/batches?platform_id={platform}&batch_key=day-1"
        sent = api.client.post(url, content=path.read_bytes(),
                               headers=headers | {"Content-Type": "text/csv"})  # fmt: skip
        assert sent.status_code == 201, sent.text
        body = sent.json()
        assert (body["rows_total"], body["rows_accepted"], body["rows_rejected"]) == (4, 3, 1)
        assert (body["has_error_report"], body["replayed"]) == (True, False)
        again = api.client.post(url, content=path.read_bytes(),
                                headers=headers | {"Content-Type": "text/csv"})  # fmt: skip
        assert again.status_code == 200
        assert (again.json()["id"], again.json()["replayed"]) == (body["id"], True)
        report = api.client.get(f"{LAKE}/batches/{body['id']}/errors.csv", headers=headers)
        assert report.status_code == 200
        assert report.headers["content-type"].startswith("text/csv")
        assert "4,buyer_id,required" in report.content.decode("utf-8-sig")
        listed = api.client.get(f"{LAKE}/batches", headers=headers).json()
        assert [item["id"] for item in listed["items"]] == [body["id"]]

    def test_refuses_with_409_when_key_reused_for_other_content(
        self, api: Api, tmp_path: Path
    ) -> None:
        platform, headers = _platform_key(api)
        url = f"{LAKE}/orders/batches?platform_id={platform}&batch_key=k&format=ndjson"
        one = files.ndjson(tmp_path / "1.ndjson", files.orders(1)).read_bytes()
        two = files.ndjson(tmp_path / "2.ndjson", files.orders(2)).read_bytes()
        assert api.client.post(url, content=one, headers=headers).status_code == 201
        refused = api.client.post(url, content=two, headers=headers)
        assert refused.status_code == 409
        assert "batch_key" in refused.json()["message"]

    def test_forbids_when_platform_uploads_for_another(self, api: Api, tmp_path: Path) -> None:
        _, headers = _platform_key(api)
        other, _ = _platform_key(api)
        body = files.ndjson(tmp_path / "o.ndjson", files.orders(1)).read_bytes()
        url = f"{LAKE}/orders/batches?platform_id={other}&format=ndjson"
        assert api.client.post(url, content=body, headers=headers).status_code == 403

    def test_names_field_when_format_unknown_or_body_empty(self, api: Api) -> None:
        platform, headers = _platform_key(api)
        url = f"{LAKE}/orders/batches?platform_id={platform}"
        unknown = api.client.post(url, content=b"a,b\n", headers=headers)
        assert unknown.status_code == 422
        assert unknown.json()["problems"][0]["field"] == "format"
        empty = api.client.post(f"{url}&format=csv", content=b"", headers=headers)
        assert empty.status_code == 422
        assert empty.json()["problems"][0]["rule"] == "not_empty"

    def test_parquet_accepted_when_sent_with_its_content_type(
        self, api: Api, tmp_path: Path
    ) -> None:
        platform, headers = _platform_key(api)
        body = files.parquet(tmp_path / "o.parquet", files.orders(3)).read_bytes()
        sent = api.client.post(
            f"{LAKE}/orders/batches?platform_id={platform}", content=body,
            headers=headers | {"Content-Type": "application/vnd.apache.parquet"},
        )  # fmt: skip
        assert sent.status_code == 201, sent.text
        assert sent.json()["status"] == "complete"
        missing = api.client.get(f"{LAKE}/batches/{sent.json()['id']}/errors.csv", headers=headers)
        assert missing.status_code == 404
