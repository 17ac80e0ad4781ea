"""The kinds of red, black and watch list, read from `data/list_kinds.toml` by a strict loader.

Every model forbids unknown keys, every parameter key must be a declared integer parameter, and
every problem found is reported at once with the kind and field it concerns.
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ecredit.models.org import OrgKind
from ecredit.models.scoring import Grade
from ecredit.models.subject import SubjectKind
from ecredit.parameters.registry import SPECS

PACKAGED_FILE = "list_kinds.toml"


class Colour(StrEnum):
    RED = "red"
    BLACK = "black"
    WATCH = "watch"


def _int_parameter(key: str) -> str:
    spec = SPECS.get(key)
    if spec is None:
        raise ValueError(f"unknown parameter {key!r}")
    if spec.kind is not int:
        raise ValueError(f"parameter {key!r} is not a whole number")
    return key


def _unique(values: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(set(values)) != len(values):
        raise ValueError("must not repeat an entry")
    return values


ParameterKey = Annotated[str, AfterValidator(_int_parameter)]
SnakeCase = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SeriousRecord(_Strict):
    """A serious negative record in force proposes the kind (the first match by priority)."""

    rule: Literal["serious_record"]
    priority: Annotated[int, Field(strict=True, ge=0)]
    evaluation_hints: Annotated[tuple[SnakeCase, ...], Field(min_length=1), AfterValidator(_unique)]
    record_types: Annotated[tuple[SnakeCase, ...], AfterValidator(_unique)] = ()

    def matches(self, type_code: str, evaluation_hint: str) -> bool:
        if self.record_types and type_code not in self.record_types:
            return False
        return evaluation_hint in self.evaluation_hints


class GradeHeld(_Strict):
    """The latest grade, held long enough, optionally with no negative record in force."""

    rule: Literal["grade"]
    grade: Grade
    held_months_parameter: ParameterKey | None = None
    no_negative_in_force: bool = False


Criteria = Annotated[SeriousRecord | GradeHeld, Field(discriminator="rule")]


class ListKind(_Strict):
    """One kind of list: what it is, how long entries last, who proposes and decides."""

    code: SnakeCase
    name_zh: Text
    name_en: Text
    colour: Colour
    public: bool
    subject_kinds: Annotated[tuple[SubjectKind, ...], Field(min_length=1), AfterValidator(_unique)]
    validity_months_parameter: ParameterKey
    publicity_workdays_parameter: ParameterKey
    legal_basis: Text
    proposers: Annotated[tuple[OrgKind, ...], Field(min_length=1), AfterValidator(_unique)]
    deciders: Annotated[tuple[OrgKind, ...], Field(min_length=1), AfterValidator(_unique)]
    criteria: Criteria | None = None


class ListKindError(ValueError):
    """The list-kind file cannot be used; one line per problem: `file: kind: field: rule`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class ListKinds:
    """The list kinds in force, in file order."""

    def __init__(self, kinds: list[ListKind]) -> None:
        self._kinds = {kind.code: kind for kind in kinds}

    def get(self, code: str) -> ListKind | None:
        return self._kinds.get(code)

    def all(self) -> tuple[ListKind, ...]:
        return tuple(self._kinds.values())

    def codes(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def public(self) -> tuple[ListKind, ...]:
        return tuple(kind for kind in self._kinds.values() if kind.public)

    def serious_record_chain(self) -> list[tuple[ListKind, SeriousRecord]]:
        """Kinds proposed by serious records, lowest priority first."""
        chain = [(k, k.criteria) for k in self._kinds.values()
                 if isinstance(k.criteria, SeriousRecord)]  # fmt: skip
        return sorted(chain, key=lambda pair: pair[1].priority)

    def by_grade(self) -> list[tuple[ListKind, GradeHeld]]:
        return [(k, k.criteria) for k in self._kinds.values() if isinstance(k.criteria, GradeHeld)]


def parse_list_kinds(text: str, file: str) -> list[ListKind]:
    """Validate one file's text; raise `ListKindError` listing every problem found."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ListKindError([f"{file}: toml: {exc}"]) from None
    extra = sorted(set(raw) - {"kinds"})
    entries = raw.get("kinds")
    if extra or not isinstance(entries, list) or not entries:
        rule = f"unknown key {extra[0]!r}" if extra else "kinds: a non-empty [[kinds]] list"
        raise ListKindError([f"{file}: {rule}"])
    kinds: list[ListKind] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        code = entry.get("code") if isinstance(entry, dict) else None
        ref = f"kind {code!r}" if isinstance(code, str) and code else f"kind #{index}"
        if code in seen:
            problems.append(f"{file}: {ref}: code: duplicate code")
            continue
        seen.add(str(code))
        try:
            kinds.append(ListKind.model_validate(entry))
        except ValidationError as exc:
            problems.extend(f"{file}: {ref}: {_where(err)}: {_rule(err)}" for err in exc.errors())
    if problems:
        raise ListKindError(problems)
    return kinds


def _where(error: Any) -> str:
    loc = [str(part) for part in error["loc"]]
    if len(loc) > 1 and loc[0] == "criteria" and loc[1] in ("serious_record", "grade"):
        del loc[1]  # the author wrote criteria.grade, not criteria.grade.grade
    return ".".join(loc) or "(kind)"


def _rule(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "is required"
    if error["type"] in ("enum", "literal_error"):
        return f"must be one of {error['ctx']['expected']}"
    return str(error["msg"]).removeprefix("Value error, ")


@lru_cache(maxsize=1)
def list_kinds() -> ListKinds:
    """The packaged list kinds (read and validated once per process)."""
    text = resources.files("ecredit.listing").joinpath("data", PACKAGED_FILE).read_text("utf-8")
    return ListKinds(parse_list_kinds(text, PACKAGED_FILE))
