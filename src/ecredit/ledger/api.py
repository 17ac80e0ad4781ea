"""Ledger routes: proofs for a record, signed checkpoints, consistency, the public key."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.errors import NotFound
from ecredit.ledger.service import Signer, checkpoint_document, ledger_service

router = APIRouter(prefix="/ledger", tags=["ledger"])
public_router = APIRouter(prefix="/public/ledger", tags=["public"])


def get_signer(request: Request) -> Signer:
    signer: Signer = request.app.state.signer
    return signer


SignerDep = Annotated[Signer, Depends(get_signer)]


@router.get("/records/{record_id}/proof")
def inclusion_proof(
    record_id: int, session: SessionDep, _: Principal = Requires(Scope.RECORD_READ)
) -> dict[str, Any]:
    """The record entry, its audit path and the signed checkpoint it leads to. Check it offline
    with `ecredit.kit.ledger.verify_inclusion_document(document, public_key)`."""
    return ledger_service.inclusion(session, record_id)


@public_router.get("/public-key")
def public_key(signer: SignerDep) -> dict[str, str]:
    """The Ed25519 key that signs checkpoints (raw 32 bytes, base64)."""
    return {
        "algorithm": "ed25519",
        "public_key": base64.b64encode(signer.public_key).decode(),
        "key_id": signer.key_id,
    }


@public_router.get("/checkpoints/latest")
def latest_checkpoint(session: SessionDep) -> dict[str, Any]:
    checkpoint = ledger_service.latest_checkpoint(session)
    if checkpoint is None:
        raise NotFound("no checkpoint has been signed yet")
    return checkpoint_document(checkpoint)


@public_router.get("/checkpoints/{checkpoint_id}")
def get_checkpoint(checkpoint_id: int, session: SessionDep) -> dict[str, Any]:
    return checkpoint_document(ledger_service.get_checkpoint(session, checkpoint_id))


@public_router.get("/consistency")
def consistency_proof(
    session: SessionDep,
    old: Annotated[int, Query(description="id of the older checkpoint")],
    new: Annotated[int, Query(description="id of the newer checkpoint")],
) -> dict[str, Any]:
    """Proof that the newer signed log extends the older one (nothing rewritten). Check it
    with `ecredit.kit.ledger.verify_consistency_document(document, public_key)`."""
    return ledger_service.consistency(session, old, new)
