"""Trusted websites (可信网站): a merchant proves it controls a domain; look-alikes are flagged.

Proof: the merchant serves its claim token at `<scheme>://<domain>/.well-known/ecredit-verify.txt`.
Look-alike: a domain whose homoglyph-folded form equals a verified domain's (ta0bao.com for
taobao.com, раypal.com with a Cyrillic р), or within a small Levenshtein distance of one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.config import Settings
from ecredit.kit.crypto import new_token
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.models.base import utcnow
from ecredit.models.subject import DomainClaim, DomainClaimStatus, DomainFlag
from ecredit.subject.repository import domain_repository, subject_repository

PROOF_PATH = "/.well-known/ecredit-verify.txt"
LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Characters people (and fonts) confuse, folded to the letter they imitate.
HOMOGLYPHS = str.maketrans(
    {
        "0": "o", "1": "l", "3": "e", "5": "s", "7": "t", "8": "b", "9": "g",
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",  # Cyrillic
        "і": "i", "ј": "j", "ԁ": "d", "ɡ": "g", "ν": "v", "ο": "o", "α": "a",
    }
)  # fmt: skip
MULTI_GLYPHS = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("i", "l"))


def normalise_domain(raw: str, field: str = "domain") -> str:
    """Lower-case host name without scheme, path, port or trailing dot; IDNA-checked."""
    text = raw.strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).split("/")[0].split(":")[0].rstrip(".")
    if text.startswith("www."):
        text = text[4:]
    try:
        ascii_form = text.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidInput(field, "idna", f"{field}: '{raw}' is not a valid domain name") from exc
    labels = ascii_form.split(".")
    if len(labels) < 2 or not all(LABEL.match(label) for label in labels):
        raise InvalidInput(
            field, "format", f"{field}: '{raw}' is not a domain name like shop.example.cn"
        )
    return text


def fold(domain: str) -> str:
    """The skeleton a reader sees: homoglyphs replaced, multi-letter imitations merged."""
    folded = domain.translate(HOMOGLYPHS)
    for imitation, letter in MULTI_GLYPHS:
        folded = folded.replace(imitation, letter)
    return folded


@dataclass(frozen=True)
class Lookalike:
    domain: str
    resembles: str
    resembles_subject_id: int
    rule: str
    distance: int


def find_lookalikes(
    session: Session, domain: str, max_distance: int, owner_id: int | None = None
) -> list[Lookalike]:
    """Verified domains of other subjects that `domain` imitates."""
    found = []
    for claim in domain_repository.verified(session):
        if claim.domain == domain or claim.subject_id == owner_id:
            continue
        distance = Levenshtein.distance(domain, claim.domain)
        if fold(domain) == fold(claim.domain):
            found.append(Lookalike(domain, claim.domain, claim.subject_id, "homoglyph", distance))
        elif distance <= max_distance:
            found.append(
                Lookalike(domain, claim.domain, claim.subject_id, "edit_distance", distance)
            )
    return sorted(found, key=lambda item: (item.distance, item.resembles))


def record_flags(session: Session, lookalikes: list[Lookalike], source: str) -> None:
    for item in lookalikes:
        if domain_repository.flag(session, item.domain, item.resembles) is None:
            session.add(
                DomainFlag(
                    domain=item.domain,
                    resembles=item.resembles,
                    resembles_subject_id=item.resembles_subject_id,
                    rule=item.rule,
                    distance=item.distance,
                    source=source,
                )
            )
    session.flush()


class WebsiteService:
    def claim(
        self, session: Session, subject_id: int, raw_domain: str, max_distance: int
    ) -> tuple[DomainClaim, list[Lookalike]]:
        subject = subject_repository.get(session, subject_id)
        if subject is None:
            raise NotFound(f"subject {subject_id} does not exist")
        domain = normalise_domain(raw_domain)
        owner = domain_repository.verified_domain(session, domain)
        if owner is not None and owner.subject_id != subject_id:
            raise Conflict(f"domain: {domain} is already verified for another subject")
        claim = domain_repository.claim_of(session, subject_id, domain)
        if claim is None:
            claim = DomainClaim(subject_id=subject_id, domain=domain, token=new_token())
            session.add(claim)
            session.flush()
        lookalikes = find_lookalikes(session, domain, max_distance, owner_id=subject_id)
        record_flags(session, lookalikes, "claim")
        return claim, lookalikes

    def check(self, session: Session, settings: Settings, claim_id: int) -> DomainClaim:
        """Fetch the proof file; the claim becomes verified or failed with the reason."""
        claim = domain_repository.claim(session, claim_id)
        if claim is None:
            raise NotFound(f"domain claim {claim_id} does not exist")
        if claim.status is DomainClaimStatus.REVOKED:
            raise Conflict("domain claim: a revoked claim cannot be checked; claim again")
        error = fetch_proof_error(settings, claim.domain, claim.token)
        claim.last_checked_at, claim.last_error = utcnow(), error
        if error is None:
            if claim.status is not DomainClaimStatus.VERIFIED:
                claim.verified_at = utcnow()
            claim.status = DomainClaimStatus.VERIFIED
        else:
            claim.status = DomainClaimStatus.FAILED
        session.flush()
        audit_service.record_event(
            session, "subject", claim.subject_id, f"domain_{claim.status.value}",
            f"网站 {claim.domain}: {claim.status.value}", {"error": error},
        )  # fmt: skip
        return claim

    def flags(self, session: Session) -> list[DomainFlag]:
        return domain_repository.flags(session)

    def verdict(
        self, session: Session, raw_domain: str, max_distance: int
    ) -> tuple[str, DomainClaim | None, list[Lookalike]]:
        """Anyone asks "is this site genuine?"; look-alikes found are recorded as reports."""
        domain = normalise_domain(raw_domain)
        owner = domain_repository.verified_domain(session, domain)
        lookalikes = [] if owner else find_lookalikes(session, domain, max_distance)
        record_flags(session, lookalikes, "report")
        return domain, owner, lookalikes


def fetch_proof_error(settings: Settings, domain: str, token: str) -> str | None:
    """None when the proof file holds the token; otherwise why the check failed."""
    host = settings.website_check_host_override or domain
    url = f"{settings.website_check_scheme}://{host}{PROOF_PATH}"
    try:
        response = httpx.get(
            url,
            headers={"Host": domain} if settings.website_check_host_override else None,
            timeout=settings.website_check_timeout_seconds,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        return f"could not fetch {PROOF_PATH}: {type(exc).__name__}"
    if response.status_code != 200:
        return f"{PROOF_PATH} answered HTTP {response.status_code}"
    if token not in response.text[:4096]:
        return f"{PROOF_PATH} does not contain the claim token"
    return None


website_service = WebsiteService()
