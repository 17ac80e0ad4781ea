"""The portal (server-rendered, zh-CN first): public query window and staff pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ecredit.kit.crypto import load_keys
from ecredit.web import (
    alert_detail,
    alerts,
    auth,
    case_queue,
    complaint_desk,
    complaints,
    detection_runs,
    evaluate,
    filing,
    ledger,
    list_queue,
    lists,
    plotly_assets,
    public,
    records,
    register,
    shipments,
    staff,
    trace,
    warnings,
)
from ecredit.web.render import HERE, install_error_pages

SESSION_COOKIE = "ecredit_session"


def install_portal(app: FastAPI) -> None:
    """Mount the portal's routes, templates and static files on the app."""
    secret = load_keys(app.state.settings).session_secret.hex()
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=auth.SESSION_SECONDS,
        same_site="lax",
    )
    install_error_pages(app)
    # Our own files only: the portal must work offline and leak no visit to a CDN. plotly.js
    # comes from the plotly wheel, under /static/vendor: its route must precede the mount.
    app.include_router(plotly_assets.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # register before staff: /staff/subjects/new must not be read as a subject id.
    for module in (public, lists, filing, ledger, auth, register, records, staff, evaluate,
                   list_queue, case_queue, trace, alerts, alert_detail, complaints,
                   complaint_desk, shipments, warnings, detection_runs):  # fmt: skip
        app.include_router(module.router)
