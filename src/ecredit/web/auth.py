"""Staff login and logout, and the dependencies that admit a logged-in user with a scope.

The signed session cookie keeps the user's id and display data; the Principal is rebuilt from
the database on every request, so deactivating a user or changing their roles takes effect at
once rather than when the cookie expires (after a working day). Wrong passwords are counted
per user name and per address by the throttle (`ecredit.throttle`): past the limits the form
answers 429 with Retry-After, a right password included, until the lockout ends.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.requests import Request

from ecredit.authz.principals import Principal, Scope, principal_for_user
from ecredit.kit.db import Database
from ecredit.kit.errors import NotFound, TooManyAttempts, Unauthorized
from ecredit.org.service import organisation_service
from ecredit.throttle.deps import guarded
from ecredit.web import csrf
from ecredit.web.render import LoginRequired, PortalError, render
from ecredit.web.throttled import is_by_address, throttle_values

SESSION_KEY = "staff"
SESSION_SECONDS = 8 * 3600
LOGIN = "staff.login"  # the throttle's rule: wrong passwords per user name and per address
router = APIRouter(dependencies=[Depends(csrf.protect)], include_in_schema=False)


def principal_of(request: Request) -> Principal:
    """The logged-in user's Principal, or a redirect to the login form."""
    staff = request.session.get(SESSION_KEY)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not staff or "user_id" not in staff:
        raise LoginRequired(target)
    database: Database = request.app.state.db
    with database.unit_of_work() as session:
        try:
            user = organisation_service.get_user(session, staff["user_id"])
        except NotFound:
            user = None
        if user is None or not user.is_active:
            request.session.clear()
            raise LoginRequired(target)
        return principal_for_user(user)


StaffDep = Annotated[Principal, Depends(principal_of)]


def require_scope(principal: Principal, scope: Scope) -> None:
    if not principal.has(scope):
        raise PortalError(403)


def safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would let a phishing link borrow our name."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/staff"


@router.get("/staff/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "staff/login.html", {"next": safe_next(next), "username": ""})


@router.post("/staff/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    name = username.strip()
    try:
        staff = guarded(request, LOGIN, "username", name,
                        lambda session: _authenticate(session, name, password))  # fmt: skip
    except Unauthorized:
        context = {"next": safe_next(next), "username": username, "failed": True}
        return render(request, "staff/login.html", context, status=401)
    except TooManyAttempts as exc:
        return _locked(request, username, next, exc)
    request.session.clear()  # nothing from before the login survives it (session fixation)
    request.session[SESSION_KEY] = staff
    csrf.rotate(request)
    return RedirectResponse(safe_next(next), status_code=303)


def _authenticate(session: Session, username: str, password: str) -> dict[str, object]:
    user = organisation_service.authenticate_user(session, username, password)
    principal = principal_for_user(user)
    return _snapshot(principal, user.id, user.display_name, user.organisation.name)


def _locked(request: Request, username: str, next: str, exc: TooManyAttempts) -> Response:
    """429 with Retry-After, naming the rule: this user name, or this address, is locked."""
    message = "throttle.by_address" if is_by_address(exc) else "throttle.by_user"
    context = {"next": safe_next(next), "username": username, "locked": message,
               "locked_values": throttle_values(exc)}  # fmt: skip
    response = render(request, "staff/login.html", context, status=exc.status_code)
    response.headers.update(exc.headers)
    return response


@router.post("/staff/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)


def _snapshot(
    principal: Principal, user_id: int, display_name: str, org_name: str
) -> dict[str, object]:
    return {
        "user_id": user_id,
        "actor": principal.actor,
        "username": principal.actor.removeprefix("user:"),
        "display_name": display_name,
        "organisation": org_name,
        "organisation_id": principal.organisation_id,
        "org_kind": principal.org_kind.value if principal.org_kind else None,
        "org_subject_id": principal.org_subject_id,
        "scopes": sorted(scope.value for scope in principal.scopes),
    }
