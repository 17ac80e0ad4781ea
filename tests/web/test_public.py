"""The public query window: search, public subject pages, the website check, languages."""

from __future__ import annotations

from starlette.testclient import TestClient

from ecredit.authz.principals import Role
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.subject import DomainClaimStatus
from ecredit.subject.website import website_service
from tests.web import factories


class TestSearchPage:
    def test_finds_merchant_when_query_is_pinyin_initials(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            factories.enterprise(session, vault, "本溪市明达电子商务有限公司")
            factories.enterprise(session, vault, "本溪市明远物流有限公司")
        response = client.get("/search", params={"q": "bxsmd"})
        assert response.status_code == 200
        assert "本溪市明达电子商务有限公司" in response.text
        assert "本溪市明远物流有限公司" not in response.text
        assert "拼音首字母" in response.text  # the matched_by label

    def test_ranks_prefix_above_substring_when_both_match(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            inner = factories.enterprise(session, vault, "本溪市明达电子商务有限公司")
            prefix = factories.enterprise(session, vault, "明达科技有限公司")
        html = client.get("/search", params={"q": "明达"}).text
        assert html.index(f'href="/subjects/{prefix.id}"') < html.index(
            f'href="/subjects/{inner.id}"'
        )

    def test_shows_friendly_message_when_query_too_short(self, client: TestClient) -> None:
        response = client.get("/search", params={"q": "a"})
        assert response.status_code == 422
        assert "请至少输入 2 个字符" in response.text

    def test_shows_friendly_message_when_query_empty(self, client: TestClient) -> None:
        response = client.get("/search")
        assert response.status_code == 422
        assert 'role="alert"' in response.text

    def test_shows_placeholder_when_home_page_opened(self, client: TestClient) -> None:
        html = client.get("/").text
        assert 'name="q"' in html
        assert "输入企业名称、统一社会信用代码或拼音首字母" in html


class TestPublicSubjectPage:
    def test_masks_personal_data_when_merchant_is_natural_person(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        id_number = factories.new_id_number()
        with db.unit_of_work() as session:
            person = factories.natural_person(
                session, vault, "王小明", id_number=id_number, phone="13812345678",
                legal_representative="王小明",
            )  # fmt: skip
        html = client.get(f"/subjects/{person.id}").text
        for plaintext in (id_number, "13812345678", "王小明", id_number[4:14]):
            assert plaintext not in html
        assert f"{id_number[:4]}{'*' * 10}{id_number[-4:]}" in html
        assert "王**" in html

    def test_masks_personal_name_in_results_when_merchant_is_natural_person(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            factories.natural_person(session, vault, "李晓红")
        html = client.get("/search", params={"q": "李晓红"}).text
        assert "李晓红" not in html.replace('value="李晓红"', "")  # the query box echoes it
        assert "李**" in html

    def test_shows_verification_mark_when_subject_verified(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            verifier = factories.staff_user(session, "verifier", Role.VERIFIER)
            shop_owner = factories.enterprise(session, vault, "本溪市明达电子商务有限公司")
            factories.verified(session, shop_owner, verifier)
        html = client.get(f"/subjects/{shop_owner.id}").text
        assert "已实名认证" in html
        assert "营业执照核验" in html
        assert factories.REGULATOR in html

    def test_shows_not_verified_when_subject_unverified(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            subject = factories.enterprise(session, vault, "本溪市明远物流有限公司")
        html = client.get(f"/subjects/{subject.id}").text
        assert "未认证" in html
        assert "已实名认证" not in html

    def test_answers_404_page_when_subject_unknown(self, client: TestClient) -> None:
        response = client.get("/subjects/987654")
        assert response.status_code == 404
        assert "页面不存在" in response.text


class TestLanguageSwitch:
    def test_shows_english_labels_when_lang_is_en(self, client: TestClient) -> None:
        assert "信用查询" in client.get("/").text
        english = client.get("/", params={"lang": "en"})
        assert "Credit query" in english.text
        assert "信用查询" not in english.text
        assert english.cookies.get("lang") == "en"

    def test_keeps_english_when_cookie_set(self, client: TestClient) -> None:
        client.get("/", params={"lang": "en"})
        assert "Search" in client.get("/search", params={"q": "ab"}).text


class TestVerifySite:
    def test_warns_when_domain_imitates_verified_site(
        self, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            owner = factories.enterprise(session, vault, "本溪市明达电子商务有限公司")
            claim, _ = website_service.claim(session, owner.id, "mingda.cn", max_distance=1)
            claim.status = DomainClaimStatus.VERIFIED  # the proof fetch is tested elsewhere
        token = factories.csrf_token(client, "/verify-site")
        response = client.post("/verify-site", data={"domain": "m1ngda.cn", "csrf_token": token})
        assert response.status_code == 200
        assert "仿冒" in response.text
        assert "mingda.cn" in response.text

    def test_shows_message_when_domain_malformed(self, client: TestClient) -> None:
        token = factories.csrf_token(client, "/verify-site")
        response = client.post("/verify-site", data={"domain": "not a domain", "csrf_token": token})
        assert response.status_code == 422
        assert "is not a" in response.text
