"""The one typed settings object. Nothing else in the package reads os.environ.

Settings are built once at an edge (the app factory, a CLI command, the worker) and passed down;
nothing reads them at import time, so tests and tools can build their own.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import ByteSize, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Cipher(StrEnum):
    """Symmetric cipher used for personal data at rest."""

    AES_GCM = "aes-gcm"
    SM4_GCM = "sm4-gcm"


class LedgerHash(StrEnum):
    """Hash of the record ledger: SHA-256, or SM3 (GB/T 32905) for commercial-crypto deployments.
    Fixed when the ledger's first entry is written."""

    SHA256 = "sha256"
    SM3 = "sm3"


class Settings(BaseSettings):
    """Runtime configuration, read from ECREDIT_* environment variables (or a .env file)."""

    model_config = SettingsConfigDict(env_prefix="ECREDIT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("var"), description="Where the embedded database and keys live.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; SQLite under data_dir if unset."
    )
    # Keys are base64 strings. When unset on the embedded default they are generated on first
    # start into data_dir/keys.json (never committed); a production deployment sets them.
    data_key: str | None = None
    blind_index_key: str | None = None
    session_secret: str | None = None
    personal_data_cipher: Cipher = Cipher.AES_GCM
    # The ledger's Ed25519 signing key (base64 of the 32-byte private seed). Generated on first
    # start into data_dir on the embedded default, never committed.
    ledger_signing_key: str | None = None
    ledger_hash: LedgerHash = LedgerHash.SHA256
    # Extra or replacement credit-information catalogue files (*.toml), read after the packaged
    # catalogue: an operator adds a record type by editing data, not code.
    catalog_dir: Path | None = None
    # Trusted-website check: the scheme and an optional host override exist so tests can serve
    # the proof file from 127.0.0.1 without TLS.
    website_check_scheme: str = "https"
    website_check_host_override: str | None = None
    website_check_timeout_seconds: float = 5.0
    # Webhooks go to https URLs only; tests (and a closed network) allow plain http.
    webhook_allow_http: bool = False
    webhook_timeout_seconds: float = 5.0
    run_jobs_in_server: bool | None = Field(
        None, description="Run due jobs inside `ecredit serve`; defaults to on for SQLite."
    )
    # The lake of uploaded orders, reviews, traffic, prices and shipments: any fsspec URL or
    # path (s3://…, memory://…); <data_dir>/lake when unset.
    lake_url: str | None = None
    # The engine the scheduled detector run uses: embedded DuckDB, or Spark (`pip install
    # ecredit[spark]`; local mode unless the Spark session is configured for a cluster).
    detection_engine: Literal["duckdb", "spark"] = "duckdb"
    # Request body limits, in bytes or as "2GiB", "20MiB": a body past its endpoint's limit is
    # refused with 413 before it is read (by its Content-Length) or as soon as the streamed bytes
    # pass the limit. Measured weights (docs/operations.md): a million lake orders as NDJSON
    # ~130 MiB; a 1,000-row 双公示 CSV 0.3 MiB (6.8 MiB with 2,000-character facts); a 1,000-record
    # JSON batch 1.5 MiB (20 MiB with every summary at its 4,000-character maximum).
    lake_upload_limit: ByteSize = Field(ByteSize(2 << 30), description="One lake file.")
    spreadsheet_upload_limit: ByteSize = Field(ByteSize(20 << 20), description="One 双公示 file.")
    json_body_limit: ByteSize = Field(ByteSize(32 << 20), description="Other API bodies.")
    form_body_limit: ByteSize = Field(ByteSize(1 << 20), description="Portal forms.")
    log_json: bool = True
    log_level: str = "INFO"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ecredit.sqlite3').as_posix()}"

    @property
    def resolved_lake_url(self) -> str:
        return self.lake_url or (self.data_dir / "lake").as_posix()

    @property
    def is_embedded(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def jobs_in_server(self) -> bool:
        if self.run_jobs_in_server is None:
            return self.is_embedded
        return self.run_jobs_in_server
