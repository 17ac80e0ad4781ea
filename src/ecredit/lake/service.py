"""Uploading a batch into the lake: validate every row, write the accepted ones as Parquet
partitions, register the batch (flush only; the caller commits).

Order of work, so that a failure at any step leaves nothing behind:
1. the file is read a record batch at a time; accepted rows go to temporary partition files
   and rejected rows to a temporary error report;
2. the batch row is flushed (a concurrent upload with the same key fails here);
3. the temporary files are renamed into place (a failed rename removes those already renamed).
An exception anywhere removes the temporaries and leaves the transaction to roll back.
The file names carry the batch's uid, derived from platform, dataset and key, so even a crash
between the rename and the commit is repaired by retrying: the retry overwrites the same files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecredit.audit.context import actor_of
from ecredit.authz.policies import may_upload_to_lake
from ecredit.authz.principals import Principal
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.lake import repository as repo
from ecredit.lake.convert import convert
from ecredit.lake.datasets import DATASETS, Dataset
from ecredit.lake.readers import FileFormat, read
from ecredit.lake.store import LakeStore, batch_writer
from ecredit.models.lake import BatchStatus, LakeBatch
from ecredit.models.subject import Subject, SubjectKind

MAX_KEY_LENGTH = 200
CHUNK_BYTES = 1 << 20
Progress = Callable[[int], None]  # called with the number of rows read so far


@dataclass(frozen=True)
class Upload:
    """A file already on local disk, with the SHA-256 of its bytes."""

    path: Path
    content_hash: str
    file_format: FileFormat


@dataclass(frozen=True)
class Counts:
    total: int
    accepted: int
    rejected: int
    files: list[str]  # relative paths, partitions first, the error report last if any
    report: str | None


def hash_file(path: Path, progress: Progress | None = None) -> str:
    """SHA-256 of a file read in chunks; `progress` gets the bytes read so far."""
    digest, done = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
    return digest.hexdigest()


def batch_uid(platform_id: int, dataset: str, batch_key: str) -> str:
    return hashlib.sha256(f"{platform_id}\x00{dataset}\x00{batch_key}".encode()).hexdigest()[:32]


def dataset_named(name: str) -> Dataset:
    if name not in DATASETS:
        known = ", ".join(DATASETS)
        raise InvalidInput("dataset", "known_dataset", f"dataset: unknown '{name}' ({known})")
    return DATASETS[name]


def _platform(session: Session, platform_id: int) -> Subject:
    platform = session.get(Subject, platform_id)
    if platform is None or platform.kind is not SubjectKind.PLATFORM:
        raise InvalidInput("platform_id", "platform", f"platform_id: {platform_id} is not a "
                           "registered platform")  # fmt: skip
    return platform


class LakeService:
    def upload(
        self, session: Session, store: LakeStore, principal: Principal, platform_id: int,
        dataset_name: str, batch_key: str | None, upload: Upload,
        progress: Progress | None = None,
    ) -> tuple[LakeBatch, bool]:  # fmt: skip
        """(the batch, created). A retry with the same key and content returns the stored
        batch and writes nothing; the same key with other content is a 409."""
        dataset = dataset_named(dataset_name)
        may_upload_to_lake(principal, platform_id).enforce()
        _platform(session, platform_id)
        key = (batch_key or "").strip() or f"sha256:{upload.content_hash}"
        if len(key) > MAX_KEY_LENGTH:
            raise InvalidInput("batch_key", "max_length", f"batch_key: at most {MAX_KEY_LENGTH}")
        stored = self._replay(session, platform_id, dataset.name, key, upload.content_hash)
        if stored is not None:
            return stored, False
        uid = batch_uid(platform_id, dataset.name, key)
        counts = self._write(store, dataset, platform_id, uid, upload, progress)
        try:
            batch = self._register(session, platform_id, dataset, key, uid, upload, counts)
        except BaseException:
            store.discard(counts.files)
            raise
        store.publish(counts.files)
        return batch, True

    def _replay(
        self, session: Session, platform_id: int, dataset: str, key: str, content_hash: str
    ) -> LakeBatch | None:
        stored = repo.by_key(session, platform_id, dataset, key)
        if stored is not None and stored.content_hash != content_hash:
            raise Conflict(f"batch_key: '{key}' was already used for other content "
                           f"(batch {stored.id}); use a new key for new data")  # fmt: skip
        return stored

    def _write(
        self, store: LakeStore, dataset: Dataset, platform_id: int, uid: str, upload: Upload,
        progress: Progress | None,
    ) -> Counts:  # fmt: skip
        total = accepted = rejected = 0
        with batch_writer(store, dataset, platform_id, uid) as writer:
            for raw in read(upload.path, upload.file_format, dataset):
                result = convert(raw.batch, raw.rows, dataset)
                writer.write_errors(sorted(raw.unreadable + result.errors, key=lambda e: e.row))
                if result.table.num_rows:
                    writer.write_rows(result.table)
                total += raw.batch.num_rows + len(raw.unreadable)
                accepted += result.table.num_rows
                rejected += result.rejected + len(raw.unreadable)
                if progress is not None:
                    progress(total)
            files = writer.close()
        return Counts(total, accepted, rejected, files, writer.report_path)

    def _register(
        self, session: Session, platform_id: int, dataset: Dataset, key: str, uid: str,
        upload: Upload, counts: Counts,
    ) -> LakeBatch:  # fmt: skip
        status = BatchStatus.PARTIAL if counts.accepted else BatchStatus.REJECTED
        if not counts.rejected:
            status = BatchStatus.COMPLETE
        batch = LakeBatch(
            uid=uid, platform_id=platform_id, dataset=dataset.name, batch_key=key,
            content_hash=upload.content_hash, file_format=upload.file_format.value,
            rows_total=counts.total, rows_accepted=counts.accepted,
            rows_rejected=counts.rejected, status=status,
            partitions=[f for f in counts.files if f != counts.report],
            error_report=counts.report, uploaded_by=actor_of(session),
        )  # fmt: skip
        try:
            with session.begin_nested():
                session.add(batch)
        except IntegrityError as exc:
            raise Conflict(f"batch_key: '{key}' is being uploaded by another request; retry "
                           "it to get that upload's result") from exc  # fmt: skip
        return batch

    def get(self, session: Session, batch_id: int, principal: Principal) -> LakeBatch:
        batch = session.get(LakeBatch, batch_id)
        if batch is None:
            raise NotFound(f"no lake batch {batch_id}")
        may_upload_to_lake(principal, batch.platform_id).enforce()
        return batch


lake_service = LakeService()
