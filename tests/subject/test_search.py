"""Ranked registry search: exact code, name, pinyin, initials, fuzzy; ID numbers only if allowed."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from ecredit.kit.crypto import Vault
from ecredit.kit.errors import InvalidInput
from ecredit.models.subject import Subject
from ecredit.subject.search import search
from tests.factories import subjects as make

MINGDA = "本溪市明达电子商务有限公司"


def _names(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [hit.subject.name for hit in hits]


def _register(session: Session, vault: Vault, *names: str) -> list[Subject]:
    return [make.enterprise(session, vault, name=name) for name in names]


class TestSearch:
    def test_single_code_hit_when_query_is_exact_uscc(self, session: Session, vault: Vault) -> None:
        code = make.uscc_number()
        [target, _other] = [
            make.enterprise(session, vault, name=MINGDA, uscc=code),
            make.enterprise(session, vault, name=f"{code}贸易"),
        ]
        hits = search(session, vault, f" {code.lower()} ")
        assert [(hit.subject.id, hit.matched_by, hit.score) for hit in hits] == [
            (target.id, "code", 100.0)
        ]

    def test_finds_name_when_query_is_substring(self, session: Session, vault: Vault) -> None:
        _register(session, vault, MINGDA, "沈阳市华北物流有限公司")
        hits = search(session, vault, "明达电子")
        assert _names(hits) == [MINGDA]
        assert hits[0].matched_by == "name"

    @pytest.mark.parametrize(
        ("query", "matched_by"),
        [("bxsmd", "initials"), ("BXSMD", "initials"), ("mingda", "pinyin"), ("ming da", "pinyin")],
    )
    def test_finds_name_when_query_is_pinyin(
        self, session: Session, vault: Vault, query: str, matched_by: str
    ) -> None:
        _register(session, vault, MINGDA, "沈阳市华北物流有限公司")
        hits = search(session, vault, query)
        assert _names(hits) == [MINGDA]
        assert hits[0].matched_by == matched_by

    def test_finds_name_when_query_has_a_typo(self, session: Session, vault: Vault) -> None:
        _register(session, vault, MINGDA, "沈阳市华北物流有限公司")
        hits = search(session, vault, "本溪市明达电子商物有限公司")
        assert _names(hits) == [MINGDA]
        assert hits[0].matched_by == "fuzzy"
        assert hits[0].score <= 75

    def test_no_fuzzy_hit_when_below_min_score(self, session: Session, vault: Vault) -> None:
        _register(session, vault, MINGDA)
        assert search(session, vault, "本溪市明达电子商物有限公司", fuzzy_min_score=99) == []

    def test_ranks_exact_prefix_contains_fuzzy_when_chinese_query(
        self, session: Session, vault: Vault
    ) -> None:
        names = ["本溪市明达电子商务", "明达电子商务", "明达电子商务有限公司", "明达电子商店"]
        _register(session, vault, *reversed(names))
        hits = search(session, vault, "明达电子商务")
        assert [(h.subject.name, h.matched_by) for h in hits] == [
            ("明达电子商务", "name"),
            ("明达电子商务有限公司", "name"),
            ("本溪市明达电子商务", "name"),
            ("明达电子商店", "fuzzy"),
        ]
        assert [h.score for h in hits][:3] == [98.0, 95.0, 90.0]

    def test_ranks_name_before_initials_before_pinyin_when_latin_query(
        self, session: Session, vault: Vault
    ) -> None:
        # "mdkj": exact name, name prefix, name contains, initials prefix, initials contain.
        names = ["mdkj", "mdkj商行", "上海mdkj", "明达科技", "北京明达科技"]
        _register(session, vault, *reversed(names))
        hits = search(session, vault, "mdkj")
        assert _names(hits) == names
        assert [h.score for h in hits] == [98.0, 95.0, 90.0, 85.0, 80.0]
        assert [h.matched_by for h in hits][3:] == ["initials", "initials"]

    def test_finds_person_by_id_number_only_when_allowed(
        self, session: Session, vault: Vault
    ) -> None:
        number = make.id_number()
        person = make.natural_person(session, vault, id_number=number)
        assert search(session, vault, number) == []
        [hit] = search(session, vault, number, allow_id_number=True)
        assert (hit.subject.id, hit.matched_by) == (person.id, "code")

    def test_limits_hits_when_many_match(self, session: Session, vault: Vault) -> None:
        _register(session, vault, *(f"明达分公司{i}" for i in range(5)))
        assert len(search(session, vault, "明达", limit=3)) == 3

    @pytest.mark.parametrize("query", ["", "明", "  a  "])
    def test_refuses_when_query_shorter_than_two_characters(
        self, session: Session, vault: Vault, query: str
    ) -> None:
        with pytest.raises(InvalidInput) as error:
            search(session, vault, query)
        problem = error.value.problems[0]
        assert (problem.field, problem.rule) == ("q", "min_length")
