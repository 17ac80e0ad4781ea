"""Uploading batches: partitions by platform and day, per-row errors, idempotent retries, and
nothing left behind by a failure — on a local root and on memory://."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import AppError, Conflict, Forbidden, InvalidInput
from ecredit.lake.readers import FileFormat
from ecredit.lake.service import Upload, batch_uid, hash_file, lake_service
from ecredit.lake.store import LakeStore
from ecredit.models.lake import BatchStatus, LakeBatch
from ecredit.models.org import OrgKind
from tests.factories import orgs
from tests.factories import subjects as make
from tests.lake import files
from tests.lake.conftest import files_under


def _upload(path: Path, file_format: FileFormat) -> Upload:
    return Upload(path, hash_file(path), file_format)


def _batches(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(LakeBatch)) or 0


class TestUpload:
    @pytest.mark.parametrize("file_format", list(FileFormat))
    def test_partitions_by_platform_and_day_when_rows_valid(
        self, session: Session, vault: Vault, store: LakeStore, tmp_path: Path,
        file_format: FileFormat,
    ) -> None:  # fmt: skip
        platform = make.platform(session, vault).id
        writers = {FileFormat.NDJSON: files.ndjson, FileFormat.CSV: files.csv_file,
                   FileFormat.PARQUET: files.parquet}  # fmt: skip
        path = writers[file_format](tmp_path / f"orders.{file_format.value}", files.orders(6))
        batch, created = lake_service.upload(
            session, store, SYSTEM, platform, "orders", "b-1", _upload(path, file_format)
        )
        assert created
        assert (batch.rows_total, batch.rows_accepted, batch.status) == (6, 6, BatchStatus.COMPLETE)
        uid = batch_uid(platform, "orders", "b-1")
        assert files_under(store) == [
            f"orders/platform={platform}/day=2026-03-01/part-{uid}.parquet",
            f"orders/platform={platform}/day=2026-03-02/part-{uid}.parquet",
        ]
        table = ds.dataset(store.full("orders"), filesystem=store.fs, partitioning="hive",
                           format="parquet").to_table()  # fmt: skip
        assert table.num_rows == 6
        assert set(table.column("platform").to_pylist()) == {platform}

    def test_reports_each_broken_row_when_some_invalid(
        self, session: Session, vault: Vault, store: LakeStore, tmp_path: Path
    ) -> None:
        platform = make.platform(session, vault).id
        broken = {1: {"amount": "1.999"}, 3: {"order_time": "2026-03-01 10:00"}}
        path = files.csv_file(tmp_path / "orders.csv", files.orders(5, broken))
        batch, _ = lake_service.upload(
            session, store, SYSTEM, platform, "orders", "b-2", _upload(path, FileFormat.CSV)
        )
        assert (batch.rows_accepted, batch.rows_rejected) == (3, 2)
        assert batch.status is BatchStatus.PARTIAL
        assert batch.error_report is not None
        with store.open_read(batch.error_report) as handle:
            report = handle.read().decode("utf-8-sig").splitlines()
        assert report[0] == "row,field,rule,value,message"
        assert report[1].startswith("3,amount,decimal,1.999,")  # line 3: header is line 1
        assert report[2].startswith("5,order_time,timestamp,")

    def test_adds_nothing_when_same_key_retried(
        self, session: Session, vault: Vault, store: LakeStore, tmp_path: Path
    ) -> None:
        platform = make.platform(session, vault).id
        upload = _upload(files.ndjson(tmp_path / "o.ndjson", files.orders(4)), FileFormat.NDJSON)
        first, _ = lake_service.upload(session, store, SYSTEM, platform, "orders", "k", upload)
        before = files_under(store)
        again, created = lake_service.upload(session, store, SYSTEM, platform, "orders", "k",
                                             upload)  # fmt: skip
        assert not created
        assert again.id == first.id
        assert files_under(store) == before
        assert _batches(session) == 1

    def test_refuses_with_409_when_key_reused_for_other_content(
        self, session: Session, vault: Vault, store: LakeStore, tmp_path: Path
    ) -> None:
        platform = make.platform(session, vault).id
        one = _upload(files.ndjson(tmp_path / "1.ndjson", files.orders(2)), FileFormat.NDJSON)
        two = _upload(files.ndjson(tmp_path / "2.ndjson", files.orders(3)), FileFormat.NDJSON)
        lake_service.upload(session, store, SYSTEM, platform, "orders", "k", one)
        with pytest.raises(Conflict, match="batch_key"):
            lake_service.upload(session, store, SYSTEM, platform, "orders", "k", two)

    def test_keys_by_content_when_no_batch_key_given(
        self, session: Session, vault: Vault, store: LakeStore, tmp_path: Path
    ) -> None:
        platform = make.platform(session, vault).id
        upload = _upload(files.ndjson(tmp_path / "o.ndjson", files.orders(2)), FileFormat.NDJSON)
        batch, _ = lake_service.upload(session, store, SYSTEM, platform, "orders", None, upload)
        assert batch.batch_key == f"sha256:{upload.content_hash}"
        _, created = lake_service.upload(session, store, SYSTEM, platform, "orders", "", upload)
        assert not created


class TestNothingHalfWritten:
    def test_leaves_no_file_and_no_batch_when_file_breaks_midway(
        self, session: Session, vault: Vault, store: LakeStore, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        platform = make.platform(session, vault).id
        monkeypatch.setattr("ecredit.lake.readers.BATCH_ROWS", 10)
        path = files.parquet(tmp_path / "o.parquet", files.orders(40), row_group_size=10)
        # Spoil the third row group's pages; the footer still opens the file.
        start = pq.ParquetFile(path).metadata.row_group(2).column(0).data_page_offset
        data = bytearray(path.read_bytes())
        data[start : start + 64] = b"\xff" * 64
        path.write_bytes(bytes(data))
        with pytest.raises(InvalidInput, match="unreadable after record"):
            lake_service.upload(session, store, SYSTEM, platform, "orders", "k",
                                _upload(path, FileFormat.PARQUET))  # fmt: skip
        assert files_under(store) == []
        assert _batches(session) == 0

    def test_removes_written_files_when_registry_refuses_batch(
        self, session: Session, vault: Vault, store: LakeStore, tmp_path: Path
    ) -> None:
        platform = make.platform(session, vault).id
        # Another upload registered the same uid between our check and our insert.
        session.add(LakeBatch(
            uid=batch_uid(platform, "orders", "k"), platform_id=platform, dataset="orders",
            batch_key="other", content_hash="0" * 64, file_format="csv", rows_total=0,
            rows_accepted=0, rows_rejected=0, status=BatchStatus.REJECTED, uploaded_by="t",
        ))  # fmt: skip
        session.flush()
        upload = _upload(files.ndjson(tmp_path / "o.ndjson", files.orders(3)), FileFormat.NDJSON)
        with pytest.raises(Conflict):
            lake_service.upload(session, store, SYSTEM, platform, "orders", "k", upload)
        assert files_under(store) == []
        assert _batches(session) == 1


class TestRefusals:
    def test_forbids_when_platform_uploads_for_another(
        self, session: Session, vault: Vault, store: LakeStore, tmp_path: Path
    ) -> None:
        own, other = make.platform(session, vault), make.platform(session, vault)
        org = orgs.organisation(session, OrgKind.PLATFORM, subject_id=own.id)
        upload = _upload(files.ndjson(tmp_path / "o.ndjson", files.orders(1)), FileFormat.NDJSON)
        with pytest.raises(Forbidden):
            lake_service.upload(session, store, orgs.principal(org), other.id, "orders", "k",
                                upload)  # fmt: skip

    @pytest.mark.parametrize(
        ("dataset", "columns", "field"),
        [("clicks", ["order_id"], "dataset"), ("orders", ["order_id"], "shop_id")],
    )
    def test_names_field_when_dataset_or_column_unknown(
        self, session: Session, vault: Vault, store: LakeStore, tmp_path: Path,
        dataset: str, columns: list[str], field: str,
    ) -> None:  # fmt: skip
        platform = make.platform(session, vault).id
        path = tmp_path / "o.csv"
        path.write_text(",".join(columns) + "\nx\n")
        with pytest.raises(AppError) as raised:
            lake_service.upload(session, store, SYSTEM, platform, dataset, "k",
                                _upload(path, FileFormat.CSV))  # fmt: skip
        assert raised.value.problems[0].field == field
        assert files_under(store) == []
