"""CSRF protection for the portal's forms: a per-session token in a hidden field.

The session cookie is signed (SessionMiddleware) and SameSite=Lax, which already stops most
cross-site posts; the token closes the rest (older browsers, same-site sub-domains). Every
unsafe request under a portal router must carry the token of its own session.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

FIELD = "csrf_token"
SESSION_KEY = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(Exception):
    """The form's token is missing or is not this session's."""


def token(request: Request) -> str:
    """This session's token, made on first use (a template asks for it when it draws a form)."""
    current = request.session.get(SESSION_KEY)
    if not current:
        current = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = current
    return str(current)


def rotate(request: Request) -> None:
    """A new token, e.g. at login, so a token seen before authentication is worth nothing."""
    request.session[SESSION_KEY] = secrets.token_urlsafe(32)


async def protect(request: Request) -> None:
    """Router dependency: refuse an unsafe request whose form lacks the session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_KEY)
    form = await request.form()
    sent = form.get(FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise CsrfFailed()
