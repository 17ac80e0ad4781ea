"""Turn a batch of raw values into rows of a dataset's schema, naming every broken rule per row.

Conversion is vectorised: a column is cast as a whole, and only when that fails is it split in
halves until the values that cannot be cast are isolated (a clean batch costs one cast per
column; k bad values cost about k·log n small casts). Rules beyond the type (required, ranges,
choices, lengths) are Arrow compute expressions; Python touches only the rejected values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

from ecredit.lake.datasets import Column, Dataset

TYPE_RULES = {
    "timestamp": "an ISO 8601 time with a zone offset (2026-03-01T08:00:00+08:00 or …Z)",
    "integer": "a whole number",
    "decimal": "a decimal number with at most 2 decimal places",
}
MAX_SHOWN_VALUE = 200


@dataclass(frozen=True)
class RowError:
    """One broken rule of one row: the row's number in the file, the field and the rule."""

    row: int
    field: str
    rule: str
    value: str
    message: str


@dataclass(frozen=True)
class Converted:
    table: pa.Table  # the accepted rows, in the dataset's schema
    errors: list[RowError]
    rejected: int  # rows with at least one error


def _type_rule(kind: pa.DataType) -> str:
    if pa.types.is_timestamp(kind):
        return "timestamp"
    return "decimal" if pa.types.is_decimal(kind) else "integer"


def cast_tolerant(values: pa.Array, kind: pa.DataType) -> tuple[pa.Array, list[int]]:
    """`values` cast to `kind`, with null where a value cannot be cast, and those positions."""
    try:
        return pc.cast(values, kind), []
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        if len(values) == 1:
            return pa.nulls(1, kind), [0]
    half = len(values) // 2
    left, bad_left = cast_tolerant(values.slice(0, half), kind)
    right, bad_right = cast_tolerant(values.slice(half), kind)
    merged = pa.concat_arrays([left, right])
    return merged, bad_left + [half + index for index in bad_right]


def _blank_to_null(values: pa.Array) -> pa.Array:
    """Empty (or all-space) strings are missing values, as a CSV cell left empty is."""
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        return values
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, values.type), values)


def _parse(values: pa.Array, column: Column) -> tuple[pa.Array, dict[str, pa.Array]]:
    """The column in its type, and a mask of the values breaking each rule."""
    values = _blank_to_null(values)
    if pa.types.is_string(column.type):
        parsed = values if values.type == pa.string() else pc.cast(values, pa.string())
        problems = {"max_length": pc.greater(pc.utf8_length(parsed), column.max_length)}
    else:
        wide = pa.int64() if pa.types.is_integer(column.type) else column.type
        if pa.types.is_string(values.type) and not pa.types.is_timestamp(wide):
            values = pc.utf8_trim_whitespace(values)
        parsed, bad = cast_tolerant(values, wide)
        problems = {_type_rule(column.type): _mask(len(values), bad)}
    problems |= _range_problems(parsed, column)
    if not column.nullable:
        problems["required"] = pc.and_(pc.is_null(values), pc.invert(_any(problems, len(values))))
    return parsed, problems


def _range_problems(parsed: pa.Array, column: Column) -> dict[str, pa.Array]:
    problems: dict[str, pa.Array] = {}
    if column.minimum is not None:
        problems["minimum"] = pc.less(parsed, _bound(column.minimum, parsed.type))
    if column.maximum is not None:
        problems["maximum"] = pc.greater(parsed, _bound(column.maximum, parsed.type))
    if column.choices:
        outside = pc.invert(pc.is_in(parsed, value_set=pa.array(column.choices)))
        problems["choice"] = pc.and_(pc.is_valid(parsed), outside)
    return problems


def _mask(length: int, positions: list[int]) -> pa.Array:
    """A boolean array, true at `positions` (few: the values that failed to cast)."""
    if not positions:
        return pa.repeat(pa.scalar(False), length)
    mask = [False] * length
    for position in positions:
        mask[position] = True
    return pa.array(mask, pa.bool_())


def _bound(value: int, kind: pa.DataType) -> pa.Scalar:
    return pa.scalar(Decimal(value) if pa.types.is_decimal(kind) else value, kind)


def _any(problems: dict[str, pa.Array], length: int) -> pa.Array:
    found = _mask(length, [])
    for mask in problems.values():
        found = pc.or_(found, pc.fill_null(mask, False))
    return found


def _message(column: Column, rule: str) -> str:
    name = column.name
    if rule in TYPE_RULES:
        return f"{name}: must be {TYPE_RULES[rule]}"
    messages = {
        "required": f"{name}: is required",
        "max_length": f"{name}: must be at most {column.max_length} characters",
        "minimum": f"{name}: must be at least {column.minimum}",
        "maximum": f"{name}: must be at most {column.maximum}",
        "choice": f"{name}: must be one of {', '.join(column.choices)}",
    }
    return messages[rule]


def _shown(value: object) -> str:
    return "" if value is None else str(value)[:MAX_SHOWN_VALUE]


def convert(raw: pa.RecordBatch, rows: pa.Array, dataset: Dataset) -> Converted:
    """The rows of `raw` that keep every rule, in `dataset`'s schema, and one error per broken
    rule of the others. `rows` holds each raw row's number in the uploaded file."""
    arrays, errors, rejected = [], [], _mask(raw.num_rows, [])
    for column in dataset.columns:
        index = raw.schema.get_field_index(column.name)
        values = raw.column(index) if index >= 0 else pa.nulls(raw.num_rows, pa.string())
        parsed, problems = _parse(values, column)
        for rule, mask in problems.items():
            mask = pc.fill_null(mask, False)
            rejected = pc.or_(rejected, mask)
            for position in pc.indices_nonzero(mask).to_pylist():
                shown = _shown(values[position].as_py())
                errors.append(RowError(rows[position].as_py(), column.name, rule, shown,
                                       _message(column, rule)))  # fmt: skip
        arrays.append(parsed)
    table = pa.Table.from_arrays(arrays, names=[c.name for c in dataset.columns])
    accepted = table.filter(pc.invert(rejected))
    errors.sort(key=lambda error: error.row)
    count = pc.sum(rejected.cast(pa.int64())).as_py() or 0
    return Converted(accepted.cast(dataset.schema), errors, count)
