"""Every parameter the system knows, with its default and what it means.

Defaults live here in code; an operator's value lives in the database with its history. A
parameter not declared here cannot be set, so a typo is an error, not a silent new setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ParameterSpec:
    key: str
    default: Any
    kind: type
    description: str
    minimum: float | None = None
    maximum: float | None = None


SPECS: dict[str, ParameterSpec] = {
    spec.key: spec
    for spec in [
        ParameterSpec(
            "verification.review_workdays",
            5,
            int,
            "Working days a department has to decide a pending real-name verification.",
            minimum=1,
            maximum=60,
        ),
        ParameterSpec(
            "search.fuzzy_min_score",
            60,
            int,
            "Lowest rapidfuzz score (0-100) for a fuzzy name match to be listed.",
            minimum=0,
            maximum=100,
        ),
        ParameterSpec(
            "domain.lookalike_max_distance",
            2,
            int,
            "Largest edit distance at which a domain is flagged as a look-alike of a verified one.",
            minimum=0,
            maximum=5,
        ),
        ParameterSpec(
            "domain.recheck_days",
            30,
            int,
            "Days after which a verified website is checked again for its proof file.",
            minimum=1,
            maximum=365,
        ),
    ]
}
