"""Reading 双公示 files: CSV (UTF-8 with or without BOM, else GB18030) and .xlsx (first sheet),
row by row without loading the file whole; and turning cells into text, dates and amounts.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ecredit.kit.errors import InvalidInput

Cell = Any  # str, int, float, date, datetime or None (from openpyxl); str from CSV
CHUNK = 1 << 16
EXCEL_EPOCH = date(1899, 12, 30)  # the 1900 date system, with Lotus's 1900-02-29 accounted for
DATE_FORMATS = "YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日 or an Excel date"
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


@dataclass
class Sheet:
    """A header row and the data rows after it, each with its row number (header = row 1)."""

    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    size: int | None  # about how many data rows, for progress bars


@contextmanager
def open_sheet(path: Path) -> Iterator[Sheet]:
    """The file's table; a 422 naming the problem when it cannot be read."""
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"PK\x03\x04"):
        with _xlsx(path) as sheet:
            yield sheet
    elif magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(
            "file", "format", "file: the old Excel format (.xls) is not read; save it as .xlsx "
            "or CSV",
        )  # fmt: skip
    else:
        with _csv(path) as sheet:
            yield sheet


def csv_encoding(path: Path) -> tuple[str, int]:
    """("utf-8-sig" or "gb18030", number of lines), decoding in chunks to find out."""
    lines = 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            lines += chunk.count(b"\n")
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return ("utf-8-sig" if utf8 else "gb18030"), lines


@contextmanager
def _csv(path: Path) -> Iterator[Sheet]:
    encoding, lines = csv_encoding(path)
    with path.open(encoding=encoding, errors="strict", newline="") as handle:
        try:
            first = handle.readline()
        except UnicodeDecodeError as exc:
            raise _unreadable("neither UTF-8 nor GB18030 text") from exc
        delimiter = "\t" if "\t" in first and "," not in first else ","
        header = next(csv.reader([first], delimiter=delimiter), [])
        if not any(cell.strip() for cell in header):
            raise InvalidInput("file", "empty", "file: no header row (is the file empty?)")
        rows = csv.reader(handle, delimiter=delimiter)
        yield Sheet(header, _numbered(rows), max(lines - 1, 0))


def _numbered(rows: Iterator[list[str]]) -> Iterator[tuple[int, list[Cell]]]:
    try:
        for number, row in enumerate(rows, start=2):
            yield number, list(row)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _unreadable(str(exc)) from exc


@contextmanager
def _xlsx(path: Path) -> Iterator[Sheet]:
    from openpyxl import load_workbook  # imported here: only Excel uploads pay for it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for broken files
        raise _unreadable(f"not a readable .xlsx workbook ({type(exc).__name__})") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [cell_text(cell) for cell in next(rows, ())]
        if not any(header):
            raise InvalidInput("file", "empty", "file: the first sheet has no header row")
        size = (sheet.max_row - 1) if sheet.max_row else None
        numbered = ((number, list(row)) for number, row in enumerate(rows, start=2))
        yield Sheet(header, numbered, size)
    finally:
        book.close()


def _unreadable(reason: str) -> InvalidInput:
    return InvalidInput("file", "readable", f"file: cannot be read: {reason}")


def cell_text(cell: Cell) -> str:
    """A cell as trimmed text; whole floats (Excel numbers) without a trailing '.0'."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else str(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def cell_date(cell: Cell) -> date | None:
    """A date from a date cell, an Excel serial number or text; None when empty.

    Raises ValueError naming the accepted formats.
    """
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial(float(cell))
    text = cell_text(cell)
    if not text:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text))
    if re.fullmatch(r"\d{8}", text):
        return _date(text[:4], text[4:6], text[6:])
    match = _DATE.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not a date ({DATE_FORMATS})")
    return _date(*match.groups())


def _serial(value: float) -> date:
    if not 1 <= value < 2958466:  # Excel's range: 1900-01-01 to 9999-12-31
        raise ValueError(f"{value:g} is not an Excel date serial number")
    return EXCEL_EPOCH + timedelta(days=int(value))


def _date(year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{year}-{month}-{day} is not a calendar date") from None


def cell_decimal(cell: Cell) -> Decimal | None:
    """A decimal number from a number cell or text (thousands separators allowed); None when
    empty. Raises ValueError."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return Decimal(str(cell))
    text = cell_text(cell).replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not number.is_finite():
        raise ValueError(f"'{text}' is not a number")
    return number
