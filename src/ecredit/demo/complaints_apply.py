"""Complaints and reports of the demo city, in every state, through the complaint service on
clocks standing on their days: with the platform, settled there, referred, accepted, in
mediation, upheld in whole or part (with advance compensation from the platform's fund),
refused, withdrawn; reports being checked, extended, substantiated, refused (one anonymous).
Several are left late, and the escalation the hourly job runs is run for the anchor date, so the
desk shows overdue rows and escalated complaints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from ecredit.authz.principals import SYSTEM, Principal
from ecredit.complaint import compensation
from ecredit.complaint.schemas import (
    CompensationCreate,
    ComplaintCreate,
    ComplaintTransition,
    NotificationCreate,
    ReportCreate,
)
from ecredit.complaint.service import ComplaintService
from ecredit.demo.apply import CityBuilder
from ecredit.demo.credit_apply import noon
from ecredit.fund.schemas import ContributionCreate
from ecredit.fund.service import fund_service
from ecredit.kit.clock import FixedClock
from ecredit.models.complaint import Complaint, ComplaintCategory
from ecredit.models.fund import PayoutReason
from ecredit.models.subject import Shop
from ecredit.record.service import RecordService

# (step, days before the anchor): a status, "told" (outcome told), "extend", "pay:<amount>".
Steps = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Planned:
    kind: str  # complaint | report
    filed: int  # days before the anchor
    category: ComplaintCategory
    text: str
    steps: Steps = ()
    anonymous: bool = False


C = ComplaintCategory
COMPLAINTS = (
    Planned("complaint", 1, C.QUALITY, "收到的羽绒服充绒量明显不足，与详情页不符。"),
    Planned("complaint", 25, C.AFTER_SALES, "七日无理由退货申请被商家拒绝，平台未处理。"),
    Planned("complaint", 40, C.DELIVERY, "快递显示已签收但本人未收到包裹。", (("department", 38),)),
    Planned(
        "complaint",
        20,
        C.PRICE,
        "下单后商家以缺货为由要求加价发货。",
        (("mediated", 15), ("told", 14)),
    ),
    Planned(
        "complaint",
        30,
        C.CONTRACT,
        "定制家具逾期一个月未交付。",
        (("department", 27), ("mediation", 25)),
    ),
    Planned(
        "complaint",
        100,
        C.QUALITY,
        "电动车电池续航不足标称一半。",
        (("department", 98), ("mediation", 96)),
    ),
    Planned(
        "complaint",
        60,
        C.QUALITY,
        "所购品牌奶粉经鉴定为假冒产品，商家拒不退款。",
        (("department", 55), ("mediation", 50), ("upheld", 30), ("pay:399.00", 28), ("told", 27)),
    ),
    Planned(
        "complaint",
        50,
        C.FALSE_ADVERTISING,
        "宣传“有机认证”的蔬菜无任何认证。",
        (("department", 46), ("mediation", 44), ("partly_upheld", 20), ("pay:150.00", 19)),
    ),
    Planned(
        "complaint",
        35,
        C.OTHER,
        "认为商品颜色与图片略有差异。",
        (("department", 30), ("refused", 28), ("told", 27)),
    ),
    Planned(
        "complaint", 12, C.AFTER_SALES, "商家以各种理由拒绝开具购物发票。", (("withdrawn", 10),)
    ),
)
REPORTS = (
    Planned("report", 3, C.FAKE_REVIEWS, "该店铺在社群招募刷手，返现购买并要求五星好评。"),
    Planned("report", 30, C.FAKE_REVIEWS, "店铺大量好评来自同一批新注册账号。"),
    Planned("report", 25, C.PERSONAL_INFO, "商家将买家收货信息出售给第三方。", (("extend", 20),)),
    Planned(
        "report",
        40,
        C.FALSE_ADVERTISING,
        "直播间虚构原价后以“秒杀价”销售。",
        (("upheld", 30), ("told", 29)),
    ),
    Planned("report", 20, C.QUALITY, "店铺销售无厂名厂址的食品。", (("refused", 10),), True),
)
CONTACTS = (("陈静", "13704141001"), ("王磊", "13904142002"), ("李娜", "15004143003"),
            ("赵强", "18604144004"), ("孙丽", "13504145005"))  # fmt: skip
FUND_DEPOSIT = Decimal("50000.00")


class ComplaintBuilder:
    """Files and walks the demo's complaints and reports; it only flushes."""

    def __init__(self, city: CityBuilder, records: RecordService, anchor: date) -> None:
        self.city, self.session, self.records, self.anchor = city, city.session, records, anchor
        assert city.verifier is not None  # the market-regulation department decides
        self.decider: Principal = city.verifier

    def on(self, days_before: int) -> ComplaintService:
        clock = FixedClock(noon(self.anchor - timedelta(days=days_before)))
        return ComplaintService(
            RecordService(self.records.catalog, self.records.ledger_hash, clock)
        )

    def apply(self) -> None:
        shops = list(self.session.scalars(select(Shop).order_by(Shop.id)))
        self._funds(sorted({shop.platform_id for shop in shops}))
        for index, planned in enumerate(COMPLAINTS + REPORTS):
            item = self._file(planned, shops[(index * 7) % len(shops)], index)
            for step, days in planned.steps:
                self._step(item, step, days)
        self.on(0).escalate_overdue(self.session, SYSTEM, self.anchor)

    def _funds(self, platform_ids: list[int]) -> None:
        for platform_id in platform_ids:
            fund = fund_service.create(self.session, SYSTEM, platform_id)
            deposit = ContributionCreate(amount=FUND_DEPOSIT, idempotency_key="demo-deposit",
                                         memo="平台缴存消费者权益保证金")  # fmt: skip
            fund_service.contribute(self.session, SYSTEM, fund.id, deposit)

    def _file(self, planned: Planned, shop: Shop, index: int) -> Complaint:
        name, phone = CONTACTS[index % len(CONTACTS)]
        common = {
            "respondent_subject_id": shop.merchant_id,
            "category": planned.category,
            "description": planned.text,
            "attachment_refs": [f"凭证-{index + 1:03d}"],
        }
        service, vault = self.on(planned.filed), self.city.vault
        if planned.kind == "report":
            contact = {} if planned.anonymous else {"name": name, "phone": phone}
            data = ReportCreate.model_validate(common | contact | {"anonymous": planned.anonymous})
            return service.file_report(self.session, vault, data)
        order = {
            "platform_subject_id": shop.platform_id,
            "order_ref": f"DD2026{index + 1:06d}",
            "amount": Decimal("399.00"),
            "name": name,
            "phone": phone,
        }
        return service.file_complaint(
            self.session, vault, ComplaintCreate.model_validate(common | order)
        )

    def _step(self, item: Complaint, step: str, days: int) -> None:
        service, number = self.on(days), item.tracking_no
        if step == "told":
            told = NotificationCreate(channel="电话告知")
            service.mark_notified(self.session, number, told, self.decider)
        elif step == "extend":
            service.extend(self.session, number, "需调取平台交易数据核实", self.decider)
        elif step.startswith("pay:"):
            money = CompensationCreate(amount=Decimal(step[4:]), reason=PayoutReason.SELLER_REFUSED,
                                       memo="商家拒不赔付，平台先行赔付")  # fmt: skip
            compensation.compensate(self.session, self.city.vault, item, money, SYSTEM)
        else:
            reason = "经调查核实" if step != "withdrawn" else "消费者自愿撤回"
            data = ComplaintTransition.model_validate({"status": step, "reason": reason})
            service.transition(self.session, number, data, self.decider)
