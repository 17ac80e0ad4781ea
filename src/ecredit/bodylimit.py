"""Request body size limits: one pure ASGI middleware in front of every route.

Why a middleware: FastAPI reads a JSON or multipart body before any dependency of the route
runs, so only a middleware sees the body first. A Content-Length over the endpoint's limit is
answered 413 before a byte is read. A body without one (chunked) is counted as it streams; the
first chunk past the limit makes the route's own read fail, so its clean-up runs (the lake's
temporary file is removed, the transaction is not committed), and whatever the route would then
answer (FastAPI's 400 for a body it could not read, a 500) is replaced by the 413.

The API answers in the problem format of `kit.errors` (English, with `limit_bytes`); portal
pages answer with the portal's error page, Chinese first.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi.responses import JSONResponse, Response
from starlette.requests import Request

from ecredit.api import API_PREFIX
from ecredit.config import Settings
from ecredit.kit.errors import PayloadTooLarge, size_text
from ecredit.web import i18n
from ecredit.web.render import error_page

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LAKE_UPLOAD = re.compile(rf"{API_PREFIX}/lake/[^/]+/batches")
SPREADSHEET_IMPORT = re.compile(rf"{API_PREFIX}/exchange/[^/]+/import")


@dataclass(frozen=True)
class BodyLimits:
    """The largest body, in bytes, of each kind of endpoint."""

    lake: int
    spreadsheet: int
    json: int
    form: int

    @classmethod
    def from_settings(cls, settings: Settings) -> BodyLimits:
        return cls(settings.lake_upload_limit, settings.spreadsheet_upload_limit,
                   settings.json_body_limit, settings.form_body_limit)  # fmt: skip

    def for_path(self, path: str) -> int:
        if LAKE_UPLOAD.fullmatch(path):
            return self.lake
        if SPREADSHEET_IMPORT.fullmatch(path):
            return self.spreadsheet
        return self.json if path.startswith(f"{API_PREFIX}/") else self.form


class BodyTooLarge(Exception):
    """Raised from `receive` to the route reading a body past the limit."""


class _CountingChannel:
    """The request's receive and send, counting body bytes; past the limit it refuses to read
    more and holds back the route's own answer."""

    def __init__(self, receive: Receive, send: Send, limit: int) -> None:
        self._receive, self._send, self.limit = receive, send, limit
        self.received = 0
        self.overflowed = self.started = False

    async def receive(self) -> Message:
        if self.overflowed:
            raise BodyTooLarge()
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.overflowed = True
                raise BodyTooLarge()
        return message

    async def send(self, message: Message) -> None:
        if self.overflowed and not self.started:
            return  # the route's answer to a body it could not finish reading: ours replaces it
        self.started = self.started or message["type"] == "http.response.start"
        await self._send(message)

    @property
    def refusable(self) -> bool:
        return self.overflowed and not self.started


class BodyLimit:
    """Refuse, with 413, a request body larger than its endpoint's limit."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await refusal(scope, limit)(scope, receive, send)
            return
        channel = _CountingChannel(receive, send, limit)
        try:
            await self.app(scope, channel.receive, channel.send)
        except Exception:
            if not channel.refusable:
                raise
        if channel.refusable:
            await refusal(scope, limit)(scope, receive, send)


def refusal(scope: Scope, limit: int) -> Response:
    """The 413: the problem body for the API, the error page for people. The connection is
    closed after it, as the rest of the body is never read."""
    request = Request(scope)
    if request.url.path.startswith(f"{API_PREFIX}/"):
        response: Response = JSONResponse(PayloadTooLarge(limit).as_dict(), status_code=413)
    else:
        lang = i18n.resolve_language(request)
        detail = i18n.gettext(lang, "error.too_large", limit=size_text(limit))
        response = error_page(request, 413, detail)
    response.headers["Connection"] = "close"
    return response


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None
