"""The business timeline as the API shows it: one model for every aggregate's history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class TimelineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    kind: str
    summary: str
    data: dict[str, Any]
