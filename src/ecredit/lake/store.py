"""The lake's files on any fsspec filesystem: Parquet partitions and per-batch error reports.

Layout (hive partitioning, readers get `platform` and `day` from the path):
    <root>/<dataset>/platform=<platform_id>/day=<YYYY-MM-DD>/part-<batch uid>.parquet
    <root>/_errors/<dataset>/platform=<platform_id>/<batch uid>.csv
Every file is written under a hidden temporary name (`.part-….parquet.tmp`, which no Parquet
glob or hive reader picks up) and renamed into place only when the whole batch is written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

import fsspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ecredit.lake.convert import RowError
from ecredit.lake.datasets import Dataset

REPORT_HEADER = ["row", "field", "rule", "value", "message"]
ERRORS_DIR = "_errors"


def _tmp(path: str) -> str:
    head, _, name = path.rpartition("/")
    return f"{head}/.{name}.tmp"


class LakeStore:
    """The lake root `url` (a local path or any fsspec URL such as memory:// or s3://)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.fs, self.root = fsspec.core.url_to_fs(url)
        self.root = self.root.rstrip("/")

    def partition(self, dataset: str, platform_id: int, day: date, uid: str) -> str:
        """A partition file's path relative to the root."""
        return f"{dataset}/platform={platform_id}/day={day.isoformat()}/part-{uid}.parquet"

    def report(self, dataset: str, platform_id: int, uid: str) -> str:
        return f"{ERRORS_DIR}/{dataset}/platform={platform_id}/{uid}.csv"

    def full(self, relative: str) -> str:
        return f"{self.root}/{relative}"

    def exists(self, relative: str) -> bool:
        return bool(self.fs.exists(self.full(relative)))

    def open_read(self, relative: str) -> IO[bytes]:
        handle: IO[bytes] = self.fs.open(self.full(relative), "rb")
        return handle

    def publish(self, relatives: Iterable[str]) -> None:
        """Rename each temporary file into place; if one rename fails, remove them all."""
        done: list[str] = []
        try:
            for relative in relatives:
                self.fs.mv(_tmp(self.full(relative)), self.full(relative))
                done.append(relative)
        except BaseException:
            self.discard(done, published=True)
            raise

    def discard(self, relatives: Iterable[str], published: bool = False) -> None:
        for relative in relatives:
            path = self.full(relative) if published else _tmp(self.full(relative))
            if self.fs.exists(path):
                self.fs.rm(path)

    def open_temporary(self, relative: str, mode: str, **text: Any) -> Any:
        """A file at the temporary name of `relative`, its folder made first."""
        path = _tmp(self.full(relative))
        self.fs.makedirs(path.rpartition("/")[0], exist_ok=True)
        return self.fs.open(path, mode, **text)


@dataclass
class BatchWriter:
    """Writes one batch's accepted rows (one file per day) and error report, all temporary
    until `LakeStore.publish`. Used as a context manager: on error every temporary is removed."""

    store: LakeStore
    dataset: Dataset
    platform_id: int
    uid: str
    written: list[str] = field(default_factory=list)
    report_path: str | None = None
    _writers: dict[date, tuple[Any, pq.ParquetWriter]] = field(default_factory=dict)
    _report: tuple[Any, Any] | None = None

    def write_rows(self, table: pa.Table) -> None:
        days = pc.cast(pc.cast(table.column(self.dataset.day_column), pa.timestamp("us")),
                       pa.date32())  # fmt: skip
        for day in pc.unique(days).to_pylist():
            self._writer(day).write_table(table.filter(pc.equal(days, pa.scalar(day))))

    def _writer(self, day: date) -> pq.ParquetWriter:
        if day not in self._writers:
            relative = self.store.partition(self.dataset.name, self.platform_id, day, self.uid)
            handle = self.store.open_temporary(relative, "wb")
            self._writers[day] = (handle, pq.ParquetWriter(handle, self.dataset.schema))
            self.written.append(relative)
        return self._writers[day][1]

    def write_errors(self, errors: list[RowError]) -> None:
        if not errors:
            return
        if self._report is None:
            self.report_path = self.store.report(self.dataset.name, self.platform_id, self.uid)
            handle = self.store.open_temporary(self.report_path, "w", encoding="utf-8", newline="")
            handle.write("\ufeff")  # a BOM, so Excel shows the Chinese
            self._report = (handle, csv.writer(handle, lineterminator="\r\n"))
            self._report[1].writerow(REPORT_HEADER)
        writer = self._report[1]
        writer.writerows([e.row, e.field, e.rule, e.value, e.message] for e in errors)

    def close(self) -> list[str]:
        """Close every file; the relative paths to publish."""
        for handle, writer in self._writers.values():
            writer.close()
            handle.close()
        self._writers.clear()
        if self._report is not None:
            self._report[0].close()
            self._report = None
        return self.written + ([self.report_path] if self.report_path else [])


@contextmanager
def batch_writer(store: LakeStore, dataset: Dataset, platform_id: int, uid: str
                 ) -> Iterator[BatchWriter]:  # fmt: skip
    writer = BatchWriter(store, dataset, platform_id, uid)
    try:
        yield writer
    except BaseException:
        writer.close()
        store.discard(writer.written + ([writer.report_path] if writer.report_path else []))
        raise
