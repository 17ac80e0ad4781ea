"""The portal (server-rendered, zh-CN first). Filled in by the portal module."""

from __future__ import annotations

from fastapi import FastAPI


def install_portal(app: FastAPI) -> None:
    """Mount the portal's routes, templates and static files on the app."""
