"""The ledger's HTTP routes, and the offline check of what they serve with the key they serve."""

from __future__ import annotations

import base64
from typing import Any

from ecredit.authz.principals import Scope
from ecredit.kit.ledger import verify_consistency_document, verify_inclusion_document
from ecredit.ledger.service import Signer
from tests.factories import subjects
from tests.factories.api import Api
from tests.ledger.support import Ledgered

PUBLIC = "/api/v1/public"


def writer(api: Api) -> Ledgered:
    """Records written and checkpoints signed with the running app's own key."""
    signer: Signer = api.app.state.signer
    return Ledgered(api.vault, signer)


def served_key(api: Api) -> bytes:
    answer = api.client.get(f"{PUBLIC}/ledger/public-key")
    assert answer.status_code == 200
    body: dict[str, str] = answer.json()
    assert body["algorithm"] == "ed25519"
    return base64.b64decode(body["public_key"])


def seeded(api: Api) -> tuple[list[int], int]:
    """Three records, a checkpoint, a fourth revoked record, a second checkpoint:
    (record ids, the revoked one)."""
    ledgered = writer(api)
    with api.db.unit_of_work() as session:
        ids = [record.id for record in ledgered.submit(session, 3)]
        ledgered.checkpoint(session)
        revoked = ledgered.submit(session, 1)[0].id
        ledgered.revoke(session, revoked)
        ledgered.checkpoint(session)
    return ids, revoked


class TestInclusionRoute:
    def test_serves_proof_that_verifies_offline_when_key_may_read_records(self, api: Api) -> None:
        ids, _ = seeded(api)
        headers = api.headers(Scope.RECORD_READ)

        for record_id in ids:
            answer = api.client.get(f"/api/v1/ledger/records/{record_id}/proof", headers=headers)
            assert answer.status_code == 200, answer.text
            document: dict[str, Any] = answer.json()
            assert document["record_id"] == record_id
            assert verify_inclusion_document(document, served_key(api))[0]

    def test_answers_401_when_no_key_is_given(self, api: Api) -> None:
        ids, _ = seeded(api)
        assert api.client.get(f"/api/v1/ledger/records/{ids[0]}/proof").status_code == 401

    def test_answers_409_when_no_checkpoint_covers_the_record_yet(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            record_id = writer(api).submit(session, 1)[0].id
        answer = api.client.get(
            f"/api/v1/ledger/records/{record_id}/proof", headers=api.headers(Scope.RECORD_READ)
        )
        assert answer.status_code == 409
        assert "not covered by a signed checkpoint" in answer.text


class TestPublicRoutes:
    def test_serves_public_proof_that_verifies_when_record_is_on_display(self, api: Api) -> None:
        ids, _ = seeded(api)

        answer = api.client.get(f"{PUBLIC}/records/{ids[1]}/proof")

        assert answer.status_code == 200, answer.text
        assert verify_inclusion_document(answer.json(), served_key(api)) == (
            True, "included in the signed log",
        )  # fmt: skip

    def test_answers_404_when_record_is_not_on_public_display(self, api: Api) -> None:
        _, revoked = seeded(api)
        answer = api.client.get(f"{PUBLIC}/records/{revoked}/proof")
        assert answer.status_code == 404
        assert "not on public display" in answer.text

    def test_answers_404_when_record_concerns_a_natural_person(self, api: Api) -> None:
        ledgered = writer(api)
        with api.db.unit_of_work() as session:
            ledgered.subject_id = subjects.natural_person(session, api.vault).id
            record = ledgered.submit(session, 1)[0]
            ledgered.checkpoint(session)

        answer = api.client.get(f"{PUBLIC}/records/{record.id}/proof")

        assert answer.status_code == 404
        assert "natural person" in answer.text

    def test_serves_latest_checkpoint_and_consistency_that_verify_with_served_key(
        self, api: Api
    ) -> None:
        seeded(api)
        latest = api.client.get(f"{PUBLIC}/ledger/checkpoints/latest").json()
        first = api.client.get(f"{PUBLIC}/ledger/checkpoints/{latest['id'] - 1}").json()
        assert (first["tree_size"], latest["tree_size"]) == (3, 5)
        assert latest["key_id"] == writer(api).signer.key_id

        answer = api.client.get(
            f"{PUBLIC}/ledger/consistency", params={"old": first["id"], "new": latest["id"]}
        )

        assert answer.status_code == 200, answer.text
        document = answer.json()
        assert (document["old"], document["new"]) == (first, latest)
        assert verify_consistency_document(document, served_key(api))[0]
        assert not verify_consistency_document(document, bytes(32))[0]

    def test_answers_404_when_no_checkpoint_was_signed(self, api: Api) -> None:
        assert api.client.get(f"{PUBLIC}/ledger/checkpoints/latest").status_code == 404

    def test_answers_409_when_consistency_is_asked_backwards(self, api: Api) -> None:
        seeded(api)
        latest = api.client.get(f"{PUBLIC}/ledger/checkpoints/latest").json()
        answer = api.client.get(
            f"{PUBLIC}/ledger/consistency", params={"old": latest["id"], "new": latest["id"] - 1}
        )
        assert answer.status_code == 409
