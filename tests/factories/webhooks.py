"""A real webhook receiver on 127.0.0.1, a job runner on a fixed clock, and subscriptions.

The receiver records every request (path, headers, raw body, the status it answered) and can be
told to fail the first N deliveries or to answer with a redirect.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy.orm import Session

import ecredit.subscription.jobs  # noqa: F401  (registers the fan-out and delivery handlers)
from ecredit.config import Settings
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.crypto import Vault
from ecredit.models.org import Organisation, OrgKind
from ecredit.models.subject import Subject
from ecredit.models.subscription import Subscription, SubscriptionScope
from ecredit.subject.schemas import ShopCreate
from ecredit.subject.service import subject_service
from ecredit.subscription.schemas import SubscriptionCreate
from ecredit.subscription.service import subscription_service
from tests.factories import orgs, subjects

_serial = itertools.count(1)


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int


class Receiver:
    """POST anywhere; answers 204, or `fail_status` for the first `fail_first` requests, or a
    302 to /elsewhere when `redirect` is set."""

    def __init__(self) -> None:
        self.fail_first, self.fail_status, self.redirect = 0, 500, False
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/ecredit"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def _answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            failing = len(self.requests) < self.fail_first
            status = 302 if self.redirect else self.fail_status if failing else 204
            self.requests.append(Received(path, headers, body, status))
            return status

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver._answer(self.path, dict(self.headers.items()), body)
                self.send_response(status)
                if status == 302:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        return Handler

    @property
    def succeeded(self) -> list[Received]:
        return [r for r in self.requests if 200 <= r.status < 300]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def hook_settings(settings: Settings) -> Settings:
    """Settings that allow plain http (the receiver is http://127.0.0.1) and time out fast."""
    return settings.model_copy(update={"webhook_allow_http": True, "webhook_timeout_seconds": 2.0})


@pytest.fixture
def clock() -> FixedClock:
    # A minute ahead of the wall clock: jobs enqueued now (events, deliveries) are already due.
    return FixedClock(datetime.now(UTC) + timedelta(minutes=1))


@pytest.fixture
def runner(hook_settings: Settings, clock: FixedClock) -> JobService:
    return JobService(registry, clock=clock, settings=hook_settings)


def platform_org(session: Session, vault: Vault) -> tuple[Organisation, Subject]:
    """A platform registered as a subject, and its organisation."""
    platform = subjects.platform(session, vault)
    return orgs.organisation(session, OrgKind.PLATFORM, subject_id=platform.id), platform


def merchant_on(session: Session, vault: Vault, platform: Subject, **values: Any) -> Subject:
    """A merchant (an enterprise unless told otherwise) with a shop on `platform`."""
    merchant = subjects.register(session, vault, **values)
    shop = ShopCreate(
        platform_id=platform.id,
        merchant_id=merchant.id,
        shop_code=f"shop{next(_serial)}",
        name="测试店铺",
    )
    subject_service.add_shop(session, shop, orgs.principal(orgs.organisation(session)))
    return merchant


def subscribe(
    session: Session,
    settings: Settings,
    vault: Vault,
    org: Organisation,
    url: str,
    scope: SubscriptionScope = SubscriptionScope.OWN_MERCHANTS,
    event_types: tuple[str, ...] = ("list_entry.*",),
) -> tuple[Subscription, str]:
    """(the subscription, its secret) of `org`."""
    data = SubscriptionCreate(url=url, scope=scope, event_types=list(event_types))
    return subscription_service.create(session, settings, vault, orgs.principal(org), data)
