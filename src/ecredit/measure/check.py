"""The check (联合奖惩查询): a department or platform asks, before handling a subject, what
lists it is on and which measures its own kind of organisation carries out.

Answers come from the process's cache (`CheckRuntime`) when they can; a miss reads the subject,
its grade and its entries in force, and keeps the answer as JSON bytes under the cache's epoch.
Every check is logged (in batches, by the runtime): the log is the 响应 of the feedback loop.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal
from ecredit.kit.errors import Conflict, InvalidInput, NotFound, Problem
from ecredit.measure.catalogue import MeasureCatalogue
from ecredit.measure.repository import measure_repository
from ecredit.measure.runtime import CheckRuntime
from ecredit.models.base import utcnow
from ecredit.models.listing import ListEntry
from ecredit.models.org import OrgKind
from ecredit.models.subject import Subject
from ecredit.subject.service import subject_service
from ecredit.subject.views import public_name


@dataclass(frozen=True)
class Caller:
    """The asking organisation: its id, kind and (for a department) which department."""

    organisation_id: int
    org_kind: OrgKind | None
    department: str | None

    @classmethod
    def of(cls, principal: Principal) -> Caller:
        if principal.organisation_id is None:
            raise InvalidInput("organisation", "required", "the caller acts for no organisation")
        return cls(principal.organisation_id, principal.org_kind, principal.department)


@dataclass(frozen=True)
class Answer:
    """A check's answer without its id and time: JSON bytes, plus what the log needs."""

    subject_id: int
    body: bytes
    entry_ids: list[int]
    measure_codes: list[str]
    entry_ids_json: str = "[]"
    measure_codes_json: str = "[]"


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    checked_at: datetime
    answer: Answer

    def json_bytes(self) -> bytes:
        head = json.dumps({"check_id": self.check_id, "checked_at": self.checked_at.isoformat()})
        return head[:-1].encode() + b"," + self.answer.body[1:]


class CheckService:
    def __init__(self, catalogue: MeasureCatalogue, runtime: CheckRuntime) -> None:
        self.catalogue, self.runtime = catalogue, runtime

    def check(
        self, session: Session, caller: Caller, code: str | None, name: str | None
    ) -> CheckResult:
        query = _query(code, name)
        self.runtime.ensure_fresh(session)
        key = (*query, caller.org_kind, caller.department)
        answer: Answer | None = self.runtime.get(key)
        if answer is None:
            epoch = self.runtime.epoch()
            answer = self._answer(session, caller, query)
            self.runtime.put(key, answer, epoch)
        result = CheckResult(uuid.uuid4().hex, utcnow(), answer)
        self.log(caller.organisation_id, query, result)
        self.runtime.flush_due(session)
        return result

    def log(self, organisation_id: int, query: tuple[str, str], result: CheckResult) -> None:
        """Queue the check log row (written in batches by the runtime)."""
        answer = result.answer
        self.runtime.record(
            (
                organisation_id,
                answer.subject_id,
                f"{query[0]}:{query[1]}"[:200],
                answer.measure_codes_json,
                answer.entry_ids_json,
                result.checked_at,
            )
        )

    def _answer(self, session: Session, caller: Caller, query: tuple[str, str]) -> Answer:
        subject = _subject(session, *query)
        entries = measure_repository.effective_entries(session, subject.id, self.runtime.today())
        measures = self._measures(entries, caller)
        body = {
            "subject": {
                "id": subject.id,
                "name": public_name(subject),
                "code": subject.uscc,
                "kind": subject.kind.value,
            },
            "grade": _grade(session, subject.id),
            "memberships": [self._membership(entry) for entry in entries],
            "measures": measures,
            "caller": {"org_kind": caller.org_kind, "department": caller.department},
        }
        entry_ids = [entry.id for entry in entries]
        codes = sorted({measure["code"] for measure in measures})
        return Answer(
            subject_id=subject.id,
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
            entry_ids=entry_ids,
            measure_codes=codes,
            entry_ids_json=json.dumps(entry_ids),
            measure_codes_json=json.dumps(codes),
        )

    def _membership(self, entry: ListEntry) -> dict[str, Any]:
        return {
            "entry_id": entry.id,
            "list_kind": entry.list_kind,
            "colour": self.catalogue.colour(entry.list_kind),
            "since": _iso(entry.effective_from),
            "valid_until": _iso(entry.valid_until),
        }

    def _measures(self, entries: list[ListEntry], caller: Caller) -> list[dict[str, Any]]:
        return [
            {
                "code": spec.code,
                "name_zh": spec.name_zh,
                "name_en": spec.name_en,
                "kind": spec.kind.value,
                "entry_id": entry.id,
                "list_kind": entry.list_kind,
                "legal_basis": spec.legal_basis,
                "description": spec.description,
            }
            for entry in entries
            for spec in self.catalogue.applicable(
                entry.list_kind, caller.org_kind, caller.department
            )
        ]


def _query(code: str | None, name: str | None) -> tuple[str, str]:
    if (code is None) == (name is None):
        raise InvalidInput("code", "one_of", "give exactly one of code or name")
    if code is not None:
        return ("code", code.strip().upper())
    return ("name", (name or "").strip())


def _subject(session: Session, by: str, value: str) -> Subject:
    if by == "code":
        return subject_service.find_by_code(session, value, "code")
    found = measure_repository.subjects_named(session, value)
    if not found:
        raise NotFound(f"no subject is registered with the name {value}")
    if len(found) > 1:
        codes = [subject.uscc or f"subject {subject.id} (no code)" for subject in found]
        problem = Problem("name", "ambiguous", f"matches {', '.join(codes)}")
        raise Conflict(
            f"the name matches {len(found)} subjects; ask by code: {', '.join(codes)}",
            problems=[problem],
        )
    return found[0]


def _grade(session: Session, subject_id: int) -> dict[str, Any] | None:
    grade = measure_repository.grade(session, subject_id)
    if grade is None:
        return None
    return {
        "grade": grade.grade.value,
        "score": grade.score,
        "evaluated_at": grade.evaluated_at.isoformat(),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
