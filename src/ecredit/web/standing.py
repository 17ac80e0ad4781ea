"""A subject's standing as the portal shows it: the grade with its explanation, list
memberships, and the joint measures in force — public on the subject page, complete for staff.

Public parts come from the same views the public API uses (`scoring.views.public_grade`,
`listing.views.public_entry`, `measure.stats.public_measures`): counts and points only, no
record ids, and no watch list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request

from ecredit.kit.errors import NotFound
from ecredit.listing import views as list_views
from ecredit.listing.kinds import ListKinds
from ecredit.measure.loop import LoopFacts
from ecredit.measure.stats import public_measures
from ecredit.scoring import views as score_views
from ecredit.scoring.model import ScoringModel
from ecredit.subject.service import subject_service
from ecredit.web import i18n, services


def kind_label(request: Request, kinds: ListKinds) -> Callable[[str], str]:
    """A list kind's name in the reader's language."""
    english = i18n.resolve_language(request) == "en"

    def label(code: str) -> str:
        kind = kinds.get(code)
        if kind is None:
            return code
        return kind.name_en if english else kind.name_zh

    return label


def kind_colour(kinds: ListKinds) -> Callable[[str], str]:
    def colour(code: str) -> str:
        kind = kinds.get(code)
        return kind.colour.value if kind else "watch"

    return colour


def public_standing(request: Request, session: Session, subject_id: int) -> dict[str, Any]:
    """Grade and explanation, public memberships and the measures that apply publicly."""
    scoring = services.scoring(request)
    try:
        evaluation = scoring.latest(session, subject_id)
        grade = score_views.public_grade(
            evaluation, scoring.grade(session, subject_id), scoring.model
        )
    except NotFound:
        grade = None
    listing = services.listing(request)
    subject = subject_service.get(session, subject_id)
    entries = listing.shown_of_subject(session, subject_id)
    catalogue = services.checks(request).catalogue
    return {
        "grade": grade,
        "memberships": [list_views.public_entry(entry, subject) for entry in entries],
        "measures": public_measures(session, catalogue, subject_id, services.today(request)),
        "kind_name": kind_label(request, listing.kinds),
        "kind_colour": kind_colour(listing.kinds),
        "today": services.today(request),
    }


def staff_standing(request: Request, session: Session, subject_id: int) -> dict[str, Any]:
    """The full evaluation, every list entry, the notices sent and the feedback counts."""
    scoring = services.scoring(request)
    try:
        evaluation = score_views.evaluation_read(scoring.latest(session, subject_id))
    except NotFound:
        evaluation = None
    listing = services.listing(request)
    catalogue = services.checks(request).catalogue
    facts = LoopFacts(session, catalogue, subject_id)
    loops = [
        {"code": code, "name_zh": pairs[0][1].name_zh, "name_en": pairs[0][1].name_en,
         "counts": facts.counts(pairs)}
        for code, pairs in sorted(facts.by_measure().items())
    ]  # fmt: skip
    return {
        "evaluation": evaluation,
        "entries": [list_views.entry_read(e) for e in listing.of_subject(session, subject_id)],
        "notices": listing.notices(session, subject_id),
        "loops": loops,
        "kind_name": kind_label(request, listing.kinds),
        "kind_colour": kind_colour(listing.kinds),
        "dimension_name": dimension_label(request, scoring.model),
    }


def dimension_label(request: Request, model: ScoringModel) -> Callable[[str], str]:
    """A dimension's or indicator's name from the scoring model, in the reader's language."""
    english = i18n.resolve_language(request) == "en"
    names: dict[str, tuple[str, str]] = {d.code: (d.name_zh, d.name_en) for d in model.dimensions}
    names |= {i.code: (i.name_zh, i.name_en) for i in model.indicators}

    def label(code: str) -> str:
        pair = names.get(code)
        return code if pair is None else pair[1 if english else 0]

    return label
