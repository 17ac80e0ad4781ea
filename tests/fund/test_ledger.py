"""The fund's double-entry ledger: balance, limits, idempotency, exact decimals, tampering."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ecredit.authz.principals import SYSTEM
from ecredit.cli import fund as fund_cli
from ecredit.cli.main import app as cli_app
from ecredit.fund import repository as repo
from ecredit.fund.reconcile import reconcile
from ecredit.fund.schemas import ContributionCreate, PayoutCreate, RecoveryCreate
from ecredit.fund.service import check_amount, fund_service
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.kit.errors import Conflict, InvalidInput
from ecredit.models.fund import AccountKind, JournalEntry, PayoutReason, Posting
from tests.fund.conftest import Setup, open_fund

K = AccountKind


def contribute(session: Session, s: Setup, amount: str, key: str) -> JournalEntry:
    data = ContributionCreate(amount=Decimal(amount), idempotency_key=key)
    return fund_service.contribute(session, SYSTEM, s.fund_id, data)[0]


def pay(session: Session, vault: Vault, s: Setup, amount: str, key: str) -> JournalEntry:
    data = PayoutCreate(amount=Decimal(amount), idempotency_key=key, seller_subject_id=s.seller_id,
                        consumer="13912345678", reason=PayoutReason.SELLER_REFUSED,
                        complaint_ref="TS-1")  # fmt: skip
    return fund_service.pay_out(session, SYSTEM, vault, s.fund_id, data)[0]


def recover(session: Session, s: Setup, amount: str, key: str) -> JournalEntry:
    data = RecoveryCreate(amount=Decimal(amount), idempotency_key=key,
                          seller_subject_id=s.seller_id)  # fmt: skip
    return fund_service.recover(session, SYSTEM, s.fund_id, data)[0]


def move(session: Session, vault: Vault, s: Setup, kind: str, amount: str, key: str) -> None:
    if kind == "c":
        contribute(session, s, amount, key)
    elif kind == "p":
        pay(session, vault, s, amount, key)
    else:
        recover(session, s, amount, key)


class TestDoubleEntry:
    def test_balances_equal_sums_when_contributed_paid_and_recovered(
        self, session: Session, vault: Vault, setup: Setup
    ) -> None:
        contribute(session, setup, "100.00", "c1")
        pay(session, vault, setup, "30.50", "p1")
        recover(session, setup, "10.25", "r1")
        balances = repo.account_balances(session, setup.fund_id)
        assert balances[K.FUND_CASH] == Decimal("79.75")
        assert balances[K.PAYOUTS_TO_CONSUMERS] == Decimal("30.50")
        assert repo.receivables(session, setup.fund_id) == {setup.seller_id: Decimal("20.25")}
        assert reconcile(session, setup.fund_id) == []

    def test_sums_are_exact_when_amounts_are_tenths(self, session: Session, setup: Setup) -> None:
        contribute(session, setup, "0.10", "a")
        contribute(session, setup, "0.20", "b")
        assert repo.cash(session, setup.fund_id) == Decimal("0.30")
        assert reconcile(session, setup.fund_id) == []

    def test_payout_is_refused_and_nothing_stored_when_over_balance(
        self, session: Session, vault: Vault, setup: Setup
    ) -> None:
        contribute(session, setup, "50.00", "c1")
        with pytest.raises(Conflict, match=r"cash balance of 50\.00"):
            pay(session, vault, setup, "50.01", "p1")
        assert session.scalar(select(func.count()).select_from(JournalEntry)) == 1
        assert repo.receivables(session, setup.fund_id) == {}

    def test_recovery_is_refused_when_over_receivable(
        self, session: Session, vault: Vault, setup: Setup
    ) -> None:
        contribute(session, setup, "50.00", "c1")
        pay(session, vault, setup, "20.00", "p1")
        with pytest.raises(Conflict, match=r"receivable 20\.00"):
            recover(session, setup, "20.01", "r1")

    def test_retry_returns_stored_entry_when_key_is_reused(
        self, session: Session, vault: Vault, setup: Setup
    ) -> None:
        first = contribute(session, setup, "50.00", "c1")
        assert contribute(session, setup, "50.00", "c1").id == first.id
        assert repo.cash(session, setup.fund_id) == Decimal("50.00")
        with pytest.raises(Conflict, match="idempotency key"):
            pay(session, vault, setup, "1.00", "c1")

    def test_consumer_is_stored_masked_and_indexed_when_paid(
        self, session: Session, vault: Vault, setup: Setup
    ) -> None:
        contribute(session, setup, "50.00", "c1")
        entry = pay(session, vault, setup, "5.00", "p1")
        assert entry.consumer_masked == "139****5678"
        assert entry.consumer_index == vault.index("consumer", "13912345678")

    @pytest.mark.parametrize(
        ("value", "rule"),
        [("0", "positive"), ("-1.00", "positive"), ("1.001", "max_2_decimal_places")],
    )
    def test_amount_is_refused_when_invalid(self, value: str, rule: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            check_amount(Decimal(value))
        assert (caught.value.problems[0].field, caught.value.problems[0].rule) == ("amount", rule)


class TestRandomSequences:
    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(st.lists(st.tuples(st.sampled_from("cpr"), st.integers(1, 100_000)), max_size=12))
    def test_reconcile_is_empty_when_any_sequence_is_posted(
        self, db: Database, vault: Vault, moves: list[tuple[str, int]]
    ) -> None:
        with db.session_factory() as session, session.begin_nested():
            s = open_fund(session, vault)
            expected = {"c": Decimal(0), "p": Decimal(0), "r": Decimal(0)}
            for n, (kind, cents) in enumerate(moves):
                amount = str(Decimal(cents) / 100)
                try:
                    move(session, vault, s, kind, amount, f"k{n}")
                except Conflict:
                    continue
                expected[kind] += Decimal(amount)
            assert reconcile(session, s.fund_id) == []
            cash = expected["c"] - expected["p"] + expected["r"]
            assert repo.cash(session, s.fund_id) == cash
            owed = repo.receivables(session, s.fund_id).get(s.seller_id, Decimal(0))
            assert owed == expected["p"] - expected["r"]
            session.rollback()


class TestTampering:
    def test_reconcile_and_check_fail_naming_entry_when_posting_amount_changed(
        self, db: Database, vault: Vault, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        with db.unit_of_work() as session:
            s = open_fund(session, vault)
            entry = contribute(session, s, "10.00", "c1")
            entry_id = entry.id
        with db.unit_of_work() as session:
            posting = session.scalar(select(Posting.id).where(Posting.entry_id == entry_id))
            session.execute(
                update(Posting).where(Posting.id == posting).values(amount=Decimal("11.00"))
            )
        with db.unit_of_work() as session:
            first = reconcile(session)[0]
        assert (first.entry_id, first.rule) == (entry_id, "entry_unbalanced")
        monkeypatch.setattr(fund_cli, "load", lambda: _Ctx(db))
        result = CliRunner().invoke(cli_app, ["fund", "check"])
        assert result.exit_code == 1, result.output
        assert f"entry {entry_id}" in result.output
        assert "entry_unbalanced" in result.output


class _Ctx:
    def __init__(self, db: Database) -> None:
        self.db = db

    def unit_of_work(self) -> Any:
        return self.db.unit_of_work()
