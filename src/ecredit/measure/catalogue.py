"""The measure catalogue (联合奖惩措施清单): which measure applies to which list kinds, and which
kind of organisation carries it out. Read from `data/measures.toml` and validated strictly: a
broken file stops start-up with one line per problem (file, measure, field, rule)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ecredit.models.org import OrgKind

PACKAGED_FILE = "measures.toml"
DEPARTMENTS = ("samr", "commerce", "post", "police", "court")
CODE_PATTERN = r"^[a-z][a-z0-9_]{1,59}$"


class MeasureKind(StrEnum):
    REWARD = "reward"
    PUNISHMENT = "punishment"


class ListColour(StrEnum):
    BLACK = "black"
    RED = "red"
    WATCH = "watch"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ListKindSpec(_Strict):
    code: str = Field(pattern=CODE_PATTERN)
    colour: ListColour
    name_zh: str = Field(min_length=1)
    public: bool = True


class Executor(_Strict):
    """Who carries a measure out: an organisation kind, and for a department optionally which."""

    org_kind: OrgKind
    department: Literal["samr", "commerce", "post", "police", "court"] | None = None

    def admits(self, org_kind: OrgKind | None, department: str | None) -> bool:
        if org_kind is not self.org_kind:
            return False
        return self.department is None or self.department == department


class MeasureSpec(_Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    kind: MeasureKind
    list_kinds: tuple[str, ...] = Field(min_length=1)
    executors: tuple[Executor, ...] = Field(min_length=1)
    legal_basis: str = Field(min_length=1)
    description: str = Field(min_length=1)

    def carried_out_by(self, org_kind: OrgKind | None, department: str | None) -> bool:
        return any(executor.admits(org_kind, department) for executor in self.executors)


class _File(_Strict):
    version: int = Field(ge=1)
    list_kinds: tuple[ListKindSpec, ...] = Field(min_length=1)
    measures: tuple[MeasureSpec, ...] = Field(min_length=1)


class MeasureCatalogueError(ValueError):
    """The measure file cannot be used; the message has one line per problem."""

    def __init__(self, file: str, problems: list[str]) -> None:
        super().__init__("\n".join(f"{file}: {problem}" for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class MeasureCatalogue:
    """The measures in force, looked up by code, by list kind and by who carries them out."""

    version: int
    list_kinds: dict[str, ListKindSpec]
    measures: dict[str, MeasureSpec]

    def get(self, code: str) -> MeasureSpec | None:
        return self.measures.get(code)

    def colour(self, list_kind: str) -> ListColour | None:
        spec = self.list_kinds.get(list_kind)
        return spec.colour if spec else None

    def is_public(self, list_kind: str) -> bool:
        spec = self.list_kinds.get(list_kind)
        return spec.public if spec else False

    def applicable(
        self, list_kind: str, org_kind: OrgKind | None, department: str | None
    ) -> list[MeasureSpec]:
        """The measures an organisation of this kind carries out for an entry of `list_kind`."""
        return [
            spec
            for spec in self.for_list_kind(list_kind)
            if spec.carried_out_by(org_kind, department)
        ]

    def for_list_kind(self, list_kind: str) -> list[MeasureSpec]:
        return [spec for spec in self.measures.values() if list_kind in spec.list_kinds]

    def __iter__(self) -> Iterator[MeasureSpec]:
        return iter(self.measures.values())

    def __len__(self) -> int:
        return len(self.measures)


def load_measures(path: Path | None = None) -> MeasureCatalogue:
    """The packaged catalogue, or the file at `path` (an operator's replacement)."""
    if path is None:
        text = resources.files("ecredit.measure").joinpath("data", PACKAGED_FILE).read_text("utf-8")
        return parse_measures(text, PACKAGED_FILE)
    return parse_measures(Path(path).read_text("utf-8"), str(path))


def parse_measures(text: str, file: str) -> MeasureCatalogue:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MeasureCatalogueError(file, [f"toml: {exc}"]) from None
    try:
        parsed = _File.model_validate(raw)
    except ValidationError as exc:
        raise MeasureCatalogueError(file, [_describe(raw, e) for e in exc.errors()]) from None
    problems = _cross_check(parsed)
    if problems:
        raise MeasureCatalogueError(file, problems)
    return MeasureCatalogue(
        version=parsed.version,
        list_kinds={kind.code: kind for kind in parsed.list_kinds},
        measures={measure.code: measure for measure in parsed.measures},
    )


def _describe(raw: dict[str, Any], error: Any) -> str:
    """'measure 'x': executors.0.department: Input should be ...' from a pydantic error."""
    location = list(error["loc"])
    where = ""
    if len(location) >= 2 and location[0] in {"measures", "list_kinds"}:
        section, index = location[0], location[1]
        entries = raw.get(section) or []
        entry = entries[index] if isinstance(index, int) and index < len(entries) else {}
        code = entry.get("code") if isinstance(entry, dict) else None
        label = section.rstrip("s").replace("list_kind", "list kind")
        where = f"{label} {code!r}: " if code else f"{label} #{int(index) + 1}: "
        location = location[2:]
    field = ".".join(str(part) for part in location) or "(entry)"
    rule = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
    return f"{where}{field}: {rule}"


def _cross_check(parsed: _File) -> list[str]:
    problems: list[str] = []
    kinds = [kind.code for kind in parsed.list_kinds]
    codes = [measure.code for measure in parsed.measures]
    problems += [f"list kind {c!r}: code: defined twice" for c in _duplicates(kinds)]
    problems += [f"measure {c!r}: code: defined twice" for c in _duplicates(codes)]
    for measure in parsed.measures:
        for kind in measure.list_kinds:
            if kind not in kinds:
                problems.append(
                    f"measure {measure.code!r}: list_kinds: unknown list kind {kind!r}; "
                    f"known: {', '.join(kinds)}"
                )
        for executor in measure.executors:
            if executor.department and executor.org_kind is not OrgKind.DEPARTMENT:
                problems.append(
                    f"measure {measure.code!r}: executors: department {executor.department!r} "
                    f"is only allowed with org_kind 'department'"
                )
    return problems


def _duplicates(values: list[str]) -> list[str]:
    return sorted({value for value in values if values.count(value) > 1})
