"""Portal forms that check a secret answer guessing with a 429 page naming the rule, Chinese
first with English on request, and Retry-After: the staff login (per user name and per
address) and the subject's own filing (per subject), on the database's counters."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.parameters.registry import SPECS
from ecredit.parameters.service import parameter_service
from tests.factories import records as rec
from tests.web import factories
from tests.web import standing as st

LIMIT = SPECS["throttle.failures_per_target"].default
LOCKOUT = timedelta(minutes=SPECS["throttle.lockout_minutes"].default)


def _login(client: TestClient, username: str, password: str, lang: str = "") -> httpx.Response:
    form = {"username": username, "password": password, "csrf_token": factories.csrf_token(client)}
    url = f"/staff/login?lang={lang}" if lang else "/staff/login"
    return client.post(url, data=form, follow_redirects=False)


class TestStaffLogin:
    def test_locked_for_user_name_with_rule_in_chinese_when_passwords_keep_failing(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        clock = st.on_day(app)
        with db.unit_of_work() as session:
            factories.staff_user(session, "registrar", factories.Role.REGISTRAR)
            factories.staff_user(session, "viewer", factories.Role.REGISTRAR)
        codes = [_login(client, "registrar", f"guess-{i}").status_code for i in range(LIMIT)]
        assert codes == [401] * LIMIT
        locked = _login(client, "registrar", factories.PASSWORD)
        assert (locked.status_code, locked.headers["Retry-After"]) == (429, "1800")
        assert "该用户名在 15 分钟内登录失败 5 次，暂停登录，请 30 分钟后再试。" in locked.text
        english = _login(client, "registrar", factories.PASSWORD, lang="en")
        assert "failed 5 times within 15 minutes; locked, try again in 30 minutes" in english.text
        assert _login(client, "viewer", factories.PASSWORD).status_code == 303
        clock.advance(LOCKOUT)
        assert _login(client, "registrar", factories.PASSWORD).status_code == 303

    def test_locked_for_address_when_many_user_names_fail(
        self, app: FastAPI, client: TestClient, db: Database
    ) -> None:
        st.on_day(app)
        with db.unit_of_work() as session:
            parameter_service.set(session, "throttle.failures_per_address", 3, "test")
        codes = [_login(client, f"nobody-{i}", "guess").status_code for i in range(4)]
        assert codes == [401, 401, 401, 429]
        assert "您所在网络地址的核验在 15 分钟内已失败 3 次" in _login(client, "x", "y").text


class TestSubjectFiling:
    def test_refused_with_rule_at_identifier_when_codes_keep_failing(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        clock = st.on_day(app)
        with db.unit_of_work() as session:
            shop = factories.enterprise(session, vault, "本溪市恒通商贸有限公司")
            by = factories.staff_user(session, "registrar", factories.Role.REGISTRAR)
            record = st.records(app).submit(session, rec.penalty(shop.id, st.DAY - st.days(10)), by)
            subject_id, uscc, record_id = shop.id, shop.uscc or "", record.id
        url = f"/subjects/{subject_id}/cases/new"

        def file(identifier: str) -> httpx.Response:
            form = {"kind": "objection", "grounds": "处罚金额计算有误，应为三千元",
                    "contact_name": "王经理", "contact_phone": "13900001111",
                    "target": f"record:{record_id}", "identifier": identifier,
                    "csrf_token": factories.csrf_token(client, url)}  # fmt: skip
            return client.post(url, data=form)

        assert [file(factories.new_uscc()).status_code for _ in range(LIMIT)] == [403] * LIMIT
        locked = file(uscc)
        assert (locked.status_code, locked.headers["Retry-After"]) == (429, "1800")
        assert 'id="error-identifier"' in locked.text
        assert "身份核验在 15 分钟内已失败 5 次，暂停核验，请 30 分钟后再试。" in locked.text
        clock.advance(LOCKOUT)
        assert file(uscc).status_code == 201
