"""Traceability rules: registering products and batches, ingesting trace events idempotently,
and recording a recall. Services flush, never commit."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.policies import may_report_trace_event
from ecredit.authz.principals import Principal
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from ecredit.kit.ids import validate_gtin
from ecredit.kit.masking import PersonalField, mask
from ecredit.models.subject import Shop, Subject, SubjectKind
from ecredit.models.trace import Batch, BusinessStep, Product, ResponsibleRole, TraceEvent
from ecredit.trace.schemas import (
    BatchCreate,
    IngestReport,
    IngestRow,
    ProductCreate,
    RecallCreate,
    TraceEventIn,
)

CONSUMER_PURPOSE = "consumer"


def consumer_index(vault: Vault, value: str) -> str:
    """The keyed blind index of a consumer reference (find one consumer's orders, keep none)."""
    return vault.index(CONSUMER_PURPOSE, value.strip())


class TraceService:
    def register_product(self, session: Session, data: ProductCreate) -> Product:
        gtin = validate_gtin(data.gtin)
        maker = session.get(Subject, data.manufacturer_id)
        if maker is None:
            raise NotFound(f"subject {data.manufacturer_id} not found")
        if maker.kind is not SubjectKind.MANUFACTURER:
            raise InvalidInput(
                "manufacturer_id",
                "kind",
                f"subject {maker.id} is a {maker.kind.value}, not a manufacturer",
            )
        if session.scalar(select(Product.id).where(Product.gtin == gtin)) is not None:
            raise Conflict(f"a product with GTIN {gtin} is already registered")
        product = Product(
            gtin=gtin, name=data.name.strip(), category=data.category, manufacturer_id=maker.id
        )
        session.add(product)
        session.flush()
        audit_service.record_event(
            session, "product", product.id, "registered", f"登记产品 {product.name}（GTIN {gtin}）"
        )
        return product

    def product(self, session: Session, gtin: str) -> Product:
        number = validate_gtin(gtin)
        product = session.scalar(select(Product).where(Product.gtin == number))
        if product is None:
            raise NotFound(f"no product with GTIN {number}")
        return product

    def add_batch(self, session: Session, gtin: str, data: BatchCreate) -> Batch:
        product = self.product(session, gtin)
        if data.produced_on and data.expires_on and data.expires_on < data.produced_on:
            raise InvalidInput(
                "expires_on", "after_production", "expires_on: must not be before produced_on"
            )
        if self._batch(session, product.id, data.batch_code) is not None:
            raise Conflict(f"batch {data.batch_code} of GTIN {product.gtin} already exists")
        batch = Batch(
            product_id=product.id,
            batch_code=data.batch_code,
            produced_on=data.produced_on,
            expires_on=data.expires_on,
        )
        session.add(batch)
        session.flush()
        return batch

    def batch(self, session: Session, gtin: str, batch_code: str) -> Batch:
        product = self.product(session, gtin)
        batch = self._batch(session, product.id, batch_code)
        if batch is None:
            raise NotFound(f"no batch {batch_code} of GTIN {product.gtin}")
        return batch

    def _batch(self, session: Session, product_id: int, code: str) -> Batch | None:
        query = select(Batch).where(Batch.product_id == product_id, Batch.batch_code == code)
        return session.scalar(query)

    def ingest(
        self, session: Session, vault: Vault, events: list[TraceEventIn], by: Principal
    ) -> IngestReport:
        """Store each new event; a known event id is a duplicate; a bad row is rejected alone."""
        ids = [event.event_id for event in events]
        seen = set(session.scalars(select(TraceEvent.event_id).where(TraceEvent.event_id.in_(ids))))
        rows: list[IngestRow] = []
        for index, event in enumerate(events):
            if event.event_id in seen:
                rows.append(IngestRow(index=index, event_id=event.event_id, status="duplicate"))
                continue
            try:
                session.add(self._event(session, vault, event, by))
            except (InvalidInput, NotFound, Forbidden) as exc:
                rows.append(
                    IngestRow(
                        index=index, event_id=event.event_id, status="rejected", message=exc.message
                    )
                )
                continue
            seen.add(event.event_id)
            rows.append(IngestRow(index=index, event_id=event.event_id, status="created"))
        session.flush()
        count = {
            s: sum(1 for r in rows if r.status == s) for s in ("created", "duplicate", "rejected")
        }
        return IngestReport(
            created=count["created"],
            duplicates=count["duplicate"],
            rejected=count["rejected"],
            rows=rows,
        )

    def _event(
        self, session: Session, vault: Vault, data: TraceEventIn, by: Principal
    ) -> TraceEvent:
        batch = self.batch(session, data.gtin, data.batch_code)
        if session.get(Subject, data.responsible_id) is None:
            raise NotFound(f"responsible subject {data.responsible_id} not found")
        shop = session.get(Shop, data.shop_id) if data.shop_id is not None else None
        if data.shop_id is not None and shop is None:
            raise NotFound(f"shop {data.shop_id} not found")
        platforms = set(
            session.scalars(select(Shop.platform_id).where(Shop.merchant_id == data.responsible_id))
        )
        if shop is not None:
            platforms.add(shop.platform_id)
        may_report_trace_event(by, data.responsible_id, platforms).enforce()
        consumer = (data.consumer_ref or "").strip() or None
        return TraceEvent(
            event_id=data.event_id,
            batch_id=batch.id,
            quantity=data.quantity,
            event_time=data.event_time.astimezone(UTC),
            read_point=data.read_point,
            region_code=data.region_code,
            business_step=data.business_step,
            disposition=data.disposition,
            responsible_id=data.responsible_id,
            responsible_role=data.responsible_role,
            order_ref=data.order_ref,
            shop_id=data.shop_id,
            waybill=data.waybill,
            consumer_index=consumer_index(vault, consumer) if consumer else None,
            consumer_masked=mask(PersonalField.PHONE, consumer),
            recorded_by=by.actor,
        )

    def recall(
        self, session: Session, gtin: str, batch_code: str, data: RecallCreate, by: Principal
    ) -> TraceEvent:
        """Record a `recalled` event on the batch (idempotent when the caller gives an id)."""
        batch = self.batch(session, gtin, batch_code)
        event_id = data.event_id or f"recall-{uuid.uuid4()}"
        known = session.scalar(select(TraceEvent).where(TraceEvent.event_id == event_id))
        if known is not None:
            return known
        responsible_id = data.responsible_id or batch.product.manufacturer_id
        if session.get(Subject, responsible_id) is None:
            raise NotFound(f"responsible subject {responsible_id} not found")
        role = (
            ResponsibleRole.MANUFACTURER
            if responsible_id == batch.product.manufacturer_id
            else ResponsibleRole.PLATFORM
        )
        event = TraceEvent(
            event_id=event_id,
            batch_id=batch.id,
            event_time=datetime.now(UTC),
            read_point=data.read_point,
            business_step=BusinessStep.RECALLED,
            disposition=data.reason,
            responsible_id=responsible_id,
            responsible_role=role,
            recorded_by=by.actor,
        )
        session.add(event)
        session.flush()
        audit_service.record_event(
            session,
            "product",
            batch.product_id,
            "recalled",
            f"召回批次 {batch_code}：{data.reason}",
        )
        return event


trace_service = TraceService()
