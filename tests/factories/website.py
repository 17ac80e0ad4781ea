"""A real local web server that serves (or does not serve) the trusted-website proof file."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ecredit.config import Settings
from ecredit.subject.website import PROOF_PATH


class ProofServer:
    """Serves `content` at the proof path; `content = None` answers 404 there."""

    def __init__(self) -> None:
        self.content: str | None = None
        self.requests: list[tuple[str, str | None]] = []  # (path, Host header)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("Host")))
                if self.path != PROOF_PATH or server.content is None:
                    self.send_error(404)
                    return
                body = server.content.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def checking_against(settings: Settings, port: int) -> Settings:
    """Settings whose website check fetches http://127.0.0.1:<port> for every domain."""
    return settings.model_copy(
        update={
            "website_check_scheme": "http",
            "website_check_host_override": f"127.0.0.1:{port}",
            "website_check_timeout_seconds": 2.0,
        }
    )


@pytest.fixture
def proof_server() -> Iterator[ProofServer]:
    server = ProofServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def website_settings(settings: Settings, proof_server: ProofServer) -> Settings:
    return checking_against(settings, proof_server.port)
