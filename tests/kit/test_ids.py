"""Identifier validation: stdnum does the checking, our errors name the field and the rule."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from ecredit.kit.errors import InvalidInput
from ecredit.kit.ids import USCC_ALPHABET, validate_gtin, validate_ric, validate_uscc

DIGITS = "0123456789"
RIC_CHECK_CHARACTERS = DIGITS + "X"
# Area codes valid for births from 1990 on (stdnum knows when each county existed).
AREA_CODES = ["110105", "330106", "440305", "210502"]


@st.composite
def usccs(draw: st.DrawFn) -> str:
    body = draw(st.text(DIGITS, min_size=8, max_size=8)) + draw(
        st.text(USCC_ALPHABET, min_size=9, max_size=9)
    )
    return body + uscc.calc_check_digit(body)


@st.composite
def rics(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(AREA_CODES))
    born = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2010, 12, 31)))
    serial = draw(st.text(DIGITS, min_size=3, max_size=3))
    body = f"{area}{born:%Y%m%d}{serial}"
    return body + ric.calc_check_digit(body + "?")


def _ric(body17: str) -> str:
    """A number with the right check character, to reach the rules checked after it."""
    return body17 + ric.calc_check_digit(body17 + "?")


def _substituted(number: str, position: int, char: str) -> str:
    return number[:position] + char + number[position + 1 :]


def _problem(error: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, str, str]:
    problem = error.value.problems[0]
    return problem.field, problem.rule, problem.message


class TestUscc:
    @given(usccs())
    def test_accepts_when_check_character_matches(self, number: str) -> None:
        assert validate_uscc(number) == number

    def test_accepts_when_written_with_spaces_and_lowercase(self) -> None:
        assert validate_uscc(" 91110000 600037341l ".replace("l", "L")) == "91110000600037341L"

    @given(usccs(), st.integers(0, 17), st.data())
    def test_rejects_when_any_one_character_changes(
        self, number: str, position: int, data: st.DataObject
    ) -> None:
        allowed = DIGITS if position < 8 else USCC_ALPHABET
        char = data.draw(st.sampled_from(USCC_ALPHABET.replace(number[position], "")))
        changed = _substituted(number, position, char)
        with pytest.raises(InvalidInput) as error:
            validate_uscc(changed)
        field, rule, message = _problem(error)
        assert field == "uscc"
        if char not in allowed:
            assert rule == "charset"
            assert f"'{char}' at position {position + 1}" in message
        else:
            assert rule == "check_character"
            expected = uscc.calc_check_digit(changed)
            assert f"should be '{expected}', got '{changed[-1]}'" in message

    @pytest.mark.parametrize("char", ["I", "O", "S", "V", "Z", "*", "中"])
    def test_rejects_with_charset_when_letter_is_outside_alphabet(self, char: str) -> None:
        number = "91110000600037341L"
        with pytest.raises(InvalidInput) as error:
            validate_uscc(_substituted(number, 12, char), field="org.uscc")
        field, rule, message = _problem(error)
        assert (field, rule) == ("org.uscc", "charset")
        assert f"'{char}' at position 13" in message

    @pytest.mark.parametrize("value", ["", "9111000060003734", "91110000600037341LX"])
    def test_rejects_with_length_when_not_18_characters(self, value: str) -> None:
        with pytest.raises(InvalidInput) as error:
            validate_uscc(value)
        field, rule, message = _problem(error)
        assert (field, rule) == ("uscc", "length")
        assert f"got {len(value)}" in message

    @pytest.mark.parametrize("char", ["٣", "²"])
    def test_rejects_with_charset_when_digit_is_not_ascii(self, char: str) -> None:
        with pytest.raises(InvalidInput) as error:
            validate_uscc(_substituted("91110000600037341L", 2, char))
        _, rule, message = _problem(error)
        assert rule == "charset"
        assert f"got '{char}' at position 3" in message

    def test_returns_ascii_when_written_in_fullwidth_digits(self) -> None:
        assert validate_uscc("９１１１００００600037341L") == "91110000600037341L"

    @given(st.text(max_size=25))
    def test_raises_only_invalid_input_when_given_any_text(self, value: str) -> None:
        try:
            result = validate_uscc(value)
        except InvalidInput:
            return
        assert result.isascii()


class TestResidentIdentityNumber:
    @given(rics())
    def test_accepts_when_area_date_and_check_character_are_valid(self, number: str) -> None:
        assert validate_ric(number) == number

    def test_accepts_lowercase_x_when_check_character_is_ten(self) -> None:
        assert validate_ric("11010519491231002x") == "11010519491231002X"

    @given(rics(), st.integers(0, 17), st.data())
    def test_rejects_when_any_one_character_changes(
        self, number: str, position: int, data: st.DataObject
    ) -> None:
        char = data.draw(st.sampled_from(RIC_CHECK_CHARACTERS.replace(number[position], "")))
        changed = _substituted(number, position, char)
        with pytest.raises(InvalidInput) as error:
            validate_ric(changed)
        field, rule, message = _problem(error)
        assert field == "id_number"
        if position < 17 and char == "X":
            assert rule == "charset"
            assert f"got 'X' at position {position + 1}" in message
        else:
            assert rule == "check_character"
            expected = ric.calc_check_digit(changed)
            assert f"should be '{expected}', got '{changed[-1]}'" in message

    def test_rejects_with_length_when_17_characters(self) -> None:
        with pytest.raises(InvalidInput) as error:
            validate_ric("11010519491231002", field="person.id_number")
        field, rule, message = _problem(error)
        assert (field, rule) == ("person.id_number", "length")
        assert "must be 18 characters, got 17" in message

    @pytest.mark.parametrize("body", ["110105199002301", "110105199013011", "110105199000001"])
    def test_rejects_with_birth_date_when_date_does_not_exist(self, body: str) -> None:
        number = _ric(body + "23")
        with pytest.raises(InvalidInput) as error:
            validate_ric(number)
        field, rule, message = _problem(error)
        assert (field, rule) == ("id_number", "birth_date")
        assert f"'{number[6:14]}'" in message

    # 990000: no such province; 110199: Beijing has no county 99 (stdnum raises KeyError there).
    @pytest.mark.parametrize("area", ["990000", "110199"])
    def test_rejects_with_area_code_when_area_is_unknown(self, area: str) -> None:
        number = _ric(f"{area}19900101123")
        with pytest.raises(InvalidInput) as error:
            validate_ric(number)
        field, rule, message = _problem(error)
        assert (field, rule) == ("id_number", "area_code")
        assert f"'{area}'" in message

    @pytest.mark.parametrize("char", ["٣", "²"])
    def test_rejects_with_charset_when_digit_is_not_ascii(self, char: str) -> None:
        with pytest.raises(InvalidInput) as error:
            validate_ric(_substituted("11010519491231002X", 4, char))
        _, rule, message = _problem(error)
        assert rule == "charset"
        assert f"got '{char}' at position 5" in message

    @given(st.text(max_size=25))
    def test_raises_only_invalid_input_when_given_any_text(self, value: str) -> None:
        try:
            result = validate_ric(value)
        except InvalidInput:
            return
        assert result.isascii()


class TestGtin:
    @pytest.mark.parametrize(
        "value", ["96385074", "036000291452", "4006381333931", "10036000291459"]
    )
    def test_accepts_when_check_digit_matches(self, value: str) -> None:
        assert validate_gtin(value) == value

    def test_rejects_with_check_character_naming_expected_digit(self) -> None:
        with pytest.raises(InvalidInput) as error:
            validate_gtin("4006381333932", field="product.gtin")
        field, rule, message = _problem(error)
        assert (field, rule) == ("product.gtin", "check_character")
        assert "should be '1', got '2'" in message

    def test_returns_ascii_when_written_in_fullwidth_digits(self) -> None:
        assert validate_gtin("４００６３８１３３３９３１") == "4006381333931"

    @given(st.text(max_size=16))
    def test_raises_only_invalid_input_when_given_any_text(self, value: str) -> None:
        try:
            result = validate_gtin(value)
        except InvalidInput:
            return
        assert result.isascii()

    @pytest.mark.parametrize("value", ["1234567", "12345678901", "123456789012345"])
    def test_rejects_with_length_when_not_a_gtin_length(self, value: str) -> None:
        with pytest.raises(InvalidInput) as error:
            validate_gtin(value)
        assert _problem(error)[1] == "length"

    @pytest.mark.parametrize("value", ["40063813339A1", "400638133٣931"])
    def test_rejects_with_charset_when_not_ascii_digits(self, value: str) -> None:
        with pytest.raises(InvalidInput) as error:
            validate_gtin(value)
        assert _problem(error)[1] == "charset"
