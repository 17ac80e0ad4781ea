"""Who is acting and within which request, carried to the change-record hook.

The edges set these; services never do. An HTTP request tags its session (`bind_session`),
because FastAPI runs sync dependencies in worker threads whose context variables do not flow
back to the route; CLI commands and the job runner use `acting_as` around their work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.orm import Session

_actor: ContextVar[str] = ContextVar("ecredit_actor", default="system")
_request_id: ContextVar[str | None] = ContextVar("ecredit_request_id", default=None)


def current_actor() -> str:
    return _actor.get()


def current_request_id() -> str | None:
    return _request_id.get()


def set_actor(actor: str) -> None:
    _actor.set(actor)


def set_request_id(request_id: str | None) -> None:
    _request_id.set(request_id)


@contextmanager
def acting_as(actor: str, request_id: str | None = None) -> Iterator[None]:
    actor_token = _actor.set(actor)
    request_token = _request_id.set(request_id)
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _request_id.reset(request_token)


def bind_session(session: Session, actor: str, request_id: str | None) -> None:
    session.info["actor"] = actor
    session.info["request_id"] = request_id


def actor_of(session: Session) -> str:
    return str(session.info.get("actor") or current_actor())


def request_id_of(session: Session) -> str | None:
    return session.info.get("request_id") or current_request_id()
