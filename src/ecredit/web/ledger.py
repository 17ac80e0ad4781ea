"""The public ledger page: the latest signed checkpoint, the public key, and a check of one
public record's inclusion proof, step by step, with the proof offered for offline checking.

Proofs are served only for records on public display about an organisation: a proof carries
the entry exactly as hashed (unmasked), so records about natural persons have no public proof,
as in the JSON API.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from starlette.requests import Request

from ecredit.kit import merkle
from ecredit.kit.db import Database
from ecredit.kit.errors import AppError, NotFound
from ecredit.kit.ledger import CheckpointBody, verify_checkpoint, verify_inclusion_document
from ecredit.kit.merkle import HashName
from ecredit.ledger.service import Signer, checkpoint_document, ledger_service
from ecredit.record.service import RecordService
from ecredit.subject.service import identifies_by_person, subject_service
from ecredit.web import csrf
from ecredit.web.render import PortalError, render

router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


class ProofUnavailable(Exception):
    """No public proof for this record; `reason` is a message id for the reader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Step:
    name: str  # message id of the step
    ok: bool
    detail: str


def public_proof(request: Request, record_id: int) -> dict[str, Any]:
    """The inclusion proof of a record on public display about an organisation."""
    database: Database = request.app.state.db
    records: RecordService = request.app.state.records
    try:
        with database.unit_of_work() as session:
            state = records.state(session, record_id)
            if not state.is_public(records.today()):
                raise ProofUnavailable("ledger.not_public")
            subject = subject_service.get(session, state.original.subject_id)
            if identifies_by_person(subject.kind, subject.merchant_form):
                raise ProofUnavailable("ledger.person")
            return ledger_service.inclusion(session, state.current.id)
    except NotFound as exc:
        raise ProofUnavailable("ledger.not_public") from exc
    except AppError as exc:  # not yet covered by a signed checkpoint
        raise ProofUnavailable("ledger.not_signed") from exc


def check_steps(document: dict[str, Any], public_key: bytes) -> list[Step]:
    """The three checks of `verify_inclusion_document`, one by one, for the reader to follow."""
    point = document["checkpoint"]
    body = CheckpointBody(
        hash_name=HashName(point["hash_name"]),
        tree_size=int(point["tree_size"]),
        root_hash=base64.b64decode(point["root_hash"]),
        chain_hash=bytes.fromhex(point["chain_hash"]),
        signed_at=str(point["signed_at"]),
    )
    signed = verify_checkpoint(public_key, body, base64.b64decode(point["signature"]))
    canonical = document["entry"]["canonical"]
    leaf = merkle.leaf_hash(body.hash_name, canonical.encode("utf-8"))
    names_record = json.loads(canonical).get("id") is not None
    path = [base64.b64decode(node) for node in document["audit_path"]]
    index = int(document["leaf_index"])
    leads = merkle.verify_inclusion(
        body.hash_name, leaf, index, body.tree_size, path, body.root_hash
    )
    return [
        Step("ledger.step_signature", signed, f"key {point['key_id']}"),
        Step("ledger.step_leaf", names_record, leaf.hex()),
        Step("ledger.step_path", leads, f"{len(path)} × {index + 1}/{body.tree_size}"),
    ]


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(request: Request, record: str = "") -> Response:
    signer: Signer = request.app.state.signer
    database: Database = request.app.state.db
    with database.unit_of_work() as session:
        latest = ledger_service.latest_checkpoint(session)
        checkpoint = checkpoint_document(latest) if latest else None
    context: dict[str, Any] = {
        "checkpoint": checkpoint,
        "signed_at": latest.signed_at if latest else None,
        "root_hex": latest.root_hash if latest else None,
        "public_key": base64.b64encode(signer.public_key).decode(),
        "key_id": signer.key_id,
        "record": record.strip(),
    }
    status = 200
    if record.strip():
        context.update(_verify(request, record.strip(), signer))
        status = 200 if context.get("verdict") else 404
    return render(request, "public/ledger.html", context, status)


def _verify(request: Request, record: str, signer: Signer) -> dict[str, Any]:
    number = record.removeprefix("#")
    if not number.isdigit() or len(number) > 12:
        return {"problem": "ledger.bad_number"}
    try:
        document = public_proof(request, int(number))
    except ProofUnavailable as exc:
        return {"problem": exc.reason}
    ok, reason = verify_inclusion_document(document, signer.public_key)
    return {
        "verdict": {"ok": ok, "reason": reason, "record_id": int(number)},
        "steps": check_steps(document, signer.public_key),
        "entry": json.loads(document["entry"]["canonical"]),
        "proof_checkpoint": document["checkpoint"],
    }


@router.get("/ledger/records/{record_id}/proof.json")
def proof_download(request: Request, record_id: int) -> Response:
    """The proof document, to check offline with nothing but the public key."""
    try:
        document = public_proof(request, record_id)
    except ProofUnavailable as exc:
        raise PortalError(404) from exc
    body = json.dumps(document, ensure_ascii=False, indent=2)
    disposition = f'attachment; filename="ecredit-record-{record_id}-proof.json"'
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )
