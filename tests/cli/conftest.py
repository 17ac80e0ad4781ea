"""Fixtures of the command tests: a migrated data directory (tests.support.cli)."""

from tests.support.cli import data_dir  # noqa: F401
