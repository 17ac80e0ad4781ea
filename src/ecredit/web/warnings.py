"""Staff page of merchants' credit-risk early warnings: the current warnings by level (high risk
first), coloured by level, each with its reasons in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from starlette.requests import Request

from ecredit.authz.principals import Scope
from ecredit.kit.paging import PageRequest
from ecredit.listing.kinds import list_kinds
from ecredit.models.subject import Subject
from ecredit.models.warning import SubjectWarning, WarningLevel
from ecredit.subject.views import public_name
from ecredit.warning.schemas import WarningFilter
from ecredit.warning.service import WarningService
from ecredit.web import csrf, i18n, services
from ecredit.web.auth import StaffDep, require_scope
from ecredit.web.credit import type_label
from ecredit.web.render import render
from ecredit.web.staff import staff_work

PAGE_SIZE = 50
LEVELS = (WarningLevel.HIGH, WarningLevel.WARNING, WarningLevel.ATTENTION)
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)
Translate = Callable[..., str]


@router.get("/staff/warnings", response_class=HTMLResponse)
def warning_list(
    request: Request, principal: StaffDep, level: str = "", region: str = "", page: int = 1
) -> Response:
    require_scope(principal, Scope.WARNING_READ)
    chosen = WarningLevel(level) if level in {lv.value for lv in LEVELS} else None
    code = region.strip() if region.strip().isdigit() and 2 <= len(region.strip()) <= 6 else None
    records = services.records_service(request)
    warnings = WarningService(records.catalog, records.clock)
    translate = i18n.translator(i18n.resolve_language(request))
    describe = _describer(request, translate)
    with staff_work(request, principal) as session:
        found = warnings.page(session, PageRequest(max(1, page), PAGE_SIZE),
                              WarningFilter(level=chosen, region=code))  # fmt: skip
        rows = [_row(session.get_one(Subject, w.subject_id), w, describe) for w in found.items]
        counts = warnings.level_counts(session)
    context = {
        "rows": rows, "total": found.total, "page": found.page,
        "pages": max(1, -(-found.total // PAGE_SIZE)), "level": chosen.value if chosen else "",
        "region": code or "", "counts": {lv.value: counts[lv] for lv in LEVELS},
    }  # fmt: skip
    return render(request, "warnings/list.html", context)


def _row(
    subject: Subject, warning: SubjectWarning, describe: Callable[[dict[str, Any]], str]
) -> dict[str, Any]:
    """A natural person's name masked, as everywhere outside the personal-data view."""
    return {"warning": warning, "subject": subject, "name": public_name(subject),
            "reasons": [describe(reason) for reason in warning.reasons]}  # fmt: skip


def _tally(counts: dict[str, int], name: Callable[[str], str]) -> str:
    return "、".join(f"{name(key)} × {n}" for key, n in counts.items())


def _describer(request: Request, translate: Translate) -> Callable[[dict[str, Any]], str]:
    """A reason's facts said in words: counts, names of types, kinds and detectors, ids."""
    english = i18n.resolve_language(request) == "en"
    kinds = {k.code: (k.name_en if english else k.name_zh) for k in list_kinds().all()}
    record_type = type_label(request)

    def describe(reason: dict[str, Any]) -> str:
        facts, code = reason["facts"], reason["code"]
        if code == "detector_alerts":
            values = {"open": facts["open"], "confirmed": facts["confirmed"],
                      "detectors": _tally(facts["detectors"], str)}  # fmt: skip
        elif code == "complaint_spike":
            ratio = facts["ratio"]
            values = {"complaints": facts["complaints"], "days": facts["period_days"],
                      "baseline": facts["baseline"],
                      "ratio": "∞" if ratio is None else ratio}  # fmt: skip
        elif code == "negative_records":
            severities = _tally(facts["by_severity"], lambda s: translate(f"severity.{s}"))
            values = {"severities": severities, "types": _tally(facts["types"], record_type),
                      "ids": ", ".join(f"#{i}" for i in facts["record_ids"])}  # fmt: skip
        else:
            values = {"kinds": _tally(facts["kinds"], lambda k: kinds.get(k, k))}
        return translate(f"wreason.{code}", points=reason["points"], **values)

    return describe
