"""Trusted websites: proof of control over a real local HTTP server, and look-alike flags."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.config import Settings
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.models.subject import DomainClaim, DomainClaimStatus, DomainFlag, Subject
from ecredit.subject.website import PROOF_PATH, normalise_domain, website_service
from tests.factories import subjects as make
from tests.factories.website import ProofServer, checking_against, closed_port

MAX_DISTANCE = 2


def _verified(
    session: Session, settings: Settings, server: ProofServer, subject: Subject, domain: str
) -> DomainClaim:
    claim, _ = website_service.claim(session, subject.id, domain, MAX_DISTANCE)
    server.content = claim.token
    return website_service.check(session, settings, claim.id)


def _flags(session: Session) -> list[tuple[str, str, str]]:
    rows = session.scalars(select(DomainFlag).order_by(DomainFlag.id))
    return [(flag.domain, flag.resembles, flag.rule) for flag in rows]


class TestNormaliseDomain:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("Shop.Example.CN", "shop.example.cn"),
            ("https://www.example.cn:8443/path?q=1", "example.cn"),
            ("example.cn.", "example.cn"),
            ("例子.中国", "例子.中国"),
        ],
    )
    def test_returns_bare_host_when_input_is_a_url_or_host(self, raw: str, expected: str) -> None:
        assert normalise_domain(raw) == expected

    @pytest.mark.parametrize(
        ("raw", "rule"),
        [
            ("localhost", "format"),
            ("not a domain", "format"),
            ("-bad-.com", "format"),
            ("shop_1.example.com", "format"),
            ("a..com", "idna"),
        ],
    )
    def test_names_field_and_rule_when_domain_garbage(self, raw: str, rule: str) -> None:
        with pytest.raises(InvalidInput) as error:
            normalise_domain(raw, "website")
        [problem] = error.value.problems
        assert (problem.field, problem.rule) == ("website", rule)


class TestProofCheck:
    def test_returns_token_when_domain_claimed(self, session: Session, vault: Vault) -> None:
        subject = make.enterprise(session, vault)
        claim, lookalikes = website_service.claim(session, subject.id, "https://Shop.CN/", 2)
        assert (claim.domain, claim.status, lookalikes) == (
            "shop.cn",
            DomainClaimStatus.CLAIMED,
            [],
        )
        assert len(claim.token) >= 20
        again, _ = website_service.claim(session, subject.id, "shop.cn", 2)
        assert (again.id, again.token) == (claim.id, claim.token)

    def test_not_found_when_claiming_for_unknown_subject(self, session: Session) -> None:
        with pytest.raises(NotFound):
            website_service.claim(session, 999_999, "shop.cn", MAX_DISTANCE)

    def test_verified_when_proof_file_holds_token(
        self,
        session: Session,
        vault: Vault,
        website_settings: Settings,
        proof_server: ProofServer,
    ) -> None:
        subject = make.enterprise(session, vault)
        claim = _verified(session, website_settings, proof_server, subject, "mingda.cn")
        assert (claim.status, claim.last_error) == (DomainClaimStatus.VERIFIED, None)
        assert claim.verified_at is not None
        assert proof_server.requests == [(PROOF_PATH, "mingda.cn")]

    @pytest.mark.parametrize(
        ("content", "reason"),
        [("someone-else's-token", "does not contain the claim token"), (None, "HTTP 404")],
        ids=["wrong-token", "missing-file"],
    )
    def test_failed_with_reason_when_proof_wrong(
        self,
        session: Session,
        vault: Vault,
        website_settings: Settings,
        proof_server: ProofServer,
        content: str | None,
        reason: str,
    ) -> None:
        subject = make.enterprise(session, vault)
        claim, _ = website_service.claim(session, subject.id, "mingda.cn", MAX_DISTANCE)
        proof_server.content = content
        checked = website_service.check(session, website_settings, claim.id)
        assert checked.status is DomainClaimStatus.FAILED
        assert checked.last_error is not None
        assert reason in checked.last_error
        assert checked.last_checked_at is not None

    def test_failed_with_reason_when_connection_refused(
        self, session: Session, vault: Vault, settings: Settings
    ) -> None:
        subject = make.enterprise(session, vault)
        claim, _ = website_service.claim(session, subject.id, "mingda.cn", MAX_DISTANCE)
        checked = website_service.check(
            session, checking_against(settings, closed_port()), claim.id
        )
        assert checked.status is DomainClaimStatus.FAILED
        assert checked.last_error == f"could not fetch {PROOF_PATH}: ConnectError"

    def test_conflict_when_domain_verified_for_another_subject(
        self,
        session: Session,
        vault: Vault,
        website_settings: Settings,
        proof_server: ProofServer,
    ) -> None:
        owner, other = make.enterprise(session, vault), make.enterprise(session, vault)
        _verified(session, website_settings, proof_server, owner, "mingda.cn")
        with pytest.raises(Conflict, match="already verified"):
            website_service.claim(session, other.id, "www.mingda.cn", MAX_DISTANCE)


class TestLookalikes:
    @pytest.fixture
    def owner(
        self,
        session: Session,
        vault: Vault,
        website_settings: Settings,
        proof_server: ProofServer,
    ) -> Subject:
        owner = make.enterprise(session, vault)
        claim = _verified(session, website_settings, proof_server, owner, "taobao.com")
        assert claim.status is DomainClaimStatus.VERIFIED
        return owner

    @pytest.mark.parametrize(
        ("domain", "rule"),
        [
            ("ta0bao.com", "homoglyph"),
            ("taobaoo.com", "edit_distance"),
            ("tаobao.com", "homoglyph"),
        ],
        ids=["digit-zero", "extra-letter", "cyrillic-a"],
    )
    def test_flags_when_other_subject_claims_lookalike(
        self, session: Session, vault: Vault, owner: Subject, domain: str, rule: str
    ) -> None:
        other = make.enterprise(session, vault)
        _claim, lookalikes = website_service.claim(session, other.id, domain, MAX_DISTANCE)
        assert [(item.resembles, item.resembles_subject_id, item.rule) for item in lookalikes] == [
            ("taobao.com", owner.id, rule)
        ]
        assert _flags(session) == [(domain, "taobao.com", rule)]

    @pytest.mark.parametrize("domain", ["ta0bao.com", "taobaoo.com", "tаobao.com"])
    def test_flags_when_anyone_reports_lookalike(
        self, session: Session, owner: Subject, domain: str
    ) -> None:
        checked, verified_owner, lookalikes = website_service.verdict(session, domain, MAX_DISTANCE)
        assert (checked, verified_owner) == (domain, None)
        assert [item.resembles for item in lookalikes] == ["taobao.com"]
        [flag] = session.scalars(select(DomainFlag)).all()
        assert (flag.domain, flag.source, flag.resembles_subject_id) == (domain, "report", owner.id)

    def test_not_flagged_when_domain_unrelated(self, session: Session, owner: Subject) -> None:
        _domain, _owner, lookalikes = website_service.verdict(session, "example.org", MAX_DISTANCE)
        assert lookalikes == []
        assert _flags(session) == []

    def test_not_flagged_when_owner_claims_own_variant(
        self, session: Session, owner: Subject
    ) -> None:
        _claim, lookalikes = website_service.claim(session, owner.id, "taobao.cn", MAX_DISTANCE)
        assert lookalikes == []
        assert _flags(session) == []

    def test_reports_owner_when_domain_is_the_verified_one(
        self, session: Session, owner: Subject
    ) -> None:
        domain, claim, lookalikes = website_service.verdict(session, "https://www.taobao.com/", 2)
        assert (domain, lookalikes) == ("taobao.com", [])
        assert claim is not None
        assert claim.subject_id == owner.id

    def test_records_flag_once_when_reported_repeatedly(
        self, session: Session, vault: Vault, owner: Subject
    ) -> None:
        for _ in range(3):
            website_service.verdict(session, "ta0bao.com", MAX_DISTANCE)
        other = make.enterprise(session, vault)
        website_service.claim(session, other.id, "ta0bao.com", MAX_DISTANCE)
        assert _flags(session) == [("ta0bao.com", "taobao.com", "homoglyph")]
        assert [f.domain for f in website_service.flags(session)] == ["ta0bao.com"]
