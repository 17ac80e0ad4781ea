"""The throttle as an HTTP edge reaches it: the client's address and the application's clock.

The address is the peer of the connection, or the client a trusted proxy names: uvicorn
(`ecredit serve`) reads X-Forwarded-For from the addresses in FORWARDED_ALLOW_IPS (127.0.0.1
by default), so a reverse proxy on the same host passes the real client through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session
from starlette.requests import Request

from ecredit.kit.clock import Clock
from ecredit.throttle.service import Attempt, Throttle

T = TypeVar("T")
UNKNOWN_ADDRESS = "unknown"


def client_address(request: Request) -> str:
    return request.client.host if request.client else UNKNOWN_ADDRESS


def guarded(
    request: Request, rule: str, field: str, target: str, check: Callable[[Session], T]
) -> T:
    """`check` under the throttle of (rule, target) and the client's address, in a transaction
    of its own: call it before the route's own session has run a statement."""
    # The application's one clock is the record service's (see web/services.py): tests that
    # fix it move deadlines and lockouts alike.
    clock: Clock = request.app.state.records.clock
    throttle = Throttle(request.app.state.db, request.app.state.vault)
    attempt = Attempt(rule, field, target, client_address(request))
    return throttle.guarded(attempt, clock.now(), check)
