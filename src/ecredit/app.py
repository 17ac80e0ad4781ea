"""The application factory: settings → database, keys, API, portal, ops, in-server jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from ecredit import __version__
from ecredit.api import api_router, install_error_handlers
from ecredit.audit import changes
from ecredit.bodylimit import BodyLimit, BodyLimits
from ecredit.catalog.loader import load_catalog
from ecredit.commitment.templates import load_templates
from ecredit.config import Settings
from ecredit.kit.crypto import Vault, load_signing_key
from ecredit.kit.db import Database
from ecredit.kit.logs import configure_logging
from ecredit.kit.merkle import HashName
from ecredit.ledger.service import Signer
from ecredit.measure.catalogue import load_measures
from ecredit.measure.check import CheckService
from ecredit.measure.fastpath import CheckFastPath
from ecredit.measure.runtime import CheckRuntime
from ecredit.ops import install_ops
from ecredit.record.service import RecordService
from ecredit.web import install_portal
from ecredit.worker import BackgroundWorker, load_job_handlers

DESCRIPTION = """电子商务信用监管平台 API — e-commerce credit supervision.

Public routes (`/api/v1/public/…`) need no credentials. Every other route needs an API key in
the `X-API-Key` header (or `Authorization: Bearer …`) holding the scope the route names; a
missing key answers 401, a key without the scope 403. Errors name the field and the rule."""


def create_app(
    settings: Settings | None = None, db: Database | None = None, run_jobs: bool | None = None
) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_json, settings.log_level)
    changes.install()
    load_job_handlers()  # routes enqueue jobs by name, also when a separate worker runs them
    database = db or Database.from_url(settings.resolved_database_url)
    in_server_jobs = settings.jobs_in_server if run_jobs is None else run_jobs
    check_runtime = CheckRuntime(database)
    app = FastAPI(
        title="ecredit",
        version=__version__,
        description=DESCRIPTION,
        lifespan=_lifespan(database, settings, check_runtime, in_server_jobs),
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    _attach_services(app, settings, database, check_runtime)
    install_error_handlers(app)
    # Added first, so innermost: the session (for the portal's error page) and the request log
    # are around it, and a refused body is logged with its 413.
    app.add_middleware(BodyLimit, limits=BodyLimits.from_settings(settings))
    app.include_router(api_router())
    install_ops(app)
    install_portal(app)
    app.add_middleware(CheckFastPath)  # outermost: cached check answers skip the stack
    return app


def _lifespan(
    database: Database, settings: Settings, check_runtime: CheckRuntime, in_server_jobs: bool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        worker = BackgroundWorker(database, settings) if in_server_jobs else None
        if worker:
            worker.start()
        check_runtime.start()  # the check's change marker and check log (ecredit.measure)
        yield
        check_runtime.stop()  # writes the check log rows still buffered
        if worker:
            worker.stop()

    return lifespan


def _attach_services(
    app: FastAPI, settings: Settings, database: Database, check_runtime: CheckRuntime
) -> None:
    app.state.settings = settings
    app.state.db = database
    app.state.vault = Vault.from_settings(settings)
    app.state.signer = Signer(load_signing_key(settings))
    # Catalogues are read and validated at start-up: a broken operator file stops the server
    # with a message naming the file, the entry and the rule, not the first request.
    app.state.commitment_templates = load_templates(settings.catalog_dir)
    app.state.records = RecordService(
        load_catalog(settings.catalog_dir), HashName(settings.ledger_hash.value)
    )
    app.state.checks = CheckService(load_measures(), check_runtime)
