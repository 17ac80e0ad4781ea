"""Read the packaged catalogue and an operator's override folder into one `Catalog`.

The packaged `data/record_types.toml` comes first. Then every `*.toml` in the override folder, in
name order (except `commitment_templates*.toml`, which hold commitment templates, not types): a
type with a new code is added, a type with an existing code replaces the packaged one (in place,
so the order of the catalogue stays stable). Two override files defining the same
code is an error, because which one should win would depend on file names.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecredit.catalog.errors import CatalogError, CatalogProblem, UnknownRecordType, describe_rule
from ecredit.catalog.schema import PUBLICITY_KINDS, CatalogFile, Polarity, RecordTypeSpec
from ecredit.models.org import OrgKind

PACKAGED_FILE = "record_types.toml"
# Files of the same folder that belong to the commitment templates (ecredit.commitment).
NOT_RECORD_TYPES = "commitment_templates*.toml"


# Pydantic's wording for the error types a catalogue author will meet, said as rules.
class Catalog:
    """The record types in force: looked up by code, listed, and asked who may submit what."""

    def __init__(self, specs: list[RecordTypeSpec], sources: dict[str, str]) -> None:
        self._specs = {spec.code: spec for spec in specs}
        self._sources = dict(sources)

    def get(self, code: str) -> RecordTypeSpec:
        try:
            return self._specs[code]
        except KeyError:
            raise UnknownRecordType(code, sorted(self._specs)) from None

    def all(self) -> tuple[RecordTypeSpec, ...]:
        return tuple(self._specs.values())

    def codes(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def by_polarity(self) -> dict[Polarity, tuple[RecordTypeSpec, ...]]:
        return {p: tuple(s for s in self._specs.values() if s.polarity is p) for p in Polarity}

    def may_submit(self, code: str, org_kind: OrgKind | str) -> bool:
        return OrgKind(org_kind) in self.get(code).submitters

    def source(self, code: str) -> str:
        """The file the type was defined in (packaged name or override path)."""
        self.get(code)
        return self._sources[code]

    def __contains__(self, code: object) -> bool:
        return code in self._specs

    def __len__(self) -> int:
        return len(self._specs)

    def __iter__(self) -> Iterator[RecordTypeSpec]:
        return iter(self._specs.values())


def load_catalog(override_dir: Path | None = None) -> Catalog:
    """The packaged catalogue, with the `*.toml` files of `override_dir` (if given) applied."""
    packaged = resources.files("ecredit.catalog").joinpath("data", PACKAGED_FILE)
    specs = {s.code: s for s in parse_catalog(packaged.read_text("utf-8"), PACKAGED_FILE)}
    sources = dict.fromkeys(specs, PACKAGED_FILE)
    if override_dir is not None:
        _apply_overrides(Path(override_dir), specs, sources)
    return Catalog(list(specs.values()), sources)


def _apply_overrides(
    folder: Path, specs: dict[str, RecordTypeSpec], sources: dict[str, str]
) -> None:
    if not folder.is_dir():
        raise CatalogError([CatalogProblem(str(folder), "", "folder", "does not exist")])
    overridden: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.match(NOT_RECORD_TYPES):
            continue
        for spec in parse_catalog(path.read_text("utf-8"), str(path)):
            if spec.code in overridden:
                rule = f"already defined in {overridden[spec.code]}"
                raise CatalogError([CatalogProblem(str(path), f"type {spec.code!r}", "code", rule)])
            overridden[spec.code] = str(path)
            specs[spec.code] = spec
            sources[spec.code] = str(path)


def parse_catalog(text: str, file: str) -> list[RecordTypeSpec]:
    """Validate one file's text; raise `CatalogError` listing every problem found."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError([CatalogProblem(file, "", "toml", str(exc))]) from None
    try:
        entries = CatalogFile.model_validate(raw).types
    except ValidationError as exc:
        raise CatalogError([_problem(file, "", err) for err in exc.errors()]) from None
    specs: list[RecordTypeSpec] = []
    problems: list[CatalogProblem] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        ref = _type_ref(entry, index)
        code = entry.get("code")
        if isinstance(code, str) and code in seen:
            rule = f"duplicate code (also type #{seen[code]})"
            problems.append(CatalogProblem(file, ref, "code", rule))
            continue
        if isinstance(code, str):
            seen[code] = index
        try:
            specs.append(RecordTypeSpec.model_validate(entry))
        except ValidationError as exc:
            problems.extend(_problem(file, ref, err) for err in exc.errors())
    if problems:
        raise CatalogError(problems)
    return specs


def _type_ref(entry: dict[str, object], index: int) -> str:
    code = entry.get("code")
    if isinstance(code, str) and code:
        return f"type {code!r}"
    return f"type #{index}"


def _problem(file: str, type_ref: str, error: Any) -> CatalogProblem:
    loc = [str(part) for part in error["loc"]]
    # A discriminated union puts the tag in the location (publicity.by_severity.serious);
    # the author wrote publicity.serious, so that is what we name.
    if len(loc) > 1 and loc[0] == "publicity" and loc[1] in PUBLICITY_KINDS:
        del loc[1]
    field = ".".join(loc) or "(type)"
    return CatalogProblem(file, type_ref, field, describe_rule(error))
