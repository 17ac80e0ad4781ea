"""The demo city as data: what `demo.city.plan_city` plans and `demo.apply` creates."""

from __future__ import annotations

from dataclasses import dataclass

from ecredit.demo.codes import with_uscc_check
from ecredit.models.org import OrgKind
from ecredit.models.subject import (
    MerchantForm,
    SubjectKind,
    VerificationMethod,
    VerificationStatus,
)

CREDIT_OFFICE = "本溪市社会信用体系建设领导小组办公室"
SAMR = "本溪市市场监督管理局"
DEPARTMENTS = (
    (SAMR, "samr"),
    ("本溪市商务局", "commerce"),
    ("本溪市邮政管理局", "post"),
    ("本溪市公安局", "police"),
    ("本溪市中级人民法院", "court"),
)
PLATFORMS = (  # name, domain, shop-code prefix
    ("本溪优品网", "youpin-bx.cn", "YP"),
    ("辽东集市", "liaodongjishi.com", "LD"),
    ("山城易购", "shanchengyigou.cn", "SC"),
)
CARRIERS = ("本溪顺捷快递有限公司", "辽东速运有限公司", "本溪城际快运有限公司", "山城速递有限公司")
AGENCIES = ("辽宁诚鉴信用评估有限公司", "本溪市信达信用管理有限公司")
MANUFACTURERS = (
    "桓仁冰谷酒庄有限公司", "本溪药都参业制药有限公司", "本溪山泉食品有限公司",
    "桓仁五女山蜂业有限公司", "本溪钢城五金制品有限公司", "本溪满族自治县林蛙养殖有限公司",
)  # fmt: skip
COURIERS_PER_CARRIER = 3

# The well-known merchant that docs and tests point at.
MINGDA_NAME = "本溪市明达电子商务有限公司"
MINGDA_USCC = with_uscc_check("91210502MA0UB8KM3")
MINGDA_DOMAIN = "mingda-bx.cn"
MINGDA_INITIALS = "bxsmd"


@dataclass(frozen=True)
class PlannedShop:
    platform: str  # the platform subject's name
    code: str
    name: str
    url: str


@dataclass(frozen=True)
class PlannedVerification:
    """Where a subject's real-name verification ends up, and the evidence it went through."""

    outcome: VerificationStatus
    method: VerificationMethod
    evidence_ref: str
    reason: str | None = None


@dataclass(frozen=True)
class PlannedSubject:
    kind: SubjectKind
    name: str
    region_code: str
    address: str
    form: MerchantForm | None = None
    uscc: str | None = None
    id_number: str | None = None
    phone: str | None = None
    legal_representative: str | None = None
    employer: str | None = None  # the employing subject's name
    registered_by: str = SAMR  # the registering organisation's name
    verification: PlannedVerification | None = None
    shops: tuple[PlannedShop, ...] = ()
    domain: str | None = None


@dataclass(frozen=True)
class PlannedOrg:
    name: str
    kind: OrgKind
    department: str | None = None
    uscc: str | None = None
    subject: PlannedSubject | None = None


@dataclass(frozen=True)
class CityPlan:
    organisations: tuple[PlannedOrg, ...]
    manufacturers: tuple[PlannedSubject, ...]
    merchants: tuple[PlannedSubject, ...]
    practitioners: tuple[PlannedSubject, ...]

    def subjects(self) -> list[PlannedSubject]:
        """Every planned subject, in the order `apply` registers them."""
        own = [org.subject for org in self.organisations if org.subject is not None]
        return [*own, *self.manufacturers, *self.merchants, *self.practitioners]
