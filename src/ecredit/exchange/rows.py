"""One exchange row → the fields of a record, with every broken rule named by its column.

Mapping decisions (the column-to-field table itself is `columns.py`):
- penalty summary = 违法行为类型：违法事实 (older: 处罚事由, else 处罚名称);
  licence summary = 许可内容;
- licence legal_basis = 行政许可决定文书名称 (older: 项目名称): the national licence sets carry no
  basis column, and the catalogue requires one;
- licence decision_date = 许可决定日期, else 有效期自; valid_until = 有效期至 / 许可截止期 /
  处罚有效期 ("长期" or empty: no end);
- 罚款金额（万元） × 10000 = amount in yuan, exactly (more precise than one fen is refused);
- 公示截止期 is ignored: the catalogue computes display windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ecredit.exchange.columns import Column, ColumnSet, ExchangeKind, F, penalty_kind
from ecredit.exchange.parse import Cell, cell_date, cell_decimal, cell_text
from ecredit.exchange.schemas import ImportProblem

TEN_THOUSAND = Decimal(10000)
FEN = Decimal("0.01")
NO_END = frozenset({"长期", "长期有效", "永久", "无", "-"})
REVOKED = frozenset({"撤销", "已撤销", "撤回", "已撤回"})

_SOURCES: dict[ExchangeKind, dict[str, F]] = {
    ExchangeKind.PENALTY: {
        "legal_basis": F.LEGAL_BASIS, "summary": F.FACTS, "penalty_kind": F.PENALTY_CATEGORY,
    },
    ExchangeKind.LICENCE: {"legal_basis": F.DOCUMENT_NAME, "summary": F.CONTENT},
}  # fmt: skip
_COMMON = {
    "decision_no": F.DECISION_NO,
    "decision_date": F.DECISION_DATE,
    "amount": F.AMOUNT,
    "valid_until": F.VALID_UNTIL,
    "subject_id": F.USCC,
    "subject_code": F.USCC,
}

Values = dict[F, Cell]


@dataclass(frozen=True)
class RowReader:
    """Reads rows of one file, whose header was found to be in `columns`."""

    kind: ExchangeKind
    columns: ColumnSet
    positions: dict[int, Column]

    def values(self, cells: list[Cell]) -> Values:
        return {
            column.field: cells[position]
            for position, column in self.positions.items()
            if position < len(cells) and column.field is not F.UNSTORED
        }

    def text(self, values: Values, field: F) -> str:
        return cell_text(values.get(field))

    def problem(self, field: F, rule: str, message: str) -> ImportProblem:
        header = self.columns.header_of(field)
        return ImportProblem(column=header, rule=rule, message=f"{header}: {message}")

    def column_of(self, record_field: str) -> str:
        """The file's column a record field came from (for the record service's problems)."""
        field = _SOURCES[self.kind].get(record_field) or _COMMON.get(record_field)
        return self.columns.header_of(field) if field else (record_field or "row")

    def record_fields(self, values: Values, problems: list[ImportProblem]) -> dict[str, Any]:
        """The RecordCreate fields of a row (subject and type aside)."""
        decision_no = self.text(values, F.DECISION_NO)
        if not decision_no:
            problems.append(self.problem(F.DECISION_NO, "required", "required (the decision "
                                         "number makes a re-upload safe)"))  # fmt: skip
        if self.text(values, F.STATUS) in REVOKED:
            message = "a revoked decision is not imported; revoke the existing record instead"
            problems.append(self.problem(F.STATUS, "revoked", message))
        fields: dict[str, Any] = {
            "decision_no": decision_no or None,
            "decision_date": self.day(values, F.DECISION_DATE, problems),
            "valid_until": self.valid_until(values, problems),
        }
        if self.kind is ExchangeKind.PENALTY:
            fields |= self._penalty(values, problems)
        else:
            fields |= self._licence(values, problems)
        return fields

    def _penalty(self, values: Values, problems: list[ImportProblem]) -> dict[str, Any]:
        category = " ".join(
            filter(None, (self.text(values, F.PENALTY_CATEGORY),
                          self.text(values, F.PENALTY_CATEGORY_2)))
        )  # fmt: skip
        return {
            "legal_basis": self.text(values, F.LEGAL_BASIS) or None,
            "summary": self._penalty_summary(values) or None,
            "penalty_kind": penalty_kind(category) if category else None,
            "amount": self.amount(values, problems),
        }

    def _penalty_summary(self, values: Values) -> str:
        kind, facts = self.text(values, F.VIOLATION_TYPE), self.text(values, F.FACTS)
        if kind and facts:
            return facts if facts.startswith(kind) else f"{kind}：{facts}"
        return kind or facts or self.text(values, F.CASE_NAME)

    def _licence(self, values: Values, problems: list[ImportProblem]) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "legal_basis": self.text(values, F.DOCUMENT_NAME) or None,
            "summary": self.text(values, F.CONTENT) or None,
        }
        if self.text(values, F.DECISION_DATE) == "":
            fields["decision_date"] = self.day(values, F.VALID_FROM, problems)
        return fields

    def day(self, values: Values, field: F, problems: list[ImportProblem]) -> date | None:
        try:
            return cell_date(values.get(field))
        except ValueError as exc:
            problems.append(self.problem(field, "date", str(exc)))
            return None

    def valid_until(self, values: Values, problems: list[ImportProblem]) -> date | None:
        if self.text(values, F.VALID_UNTIL) in NO_END:
            return None
        return self.day(values, F.VALID_UNTIL, problems)

    def amount(self, values: Values, problems: list[ImportProblem]) -> Decimal | None:
        """万元 → yuan, exactly."""
        try:
            wan = cell_decimal(values.get(F.AMOUNT))
        except ValueError as exc:
            problems.append(self.problem(F.AMOUNT, "number", f"{exc} (万元)"))
            return None
        if wan is None:
            return None
        yuan = wan * TEN_THOUSAND
        if wan < 0 or yuan != yuan.quantize(FEN):
            problems.append(self.problem(F.AMOUNT, "amount", f"'{wan}' 万元 must be ≥ 0 and "
                                         "exact to one fen (at most 6 decimals)"))  # fmt: skip
            return None
        return yuan.quantize(FEN)
