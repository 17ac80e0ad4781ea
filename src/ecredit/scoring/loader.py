"""Read and validate an indicator model file; every problem names the file, the field, the rule.

The packaged model is `data/model_v1.toml`. A model is also checked against the catalogue in
force: an indicator whose hint no record type carries, or that names a type the catalogue does
not define, would silently count nothing, so it is an error.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecredit.catalog.loader import Catalog
from ecredit.scoring.model import DECAY_KINDS, INDICATOR_SOURCES, RecordIndicator, ScoringModel

PACKAGED_MODEL = "model_v1.toml"
_RULES = {
    "extra_forbidden": "unknown key",
    "missing": "is required",
    "int_type": "must be a whole number",
    "string_type": "must be text",
    "list_type": "must be a list",
    "dict_type": "must be a table",
}


@dataclass(frozen=True)
class ModelProblem:
    file: str
    field: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.rule}"


class ModelError(ValueError):
    """A model file cannot be used; the message has one line per problem."""

    def __init__(self, problems: list[ModelProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_model(path: Path | None = None, catalog: Catalog | None = None) -> ScoringModel:
    """The packaged model (or the file at `path`), checked against `catalog` when given."""
    if path is None:
        text = resources.files("ecredit.scoring").joinpath("data", PACKAGED_MODEL).read_text()
        name = PACKAGED_MODEL
    else:
        text, name = Path(path).read_text("utf-8"), str(path)
    model = parse_model(text, name)
    if catalog is not None:
        check_against(model, catalog, name)
    return model


def parse_model(text: str, file: str) -> ScoringModel:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError([ModelProblem(file, "(file)", f"not valid TOML: {exc}")]) from None
    try:
        return ScoringModel.model_validate(raw)
    except ValidationError as exc:
        problems = [p for error in exc.errors() for p in _problems(file, raw, error)]
        raise ModelError(problems) from None


def check_against(model: ScoringModel, catalog: Catalog, file: str) -> None:
    """Every record indicator's hint and type codes exist in the catalogue, and agree."""
    hints = {spec.evaluation_hint for spec in catalog}
    problems: list[ModelProblem] = []
    for indicator in model.indicators:
        if not isinstance(indicator, RecordIndicator):
            continue
        where = f"indicators '{indicator.code}'"
        if indicator.hint not in hints:
            rule = f"no record type has evaluation_hint '{indicator.hint}'"
            problems.append(ModelProblem(file, f"{where}.hint", rule))
        for code in indicator.type_codes:
            if code not in catalog:
                rule = f"'{code}' is not a record type of the catalogue"
                problems.append(ModelProblem(file, f"{where}.type_codes", rule))
            elif catalog.get(code).evaluation_hint != indicator.hint:
                rule = f"'{code}' has evaluation_hint '{catalog.get(code).evaluation_hint}'"
                problems.append(ModelProblem(file, f"{where}.type_codes", rule))
    for hint in (model.platform.complaint_hint, model.platform.fraud_hint):
        if hint not in hints:
            rule = f"no record type has evaluation_hint '{hint}'"
            problems.append(ModelProblem(file, "platform", rule))
    if problems:
        raise ModelError(problems)


def _problems(file: str, raw: dict[str, Any], error: Any) -> list[ModelProblem]:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "value_error" and not error["loc"]:
        # Whole-model rules say "field: rule; field: rule".
        parts = [part.partition(": ") for part in message.split("; ")]
        return [ModelProblem(file, field, rule) for field, _, rule in parts]
    rule = _RULES.get(error["type"]) or message
    if error["type"] in ("enum", "literal_error"):
        rule = f"must be one of {error['ctx']['expected']}"
    elif error["type"] == "union_tag_invalid":
        rule = f"unknown kind {error['ctx']['tag']!r} (expected {error['ctx']['expected_tags']})"
    return [ModelProblem(file, _field(raw, list(error["loc"])), rule)]


_TAGS = {(2, True, False), (4, False, True)}  # where a discriminator's tag sits in a location


def _field(raw: dict[str, Any], loc: list[Any]) -> str:
    """'indicators 'penalty'.points.general' rather than 'indicators.3.record.points.general'."""
    parts: list[str] = []
    for position, part in enumerate(loc):
        if isinstance(part, int) and position == 1 and loc[0] in ("indicators", "dimensions"):
            entry = raw.get(loc[0], [])[part] if part < len(raw.get(loc[0], [])) else {}
            code = entry.get("code") if isinstance(entry, dict) else None
            parts[-1] += f" '{code}'" if isinstance(code, str) else f" #{part + 1}"
        elif (position, part in INDICATOR_SOURCES, part in DECAY_KINDS) in _TAGS:
            continue  # the discriminator's tag, which the author did not write
        else:
            parts.append(str(part))
    return ".".join(parts) or "(model)"
