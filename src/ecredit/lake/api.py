"""Thin JSON routes of the lake: upload a batch (the body streamed to disk), read batches and
download a batch's per-row error report."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from ecredit.authz.deps import Requires, SessionDep, SettingsDep
from ecredit.authz.policies import may_upload_to_lake
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.errors import InvalidInput, NotFound
from ecredit.kit.paging import MAX_PAGE_SIZE, PageRequest
from ecredit.kit.schemas import PageOut
from ecredit.lake import repository as repo
from ecredit.lake.readers import FileFormat, format_of
from ecredit.lake.schemas import BatchRead
from ecredit.lake.service import Upload, dataset_named, lake_service
from ecredit.lake.store import LakeStore
from ecredit.models.lake import LakeBatch
from ecredit.models.org import OrgKind

router = APIRouter(prefix="/lake", tags=["lake"])
Uploads = Requires(Scope.LAKE_UPLOAD)
CONTENT_TYPES = {"application/x-ndjson": FileFormat.NDJSON, "application/jsonl": FileFormat.NDJSON,
                 "text/csv": FileFormat.CSV, "application/vnd.apache.parquet": FileFormat.PARQUET,
                 "application/x-parquet": FileFormat.PARQUET}  # fmt: skip
REPORT_CHUNK = 1 << 16


def lake_store(settings: SettingsDep) -> LakeStore:
    return LakeStore(settings.resolved_lake_url)


StoreDep = Annotated[LakeStore, Depends(lake_store)]


async def spooled_body(request: Request) -> AsyncIterator[tuple[Path, str]]:
    """The request body written to a temporary file chunk by chunk (never held whole), with
    its SHA-256; the file is removed after the response."""
    digest, size = hashlib.sha256(), 0
    with tempfile.TemporaryDirectory(prefix="ecredit-lake-") as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as handle:
            async for chunk in request.stream():
                digest.update(chunk)
                size += len(chunk)
                await anyio.to_thread.run_sync(handle.write, chunk)
        if size == 0:
            raise InvalidInput("file", "not_empty", "file: the request body is empty")
        yield path, digest.hexdigest()


def batch_read(batch: LakeBatch, replayed: bool = False) -> BatchRead:
    read = BatchRead.model_validate(batch)
    return read.model_copy(update={"has_error_report": bool(batch.error_report),
                                   "replayed": replayed})  # fmt: skip


def _declared_format(request: Request, declared: str | None) -> str | None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return declared or (CONTENT_TYPES[content_type].value if content_type in CONTENT_TYPES
                        else None)  # fmt: skip


@router.post("/{dataset}/batches", response_model=BatchRead, status_code=201)
def upload_batch(
    dataset: str,
    request: Request,
    response: Response,
    session: SessionDep,
    store: StoreDep,
    platform_id: Annotated[int, Query(description="The platform's subject id")],
    principal: Principal = Uploads,
    body: tuple[Path, str] = Depends(spooled_body),
    batch_key: Annotated[str | None, Query(max_length=200)] = None,
    file_format: Annotated[str | None, Query(alias="format")] = None,
    filename: Annotated[str | None, Query(max_length=300)] = None,
) -> BatchRead:
    """Upload one file (NDJSON, CSV or Parquet, as the raw body) of `dataset` for a platform.
    201 with the counts; 200 with the stored result when the batch key was seen with the same
    content; 409 when the key was used for other content. Rows that break a rule are left out
    and listed in the error report (GET …/errors.csv)."""
    dataset_named(dataset)
    chosen = format_of(_declared_format(request, file_format), filename)
    upload = Upload(body[0], body[1], chosen)
    batch, created = lake_service.upload(
        session, store, principal, platform_id, dataset, batch_key, upload
    )
    response.status_code = 201 if created else 200
    return batch_read(batch, replayed=not created)


@router.get("/batches", response_model=PageOut[BatchRead])
def list_batches(
    session: SessionDep,
    principal: Principal = Uploads,
    platform_id: int | None = None,
    dataset: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> PageOut[BatchRead]:
    """Batches newest first; a platform sees its own only."""
    if principal.org_kind is OrgKind.PLATFORM:
        platform_id = principal.org_subject_id
    else:  # government bodies see every platform's batches; other kinds none
        may_upload_to_lake(principal, -1).enforce()
    found = repo.page(session, PageRequest(page, size), platform_id, dataset)
    items = [batch_read(batch) for batch in found.items]
    return PageOut(items=items, total=found.total, page=found.page, size=found.size)


@router.get("/batches/{batch_id}", response_model=BatchRead)
def get_batch(batch_id: int, session: SessionDep, principal: Principal = Uploads) -> BatchRead:
    return batch_read(lake_service.get(session, batch_id, principal))


@router.get("/batches/{batch_id}/errors.csv", response_class=StreamingResponse)
def error_report(
    batch_id: int, session: SessionDep, store: StoreDep, principal: Principal = Uploads
) -> StreamingResponse:
    """The rows that were left out: row (line in the file), field, rule, value, message."""
    batch = lake_service.get(session, batch_id, principal)
    if not batch.error_report or not store.exists(batch.error_report):
        raise NotFound(f"batch {batch_id} has no error report (every row was accepted)")
    relative = batch.error_report

    def chunks() -> Iterator[bytes]:
        with store.open_read(relative) as handle:
            while chunk := handle.read(REPORT_CHUNK):
                yield chunk

    disposition = f'attachment; filename="lake-batch-{batch_id}-errors.csv"'
    return StreamingResponse(chunks(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": disposition})  # fmt: skip
