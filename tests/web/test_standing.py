"""The public subject page tells a subject's standing: grade with its explanation, list
memberships and measures — and tells the right story as an entry is publicised, takes effect
and is removed after a granted repair (the repaired record hidden too)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.listing import ListStatus
from ecredit.models.record import Severity
from tests.factories import records as rec
from tests.web import factories
from tests.web import standing as st

NAME = "本溪市恒通商贸有限公司"


def _memberships(html: str) -> str:
    start = html.index('data-testid="memberships"')
    return html[start : html.index("</section>", start)]


class TestGrade:
    def test_shows_grade_score_and_explanation_when_evaluated(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        st.on_day(app)
        with db.unit_of_work() as session:
            shop = factories.enterprise(session, vault, NAME)
            record = st.records(app).submit(
                session,
                rec.penalty(shop.id, st.DAY - st.days(30)),
                factories.staff_user(session, "registrar", factories.Role.REGISTRAR),
            )
            record_id = record.id
            evaluation = st.evaluate(app, session, shop.id)
            shop_id, score, grade_value = shop.id, evaluation.score, evaluation.grade.value
        html = client.get(f"/subjects/{shop_id}").text
        grade = html[html.index('data-testid="grade"') :]
        assert f'data-testid="grade-score">{score}<' in grade
        assert f">{grade_value}</span>" in grade
        assert "信用评价" in grade
        assert "基础分" in grade
        assert "总分" in grade
        assert f"评价日 {st.DAY.isoformat()}" in grade
        explanation = grade[grade.index('data-testid="grade-explanation"') :]
        assert "data-dimension=" in explanation
        # counts and points only: the record's id is never named by the explanation
        assert f"#{record_id}" not in explanation[: explanation.index("</table>")]

    def test_says_not_evaluated_when_no_evaluation(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            shop = factories.enterprise(session, vault, NAME)
        assert "该主体尚未进行信用评价" in client.get(f"/subjects/{shop.id}").text

    def test_explains_in_english_when_asked(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        st.on_day(app)
        with db.unit_of_work() as session:
            shop = factories.enterprise(session, vault, NAME)
            shop_id = shop.id
            st.evaluate(app, session, shop_id)
        html = client.get(f"/subjects/{shop_id}?lang=en").text
        assert "Credit evaluation" in html
        assert "Base score" in html
        assert "Not on a red or black list" in html


class TestMemberships:
    def test_hides_watch_list_and_shows_public_lists(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        st.on_day(app)
        with db.unit_of_work() as session:
            by = st.decider(session)
            shop = factories.enterprise(session, vault, NAME)
            watch = st.propose(app, session, shop.id, "watch_list")
            st.walk(app, session, watch, by, ListStatus.UNDER_REVIEW, ListStatus.PUBLICISED)
        section = _memberships(client.get(f"/subjects/{shop.id}").text)
        assert "重点关注" not in section
        assert 'data-testid="no-membership"' in section


class TestStory:
    def test_tells_publicised_then_listed_then_removed_after_repair(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        clock = st.on_day(app)
        ids = _publicised(app, db, vault)
        shop_id, entry_id, until = ids["shop"], ids["entry"], ids["until"]
        # 1. publicised: 公示中 with the objection deadline, on the page and the black list
        section = _memberships(client.get(f"/subjects/{shop_id}").text)
        assert 'data-status="publicised"' in section
        assert "公示中" in section
        assert f"异议截止 {until}" in section
        assert f'data-testid="entry-{entry_id}"' in client.get(f"/lists/{st.BLACK}").text
        # 2. effective after publicity: 已列入 with since / valid until, measures shown
        st.move_to(clock, date.fromisoformat(until) + st.days(1))
        with db.unit_of_work() as session:
            entry = st.walk(app, session, st.listing(app).get(session, entry_id),
                            st.decider(session, "decider2"), ListStatus.EFFECTIVE)  # fmt: skip
            valid_until = entry.valid_until
        page = client.get(f"/subjects/{shop_id}").text
        section = _memberships(page)
        assert 'data-status="effective"' in section
        assert "已列入" in section
        assert "公示中" not in section
        assert valid_until is not None
        assert valid_until.isoformat() in section
        assert "提高监管频次" in page[page.index('data-testid="measures"') :]
        # 3. the subject files repairs (the listing and the record); staff grant them
        _repair_both(client, ids)
        # 4. no longer listed, the repaired record hidden, gone from the black list
        page = client.get(f"/subjects/{shop_id}").text
        assert 'data-testid="no-membership"' in _memberships(page)
        assert "本市监罚〔2025〕321号" not in page
        assert f'data-testid="entry-{entry_id}"' not in client.get(f"/lists/{st.BLACK}").text


def _publicised(app: FastAPI, db: Database, vault: Vault) -> dict[str, Any]:
    """A merchant with a general penalty and a black-list entry publicised on its basis."""
    with db.unit_of_work() as session:
        by = st.decider(session)
        registrar = factories.staff_user(session, "registrar", factories.Role.REGISTRAR)
        shop = factories.enterprise(session, vault, NAME)
        data = rec.penalty(shop.id, st.DAY - st.days(150), severity=Severity.GENERAL,
                           decision_no="本市监罚〔2025〕321号")  # fmt: skip
        record = st.records(app).submit(session, data, registrar)
        entry = st.propose(app, session, shop.id, source=record.id)
        entry = st.walk(app, session, entry, by, ListStatus.UNDER_REVIEW, ListStatus.PUBLICISED)
        assert entry.publicity_until is not None
        return {"shop": shop.id, "uscc": shop.uscc, "entry": entry.id, "record": record.id,
                "until": entry.publicity_until.isoformat()}  # fmt: skip


def _repair_both(client: TestClient, ids: dict[str, Any]) -> None:
    """The subject files a repair of the listing and of the record; the decider grants both."""
    for target in (f"list_entry:{ids['entry']}", f"record:{ids['record']}"):
        form = _filing(client, ids["shop"], target=target, identifier=ids["uscc"] or "")
        response = client.post(f"/subjects/{ids['shop']}/cases/new", data=form)
        assert response.status_code == 201, response.text
    factories.login(client, "decider")
    for case_id in _case_ids(client):
        _staff_post(client, f"/staff/cases/{case_id}/acknowledge", {})
        _staff_post(client, f"/staff/cases/{case_id}/decision",
                    {"decision": "granted", "reason": "已整改到位，准予修复"})  # fmt: skip


def _filing(client: TestClient, subject_id: int, **values: str) -> dict[str, str]:
    token = factories.csrf_token(client, f"/subjects/{subject_id}/cases/new")
    return {"kind": "repair", "grounds": "已缴清罚款并完成整改，申请信用修复",
            "contact_name": "王经理", "contact_phone": "13900001111",
            "evidence_refs": "缴款凭证-001", "csrf_token": token, **values}  # fmt: skip


def _case_ids(client: TestClient) -> list[int]:
    html = client.get("/staff/cases").text
    return [int(n) for n in re.findall(r'id="case-(\d+)"', html)]


def _staff_post(client: TestClient, path: str, form: dict[str, str]) -> None:
    token = factories.csrf_token(client, "/staff/cases")
    response = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
