"""Valid, unique identifiers for the demo city: USCCs (GB 32100-2015) and resident ID numbers
(GB 11643-1999). Check characters come from python-stdnum; every code is re-validated with the
same functions the registry uses, so the demo can never hold a code the system would refuse.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.cn import ric, uscc

from ecredit.kit.errors import InvalidInput
from ecredit.kit.ids import USCC_ALPHABET, validate_ric, validate_uscc

ENTERPRISE = "91"  # registered by market regulation (9), enterprise (1)
INDIVIDUAL_BUSINESS = "92"  # registered by market regulation (9), individual business (2)
GOVERNMENT = "11"  # organ of state (1), government body (1)


def with_uscc_check(body: str) -> str:
    """Append the check character to a 17-character USCC body."""
    return body + uscc.calc_check_digit(body)


def with_ric_check(body: str) -> str:
    """Append the check character to a 17-digit resident ID body (stdnum wants 18 chars)."""
    return body + ric.calc_check_digit(body + "0")


class CodeMaker:
    """Draws codes from a seeded source and never hands out the same one twice."""

    def __init__(self, rng: random.Random, taken: set[str] | None = None) -> None:
        self.rng = rng
        self.taken: set[str] = set(taken or ())

    def uscc(self, category: str, area: str) -> str:
        """Category + area + 9-character organisation code + check character.

        Codes issued since 2015 begin their organisation code with 'MA'; older ones are the
        former organisation code, mostly digits.
        """
        while True:
            if self.rng.random() < 0.7:
                org = "MA" + "".join(self.rng.choices(USCC_ALPHABET, k=7))
            else:
                org = "".join(self.rng.choices("0123456789", k=8)) + self.rng.choice(USCC_ALPHABET)
            code = validate_uscc(with_uscc_check(f"{category}{area}{org}"))
            if code not in self.taken:
                self.taken.add(code)
                return code

    def resident_id(self, area: str, birth_years: tuple[int, int], male: bool) -> str:
        """Area + birth date + sequence (odd for men, even for women) + check character."""
        while True:
            first = date(birth_years[0], 1, 1)
            born = first + timedelta(
                days=self.rng.randrange((date(birth_years[1], 12, 31) - first).days)
            )
            sequence = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            body = f"{area}{born:%Y%m%d}{sequence:03d}"
            try:
                number = validate_ric(with_ric_check(body))
            except InvalidInput:  # an area code that did not exist in that birth year
                continue
            if number not in self.taken:
                self.taken.add(number)
                return number
