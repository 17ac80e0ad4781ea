"""Templates, the page renderer and the portal's own error pages.

Every page goes through `render`, which gives templates the translator, the CSRF token and
the current user, remembers a language switch in its cookie, and sets headers that forbid
anything external (the portal loads nothing from another origin).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.requests import Request

from ecredit.kit.clock import SHANGHAI
from ecredit.web import csrf, i18n, nav

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
LANG_COOKIE_SECONDS = 365 * 24 * 3600
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def local_time(moment: datetime | None) -> str:
    """A stored UTC instant as Beijing time, YYYY-MM-DD HH:MM."""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # SQLite hands back naive values; they are UTC by construction
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def change_value(value: object) -> object:
    """A value from a change record; the timestamps in it are UTC ISO text, shown local."""
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and "T" in value:
        try:
            return local_time(datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def web_url(url: str | None) -> str:
    """A link target only when it is http(s): a stored `javascript:` URL must not be a link."""
    return url if url and url.lower().startswith(("https://", "http://")) else ""


templates.env.filters["localtime"] = local_time
templates.env.filters["web_url"] = web_url
templates.env.filters["change_value"] = change_value


def lang_url(request: Request, lang: str) -> str:
    """The current page in another language (other query parameters kept)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != i18n.COOKIE]
    return f"{request.url.path}?{urlencode([*params, (i18n.COOKIE, lang)])}"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    lang = i18n.resolve_language(request)
    staff = request.session.get("staff")
    page_context = {
        "_": i18n.translator(lang),
        "lang": lang,
        "lang_url": lambda code: lang_url(request, code),
        "csrf_token": lambda: csrf.token(request),
        "staff": staff,
        "menu": nav.menu(request.url.path, staff),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, page_context, status_code=status)
    if request.query_params.get(i18n.COOKIE) in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE, lang, max_age=LANG_COOKIE_SECONDS, samesite="lax", httponly=True
        )
    response.headers.update(SECURITY_HEADERS)
    return response


class PortalError(Exception):
    """An error the portal answers with a page of its own (404 unknown, 403 forbidden)."""

    def __init__(self, status: int, detail: str | None = None) -> None:
        super().__init__(detail or str(status))
        self.status = status
        self.detail = detail


class LoginRequired(Exception):
    """A staff page was asked for without a login: go to the login form, then come back."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def error_page(request: Request, status: int, detail: str | None = None) -> HTMLResponse:
    return render(request, "errors/error.html", {"status": status, "detail": detail}, status)


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(PortalError)
    async def portal_error(request: Request, exc: PortalError) -> HTMLResponse:
        return error_page(request, exc.status, exc.detail)

    @app.exception_handler(csrf.CsrfFailed)
    async def csrf_failed(request: Request, _exc: csrf.CsrfFailed) -> HTMLResponse:
        lang = i18n.resolve_language(request)
        return error_page(request, 403, i18n.gettext(lang, "error.csrf"))

    @app.exception_handler(HTTPException)
    async def unknown_page(request: Request, exc: HTTPException) -> Response:
        # The JSON API keeps FastAPI's JSON answers; people in a browser get a page.
        if exc.status_code != 404 or request.url.path.startswith("/api/"):
            return await http_exception_handler(request, exc)
        return error_page(request, 404)

    @app.exception_handler(LoginRequired)
    async def login_required(_request: Request, exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse(f"/staff/login?next={quote(exc.next_path)}", status_code=303)
