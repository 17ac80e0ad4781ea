"""Read models of a batch: the trace (internal and public) and the recall set, with CSV.

Events are always ordered by event_time (then id), whatever order they arrived in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.models.subject import Shop, Subject
from ecredit.models.trace import Batch, BusinessStep, ResponsibleRole, TraceEvent
from ecredit.subject.views import public_name
from ecredit.trace.schemas import (
    AffectedOrder,
    PartyRead,
    ProductInfo,
    PublicStep,
    PublicTraceAnswer,
    RecallSet,
    ShopRef,
    StepRead,
    TraceAnswer,
)

CSV_COLUMNS = (
    "order_ref",
    "shop_id",
    "shop_name",
    "waybill",
    "consumer_masked",
    "last_step",
    "last_event_time",
)


class _Lookup:
    """Subjects and shops named by a batch's events, loaded in two queries."""

    def __init__(self, session: Session, batch: Batch, events: list[TraceEvent]) -> None:
        subject_ids = {e.responsible_id for e in events} | {batch.product.manufacturer_id}
        shop_ids = {e.shop_id for e in events if e.shop_id is not None}
        self.subjects = {
            s.id: s for s in session.scalars(select(Subject).where(Subject.id.in_(subject_ids)))
        }
        self.shops = {s.id: s for s in session.scalars(select(Shop).where(Shop.id.in_(shop_ids)))}

    def party(self, subject_id: int, role: ResponsibleRole | None, public: bool) -> PartyRead:
        subject = self.subjects[subject_id]
        name = public_name(subject) if public else subject.name
        return PartyRead(id=subject.id, name=name, role=role)

    def shop(self, shop_id: int | None) -> ShopRef | None:
        shop = self.shops.get(shop_id) if shop_id is not None else None
        return ShopRef(id=shop.id, name=shop.name) if shop else None


def events_of(session: Session, batch: Batch) -> list[TraceEvent]:
    query = select(TraceEvent).where(TraceEvent.batch_id == batch.id)
    return list(session.scalars(query.order_by(TraceEvent.event_time, TraceEvent.id)))


def _product(batch: Batch) -> ProductInfo:
    product = batch.product
    return ProductInfo(
        gtin=product.gtin,
        name=product.name,
        category=product.category,
        batch_code=batch.batch_code,
        produced_on=batch.produced_on,
        expires_on=batch.expires_on,
    )


def _step(event: TraceEvent, lookup: _Lookup) -> StepRead:
    return StepRead(
        event_id=event.event_id,
        business_step=event.business_step,
        event_time=event.event_time,
        quantity=event.quantity,
        read_point=event.read_point,
        region_code=event.region_code,
        disposition=event.disposition,
        responsible=lookup.party(event.responsible_id, event.responsible_role, public=False),
        shop=lookup.shop(event.shop_id),
        order_ref=event.order_ref,
        waybill=event.waybill,
        consumer_masked=event.consumer_masked,
    )


def _recalled(events: Iterable[TraceEvent]) -> bool:
    return any(e.business_step is BusinessStep.RECALLED for e in events)


def trace_answer(session: Session, batch: Batch) -> TraceAnswer:
    """Where the batch came from, every step in time order with who answered for it, where it
    went (shops, orders) and the complaints about it."""
    events = events_of(session, batch)
    lookup = _Lookup(session, batch, events)
    steps = [_step(event, lookup) for event in events]
    shop_ids = dict.fromkeys(e.shop_id for e in events if e.shop_id is not None)
    return TraceAnswer(
        product=_product(batch),
        origin=lookup.party(batch.product.manufacturer_id, ResponsibleRole.MANUFACTURER, False),
        steps=steps,
        shops=[ref for shop_id in shop_ids if (ref := lookup.shop(shop_id))],
        orders=list(dict.fromkeys(e.order_ref for e in events if e.order_ref)),
        complaints=[s for s in steps if s.business_step is BusinessStep.COMPLAINED],
        recalled=_recalled(events),
    )


def public_trace(session: Session, batch: Batch) -> PublicTraceAnswer:
    """The trace a consumer may see by barcode: public names, no order or consumer data."""
    events = events_of(session, batch)
    lookup = _Lookup(session, batch, events)
    steps = [
        PublicStep(
            business_step=e.business_step,
            event_time=e.event_time,
            region_code=e.region_code,
            shop=lookup.shop(e.shop_id),
            responsible=lookup.party(e.responsible_id, e.responsible_role, public=True),
        )
        for e in events
    ]
    origin = lookup.party(batch.product.manufacturer_id, ResponsibleRole.MANUFACTURER, True)
    return PublicTraceAnswer(
        product=_product(batch), origin=origin, steps=steps, recalled=_recalled(events)
    )


def recall_set(session: Session, batch: Batch) -> RecallSet:
    """Every order, shop and (masked) consumer the batch reached."""
    events = events_of(session, batch)
    lookup = _Lookup(session, batch, events)
    orders: dict[str, AffectedOrder] = {}
    for event in events:
        if event.order_ref:
            orders[event.order_ref] = _merge(orders.get(event.order_ref), event, lookup)
    shop_ids = dict.fromkeys(e.shop_id for e in events if e.shop_id is not None)
    consumers = dict.fromkeys(e.consumer_index for e in events if e.consumer_index)
    masked = {e.consumer_index: e.consumer_masked or "" for e in events if e.consumer_index}
    return RecallSet(
        gtin=batch.product.gtin,
        batch_code=batch.batch_code,
        recalled=_recalled(events),
        orders=sorted(orders.values(), key=lambda o: o.order_ref),
        shops=[ref for shop_id in shop_ids if (ref := lookup.shop(shop_id))],
        consumers=[masked[index] for index in consumers],
    )


def _merge(known: AffectedOrder | None, event: TraceEvent, lookup: _Lookup) -> AffectedOrder:
    """An order's row, updated by a later event: the latest step, the first known details."""
    assert event.order_ref is not None
    return AffectedOrder(
        order_ref=event.order_ref,
        shop=(known.shop if known and known.shop else None) or lookup.shop(event.shop_id),
        waybill=(known.waybill if known else None) or event.waybill,
        consumer_masked=(known.consumer_masked if known else None) or event.consumer_masked,
        last_step=event.business_step,
        last_event_time=event.event_time,
    )


def recall_csv(found: RecallSet) -> str:
    """The affected orders as CSV (UTF-8, header row, one order a line)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for order in found.orders:
        writer.writerow(
            [
                _cell(value)
                for value in (
                    order.order_ref,
                    order.shop.id if order.shop else "",
                    order.shop.name if order.shop else "",
                    order.waybill or "",
                    order.consumer_masked or "",
                    order.last_step.value,
                    order.last_event_time.isoformat(),
                )
            ]
        )
    return out.getvalue()


def _cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
