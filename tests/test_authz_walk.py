"""Every endpoint declares its permission: a walk over the whole OpenAPI of /api/v1, and over the
portal's staff pages and forms.

A new route that forgets `Requires(...)`, a staff page that forgets the login (`StaffDep`) or a
form that skips the CSRF check fails here, without anyone writing a test for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import RouteContext, iter_route_contexts

from ecredit.authz.principals import Scope
from ecredit.config import Settings
from ecredit.kit.db import Database
from ecredit.web.auth import principal_of
from tests.factories.api import Api, running_app

V1 = "/api/v1"
PUBLIC = f"{V1}/public"
STAFF = "/staff"
LOGIN_OUT = {"/staff/login", "/staff/logout"}  # the staff routes open without a login
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[Api]:
    with running_app(settings, db) as running:
        yield running


def _scopes(dependant: Dependant) -> set[Scope] | None:
    """The scopes a `require(...)` dependency anywhere in the tree demands; None if none."""
    found: set[Scope] | None = None
    for dependency in dependant.dependencies:
        declared = getattr(dependency.call, "required_scopes", None)
        if declared is not None:
            found = (found or set()) | set(declared)
        below = _scopes(dependency)
        if below is not None:
            found = (found or set()) | below
    return found


def _api_routes(app: FastAPI) -> list[RouteContext]:
    """Every /api/v1 route with its effective path and dependencies (FastAPI keeps included
    routers nested in `app.routes`; iter_route_contexts flattens them)."""
    return [
        route
        for route in iter_route_contexts(app.routes)
        if (route.path or "").startswith(V1) and getattr(route, "dependant", None) is not None
    ]


def _operations(app: FastAPI, public: bool) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) of every /api/v1 operation in the OpenAPI, public or not."""
    return [
        (path, method, operation)
        for path, item in app.openapi()["paths"].items()
        if path.startswith(V1) and path.startswith(PUBLIC) is public
        for method, operation in item.items()
        if method in METHODS
    ]


def _route(app: FastAPI, path: str, method: str) -> RouteContext:
    [route] = [
        r for r in _api_routes(app) if r.path == path and method.upper() in (r.methods or ())
    ]
    return route


def _call(api: Api, path: str, method: str, headers: dict[str, str]) -> Any:
    url = re.sub(r"\{[^}]+\}", "1", path)
    body = {"json": {}} if method in {"post", "put", "patch"} else {}
    return api.client.request(method.upper(), url, headers=headers, **body)


class TestPermissionDeclarations:
    def test_every_private_route_requires_scopes_when_declared(self, api: Api) -> None:
        routes = [r for r in _api_routes(api.app) if not (r.path or "").startswith(PUBLIC)]
        assert len(routes) >= 15, "the walk must actually see the API"
        missing = [
            f"{sorted(r.methods or ())} {r.path}" for r in routes if not _scopes(r.dependant)
        ]
        assert missing == []

    def test_no_public_route_requires_scopes_when_declared(self, api: Api) -> None:
        routes = [r for r in _api_routes(api.app) if (r.path or "").startswith(PUBLIC)]
        assert len(routes) >= 4
        assert [r.path for r in routes if _scopes(r.dependant) is not None] == []

    def test_openapi_lists_security_only_when_route_private(self, api: Api) -> None:
        schemes = api.app.openapi()["components"]["securitySchemes"]
        assert schemes["ApiKey"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
        unsecured = [
            f"{method} {path}"
            for path, method, operation in _operations(api.app, public=False)
            if {"ApiKey": []} not in operation.get("security", [])
        ]
        assert unsecured == []
        secured = [
            p for p, _m, operation in _operations(api.app, public=True) if "security" in operation
        ]
        assert secured == []


class TestAuthorisationWalk:
    def test_unauthorized_when_no_credentials(self, api: Api) -> None:
        operations = _operations(api.app, public=False)
        assert len(operations) >= 15
        wrong = {
            f"{method} {path}": response.status_code
            for path, method, _op in operations
            if (response := _call(api, path, method, {})).status_code != 401
            or response.json()["error"] != "unauthorized"
        }
        assert wrong == {}

    def test_unauthorized_when_key_unknown(self, api: Api) -> None:
        headers = {"X-API-Key": "ek_deadbeef_not-issued"}
        wrong = {
            f"{method} {path}": status
            for path, method, _op in _operations(api.app, public=False)
            if (status := _call(api, path, method, headers).status_code) != 401
        }
        assert wrong == {}

    def test_forbidden_when_key_lacks_the_route_scope(self, api: Api) -> None:
        wrong = {}
        for path, method, _op in _operations(api.app, public=False):
            required = _scopes(_route(api.app, path, method).dependant) or set()
            key = api.key(set(Scope) - required)  # every scope but the ones the route needs
            response = _call(api, path, method, {"X-API-Key": key})
            if response.status_code != 403 or response.json()["error"] != "forbidden":
                wrong[f"{method} {path}"] = response.status_code
        assert wrong == {}

    def test_admitted_when_key_holds_the_route_scope(self, api: Api) -> None:
        """The same walk with the right scope never answers 401 or 403 (it may 404 or 422)."""
        wrong = {}
        for path, method, _op in _operations(api.app, public=False):
            required = _scopes(_route(api.app, path, method).dependant) or set()
            response = _call(api, path, method, {"X-API-Key": api.key(required)})
            if response.status_code in (401, 403) or response.status_code >= 500:
                wrong[f"{method} {path}"] = response.status_code
        assert wrong == {}


def _portal_routes(app: FastAPI, method: str) -> list[RouteContext]:
    """Every portal route (not the API, not a mount) answering `method`."""
    return [
        route
        for route in iter_route_contexts(app.routes)
        if getattr(route, "dependant", None) is not None
        and not (route.path or "").startswith("/api/")
        and method in (route.methods or ())
    ]


def _needs_login(dependant: Dependant) -> bool:
    return any(d.call is principal_of or _needs_login(d) for d in dependant.dependencies)


def _staff_routes(app: FastAPI, method: str) -> list[RouteContext]:
    return [
        route
        for route in _portal_routes(app, method)
        if (route.path or "").startswith(STAFF) and route.path not in LOGIN_OUT
    ]


class TestPortalWalk:
    def test_every_staff_route_needs_a_login_when_declared(self, api: Api) -> None:
        routes = _staff_routes(api.app, "GET") + _staff_routes(api.app, "POST")
        assert len(routes) >= 20, "the walk must actually see the portal"
        assert [r.path for r in routes if not _needs_login(r.dependant)] == []

    def test_staff_pages_send_to_the_login_when_no_session(self, api: Api) -> None:
        wrong = {}
        for route in _staff_routes(api.app, "GET"):
            path = re.sub(r"\{[^}]+\}", "1", route.path or "")
            response = api.client.get(path, follow_redirects=False)
            if response.headers.get("location") != f"/staff/login?next={path}":
                wrong[path] = response.status_code
        assert wrong == {}

    def test_portal_forms_are_refused_when_no_csrf_token(self, api: Api) -> None:
        routes = _portal_routes(api.app, "POST")
        assert len(routes) >= 10
        wrong = {}
        for route in routes:
            path = re.sub(r"\{[^}]+\}", "1", route.path or "")
            response = api.client.post(path, data={"reason": "x"}, follow_redirects=False)
            if response.status_code != 403:
                wrong[path] = response.status_code
        assert wrong == {}
