"""Errors of the catalogue: a broken data file, or a code nobody defined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CatalogProblem:
    """One thing wrong in a catalogue file: where (file, type, field) and which rule."""

    file: str
    type_ref: str  # "type 'order_brushing'" or "type #3" when the code itself is unusable
    field: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.type_ref}" if self.type_ref else self.file
        return f"{where}: {self.field}: {self.rule}"


class CatalogError(ValueError):
    """A catalogue file cannot be used; the message has one line per problem."""

    def __init__(self, problems: list[CatalogProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class UnknownRecordType(KeyError):
    """A record type code that the catalogue does not define."""

    def __init__(self, code: str, known: list[str]) -> None:
        super().__init__(code)
        self.code = code
        self.known = known

    def __str__(self) -> str:
        return f"unknown record type {self.code!r}; known types: {', '.join(self.known)}"


_RULES = {
    "extra_forbidden": "unknown key",
    "missing": "is required",
    "int_type": "must be a whole number",
    "string_type": "must be text",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
}


def describe_rule(error: Any, tag: str = "kind") -> str:
    """A Pydantic error of a data file, as the rule its author broke, in plain words; `tag` is
    the key that picks a variant of a union in that file ("kind", "type")."""
    kind = error["type"]
    if kind in ("enum", "literal_error"):
        return f"must be one of {error['ctx']['expected']}"
    if kind == "union_tag_invalid":
        return f"unknown {tag} {error['ctx']['tag']!r} (expected {error['ctx']['expected_tags']})"
    return _RULES.get(kind) or str(error["msg"]).removeprefix("Value error, ")
