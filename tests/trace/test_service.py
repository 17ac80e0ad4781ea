"""Traceability rules: GTIN validation naming the rule, idempotent and order-independent event
ingestion, consumer references kept only as a blind index and a masked form."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, InvalidInput
from ecredit.models.subject import SubjectKind
from ecredit.models.trace import BusinessStep, ProductCategory, TraceEvent
from ecredit.trace import views
from ecredit.trace.schemas import ProductCreate, RecallCreate
from ecredit.trace.service import consumer_index, trace_service
from tests.factories import subjects as make
from tests.factories import trace as factory
from tests.factories.subjects import with_wrong_check_character


def _product(session: Session, vault: Vault, gtin: str) -> ProductCreate:
    maker = make.register(session, vault, SubjectKind.MANUFACTURER)
    return ProductCreate(
        gtin=gtin, name="奶粉", category=ProductCategory.FOOD, manufacturer_id=maker.id
    )


class TestProductRegistration:
    def test_names_field_and_check_digit_when_gtin_check_digit_wrong(
        self, session: Session, vault: Vault
    ) -> None:
        wrong, expected = with_wrong_check_character(factory.gtin())
        with pytest.raises(InvalidInput) as caught:
            trace_service.register_product(session, _product(session, vault, wrong))
        problem = caught.value.problems[0]
        assert (problem.field, problem.rule) == ("gtin", "check_character")
        assert f"should be '{expected}', got '{wrong[-1]}'" in problem.message

    @pytest.mark.parametrize(
        ("value", "rule"), [("6901234", "length"), ("690123456789X", "charset")]
    )
    def test_names_rule_when_gtin_malformed(
        self, session: Session, vault: Vault, value: str, rule: str
    ) -> None:
        with pytest.raises(InvalidInput) as caught:
            trace_service.register_product(session, _product(session, vault, value))
        assert (caught.value.problems[0].field, caught.value.problems[0].rule) == ("gtin", rule)

    def test_refuses_when_manufacturer_is_not_a_manufacturer(
        self, session: Session, vault: Vault
    ) -> None:
        data = _product(session, vault, factory.gtin())
        data.manufacturer_id = make.enterprise(session, vault).id
        with pytest.raises(InvalidInput) as caught:
            trace_service.register_product(session, data)
        assert caught.value.problems[0].field == "manufacturer_id"

    def test_conflicts_when_gtin_registered_twice(self, session: Session, vault: Vault) -> None:
        data = _product(session, vault, factory.gtin())
        trace_service.register_product(session, data)
        with pytest.raises(Conflict):
            trace_service.register_product(session, data)


class TestIngestion:
    def test_stores_once_and_reports_duplicate_when_event_resent(
        self, session: Session, vault: Vault
    ) -> None:
        chain = factory.chain(session, vault)
        first = trace_service.ingest(session, vault, [chain.event("e1", "listed", 1)], SYSTEM)
        again = [
            chain.event("e1", "listed", 1),
            chain.event("e2", "sold", 2),
            chain.event("e2", "sold", 2),
        ]
        second = trace_service.ingest(session, vault, again, SYSTEM)
        assert (first.created, first.duplicates) == (1, 0)
        assert [row.status for row in second.rows] == ["duplicate", "created", "duplicate"]
        stored = session.scalars(select(TraceEvent.event_id).order_by(TraceEvent.event_id))
        assert list(stored) == ["e1", "e2"]

    def test_orders_chain_by_event_time_when_events_arrive_out_of_order(
        self, session: Session, vault: Vault
    ) -> None:
        chain = factory.chain(session, vault)
        late = [
            chain.event(
                "e3",
                "shipped",
                3,
                responsible_id=chain.carrier_id,
                responsible_role="carrier",
                waybill="SF100",
            )
        ]
        early = [chain.event("e2", "sold", 2, order_ref="O-1"), chain.event("e1", "listed", 1)]
        trace_service.ingest(session, vault, late, SYSTEM)
        trace_service.ingest(session, vault, early, SYSTEM)
        answer = views.trace_answer(session, trace_service.batch(session, chain.gtin, "L2026A"))
        assert [s.event_id for s in answer.steps] == ["e1", "e2", "e3"]
        assert answer.steps[2].responsible.id == chain.carrier_id

    def test_rejects_row_alone_when_batch_unknown(self, session: Session, vault: Vault) -> None:
        chain = factory.chain(session, vault)
        rows = [chain.event("e1", "listed", 1), chain.event("e2", "sold", 2, batch_code="NOPE")]
        report = trace_service.ingest(session, vault, rows, SYSTEM)
        assert [r.status for r in report.rows] == ["created", "rejected"]
        assert "no batch NOPE" in (report.rows[1].message or "")

    def test_keeps_only_index_and_mask_when_consumer_reference_given(
        self, session: Session, vault: Vault
    ) -> None:
        chain = factory.chain(session, vault)
        event = chain.event("e1", "sold", 1, order_ref="O-1", consumer_ref="13900001234")
        trace_service.ingest(session, vault, [event], SYSTEM)
        stored = session.scalars(select(TraceEvent)).one()
        assert stored.consumer_index == consumer_index(vault, "13900001234")
        assert stored.consumer_masked == "139****1234"
        assert "13900001234" not in {str(v) for v in vars(stored).values()}


class TestRecall:
    def test_records_recalled_event_once_when_recall_repeated_with_id(
        self, session: Session, vault: Vault
    ) -> None:
        chain = factory.chain(session, vault)
        data = RecallCreate(reason="菌落总数超标", event_id="recall-1")
        first = trace_service.recall(session, chain.gtin, "L2026A", data, SYSTEM)
        again = trace_service.recall(session, chain.gtin, "L2026A", data, SYSTEM)
        assert first.id == again.id
        assert first.business_step is BusinessStep.RECALLED
        assert first.responsible_id == chain.manufacturer_id
