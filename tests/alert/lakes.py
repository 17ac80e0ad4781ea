"""Small lakes for detection runs: the ring lake on a registered platform with shop S1, and a
reviews file that no engine can read (a truncated upload), so a detector fails for real."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ecredit.authz.principals import SYSTEM
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.subject.schemas import ShopCreate
from ecredit.subject.service import subject_service
from tests.detection.lake_fixture import ring_lake, write_orders
from tests.factories import subjects

# The ring lake's findings: four brushing shops (S1 registered, S2–S4 not) and one account ring.
BRUSHING, ACCOUNT_RINGS = 4, 1


def lake_with_rings(root: Path, db: Database, vault: Vault) -> tuple[int, int]:
    """(platform id, merchant id): the ring lake under `root` on a registered platform whose
    shop S1 belongs to the merchant."""
    with db.unit_of_work() as session:
        platform = subjects.platform(session, vault)
        merchant = subjects.enterprise(session, vault)
        shop = ShopCreate(
            platform_id=platform.id, merchant_id=merchant.id, shop_code="S1", name="一号店"
        )
        subject_service.add_shop(session, shop, SYSTEM)
        platform_id, merchant_id = platform.id, merchant.id
    orders = [dataclasses.replace(order, platform=platform_id) for order in ring_lake()]
    write_orders(root, orders)
    return platform_id, merchant_id


def lake_of_unregistered_platform(root: Path, db: Database, vault: Vault) -> int:
    """The ring lake under a platform id that names no subject (the lake of another registry,
    copied in): its findings are counted but raised about nobody. Returns that id."""
    with db.unit_of_work() as session:
        unregistered = subjects.platform(session, vault).id + 1000
    orders = [dataclasses.replace(order, platform=unregistered) for order in ring_lake()]
    write_orders(root, orders)
    return unregistered


def break_reviews(root: Path) -> None:
    """A reviews partition whose file is not Parquet: the review-ring detector fails on it."""
    folder = root / "reviews" / "platform=1" / "day=2026-03-01"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "part-truncated.parquet").write_bytes(b"PAR1 this upload was cut short")
