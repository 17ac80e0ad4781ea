"""Commitment templates as versioned data: load, validate, look up, fill in and render.

The packaged `catalog/data/commitment_templates.toml` comes first, then every
`commitment_templates*.toml` of the catalogue override folder (`settings.catalog_dir`), in name
order. A (code, version) is published once: defining it again, in any file, is an error, because
commitments signed under it must keep meaning what they said. New wording is a new version.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecredit.catalog.errors import CatalogError, CatalogProblem, describe_rule
from ecredit.catalog.publicity import add_months
from ecredit.commitment.template_spec import (
    PARAMETER_TYPES,
    TERM_PARAMETER,
    TemplatesFile,
    TemplateSpec,
)
from ecredit.kit.errors import InvalidInput, NotFound, Problem

PACKAGED_FILE = "commitment_templates.toml"
OVERRIDE_GLOB = "commitment_templates*.toml"
ParamValue = int | str


class TemplateBook:
    """Every loaded version of every template; the current one of a code is its highest."""

    def __init__(self, specs: list[TemplateSpec], sources: dict[tuple[str, int], str]) -> None:
        ordered = sorted(specs, key=lambda s: (s.code, s.version))
        self._specs = {(s.code, s.version): s for s in ordered}
        self._sources = dict(sources)

    def get(self, code: str, version: int | None = None) -> TemplateSpec:
        """A version of a template (the current one when `version` is None); 404 if unknown."""
        versions = [s for (c, _v), s in self._specs.items() if c == code]
        if not versions:
            known = ", ".join(self.codes())
            raise NotFound(f"template_code: unknown commitment template '{code}' (known: {known})")
        if version is None:
            return versions[-1]
        spec = self._specs.get((code, version))
        if spec is None:
            raise NotFound(f"commitment template '{code}' has no version {version}")
        return spec

    def current(self) -> list[TemplateSpec]:
        return [self.get(code) for code in self.codes()]

    def codes(self) -> list[str]:
        return sorted({code for code, _version in self._specs})

    def source(self, code: str, version: int) -> str:
        return self._sources[(code, version)]

    def __iter__(self) -> Iterator[TemplateSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)


def load_templates(override_dir: Path | None = None) -> TemplateBook:
    """The packaged templates and the `commitment_templates*.toml` files of `override_dir`."""
    packaged = resources.files("ecredit.catalog").joinpath("data", PACKAGED_FILE)
    files = [(PACKAGED_FILE, packaged.read_text("utf-8"))]
    if override_dir is not None:
        folder = Path(override_dir)
        if not folder.is_dir():
            raise CatalogError([CatalogProblem(str(folder), "", "folder", "does not exist")])
        files += [(str(p), p.read_text("utf-8")) for p in sorted(folder.glob(OVERRIDE_GLOB))]
    specs: list[TemplateSpec] = []
    sources: dict[tuple[str, int], str] = {}
    for name, text in files:
        for spec in parse_templates(text, name):
            key = (spec.code, spec.version)
            if key in sources:
                rule = f"version {spec.version} already defined in {sources[key]}"
                raise CatalogError([CatalogProblem(name, _ref(spec.code), "version", rule)])
            sources[key] = name
            specs.append(spec)
    return TemplateBook(specs, sources)


def parse_templates(text: str, file: str) -> list[TemplateSpec]:
    """Validate one file's text; raise `CatalogError` listing every problem found."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError([CatalogProblem(file, "", "toml", str(exc))]) from None
    try:
        entries = TemplatesFile.model_validate(raw).templates
    except ValidationError as exc:
        raise CatalogError([_problem(file, "", err) for err in exc.errors()]) from None
    specs: list[TemplateSpec] = []
    problems: list[CatalogProblem] = []
    seen: dict[tuple[object, object], int] = {}
    for index, entry in enumerate(entries, start=1):
        ref = _entry_ref(entry, index)
        key = (entry.get("code"), entry.get("version"))
        if key in seen:
            rule = f"duplicate code and version (also template #{seen[key]})"
            problems.append(CatalogProblem(file, ref, "version", rule))
            continue
        seen[key] = index
        try:
            specs.append(TemplateSpec.model_validate(entry))
        except ValidationError as exc:
            problems.extend(_problem(file, ref, err) for err in exc.errors())
    if problems:
        raise CatalogError(problems)
    return specs


def resolve_params(spec: TemplateSpec, given: Mapping[str, object]) -> dict[str, ParamValue]:
    """The template's parameters filled from `given` and defaults; a 422 naming every field
    that is unknown, missing, of the wrong type or out of bounds."""
    problems = [
        Problem(f"params.{name}", "unknown", f"params.{name}: '{spec.code}' has no such parameter")
        for name in given
        if spec.parameter(name) is None
    ]
    values: dict[str, ParamValue] = {}
    for parameter in spec.parameters:
        value = given.get(parameter.name, parameter.default)
        field = f"params.{parameter.name}"
        if value is None:
            problems.append(Problem(field, "required", f"{field}: required"))
        elif found := parameter.problem(value):
            problems.append(Problem(field, found[0], f"{field}: {found[1]}"))
        else:
            values[parameter.name] = value  # type: ignore[assignment]  # checked by problem()
    if problems:
        raise InvalidInput.many(problems)
    return values


def term_of(spec: TemplateSpec, values: Mapping[str, ParamValue], start: date) -> date:
    """The last day of the term: `term_months` calendar months from `start`, inclusive."""
    months = values.get(TERM_PARAMETER, spec.term_months)
    return add_months(start, int(months)) - timedelta(days=1)


def render(spec: TemplateSpec, values: Mapping[str, ParamValue], start: date, end: date) -> str:
    """The text as signed (Chinese): title, preamble, numbered clauses and the term."""
    numbers = "一二三四五六七八九十"
    lines = [spec.title_zh, "", spec.preamble_zh]
    for index, clause in enumerate(spec.clauses):
        number = numbers[index] if index < len(numbers) else str(index + 1)
        lines.append(f"{number}、{clause.text_zh.format(**values)}")
    lines += ["", f"承诺期限：{_zh_date(start)}至{_zh_date(end)}。"]
    return "\n".join(lines)


def _zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _ref(code: str, version: object = None) -> str:
    return f"template {code!r}" + (f" v{version}" if version is not None else "")


def _entry_ref(entry: dict[str, object], index: int) -> str:
    code = entry.get("code")
    if isinstance(code, str) and code:
        return _ref(code, entry.get("version"))
    return f"template #{index}"


def _problem(file: str, ref: str, error: Any) -> CatalogProblem:
    loc = [str(part) for part in error["loc"]]
    # A discriminated union puts the tag in the location (parameters.2.int.min); the author
    # wrote parameters.2.min, so that is what we name.
    if len(loc) > 2 and loc[0] == "parameters" and loc[2] in PARAMETER_TYPES:
        del loc[2]
    field = ".".join(loc) or "(template)"
    if error["type"] == "union_tag_not_found":
        return CatalogProblem(file, ref, field, "needs a type (int or text)")
    return CatalogProblem(file, ref, field, describe_rule(error, tag="type"))
