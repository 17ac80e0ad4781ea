"""Ranked search of the registry: exact code, name substring, pinyin, initials, fuzzy.

Ranking (higher first): exact code 100; exact name 98; name starts with the query 95; name
contains it 90; initials start with it 85; initials contain it / full pinyin contains it 80;
fuzzy (rapidfuzz WRatio, scaled to at most 75) below. Within a score, shorter names first.
Fuzzy matching scans every name in memory; that is instant at a city's scale (tens of
thousands of subjects) and is the part to replace with a trigram index beyond that.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from ecredit.kit.crypto import Vault
from ecredit.kit.errors import InvalidInput
from ecredit.kit.ids import validate_ric, validate_uscc
from ecredit.models.subject import Subject
from ecredit.subject.names import looks_like_pinyin
from ecredit.subject.repository import subject_repository

CANDIDATE_LIMIT = 500


@dataclass(frozen=True)
class Hit:
    subject: Subject
    score: float
    matched_by: str


def search(
    session: Session,
    vault: Vault,
    query: str,
    limit: int = 20,
    fuzzy_min_score: int = 60,
    allow_id_number: bool = False,
) -> list[Hit]:
    text = query.strip()
    if len(text) < 2:
        raise InvalidInput("q", "min_length", "q: type at least 2 characters")
    exact = _by_code(session, vault, text, allow_id_number)
    if exact is not None:
        return [Hit(exact, 100.0, "code")]
    hits: dict[int, Hit] = {}
    for subject in subject_repository.name_candidates(session, text, CANDIDATE_LIMIT):
        _keep_best(hits, _rank_candidate(subject, text))
    for hit in _fuzzy(session, text, fuzzy_min_score, limit, exclude=set(hits)):
        _keep_best(hits, hit)
    ranked = sorted(hits.values(), key=lambda h: (-h.score, len(h.subject.name), h.subject.id))
    return ranked[:limit]


def _by_code(session: Session, vault: Vault, text: str, allow_id_number: bool) -> Subject | None:
    if len(text) != 18:
        return None
    try:
        return subject_repository.by_uscc(session, validate_uscc(text))
    except InvalidInput:
        pass
    if not allow_id_number:
        return None
    try:
        number = validate_ric(text)
    except InvalidInput:
        return None
    return subject_repository.by_id_number_index(session, vault.index("id_number", number))


def _rank_candidate(subject: Subject, text: str) -> Hit | None:
    lowered = text.lower().replace(" ", "")
    if subject.name == text:
        return Hit(subject, 98.0, "name")
    if subject.name.startswith(text):
        return Hit(subject, 95.0, "name")
    if text in subject.name:
        return Hit(subject, 90.0, "name")
    if not looks_like_pinyin(text):
        return None
    if subject.name_initials.startswith(lowered):
        return Hit(subject, 85.0, "initials")
    if lowered in subject.name_initials:
        return Hit(subject, 80.0, "initials")
    if lowered in subject.name_pinyin:
        return Hit(subject, 80.0, "pinyin")
    return None


def _fuzzy(session: Session, text: str, min_score: int, limit: int, exclude: set[int]) -> list[Hit]:
    if looks_like_pinyin(text):
        return []  # Latin letters against Chinese names: edit distance means nothing here.
    names = dict(subject_repository.all_names(session))
    matches = process.extract(
        text, names, scorer=fuzz.WRatio, score_cutoff=min_score, limit=limit + len(exclude)
    )
    ids = [key for _name, _score, key in matches if key not in exclude]
    subjects = subject_repository.many(session, ids)
    return [
        Hit(subjects[key], round(score * 0.75, 1), "fuzzy")
        for _name, score, key in matches
        if key in subjects
    ]


def _keep_best(hits: dict[int, Hit], hit: Hit | None) -> None:
    if hit is None:
        return
    current = hits.get(hit.subject.id)
    if current is None or hit.score > current.score:
        hits[hit.subject.id] = hit
