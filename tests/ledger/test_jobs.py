"""The recurring job `ledger.sign_checkpoint`, run as the worker runs it."""

from __future__ import annotations

from sqlalchemy import select

import ecredit.ledger.jobs  # noqa: F401  (registers the handler)
from ecredit.config import LedgerHash, Settings
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.crypto import Vault, load_signing_key
from ecredit.kit.db import Database
from ecredit.ledger.service import Signer, ledger_service
from ecredit.ledger.verify import verify_ledger
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.ledger import LedgerHead
from tests.ledger.support import Ledgered


def run_signing_job(db: Database, settings: Settings) -> Job:
    jobs = JobService(registry, settings=settings)
    with db.unit_of_work() as session:
        job_id = jobs.enqueue(session, "ledger.sign_checkpoint").id
    assert jobs.run_due(db) >= 1
    with db.unit_of_work() as session:
        return session.get_one(Job, job_id)


class TestSignCheckpointJob:
    def test_signs_the_whole_log_with_the_configured_key_when_run(
        self, db: Database, settings: Settings, vault: Vault
    ) -> None:
        signer = Signer(load_signing_key(settings))
        with db.unit_of_work() as session:
            Ledgered(vault, signer).submit(session, 3)

        job = run_signing_job(db, settings)

        assert job.status is JobStatus.DONE, job.last_error
        with db.unit_of_work() as session:
            latest = ledger_service.latest_checkpoint(session)
            assert latest is not None
            assert (latest.tree_size, latest.key_id) == (3, signer.key_id)
            assert verify_ledger(session, signer.public_key).ok

    def test_signs_nothing_new_when_nothing_was_appended_since(
        self, db: Database, settings: Settings, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            Ledgered(vault, Signer(load_signing_key(settings))).submit(session, 2)
        run_signing_job(db, settings)

        job = run_signing_job(db, settings)

        assert job.status is JobStatus.DONE, job.last_error
        with db.unit_of_work() as session:
            assert [c.tree_size for c in ledger_service.checkpoints(session)] == [2]

    def test_keeps_the_configured_hash_when_it_signs_an_empty_ledger(
        self, db: Database, settings: Settings
    ) -> None:
        sm3 = settings.model_copy(update={"ledger_hash": LedgerHash.SM3})

        job = run_signing_job(db, sm3)

        assert job.status is JobStatus.DONE, job.last_error
        with db.unit_of_work() as session:
            head = session.scalars(select(LedgerHead)).one()
            assert head.hash_name == "sm3"
