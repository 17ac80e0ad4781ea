"""Proof of identity for a subject filing for itself, before a merchant login exists.

The filer proves it is the subject by its full identifier: the unified social credit code of an
organisation, or the full resident ID number of a natural person (compared through the blind
index, never decrypted). The route must not become an oracle:

- a malformed identifier is a 422 that depends on the input only;
- an unknown subject, a wrong identifier and the wrong kind of identifier all give the same 403
  with the same message, so the answer says nothing about which subject ids exist or which
  identifier belongs to whom beyond "this pair is not right";
- the public routes run `prove` under the throttle (`ecredit.throttle`, rule `IDENTITY_RULE`,
  counted per subject and per client address in the database), so after a few wrong proofs
  further attempts on that subject are refused with 429 for a while, which makes guessing an
  ID number (birth date + 3 digits) by trial impractical;
- nothing is stored for a refused filing.
"""

from __future__ import annotations

import hmac

from sqlalchemy.orm import Session

from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Forbidden
from ecredit.kit.ids import validate_ric, validate_uscc
from ecredit.models.subject import Subject
from ecredit.subject.repository import subject_repository
from ecredit.subject.service import identifies_by_person

IDENTITY_RULE = "repair.identity"  # one count per subject for filing and withdrawing alike
REFUSAL = "identity not confirmed: the identifier does not match this subject"


def prove(
    session: Session, vault: Vault, subject_id: int, uscc: str | None, id_number: str | None
) -> Subject:
    """The subject, if the identifier is its own; a uniform 403 otherwise."""
    given_uscc = validate_uscc(uscc, "uscc") if uscc is not None else None
    given_ric = validate_ric(id_number, "id_number") if id_number is not None else None
    subject = subject_repository.get(session, subject_id)
    if subject is None or not _matches(vault, subject, given_uscc, given_ric):
        raise Forbidden(REFUSAL)
    return subject


def _matches(vault: Vault, subject: Subject, uscc: str | None, id_number: str | None) -> bool:
    if identifies_by_person(subject.kind, subject.merchant_form):
        if id_number is None or subject.id_number_index is None:
            return False
        return hmac.compare_digest(vault.index("id_number", id_number), subject.id_number_index)
    if uscc is None or subject.uscc is None:
        return False
    return hmac.compare_digest(uscc.upper(), subject.uscc.upper())
