"""The staff early-warning page: warnings by level, coloured, with reasons in zh and en."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.authz.principals import Role
from ecredit.catalog.loader import load_catalog
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.record import Severity
from ecredit.warning.service import WarningService
from tests.factories import warnings as make
from tests.factories.records import beijing_today
from tests.web import factories


def _warned(db: Database, vault: Vault) -> tuple[int, int]:
    """(a high-risk merchant, an attention one) in region 2105, and users of two roles."""
    today, service = beijing_today(), WarningService(load_catalog())
    with db.unit_of_work() as session:
        factories.staff_user(session, "verifier", Role.VERIFIER)
        factories.staff_user(session, "registrar", Role.REGISTRAR)
        high = factories.enterprise(session, vault, "高风险商贸有限公司", region_code="210502")
        watched = factories.enterprise(session, vault, "关注商贸有限公司", region_code="210503")
        make.list_entry(session, high.id, "ecommerce_serious_dishonesty", today)
        make.record(session, high.id, today - timedelta(days=3), Severity.SERIOUS)
        make.list_entry(session, watched.id, "watch_list", today)
        for subject_id in (high.id, watched.id):
            service.recompute(session, subject_id)
    return high.id, watched.id


class TestWarningPage:
    def test_lists_levels_with_reasons_in_both_languages(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        high, watched = _warned(db, vault)
        factories.login(client, "verifier")
        html = client.get("/staff/warnings?region=2105").text
        assert html.index(f'id="warning-{high}"') < html.index(f'id="warning-{watched}"')
        assert 'class="badge badge-w-high" data-testid="level">高风险' in html
        assert "新列入名单：电子商务领域严重失信主体名单 × 1：50 分" in html
        assert "新增负面信用记录：严重 × 1" in html
        assert 'href="/staff/warnings"' in html  # the nav line
        only = client.get("/staff/warnings?level=attention").text
        assert f'id="warning-{watched}"' in only
        assert f'id="warning-{high}"' not in only
        english = client.get("/staff/warnings?lang=en").text
        assert "New negative credit records: Serious × 1" in english
        assert ">High risk<" in english

    def test_forbidden_without_warning_scope(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        _warned(db, vault)
        factories.login(client, "registrar")
        assert client.get("/staff/warnings").status_code == 403
