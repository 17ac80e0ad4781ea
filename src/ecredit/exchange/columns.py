"""The 双公示 column sets as data: each Chinese header, and the field of ours it carries.

Four sets: penalty and licence, each in the current national shape and the older one still met
in the field. Headers are matched after normalisation (NFKC, so full-width parentheses become
ASCII ones, and all whitespace removed), so `行政相对人代码_1（统一社会信用代码）` and
`行政相对人代码_1 (统一社会信用代码)` are the same column. Columns whose field is not stored
(`stored=False`) are read for nothing and exported empty.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from ecredit.kit.errors import InvalidInput
from ecredit.models.record import PenaltyKind


class ExchangeKind(StrEnum):
    PENALTY = "penalty"  # 行政处罚
    LICENCE = "licence"  # 行政许可


class F(StrEnum):
    """The fields of an exchange row (ours, before they become a record)."""

    NAME = "subject_name"
    CATEGORY = "subject_category"  # 行政相对人类别
    USCC = "uscc"
    ID_TYPE = "id_type"
    ID_NUMBER = "id_number"  # a natural person's resident ID number
    LEGAL_REP = "legal_representative"
    DECISION_NO = "decision_no"
    VIOLATION_TYPE = "violation_type"  # → summary (prefix)
    FACTS = "facts"  # → summary
    CASE_NAME = "case_name"  # older 处罚名称: → summary when there are no facts
    LEGAL_BASIS = "legal_basis"
    PENALTY_CATEGORY = "penalty_category"  # → penalty_kind
    PENALTY_CATEGORY_2 = "penalty_category_2"
    AMOUNT = "amount_wan"  # 万元 → amount in yuan
    DECISION_DATE = "decision_date"
    VALID_FROM = "valid_from"
    VALID_UNTIL = "valid_until"
    PUBLIC_UNTIL = "public_until"  # ignored on import: the catalogue computes windows
    AUTHORITY = "authority"
    AUTHORITY_USCC = "authority_uscc"
    SOURCE = "source"
    SOURCE_USCC = "source_uscc"
    STATUS = "status"  # 当前状态
    DOCUMENT_NAME = "document_name"  # licence decision document / item name → legal_basis
    CONTENT = "content"  # 许可内容 → summary
    UPDATED = "updated"  # 数据更新时间戳
    UNSTORED = "unstored"  # carried by the standard, not by our records


@dataclass(frozen=True)
class Column:
    header: str
    field: F = F.UNSTORED
    aliases: tuple[str, ...] = ()

    def spellings(self) -> set[str]:
        return {normalise(self.header), *(normalise(alias) for alias in self.aliases)}


@dataclass(frozen=True)
class ColumnSet:
    kind: ExchangeKind
    name: str  # "current" | "older"
    columns: tuple[Column, ...]
    required: tuple[F, ...]

    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @cached_property
    def _by_field(self) -> dict[F, str]:
        return {column.field: column.header for column in reversed(self.columns)}

    def header_of(self, field: F) -> str:
        """The header that carries `field` in this set (the field's name if none does)."""
        return self._by_field.get(field, field.value)

    def locate(self, header: list[str]) -> dict[int, Column]:
        """Which position of a file's header row holds which column (first occurrence wins)."""
        found: dict[int, Column] = {}
        taken: set[str] = set()
        for position, text in enumerate(header):
            spelled = normalise(text)
            for column in self.columns:
                if column.header not in taken and spelled in column.spellings():
                    found[position] = column
                    taken.add(column.header)
                    break
        return found

    def missing(self, found: dict[int, Column]) -> list[str]:
        present = {column.field for column in found.values()}
        return [self.header_of(f) for f in self.required if f not in present]


def normalise(header: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(header))).lstrip("\ufeff")


def _codes(labels: list[str], first: F = F.USCC) -> tuple[Column, ...]:
    columns = [Column(f"行政相对人代码_{i}（{label}）") for i, label in enumerate(labels, 1)]
    columns[0] = Column(columns[0].header, first, ("行政相对人代码_1",))
    return tuple(columns)


def _older_codes(labels: list[str]) -> tuple[Column, ...]:
    columns = [Column(f"行政相对人代码_{i}({label})") for i, label in enumerate(labels, 1)]
    columns[0] = Column(columns[0].header, F.USCC, ("行政相对人代码_1",))
    if len(columns) >= 5:
        columns[4] = Column(columns[4].header, F.ID_NUMBER, ("行政相对人代码_5(身份证号)",))
    return tuple(columns)


CURRENT_CODES = ["统一社会信用代码", "工商注册号", "组织机构代码", "税务登记号", "事业单位证书号",
                 "社会组织登记证号"]  # fmt: skip
OLDER_CODES = ["统一社会信用代码", "组织机构代码", "工商登记码", "税务登记号", "居民身份证号"]

_SUBJECT_HEAD = (Column("行政相对人名称", F.NAME), Column("行政相对人类别", F.CATEGORY))
_PERSON = (
    Column("法定代表人", F.LEGAL_REP),
    Column("法定代表人证件类型"),
    Column("法定代表人证件号码"),
    Column("证件类型", F.ID_TYPE),
    Column("证件号码", F.ID_NUMBER),
)
_TAIL = (
    Column("数据来源单位", F.SOURCE),
    Column("数据来源单位统一社会信用代码", F.SOURCE_USCC),
    Column("备注"),
)

PENALTY_CURRENT = ColumnSet(
    ExchangeKind.PENALTY,
    "current",
    (
        *_SUBJECT_HEAD,
        *_codes(CURRENT_CODES),
        *_PERSON,
        Column("行政处罚决定书文号", F.DECISION_NO),
        Column("违法行为类型", F.VIOLATION_TYPE),
        Column("违法事实", F.FACTS),
        Column("处罚依据", F.LEGAL_BASIS),
        Column("处罚类别", F.PENALTY_CATEGORY),
        Column("处罚内容"),
        Column("罚款金额（万元）", F.AMOUNT, ("罚款金额",)),
        Column("没收违法所得、没收非法财物的金额（万元）"),
        Column("暂扣或吊销证照名称及编号"),
        Column("处罚决定日期", F.DECISION_DATE),
        Column("处罚有效期", F.VALID_UNTIL),
        Column("公示截止期", F.PUBLIC_UNTIL),
        Column("处罚机关", F.AUTHORITY),
        Column("处罚机关统一社会信用代码", F.AUTHORITY_USCC),
        *_TAIL,
    ),
    (F.NAME, F.USCC, F.DECISION_NO, F.FACTS, F.LEGAL_BASIS, F.PENALTY_CATEGORY,
     F.DECISION_DATE),
)  # fmt: skip

LICENCE_CURRENT = ColumnSet(
    ExchangeKind.LICENCE,
    "current",
    (
        *_SUBJECT_HEAD,
        *_codes(CURRENT_CODES),
        *_PERSON,
        Column("行政许可决定文书名称", F.DOCUMENT_NAME),
        Column("行政许可决定文书号", F.DECISION_NO),
        Column("许可类别"),
        Column("许可证书名称"),
        Column("许可编号"),
        Column("许可内容", F.CONTENT),
        Column("许可决定日期", F.DECISION_DATE),
        Column("有效期自", F.VALID_FROM),
        Column("有效期至", F.VALID_UNTIL),
        Column("许可机关", F.AUTHORITY),
        Column("许可机关统一社会信用代码", F.AUTHORITY_USCC),
        Column("当前状态", F.STATUS),
        *_TAIL,
    ),
    (F.NAME, F.USCC, F.DOCUMENT_NAME, F.DECISION_NO, F.CONTENT, F.DECISION_DATE),
)

PENALTY_OLDER = ColumnSet(
    ExchangeKind.PENALTY,
    "older",
    (
        Column("行政处罚决定书文号", F.DECISION_NO),
        Column("处罚名称", F.CASE_NAME),
        Column("处罚类别1", F.PENALTY_CATEGORY),
        Column("处罚类别2", F.PENALTY_CATEGORY_2),
        Column("处罚事由", F.FACTS),
        Column("处罚依据", F.LEGAL_BASIS),
        Column("行政相对人名称", F.NAME),
        *_older_codes(OLDER_CODES),
        Column("法定代表人姓名", F.LEGAL_REP),
        Column("处罚结果"),
        Column("处罚决定日期", F.DECISION_DATE),
        Column("处罚机关", F.AUTHORITY),
        Column("当前状态", F.STATUS),
        Column("地方编码"),
        Column("数据更新时间戳", F.UPDATED),
        Column("备注"),
    ),
    (F.DECISION_NO, F.PENALTY_CATEGORY, F.FACTS, F.LEGAL_BASIS, F.NAME, F.USCC, F.DECISION_DATE),
)

LICENCE_OLDER = ColumnSet(
    ExchangeKind.LICENCE,
    "older",
    (
        Column("行政许可决定书文号", F.DECISION_NO),
        Column("项目名称", F.DOCUMENT_NAME),
        Column("审批类别"),
        Column("许可内容", F.CONTENT),
        Column("行政相对人名称", F.NAME),
        *_older_codes(OLDER_CODES[:4]),
        Column("法定代表人姓名", F.LEGAL_REP),
        Column("许可决定日期", F.DECISION_DATE),
        Column("许可截止期", F.VALID_UNTIL),
        Column("许可机关", F.AUTHORITY),
        Column("当前状态", F.STATUS),
        Column("地方编码"),
        Column("数据更新时间戳", F.UPDATED),
        Column("备注"),
    ),
    (F.DECISION_NO, F.DOCUMENT_NAME, F.CONTENT, F.NAME, F.USCC, F.DECISION_DATE),
)

COLUMN_SETS: dict[ExchangeKind, tuple[ColumnSet, ...]] = {
    ExchangeKind.PENALTY: (PENALTY_CURRENT, PENALTY_OLDER),
    ExchangeKind.LICENCE: (LICENCE_CURRENT, LICENCE_OLDER),
}


def column_set(kind: ExchangeKind, name: str) -> ColumnSet:
    for candidate in COLUMN_SETS[kind]:
        if candidate.name == name:
            return candidate
    known = ", ".join(c.name for c in COLUMN_SETS[kind])
    raise InvalidInput("columns", "choice", f"columns: unknown column set '{name}' ({known})")


def detect(kind: ExchangeKind, header: list[str]) -> tuple[ColumnSet, dict[int, Column]]:
    """The column set a header row is in, and where each column is; else a 422 naming what
    the closest set misses."""
    closest: tuple[ColumnSet, list[str]] | None = None
    for candidate in COLUMN_SETS[kind]:
        found = candidate.locate(header)
        missing = candidate.missing(found)
        if not missing:
            return candidate, found
        if closest is None or len(missing) < len(closest[1]):
            closest = (candidate, missing)
    assert closest is not None
    label = "行政处罚 penalty" if kind is ExchangeKind.PENALTY else "行政许可 licence"
    raise InvalidInput(
        "header", "columns", f"header: not a known {label} column set; the closest "
        f"({closest[0].name}) lacks the required column(s) {', '.join(closest[1])}",
    )  # fmt: skip


# 处罚类别 text → our kind. Several categories in one cell (罚款；没收违法所得) give the most
# severe, which also gives the longest display window; order here is that precedence.
PENALTY_KIND_WORDS: tuple[tuple[PenaltyKind, tuple[str, ...]], ...] = (
    (PenaltyKind.LICENCE_REVOCATION, ("吊销", "暂扣", "降低资质等级")),
    (PenaltyKind.SUSPENSION, ("责令停产停业", "停产停业", "责令关闭", "限制开展生产经营活动",
                              "限制从业", "限制")),
    (PenaltyKind.CONFISCATION, ("没收",)),
    (PenaltyKind.FINE, ("罚款",)),
    (PenaltyKind.CRITICISM, ("通报批评",)),
    (PenaltyKind.WARNING, ("警告",)),
)  # fmt: skip

PENALTY_KIND_LABELS: dict[PenaltyKind, str] = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.CRITICISM: "通报批评",
    PenaltyKind.SMALL_FINE: "罚款",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATION: "没收违法所得、没收非法财物",
    PenaltyKind.SUSPENSION: "责令停产停业",
    PenaltyKind.LICENCE_REVOCATION: "暂扣或者吊销许可证",
    PenaltyKind.OTHER: "其他",
}


def penalty_kind(text: str) -> PenaltyKind:
    """罚款 is always `fine`: 较低数额罚款 (small_fine) is a provincial threshold we do not know,
    so a department that wants it records the kind itself."""
    for kind, words in PENALTY_KIND_WORDS:
        if any(word in text for word in words):
            return kind
    return PenaltyKind.OTHER
