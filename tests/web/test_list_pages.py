"""Public red and black list pages: the kinds, and a list's entries with search, filters and
pages, each linking to the subject page; private lists and bad filters answered properly."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.listing import ListStatus
from ecredit.models.subject import MerchantForm, SubjectKind
from ecredit.subject.schemas import SubjectCreate
from ecredit.subject.service import subject_service
from tests.factories import lists as list_factory
from tests.web import factories
from tests.web import standing as st


def _city(app: FastAPI, db: Database, vault: Vault, merchants: int = 23) -> dict[str, int | str]:
    """`merchants` listed enterprises in region 210502, one in 210521 and one natural person."""
    st.on_day(app)
    service = st.listing(app)
    ids: dict[str, int | str] = {}
    with db.unit_of_work() as session:
        for n in range(merchants):
            shop = factories.enterprise(session, vault, f"本溪市第{n:02d}号贸易有限公司",
                                        region_code="210502")  # fmt: skip
            list_factory.entry_in(session, service, shop.id, ListStatus.EFFECTIVE)
        far = factories.enterprise(session, vault, "桓仁县明月山货商行有限公司",
                                   region_code="210521")  # fmt: skip
        list_factory.entry_in(session, service, far.id, ListStatus.PUBLICISED)
        person = subject_service.register(session, vault, SubjectCreate(
            kind=SubjectKind.MERCHANT, merchant_form=MerchantForm.NATURAL_PERSON,
            name="张小明", id_number=factories.new_id_number(), region_code="210502",
        ), factories.SYSTEM)  # fmt: skip
        list_factory.entry_in(session, service, person.id, ListStatus.EFFECTIVE)
        hidden = factories.enterprise(session, vault, "本溪市未公示商贸有限公司")
        list_factory.entry_in(session, service, hidden.id, ListStatus.UNDER_REVIEW)
        ids |= {"far": far.id, "person": person.id, "hidden": hidden.id}
        ids["far_code"] = far.uscc or ""
    return ids


class TestListKinds:
    def test_lists_public_kinds_only(self, client: TestClient) -> None:
        html = client.get("/lists").text
        assert 'data-testid="kind-ecommerce_serious_dishonesty"' in html
        assert 'data-testid="kind-honest_merchant_redlist"' in html
        assert "watch_list" not in html

    def test_answers_404_when_list_is_private_or_unknown(self, client: TestClient) -> None:
        assert client.get("/lists/watch_list").status_code == 404
        assert client.get("/lists/nope").status_code == 404


class TestListEntries:
    def test_pages_through_shown_entries_only(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        ids = _city(app, db, vault)
        first = client.get(f"/lists/{st.BLACK}").text
        assert "共 25 条" in first
        assert first.count('data-testid="entry-') == 20
        assert "第 1 / 2 页" in first
        second = client.get(f"/lists/{st.BLACK}?page=2").text
        assert second.count('data-testid="entry-') == 5
        assert f'href="/subjects/{ids["far"]}"' in first + second
        assert f'/subjects/{ids["hidden"]}"' not in first + second

    def test_finds_entries_by_name_code_and_pinyin(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        ids = _city(app, db, vault, merchants=3)
        link = f'href="/subjects/{ids["far"]}"'
        for q in ("明月山货", str(ids["far_code"]), "huanren", "hrxmysh"):
            html = client.get(f"/lists/{st.BLACK}", params={"q": q}).text
            assert "共 1 条" in html, q
            assert link in html, q

    def test_filters_by_region_and_subject_kind(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        ids = _city(app, db, vault, merchants=3)
        html = client.get(f"/lists/{st.BLACK}?region=210521").text
        assert "共 1 条" in html
        assert f'/subjects/{ids["far"]}"' in html
        html = client.get(f"/lists/{st.BLACK}?region=210502&subject_kind=merchant").text
        assert "共 4 条" in html

    def test_masks_natural_person_names(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        ids = _city(app, db, vault, merchants=1)
        html = client.get(f"/lists/{st.BLACK}").text
        assert f'/subjects/{ids["person"]}"' in html
        assert "张小明" not in html

    def test_names_bad_filter_at_its_field(self, client: TestClient) -> None:
        response = client.get(f"/lists/{st.BLACK}?region=abc&subject_kind=robot")
        assert response.status_code == 422
        assert "行政区划代码应为 2 至 6 位数字" in response.text
        assert "未知的主体类型" in response.text
