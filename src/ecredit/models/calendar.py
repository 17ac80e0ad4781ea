"""Holiday and make-up workday data entered by an operator for years chinese-calendar lacks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.models.base import Base


class WorkdayOverride(Base):
    """One day whose working status differs from Monday-to-Friday (a holiday or a 调休 day)."""

    __tablename__ = "workday_override"

    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(80), default="")
