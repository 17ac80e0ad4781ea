"""Loading the demo lake through the real upload path: each platform uploads its month of
orders, shipments, reviews, traffic and prices as NDJSON files, validated row by row and appended
as Parquet partitions by `lake_service.upload`, as the API and `ecredit lake upload` do.

Every batch carries the month's key (`Month.batch_key`) and the file's bytes are a pure function
of the plan and the seed, so loading the same month again replays the stored batches and adds
nothing. Runs inside the caller's unit of work (it only flushes).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from ecredit.alert import jobs as alert_jobs  # noqa: F401  (registers the job's handler)
from ecredit.alert.runs import DETECT_JOB
from ecredit.authz.principals import Principal, Scope
from ecredit.demo.lake_orders import Row, month_orders
from ecredit.demo.lake_plan import LakePlan, Month, PlatformCast
from ecredit.demo.lake_signals import month_prices, month_reviews, month_traffic
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.lake.readers import FileFormat
from ecredit.lake.service import Upload, hash_file, lake_service
from ecredit.lake.store import LakeStore
from ecredit.models.jobs import JobPriority
from ecredit.models.lake import LakeBatch
from ecredit.models.org import Organisation, OrgKind
from ecredit.org.service import organisation_service


def month_rows(cast: PlatformCast, month: Month, seed: int) -> dict[str, list[Row]]:
    """One platform's month, by lake dataset."""
    orders, shipments = month_orders(cast, month, seed)
    return {
        "orders": orders,
        "shipments": shipments,
        "reviews": month_reviews(cast, month, seed, orders),
        "traffic": month_traffic(cast, month, seed),
        "prices": month_prices(cast, month, seed),
    }


def ndjson(rows: Iterable[Row]) -> bytes:
    """One JSON object a line, as a platform would upload them."""
    lines = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows)
    return "".join(lines).encode()


class LakeBuilder:
    """Uploads a `LakePlan` for each of its platforms, acting as that platform."""

    def __init__(self, session: Session, store: LakeStore, seed: int) -> None:
        self.session, self.store, self.seed = session, store, seed

    def apply(self, plan: LakePlan) -> list[tuple[LakeBatch, bool]]:
        """Every batch, with whether this call created it (False: it was already stored)."""
        done = []
        with tempfile.TemporaryDirectory(prefix="ecredit-demo-lake-") as folder:
            for cast in plan.casts:
                org = organisation_service.get_by_name(self.session, cast.platform)
                for dataset, rows in month_rows(cast, plan.month, self.seed).items():
                    path = Path(folder) / f"{cast.number}-{dataset}.ndjson"
                    path.write_bytes(ndjson(rows))
                    done.append(self._upload(org, dataset, plan.month.batch_key, path))
        return done

    def _upload(
        self, org: Organisation, dataset: str, key: str, path: Path
    ) -> tuple[LakeBatch, bool]:
        assert org.kind is OrgKind.PLATFORM, f"{org.name} is not a platform"
        assert org.subject_id is not None, f"{org.name} has no platform subject"
        acting = Principal(
            actor=f"org:{org.id}",
            organisation_id=org.id,
            org_kind=org.kind,
            org_subject_id=org.subject_id,
            scopes=frozenset({Scope.LAKE_UPLOAD}),
        )
        upload = Upload(path, hash_file(path), FileFormat.NDJSON)
        return lake_service.upload(
            self.session, self.store, acting, org.subject_id, dataset, key, upload
        )


def detect_soon(session: Session) -> None:
    """The detection job queued now rather than at its first night, so the demo's alerts are
    there as soon as a job runner starts (`serve --demo`, `ecredit worker`): interactive, so it
    runs before the seed's records' re-evaluations queued before it."""
    JobService(registry).enqueue(session, DETECT_JOB, priority=JobPriority.INTERACTIVE)
