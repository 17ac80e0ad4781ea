"""Operations endpoints and middleware: request ids, JSON access logs, Prometheus metrics."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from sqlalchemy import text

from ecredit.kit.db import Database

log = structlog.get_logger("ecredit.http")
# A client's request id is kept only if it fits the change log's column and is plain text.
CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def route_template(request: Request) -> str:
    """The matched route's full template (/api/v1/subjects/{subject_id}), for labels and logs.

    Since FastAPI 0.137 included routers stay nested and `scope["route"]` is the route as its
    router declared it, without the include prefixes (fastapi#16051); the route contexts know the
    full path.
    """
    route = request.scope.get("route")
    if route is None:
        return "unmatched"
    for context in iter_route_contexts(request.app.routes):
        if context.original_route is route and context.path_format:
            return context.path_format
    return str(getattr(route, "path", "unmatched"))


def install_ops(app: FastAPI) -> None:
    _install_observation(app)
    _install_health(app)


def _install_observation(app: FastAPI) -> None:
    """Request ids, access log lines and Prometheus metrics for every request."""
    registry = CollectorRegistry()
    requests = Counter(
        "ecredit_http_requests", "HTTP requests", ["method", "route", "status"], registry=registry
    )
    latency = Histogram(
        "ecredit_http_request_seconds", "HTTP request latency", ["method", "route"],
        registry=registry,
    )  # fmt: skip
    app.state.metrics_registry = registry

    @app.middleware("http")
    async def observe(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if CLIENT_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.state.request_id = request_id
        started = time.perf_counter()
        response = await call_next(request)
        elapsed = time.perf_counter() - started
        route = route_template(request)
        requests.labels(request.method, route, str(response.status_code)).inc()
        latency.labels(request.method, route).observe(elapsed)
        response.headers["X-Request-ID"] = request_id
        log.info(
            "http.request", method=request.method, route=route, status=response.status_code,
            ms=round(elapsed * 1000, 1), request_id=request_id,
        )  # fmt: skip
        return response


def _install_health(app: FastAPI) -> None:
    @app.get("/healthz", tags=["ops"], include_in_schema=False)
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"], include_in_schema=False)
    def readyz(request: Request) -> JSONResponse:
        """The database answers."""
        database: Database = request.app.state.db
        try:
            with database.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:  # any driver error means "not ready", never a 500
            return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, 503)
        return JSONResponse({"status": "ready"})

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    def metrics(request: Request) -> Response:
        registry: CollectorRegistry = request.app.state.metrics_registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
