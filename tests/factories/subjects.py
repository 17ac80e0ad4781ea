"""Valid identifiers and registered subjects, made through the registry service."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session
from stdnum.cn import ric, uscc

from ecredit.authz.principals import SYSTEM, Principal
from ecredit.config import Settings
from ecredit.kit.crypto import Vault
from ecredit.models.subject import MerchantForm, Subject, SubjectKind
from ecredit.subject.schemas import SubjectCreate
from ecredit.subject.service import subject_service

AREA_CODE = "210502"  # 辽宁省本溪市平山区, valid for births from 1990 on
_serial = itertools.count(1)


def uscc_number(serial: int | None = None) -> str:
    """A valid 18-character unified social credit code (check character by stdnum)."""
    n = next(_serial) if serial is None else serial
    body = f"91{AREA_CODE}{n:09d}"
    return body + uscc.calc_check_digit(body)


def id_number(serial: int | None = None) -> str:
    """A valid resident ID number: area 210502, a real birth date, a correct check character."""
    n = next(_serial) if serial is None else serial
    born = date(1990, 1, 1) + timedelta(days=n % 9000)
    body = f"{AREA_CODE}{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "?")


def phone_number(serial: int | None = None) -> str:
    n = next(_serial) if serial is None else serial
    return f"139{n % 10**8:08d}"


def with_wrong_check_character(number: str) -> tuple[str, str]:
    """(the number with another check character, the character it should have)."""
    wrong = "1" if number[-1] != "1" else "2"
    return number[:-1] + wrong, number[-1]


def subject_create(kind: SubjectKind = SubjectKind.MERCHANT, **values: Any) -> SubjectCreate:
    """A valid SubjectCreate of `kind`; a merchant is an enterprise unless told otherwise."""
    data: dict[str, Any] = {"kind": kind, "name": f"本溪测试{kind.value}{next(_serial)}有限公司"}
    if kind is SubjectKind.MERCHANT:
        data["merchant_form"] = values.get("merchant_form", MerchantForm.ENTERPRISE)
    person = kind is SubjectKind.PRACTITIONER or data.get("merchant_form") is (
        MerchantForm.NATURAL_PERSON
    )
    data["id_number" if person else "uscc"] = id_number() if person else uscc_number()
    return SubjectCreate(**(data | values))


def register(
    session: Session,
    vault: Vault,
    kind: SubjectKind = SubjectKind.MERCHANT,
    by: Principal = SYSTEM,
    **values: Any,
) -> Subject:
    return subject_service.register(session, vault, subject_create(kind, **values), by)


def enterprise(session: Session, vault: Vault, **values: Any) -> Subject:
    return register(session, vault, SubjectKind.MERCHANT, **values)


def natural_person(session: Session, vault: Vault, **values: Any) -> Subject:
    values = {"name": "张三丰", "merchant_form": MerchantForm.NATURAL_PERSON} | values
    return register(session, vault, SubjectKind.MERCHANT, **values)


def platform(session: Session, vault: Vault, **values: Any) -> Subject:
    return register(session, vault, SubjectKind.PLATFORM, **values)


@pytest.fixture
def vault(settings: Settings) -> Vault:
    return Vault.from_settings(settings)
