"""The demo lake: the platforms of the demo city upload a month through the real lake path, every
detector finds exactly what was planted there (and not the evasive episode), the alerts name the
city's registered merchants, and seeding again adds nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.alert.runs import DETECT_JOB
from ecredit.alert.schemas import AlertFilter
from ecredit.alert.service import alert_service
from ecredit.authz.principals import Scope, principal_for_user
from ecredit.config import Settings
from ecredit.demo import plan_city, seed_demo
from ecredit.demo.credit_plan import plan_credit
from ecredit.demo.lake_apply import LakeBuilder, month_rows
from ecredit.demo.lake_orders import month_orders
from ecredit.demo.lake_plan import LakePlan, PlatformCast, month_before, plan_lake
from ecredit.detection.brushing_oracle import oracle_shop
from ecredit.detection.engine import DATASETS, open_lake
from ecredit.detection.finding import Finding
from ecredit.detection.run import run_detectors
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import SHANGHAI
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.kit.errors import Conflict
from ecredit.kit.paging import PageRequest
from ecredit.lake.store import LakeStore
from ecredit.models.alert import Alert, SubjectMatch
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.lake import BatchStatus, LakeBatch
from ecredit.models.org import User
from ecredit.models.subject import Subject, VerificationStatus
from ecredit.record.service import EVALUATION_JOB

MERCHANTS, SEED = 60, 2017
ANCHOR = date(2026, 11, 2)
RING_ACCOUNTS = {f"U{800_001 + n:06d}" for n in range(15)}


def _plan() -> LakePlan:
    city = plan_city(MERCHANTS, SEED)
    return plan_lake(city, plan_credit(city, SEED, ANCHOR), ANCHOR)


@pytest.fixture
def store(settings: Settings) -> LakeStore:
    return LakeStore(settings.resolved_lake_url)


@pytest.fixture
def seeded(db: Database, settings: Settings, store: LakeStore) -> LakePlan:
    vault = Vault.from_settings(settings)
    seed_demo(db, vault, merchants=MERCHANTS, seed=SEED, anchor=ANCHOR, lake=store)
    return _plan()


def _platform_ids(db: Database) -> dict[str, int]:
    with db.unit_of_work() as session:
        rows = session.execute(select(Subject.name, Subject.id).where(Subject.kind == "platform"))
        return dict(rows.tuples().all())


def _found(store: LakeStore) -> dict[str, list[Finding]]:
    runs = run_detectors(open_lake(store.url))
    assert [run.skipped for run in runs] == [None] * len(runs)
    return {run.name: run.findings for run in runs}


def _shops(findings: list[Finding]) -> set[tuple[int, str | None]]:
    return {(f.platform_id, f.shop_code) for f in findings}


class TestDemoLake:
    def test_every_detector_finds_exactly_what_was_planted(
        self, db: Database, store: LakeStore, seeded: LakePlan
    ) -> None:
        youpin, liaodong, shancheng = seeded.casts
        ids = _platform_ids(db)
        yp, ld, sc = (ids[cast.platform] for cast in seeded.casts)
        found = _found(store)

        brushing = found["brushing"]
        assert _shops(brushing) == {(yp, youpin.brushing)}  # not the evasive shop
        assert brushing[0].score == 5.0  # 15 orders from 3 buyers, well over the ratio of 3
        (ring,) = found["account_ring"]
        assert (ring.platform_id, ring.evidence["brushing_shops"]) == (yp, [youpin.brushing])
        assert list(ring.key) == sorted(brushing[0].evidence["buyers"])
        assert {s["attribute"] for s in ring.evidence["shared"]} == {"device_id", "payment_account"}
        reviews = found["review_ring"]
        assert _shops(reviews) == {(ld, shop) for shop in liaodong.review_ring}
        assert {name for f in reviews for name in f.evidence["reviewers"]} == RING_ACCOUNTS
        (bots,) = found["fake_traffic"]
        assert (bots.platform_id, bots.shop_code, bots.key[0]) == (sc, shancheng.bot_traffic, "bot")
        (parcels,) = found["empty_parcel"]
        assert (parcels.platform_id, parcels.shop_code) == (yp, youpin.empty_parcels)
        assert parcels.evidence["suspect_shipments"] == 6
        (discount,) = found["price_fraud"]
        assert (discount.platform_id, discount.shop_code) == (ld, liaodong.fake_discount)
        assert discount.evidence["violations"] == ["fabricated_reference"]

    def test_alerts_name_the_registered_merchants_of_the_planted_shops(
        self, db: Database, store: LakeStore, seeded: LakePlan
    ) -> None:
        names = {subject_id: name for name, subject_id in _platform_ids(db).items()}
        findings = [f for run in _found(store).values() for f in run]
        with db.unit_of_work() as session:
            counts = alert_service.raise_findings(session, findings)
            alerts = session.scalars(select(Alert)).all()
            owners = {a.id: session.get_one(Subject, a.subject_id).name
                      for a in alerts if a.subject_id is not None}  # fmt: skip
        assert (counts.raised, counts.unknown_shop) == (len(findings), 0)
        for alert in alerts:
            if alert.detector == "account_ring":  # accounts, not a shop
                assert alert.subject_match is SubjectMatch.NO_SHOP
                continue
            assert alert.subject_match is SubjectMatch.MATCHED
            planned = seeded.owners[(names[alert.platform_id], alert.shop_code or "")]
            assert owners[alert.id] == planned
        assert len(set(owners.values())) == 10  # one merchant a part; the evasive one unseen

    def test_the_first_detection_run_is_queued_at_once_and_raises_the_planted_alerts(
        self, db: Database, settings: Settings, store: LakeStore, seeded: LakePlan
    ) -> None:
        with db.unit_of_work() as session:
            queued = session.scalars(select(Job).where(Job.name == DETECT_JOB)).all()
            assert [job.status for job in queued] == [JobStatus.QUEUED]
        JobService(registry, settings=settings).run_due(db, limit=10_000)  # the seed's jobs too
        with db.unit_of_work() as session:
            job = session.scalars(select(Job).where(Job.name == DETECT_JOB)).one()
            assert job.status is JobStatus.DONE, job.last_error
        planted = sum(len(found) for found in _found(store).values())
        with db.unit_of_work() as session:
            assert session.scalar(select(func.count()).select_from(Alert)) == planted

    def test_the_first_detection_run_is_claimed_before_the_seeds_evaluation_backlog(
        self, db: Database, settings: Settings, seeded: LakePlan
    ) -> None:
        with db.unit_of_work() as session:
            detect_id = session.scalars(select(Job.id).where(Job.name == DETECT_JOB)).one()
            before = select(func.count()).where(
                Job.name == EVALUATION_JOB, Job.status == JobStatus.QUEUED, Job.id < detect_id
            )
            backlog = session.scalar(before) or 0
        assert backlog >= MERCHANTS  # queued by the seed's records, ahead of it
        assert JobService(registry, settings=settings).run_due(db, limit=1) == 1
        with db.unit_of_work() as session:
            job = session.get_one(Job, detect_id)
            assert job.status is JobStatus.DONE, job.last_error
            assert session.scalar(before) == backlog  # not one of them ran first
            assert (session.scalar(select(func.count()).select_from(Alert)) or 0) > 0

    def test_each_platform_operator_reads_only_its_own_shops_alerts(
        self, db: Database, store: LakeStore, seeded: LakePlan
    ) -> None:
        findings = [f for run in _found(store).values() for f in run]
        with db.unit_of_work() as session:
            alert_service.raise_findings(session, findings)
            operators = session.scalars(select(User).where(User.username.like("%.operator")))
            principals = [principal_for_user(user) for user in operators]
            seen = {
                principal.org_subject_id: {
                    alert.platform_id
                    for alert in alert_service.page(
                        session, principal, PageRequest(1, 100), AlertFilter()
                    ).items
                }
                for principal in principals
            }
        assert all(principal.has(Scope.ALERT_READ) for principal in principals)
        with_alerts = {f.platform_id for f in findings}
        assert len(seen) == 3
        assert len(with_alerts) >= 2
        for platform_id, platforms in seen.items():
            assert platforms == ({platform_id} if platform_id in with_alerts else set())

    def test_seeding_again_adds_no_lake_rows(
        self, db: Database, settings: Settings, store: LakeStore, seeded: LakePlan
    ) -> None:
        before = _lake_contents(store)
        with db.unit_of_work() as session:
            assert _batches(session) == {(ds, BatchStatus.COMPLETE, 0) for ds in DATASETS}
            again = LakeBuilder(session, store, SEED).apply(seeded)
        assert len(again) == 15
        assert not any(created for _batch, created in again)
        with pytest.raises(Conflict):  # the whole demo refuses a second time
            seed_demo(db, Vault.from_settings(settings), merchants=MERCHANTS, seed=SEED,
                      anchor=ANCHOR, lake=store)  # fmt: skip
        assert _lake_contents(store) == before
        with db.unit_of_work() as session:
            assert session.scalar(select(func.count()).select_from(LakeBatch)) == 15


def _lake_contents(store: LakeStore) -> tuple[list[str], dict[str, int]]:
    """The lake's files and each dataset's rows."""
    files = sorted(store.fs.find(store.root))
    lake = open_lake(store.url)
    return files, {ds: int(lake.table(ds).count().to_pyarrow().as_py()) for ds in DATASETS}


def _batches(session: Session) -> set[tuple[str, BatchStatus, int]]:
    rows = session.execute(select(LakeBatch.dataset, LakeBatch.status, LakeBatch.rows_rejected))
    return {tuple(row) for row in rows}  # type: ignore[misc]


class TestLakePlan:
    def test_month_ends_when_the_anchor_day_begins_in_beijing(self) -> None:
        month = month_before(ANCHOR)
        assert month.end == datetime.combine(ANCHOR, time(0), tzinfo=SHANGHAI)
        assert month.end - month.start == timedelta(days=30)
        assert month.batch_key == "demo-month-2026-10-03"
        assert month.end.astimezone(UTC) < datetime(2026, 11, 2, tzinfo=UTC)

    def test_same_plan_and_seed_give_the_same_rows(self) -> None:
        plan = _plan()
        for cast in plan.casts:
            assert month_rows(cast, plan.month, SEED) == month_rows(cast, plan.month, SEED)
        assert month_rows(plan.casts[0], plan.month, SEED) != month_rows(
            plan.casts[0], plan.month, SEED + 1
        )

    def test_planted_parts_go_to_distinct_verified_merchants_without_dishonest_records(
        self,
    ) -> None:
        city = plan_city(MERCHANTS, SEED)
        credit = plan_credit(city, SEED, ANCHOR)
        plan = plan_lake(city, credit, ANCHOR)
        by_name = {m.name: m for m in city.merchants}
        planted = [(cast.platform, shop) for cast in plan.casts for shop in _planted_shops(cast)]
        owners = [plan.owners[key] for key in planted]
        assert len(planted) == len(set(owners)) == 11
        marked = {r.subject for r in credit.records if r.type_code != "administrative_licence"}
        for owner in owners:
            verification = by_name[owner].verification
            assert verification is not None
            assert verification.outcome is VerificationStatus.VERIFIED
            assert owner not in marked

    def test_evasive_episode_stays_just_under_the_ratio_of_three(self) -> None:
        plan = _plan()
        cast = plan.casts[0]
        orders, _shipments = month_orders(cast, plan.month, SEED)
        episode = _shop_rows(orders, cast.evasive)
        assert oracle_shop(episode) is None
        assert oracle_shop(episode, min_ratio=8 / 3) is not None  # 8 orders, 3 buyers
        assert oracle_shop(_shop_rows(orders, cast.brushing), min_ratio=5) is not None


def _planted_shops(cast: PlatformCast) -> list[str]:
    single = (cast.brushing, cast.evasive, cast.empty_parcels, cast.bot_traffic,
              cast.fake_discount)  # fmt: skip
    return [shop for shop in single if shop] + list(cast.review_ring)


def _shop_rows(orders: list[dict[str, object]], shop: str | None) -> list[tuple[int, int, int]]:
    """(row, buyer, time in µs) of a shop's orders, as the brushing oracle takes them."""
    buyers: dict[object, int] = defaultdict(lambda: len(buyers))
    return [
        (row, buyers[o["buyer_id"]],
         int(datetime.fromisoformat(str(o["order_time"])).timestamp() * 1_000_000))
        for row, o in enumerate(orders) if o["shop_id"] == shop
    ]  # fmt: skip


def test_a_city_of_platforms_only_uploads_nothing_planted() -> None:
    """A tiny city leaves out the parts it has no quiet merchants for, rather than failing."""
    city = plan_city(1, SEED)  # only the well-known merchant, who plays no part
    plan = plan_lake(city, plan_credit(city, SEED, ANCHOR), ANCHOR)
    assert [_planted_shops(cast) for cast in plan.casts] == [[], [], []]
    assert all(cast.shops for cast in plan.casts)
