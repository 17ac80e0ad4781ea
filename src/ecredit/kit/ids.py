"""Identifier validation with errors that name the field and the rule.

python-stdnum does the checking (GB 32100-2015 unified social credit code, GB 11643-1999 resident
identity number, GS1 GTIN); its errors are generic, so we re-derive which rule failed and, for a
bad check character, which character it should have been.
"""

from __future__ import annotations

from stdnum import ean
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError
from stdnum.util import isdigits

from ecredit.kit.errors import InvalidInput

USCC_LABEL = "unified social credit code"
RIC_LABEL = "resident identity number"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def validate_uscc(value: str, field: str = "uscc") -> str:
    """Return the compact USCC or raise InvalidInput naming the broken rule."""
    number = uscc.compact(value or "")
    _require_length(number, 18, field, USCC_LABEL)
    if not isdigits(number[:8]):
        bad = next(i for i, c in enumerate(number[:8]) if not isdigits(c))
        raise InvalidInput(
            field,
            "charset",
            f"{USCC_LABEL}: characters 1-8 must be digits, got '{number[bad]}' at position "
            f"{bad + 1}",
        )
    for i, char in enumerate(number[8:], start=8):
        if char not in USCC_ALPHABET:
            raise InvalidInput(
                field,
                "charset",
                f"{USCC_LABEL}: characters 9-18 must be digits or letters other than "
                f"I, O, S, V, Z; got '{char}' at position {i + 1}",
            )
    _require_check_character(number, uscc.calc_check_digit(number), field, USCC_LABEL)
    try:
        return uscc.validate(number)
    except ValidationError as exc:  # pragma: no cover - every rule stdnum checks is named above
        raise InvalidInput(field, "invalid", f"{USCC_LABEL}: {exc}") from exc


def validate_ric(value: str, field: str = "id_number") -> str:
    """Return the compact resident ID number or raise InvalidInput naming the broken rule."""
    number = ric.compact(value or "")
    _require_length(number, 18, field, RIC_LABEL)
    if not isdigits(number[:17]):
        bad = next(i for i, c in enumerate(number[:17]) if not isdigits(c))
        raise InvalidInput(
            field,
            "charset",
            f"{RIC_LABEL}: characters 1-17 must be digits, got '{number[bad]}' at position "
            f"{bad + 1}",
        )
    _require_check_character(number, ric.calc_check_digit(number), field, RIC_LABEL)
    try:
        ric.get_birth_date(number)
    except ValidationError as exc:
        raise InvalidInput(
            field, "birth_date", f"{RIC_LABEL}: '{number[6:14]}' is not a valid birth date"
        ) from exc
    try:
        ric.get_birth_place(number)
    except (ValidationError, KeyError) as exc:  # KeyError: a province code without that county
        raise InvalidInput(
            field, "area_code", f"{RIC_LABEL}: '{number[:6]}' is not a known area code"
        ) from exc
    return number


def validate_gtin(value: str, field: str = "gtin") -> str:
    """Return the GTIN (8, 12, 13 or 14 digits) or raise InvalidInput naming the broken rule."""
    number = ean.compact(value or "")
    if len(number) not in (8, 12, 13, 14):
        raise InvalidInput(
            field, "length", f"GTIN: must be 8, 12, 13 or 14 digits, got {len(number)}"
        )
    if not isdigits(number):
        raise InvalidInput(field, "charset", "GTIN: must contain digits only")
    _require_check_character(number, ean.calc_check_digit(number[:-1]), field, "GTIN")
    return number


def _require_length(number: str, length: int, field: str, label: str) -> None:
    if len(number) != length:
        raise InvalidInput(
            field, "length", f"{label}: must be {length} characters, got {len(number)}"
        )


def _require_check_character(number: str, expected: str, field: str, label: str) -> None:
    if number[-1] != expected:
        raise InvalidInput(
            field,
            "check_character",
            f"{label}: check character should be '{expected}', got '{number[-1]}'",
        )
