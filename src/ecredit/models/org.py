"""Organisations (who acts), their users and their API keys."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.models.base import Base, Timestamped


class OrgKind(StrEnum):
    """What an organisation is; permissions and later the measures it carries out follow it."""

    CREDIT_OFFICE = "credit_office"  # 信用办
    DEPARTMENT = "department"  # 市场监管, 商务, 邮政管理, 公安, 法院 ...
    PLATFORM = "platform"
    LOGISTICS = "logistics"
    CREDIT_AGENCY = "credit_agency"


class Organisation(Timestamped, Base):
    """A body that uses the system: the credit office, a department, a platform, a carrier..."""

    __tablename__ = "organisation"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrgKind] = mapped_column(StrEnumType(OrgKind))
    # For departments: which one (市场监管 / samr, 商务 / commerce, 邮政管理 / post ...).
    department: Mapped[str | None] = mapped_column(String(40))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    # A platform or logistics organisation is usually also a registered subject.
    # use_alter: organisation and subject refer to each other (subject.verified_by_id).
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id", use_alter=True))


class User(Timestamped, Base):
    """A person who logs in to the portal on behalf of an organisation."""

    __tablename__ = "app_user"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ApiKey(Timestamped, Base):
    """A machine credential: shown once, stored as a hash, limited to its scopes."""

    __tablename__ = "api_key"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
