"""What every detector produces: a finding, independent of the engine that computed it.

A finding names the shop (by its platform and the platform's own shop code) or the accounts it is
about, the catalogue record type a regulator would confirm it as, a score, and the evidence that
lets a person check it without re-running the detector. Its fingerprint is stable across runs, so
the alert registry never raises the same finding twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Finding:
    detector: str  # e.g. "brushing", "review_ring", "fake_traffic", "empty_parcel", "price_fraud"
    platform_id: int  # the platform subject whose lake partition the rows came from
    shop_code: str | None  # the platform's own shop id, when the finding is about a shop
    record_type: str  # catalogue code used if a regulator confirms it, e.g. "order_brushing"
    score: float  # detector-specific strength; higher is more suspicious
    key: tuple[str, ...]  # what makes this finding itself (window start, member ids …)
    window_start: datetime | None = None
    window_end: datetime | None = None
    evidence: dict[str, Any] = field(default_factory=dict)  # JSON-serialisable

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.detector, self.platform_id, self.shop_code, self.key)


def fingerprint(detector: str, platform_id: int, shop_code: str | None, key: Sequence[str]) -> str:
    """SHA-256 over detector, platform, shop and key: equal findings share it across runs."""
    identity = [detector, platform_id, shop_code, list(key)]
    canonical = json.dumps(identity, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
