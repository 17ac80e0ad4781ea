"""Every from/to pair of LIST_TRANSITIONS: an allowed move succeeds with its notice, timeline
event and subscription event; a forbidden one is a 409 that changes nothing. Publicity is counted
in Chinese working days; an entry becomes effective only after publicity, expires only after
validity."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.jobs.events import FAN_OUT_JOB
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, Forbidden, InvalidInput
from ecredit.listing.service import remove
from ecredit.models.audit import TimelineEvent
from ecredit.models.jobs import Job
from ecredit.models.listing import LIST_TRANSITIONS, ListStatus
from ecredit.models.notice import Notice
from ecredit.models.org import OrgKind
from ecredit.parameters.service import parameter_service
from tests.factories import lists, orgs
from tests.factories import subjects as make

PAIRS = list(LIST_TRANSITIONS.all_pairs(ListStatus))


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Notice, TimelineEvent, Job)
    )


def _events(session: Session, entry_id: int) -> list[str]:
    jobs = session.scalars(select(Job).where(Job.name == FAN_OUT_JOB).order_by(Job.id))
    return [j.payload["event_type"] for j in jobs if j.payload["data"]["entry_id"] == entry_id]


class TestTransitionMatrix:
    def test_table_allows_exactly_the_documented_moves(self) -> None:
        allowed = {(a.value, b.value) for a, b, ok in PAIRS if ok}
        assert allowed == {
            ("proposed", "under_review"),
            ("proposed", "rejected"),
            ("under_review", "publicised"),
            ("under_review", "rejected"),
            ("publicised", "effective"),
            ("publicised", "rejected"),
            ("publicised", "removed"),
            ("effective", "expired"),
            ("effective", "removed"),
        }
        assert len(PAIRS) == 49

    @pytest.mark.parametrize(
        ("current", "target"),
        [(a, b) for a, b, ok in PAIRS if ok],
        ids=[f"{a}->{b}" for a, b, ok in PAIRS if ok],
    )
    def test_moves_with_notice_timeline_and_event_when_transition_allowed(
        self, session: Session, vault: Vault, current: ListStatus, target: ListStatus
    ) -> None:
        service = lists.service_on()
        subject = make.enterprise(session, vault)
        entry = lists.entry_in(session, service, subject.id, current)
        version = entry.version
        service.transition(session, entry.id, target, "经核查", SYSTEM)
        assert (entry.status, entry.version) == (target, version + 1)
        notice = session.scalars(
            select(Notice).where(
                Notice.entity_id == entry.id, Notice.kind == f"list_{target.value}"
            )
        ).one()
        assert notice.subject_id == subject.id
        assert "电子商务领域严重失信主体名单" in notice.title
        kinds = [
            e.kind
            for e in session.scalars(
                select(TimelineEvent).where(
                    TimelineEvent.entity == "list_entry", TimelineEvent.entity_id == entry.id
                )
            )
        ]
        assert kinds[-1] == f"list_{target.value}"
        assert _events(session, entry.id)[-1] == f"list_entry.{target.value}"

    @pytest.mark.parametrize(
        ("current", "target"),
        [(a, b) for a, b, ok in PAIRS if not ok],
        ids=[f"{a}->{b}" for a, b, ok in PAIRS if not ok],
    )
    def test_conflict_and_nothing_changes_when_transition_forbidden(
        self, session: Session, vault: Vault, current: ListStatus, target: ListStatus
    ) -> None:
        service = lists.service_on()
        entry = lists.entry_in(session, service, make.enterprise(session, vault).id, current)
        before, version = _counts(session), entry.version
        with pytest.raises(Conflict) as caught:
            service.transition(session, entry.id, target, "经核查", SYSTEM)
        assert caught.value.status_code == 409
        session.flush()
        assert (entry.status, entry.version, _counts(session)) == (current, version, before)


class TestProposal:
    def test_notice_and_proposed_event_when_proposed_by_decision(
        self, session: Session, vault: Vault
    ) -> None:
        subject = make.enterprise(session, vault)
        entry = lists.propose(session, lists.service_on(), subject.id)
        assert (entry.status, entry.origin, entry.version) == (ListStatus.PROPOSED, "decision", 1)
        notice = session.scalars(select(Notice).where(Notice.entity_id == entry.id)).one()
        assert notice.title == "列入电子商务领域严重失信主体名单提议告知书"
        assert "陈述、申辩" in notice.body
        assert _events(session, entry.id) == ["list_entry.proposed"]

    def test_conflict_when_live_entry_of_kind_exists(self, session: Session, vault: Vault) -> None:
        service = lists.service_on()
        subject = make.enterprise(session, vault)
        lists.propose(session, service, subject.id)
        with pytest.raises(Conflict, match="already has a proposed entry"):
            lists.propose(session, service, subject.id)

    def test_forbidden_when_platform_proposes(self, session: Session, vault: Vault) -> None:
        platform = orgs.principal(orgs.organisation(session, OrgKind.PLATFORM))
        subject = make.enterprise(session, vault)
        with pytest.raises(Forbidden, match="platform may not propose"):
            lists.propose(session, lists.service_on(), subject.id, by=platform)

    def test_invalid_when_list_not_for_subject_kind(self, session: Session, vault: Vault) -> None:
        carrier = make.register(session, vault, make.SubjectKind.LOGISTICS)
        with pytest.raises(InvalidInput, match="logistics cannot be put on"):
            lists.propose(session, lists.service_on(), carrier.id)


class TestPublicity:
    NATIONAL_DAY_EVE = date(2026, 9, 30)

    def test_counts_working_days_across_national_day_when_publicised(
        self, session: Session, vault: Vault
    ) -> None:
        service = lists.service_on(self.NATIONAL_DAY_EVE)
        entry = lists.entry_in(
            session, service, make.enterprise(session, vault).id, ListStatus.UNDER_REVIEW
        )
        service.transition(session, entry.id, ListStatus.PUBLICISED, None, SYSTEM)
        # Oct 1-7 are holidays; Oct 8, 9, 10 (a make-up Saturday), 12, 13, 14, 15.
        assert (entry.publicity_from, entry.publicity_until) == (
            self.NATIONAL_DAY_EVE,
            date(2026, 10, 15),
        )
        notice = session.scalars(select(Notice).where(Notice.kind == "list_publicised")).one()
        assert "2026年10月15日止" in notice.body
        assert "异议" in notice.body

    def test_refuses_effective_when_publicity_not_over(
        self, session: Session, vault: Vault
    ) -> None:
        service = lists.service_on(self.NATIONAL_DAY_EVE)
        entry = lists.entry_in(
            session, service, make.enterprise(session, vault).id, ListStatus.UNDER_REVIEW
        )
        service.transition(session, entry.id, ListStatus.PUBLICISED, None, SYSTEM)
        last_day = lists.service_on(date(2026, 10, 15))
        with pytest.raises(Conflict, match="publicity runs until 2026-10-15"):
            last_day.transition(session, entry.id, ListStatus.EFFECTIVE, None, SYSTEM)
        assert entry.status is ListStatus.PUBLICISED
        after = lists.service_on(date(2026, 10, 16))
        after.transition(session, entry.id, ListStatus.EFFECTIVE, None, SYSTEM)
        assert (entry.effective_from, entry.valid_until) == (date(2026, 10, 16), date(2029, 10, 16))

    def test_effective_same_day_when_kind_has_no_publicity(
        self, session: Session, vault: Vault
    ) -> None:
        service = lists.service_on()
        subject = make.enterprise(session, vault)
        entry = lists.entry_in(session, service, subject.id, ListStatus.UNDER_REVIEW, "watch_list")
        service.transition(session, entry.id, ListStatus.PUBLICISED, None, SYSTEM)
        service.transition(session, entry.id, ListStatus.EFFECTIVE, None, SYSTEM)
        assert (entry.publicity_until, entry.valid_until) == (lists.DAY, date(2026, 9, 2))

    def test_uses_parameter_when_publicity_days_changed(
        self, session: Session, vault: Vault
    ) -> None:
        parameter_service.set(session, "listing.publicity_workdays", 10, "地方规定")
        service = lists.service_on()  # Monday 2026-03-02: 10 working days → Monday 03-16
        entry = lists.entry_in(
            session, service, make.enterprise(session, vault).id, ListStatus.UNDER_REVIEW
        )
        service.transition(session, entry.id, ListStatus.PUBLICISED, None, SYSTEM)
        assert entry.publicity_until == date(2026, 3, 16)


class TestEndings:
    def test_invalid_when_rejected_without_reason(self, session: Session, vault: Vault) -> None:
        service = lists.service_on()
        entry = lists.propose(session, service, make.enterprise(session, vault).id)
        with pytest.raises(InvalidInput, match="reason: required"):
            service.transition(session, entry.id, ListStatus.REJECTED, " ", SYSTEM)
        assert entry.status is ListStatus.PROPOSED

    def test_refuses_expiry_when_still_valid(self, session: Session, vault: Vault) -> None:
        service = lists.service_on()
        entry = lists.entry_in(
            session, service, make.enterprise(session, vault).id, ListStatus.EFFECTIVE
        )
        entry.valid_until = lists.DAY
        with pytest.raises(Conflict, match="not yet expired"):
            service.transition(session, entry.id, ListStatus.EXPIRED, None, SYSTEM)

    def test_removed_with_notice_when_repair_calls_remove(
        self, session: Session, vault: Vault
    ) -> None:
        service = lists.service_on()
        entry = lists.entry_in(
            session, service, make.enterprise(session, vault).id, ListStatus.EFFECTIVE
        )
        removed = remove(session, entry.id, "信用修复申请已获准", SYSTEM)
        assert (removed.status, removed.end_reason) == (ListStatus.REMOVED, "信用修复申请已获准")
        notice = session.scalars(select(Notice).where(Notice.kind == "list_removed")).one()
        assert notice.title == "移出电子商务领域严重失信主体名单决定书"
