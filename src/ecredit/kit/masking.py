"""The one masking function every public view passes personal data through."""

from __future__ import annotations

from enum import StrEnum


class PersonalField(StrEnum):
    ID_NUMBER = "id_number"
    PHONE = "phone"
    PERSON_NAME = "person_name"
    EMAIL = "email"


def mask(kind: PersonalField, value: str | None) -> str | None:
    """Hide personal data for public display, keeping just enough to recognise it.

    ID number 110105********002X would show birth date; we keep the first four (province and
    city) and the last four. Phones keep operator prefix and last four (138****5678); personal
    names keep the family name (张*, 欧阳**); e-mails keep the first letter and the domain.
    """
    if value is None or value == "":
        return value
    if kind is PersonalField.ID_NUMBER:
        return _keep(value, 4, 4)
    if kind is PersonalField.PHONE:
        return _keep(value, 3, 4)
    if kind is PersonalField.EMAIL:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    family = 2 if len(value) >= 4 else 1
    return value[:family] + "*" * (len(value) - family)


def _keep(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]
