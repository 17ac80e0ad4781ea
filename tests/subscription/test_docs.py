"""The receiver example in docs/webhooks.md works against real deliveries."""

from __future__ import annotations

import re
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ecredit.config import Settings
from ecredit.jobs.events import emit
from ecredit.jobs.service import JobService
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from tests.factories.webhooks import merchant_on, platform_org, subscribe

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def _example() -> dict[str, Any]:
    [code] = re.findall(r"## A receiver in 20 lines\n\n```python\n(.*?)```", DOC.read_text(), re.S)
    assert len([line for line in code.splitlines() if line.strip()]) <= 20
    namespace: dict[str, Any] = {"__name__": "webhook_example"}
    exec(compile(code, str(DOC), "exec"), namespace)
    return namespace


class TestReceiverExample:
    def test_accepts_each_event_once_when_delivered(
        self, db: Database, hook_settings: Settings, vault: Vault, runner: JobService
    ) -> None:
        example = _example()
        server = ThreadingHTTPServer(("127.0.0.1", 0), example["Webhook"])
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/"
            with db.unit_of_work() as session:
                org, platform = platform_org(session, vault)
                merchant = merchant_on(session, vault, platform)
                _sub, example["SECRET"] = subscribe(session, hook_settings, vault, org, url)
                event_id = emit(session, "list_entry.effective", merchant.id, {"entry_id": 1})
            runner.run_due(db)
        finally:
            server.shutdown()
            server.server_close()
        assert example["seen"] == {event_id}
