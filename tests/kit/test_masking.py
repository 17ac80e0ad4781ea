"""The one masking function for personal data on public views."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecredit.kit.masking import PersonalField, mask


class TestMask:
    @pytest.mark.parametrize(
        ("kind", "value", "masked"),
        [
            (PersonalField.ID_NUMBER, "11010519491231002X", "1101**********002X"),
            (PersonalField.PHONE, "13800138000", "138****8000"),
            (PersonalField.PERSON_NAME, "张三", "张*"),
            (PersonalField.PERSON_NAME, "张三丰", "张**"),
            (PersonalField.PERSON_NAME, "欧阳娜娜", "欧阳**"),
            (PersonalField.EMAIL, "zhangsan@example.cn", "z***@example.cn"),
        ],
    )
    def test_keeps_only_recognisable_part_when_masking(
        self, kind: PersonalField, value: str, masked: str
    ) -> None:
        assert mask(kind, value) == masked

    @pytest.mark.parametrize("kind", list(PersonalField))
    def test_passes_through_when_empty(self, kind: PersonalField) -> None:
        assert mask(kind, None) is None
        assert mask(kind, "") == ""

    def test_hides_everything_when_value_too_short_to_keep_ends(self) -> None:
        assert mask(PersonalField.PHONE, "1234567") == "*******"
        assert mask(PersonalField.ID_NUMBER, "12345678") == "********"

    @given(st.text(st.characters(categories=["Nd"]), min_size=9, max_size=20))
    def test_hides_birth_date_when_masking_any_id_number(self, value: str) -> None:
        masked = mask(PersonalField.ID_NUMBER, value)
        assert masked is not None
        assert len(masked) == len(value)
        assert masked[4:-4] == "*" * (len(value) - 8)
        assert (masked[:4], masked[-4:]) == (value[:4], value[-4:])
