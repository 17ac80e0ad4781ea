"""Read an uploaded file (already spooled to disk) as record batches of raw values.

NDJSON, CSV and Parquet are read a batch at a time, never whole. Every value of an NDJSON or CSV
file is read as text and typed by `convert`, so a bad value is a row error, not a failed file.
A line that is not a record at all (invalid JSON, a CSV line with the wrong number of cells) is
reported as a row error of the pseudo-field `_row`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from ecredit.kit.errors import InvalidInput
from ecredit.lake.convert import RowError
from ecredit.lake.datasets import Dataset

BATCH_ROWS = 65_536
CSV_BLOCK_BYTES = 8 << 20


class FileFormat(StrEnum):
    NDJSON = "ndjson"
    CSV = "csv"
    PARQUET = "parquet"


SUFFIXES = {".ndjson": FileFormat.NDJSON, ".jsonl": FileFormat.NDJSON,
            ".json": FileFormat.NDJSON, ".csv": FileFormat.CSV,
            ".parquet": FileFormat.PARQUET, ".pq": FileFormat.PARQUET}  # fmt: skip


def format_of(declared: str | None, filename: str | None) -> FileFormat:
    """The format named by the caller, else by the file name's suffix."""
    if declared:
        try:
            return FileFormat(declared.lower())
        except ValueError:
            pass
    elif filename and Path(filename).suffix.lower() in SUFFIXES:
        return SUFFIXES[Path(filename).suffix.lower()]
    known = ", ".join(f.value for f in FileFormat)
    raise InvalidInput("format", "known_format", f"format: give one of {known} (or a file name "
                       "ending in .ndjson, .jsonl, .csv or .parquet)")  # fmt: skip


@dataclass
class RawBatch:
    batch: pa.RecordBatch
    # Each row's number in the file: its line for NDJSON and CSV (the header is line 1, quoted
    # cells spanning lines aside), its record number (from 1) for Parquet.
    rows: pa.Array
    unreadable: list[RowError] = field(default_factory=list)


def read(path: Path, file_format: FileFormat, dataset: Dataset) -> Iterator[RawBatch]:
    readers = {FileFormat.NDJSON: _ndjson, FileFormat.CSV: _csv, FileFormat.PARQUET: _parquet}
    return readers[file_format](path, dataset)


def _require_columns(present: list[str], dataset: Dataset) -> None:
    missing = [name for name in dataset.required if name not in present]
    if missing:
        raise InvalidInput(missing[0], "column_present", f"{dataset.name}: the file has no "
                           f"column {', '.join(missing)} (required)")  # fmt: skip


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)


def _ndjson_record(line: str, number: int) -> dict[str, object] | RowError:
    try:
        record = json.loads(line, parse_float=str, parse_int=str)  # numbers kept exact, as text
    except ValueError as exc:
        return RowError(number, "_row", "json", line[:200], f"line {number}: not JSON ({exc})")
    if not isinstance(record, dict):
        return RowError(number, "_row", "json_object", line[:200],
                        f"line {number}: must be a JSON object")  # fmt: skip
    return record


def _ndjson(path: Path, dataset: Dataset) -> Iterator[RawBatch]:
    names = [column.name for column in dataset.columns]
    with path.open(encoding="utf-8-sig", errors="replace") as lines:
        numbered = ((n, line) for n, line in enumerate(lines, 1) if line.strip())
        while chunk := list(islice(numbered, BATCH_ROWS)):
            columns: dict[str, list[str | None]] = {name: [] for name in names}
            rows, unreadable = [], []
            for number, line in chunk:
                record = _ndjson_record(line, number)
                if isinstance(record, RowError):
                    unreadable.append(record)
                    continue
                rows.append(number)
                for name in names:
                    columns[name].append(_text(record.get(name)))
            batch = pa.record_batch({n: pa.array(v, pa.string()) for n, v in columns.items()})
            yield RawBatch(batch, pa.array(rows, pa.int64()), unreadable)


def _csv(path: Path, dataset: Dataset) -> Iterator[RawBatch]:
    unreadable: list[RowError] = []

    def skip(row: pcsv.InvalidRow) -> str:
        number = row.number or 0
        unreadable.append(RowError(number, "_row", "csv_cells", (row.text or "")[:200],
                                   f"line {number}: {row.actual_columns} cells, expected "
                                   f"{row.expected_columns}"))  # fmt: skip
        return "skip"

    options = pcsv.ConvertOptions(
        column_types={c.name: pa.string() for c in dataset.columns}, strings_can_be_null=False
    )
    try:
        reader = pcsv.open_csv(
            str(path), read_options=pcsv.ReadOptions(block_size=CSV_BLOCK_BYTES, use_threads=False),
            parse_options=pcsv.ParseOptions(invalid_row_handler=skip), convert_options=options,
        )  # fmt: skip
    except pa.ArrowInvalid as exc:
        raise InvalidInput("file", "csv", f"file: not a readable CSV file ({exc})") from exc
    _require_columns(reader.schema.names, dataset)
    line = 2  # the first line after the header
    for batch in _batches(reader, "csv"):
        skipped = unreadable[:]
        unreadable.clear()
        taken = {error.row for error in skipped}
        numbers = [n for n in range(line, line + batch.num_rows + len(skipped)) if n not in taken]
        yield RawBatch(batch, pa.array(numbers, pa.int64()), skipped)
        line += batch.num_rows + len(skipped)


def _numbers(first: int, count: int) -> pa.Array:
    return pa.array(range(first, first + count), pa.int64())


def _batches(reader: pcsv.CSVStreamingReader, kind: str) -> Iterator[pa.RecordBatch]:
    while True:
        try:
            yield reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as exc:
            raise InvalidInput("file", kind, f"file: not a readable {kind} file ({exc})") from exc


def _parquet(path: Path, dataset: Dataset) -> Iterator[RawBatch]:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InvalidInput("file", "parquet", f"file: not a Parquet file ({exc})") from exc
    _require_columns(parquet.schema_arrow.names, dataset)
    present = [c.name for c in dataset.columns if c.name in parquet.schema_arrow.names]
    batches, seen = parquet.iter_batches(batch_size=BATCH_ROWS, columns=present), 0
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError) as exc:
            raise InvalidInput("file", "parquet", f"file: unreadable after record {seen} "
                               f"({exc})") from exc  # fmt: skip
        yield RawBatch(batch, _numbers(seen + 1, batch.num_rows))
        seen += batch.num_rows
