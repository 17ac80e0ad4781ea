"""Fixtures of the lake tests: a lake root on local disk and on fsspec's memory filesystem."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecredit.lake.store import LakeStore
from tests.factories.api import api, client  # noqa: F401
from tests.factories.subjects import vault  # noqa: F401
from tests.support.cli import data_dir  # noqa: F401


@pytest.fixture(params=["local", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LakeStore]:
    """The same tests on a local folder and on memory://, as any fsspec root must behave."""
    if request.param == "local":
        yield LakeStore((tmp_path / "lake").as_posix())
        return
    lake = LakeStore(f"memory://lake-{uuid.uuid4().hex}")
    yield lake
    if lake.fs.exists(lake.root):
        lake.fs.rm(lake.root, recursive=True)


def files_under(store: LakeStore) -> list[str]:
    """Every file below the root (temporaries included), relative to it."""
    if not store.fs.exists(store.root):
        return []
    found = store.fs.find(store.root, withdirs=False)
    return sorted(path.removeprefix(store.root + "/").lstrip("/") for path in found)
