"""The public ledger page: the signed checkpoint, the public key, and checking one record."""

from __future__ import annotations

import base64
import json

from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.kit.ledger import verify_inclusion_document
from ecredit.models.record import CreditRecord
from tests.web import credit, factories


def _signed_penalty(app: FastAPI, db: Database, vault: Vault) -> tuple[CreditRecord, CreditRecord]:
    """(a public penalty, a revoked one), both covered by a signed checkpoint."""
    with db.unit_of_work() as session:
        by = credit.registrar(session)
        shop = factories.enterprise(session, vault, "本溪市明达电子商务有限公司")
        shown = credit.penalty(app, session, by, shop.id, 15, decision_no="本市监罚〔2026〕12号")
        revoked = credit.revoked_penalty(app, session, by, shop.id)
        credit.checkpoint(app, session)
    return shown, revoked


class TestLedgerPage:
    def test_shows_checkpoint_and_public_key_when_signed(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        _signed_penalty(app, db, vault)
        html = client.get("/ledger").text
        key = base64.b64encode(app.state.signer.public_key).decode()
        assert key in html
        assert app.state.signer.key_id in html
        assert "最新签名检查点" in html
        assert "北京时间" in html
        assert 'href="/ledger"' in client.get("/").text  # the nav entry

    def test_verifies_public_record_step_by_step(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        shown, _ = _signed_penalty(app, db, vault)
        response = client.get("/ledger", params={"record": str(shown.id)})
        assert response.status_code == 200
        html = response.text
        assert f"记录 #{shown.id} 已在签名账本中" in html
        assert html.count('class="check-ok"') == 3
        assert 'class="check-bad"' not in html
        for step in ("检查点签名", "叶子哈希", "审计路径"):
            assert step in html
        assert f"/ledger/records/{shown.id}/proof.json" in html

    def test_refuses_revoked_and_unknown_records(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        _, revoked = _signed_penalty(app, db, vault)
        for number in (str(revoked.id), "987654"):
            response = client.get("/ledger", params={"record": number})
            assert response.status_code == 404
            assert "未处于公示期" in response.text
            assert "ledger-verdict" not in response.text
        assert client.get("/ledger", params={"record": "abc"}).status_code == 404
        assert client.get(f"/ledger/records/{revoked.id}/proof.json").status_code == 404

    def test_refuses_record_about_natural_person(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            by = credit.registrar(session)
            person = factories.natural_person(session, vault, "王小明")
            record = credit.penalty(app, session, by, person.id, 5)
            credit.checkpoint(app, session)
        response = client.get("/ledger", params={"record": str(record.id)})
        assert response.status_code == 404
        assert "涉及自然人" in response.text
        assert client.get(f"/ledger/records/{record.id}/proof.json").status_code == 404

    def test_offers_proof_that_verifies_offline(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        shown, _ = _signed_penalty(app, db, vault)
        response = client.get(f"/ledger/records/{shown.id}/proof.json")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        document = json.loads(response.content)
        assert verify_inclusion_document(document, app.state.signer.public_key) == (
            True, "included in the signed log",
        )  # fmt: skip
        assert json.loads(document["entry"]["canonical"])["decision_no"] == "本市监罚〔2026〕12号"
        document["entry"]["canonical"] = document["entry"]["canonical"].replace("12号", "13号")
        assert not verify_inclusion_document(document, app.state.signer.public_key)[0]

    def test_explains_when_no_checkpoint_covers_record(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            by = credit.registrar(session)
            shop = factories.enterprise(session, vault, "本溪市明远物流有限公司")
            record = credit.penalty(app, session, by, shop.id, 5)
        response = client.get("/ledger", params={"record": str(record.id)})
        assert response.status_code == 404
        assert "尚未被已签署的检查点覆盖" in response.text
        assert "尚未签署检查点" in response.text
