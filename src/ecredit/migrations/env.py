"""Alembic environment for ecredit.

The database comes from `config.attributes["connection"]` when a caller passes one (programmatic
use: `ecredit.kit.migrate`, tests), else from the URL in the config, else from Settings. Revision
files must stand alone, so our TypeDecorators are rendered as the plain SQLAlchemy types they
store as (`render_item`), never imported.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON, create_engine, pool
from sqlalchemy.engine import Connection

import ecredit.models  # registers every table on Base.metadata
from ecredit.config import Settings
from ecredit.kit.migrate import ensure_sqlite_directory
from ecredit.kit.types import StrEnumType, UTCDateTime

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = ecredit.models.Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render our column types as plain SQLAlchemy so revisions never import ecredit."""
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, StrEnumType):
        return f"sa.String(length={obj.impl.length})"
    if isinstance(obj, JSON) and "postgresql" in getattr(obj, "_variant_mapping", {}):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')"
    return False


def _options() -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        "render_as_batch": True,  # SQLite cannot ALTER most things: copy-and-move tables
        "compare_type": True,
        "render_item": render_item,
    }


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings().resolved_database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection: Connection) -> None:
    context.configure(connection=connection, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    url = _url()
    ensure_sqlite_directory(url)
    # A plain engine, not kit.db.make_engine: SQLite foreign keys stay off while batch
    # operations copy and drop tables.
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            _run_on(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
