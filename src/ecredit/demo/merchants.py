"""Planning the merchants (and the carriers' couriers) of the demo city."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from ecredit.demo import names
from ecredit.demo.codes import ENTERPRISE, INDIVIDUAL_BUSINESS, CodeMaker
from ecredit.demo.plan import (
    MINGDA_DOMAIN,
    MINGDA_INITIALS,
    MINGDA_NAME,
    MINGDA_USCC,
    PLATFORMS,
    SAMR,
    PlannedShop,
    PlannedSubject,
    PlannedVerification,
)
from ecredit.models.subject import (
    MerchantForm,
    SubjectKind,
    VerificationMethod,
    VerificationStatus,
)
from ecredit.subject.names import full_pinyin, initials

Status = VerificationStatus
Method = VerificationMethod
FORMS = (MerchantForm.ENTERPRISE, MerchantForm.INDIVIDUAL_BUSINESS, MerchantForm.NATURAL_PERSON)
FORM_WEIGHTS = (70, 20, 10)
# Where verification ends: ~70 % verified, 10 % pending, 5 % rejected, 3 % revoked, 12 % never.
OUTCOMES = (Status.VERIFIED, Status.PENDING, Status.REJECTED, Status.REVOKED, Status.UNVERIFIED)
OUTCOME_WEIGHTS = (70, 10, 5, 3, 12)
FIRM_METHODS = ((Method.LICENCE_CHECK, Method.BANK_CHECK, Method.PHONE_CHECK), (60, 25, 15))
PERSON_METHODS = ((Method.IDENTITY_CHECK, Method.BANK_CHECK, Method.PHONE_CHECK), (60, 20, 20))
EVIDENCE_PREFIX = {
    Method.LICENCE_CHECK: "YYZZ",
    Method.IDENTITY_CHECK: "SFHY",
    Method.BANK_CHECK: "YHK",
    Method.PHONE_CHECK: "SJH",
}
REJECTIONS = (
    "营业执照信息与登记信息不一致",
    "身份证件照片不清晰，无法核验",
    "经营地址无法核实",
    "法定代表人身份核验未通过",
    "银行账户户名与主体名称不一致",
)
REVOCATIONS = (
    "营业执照已被吊销",
    "经营异常名录：通过登记的住所无法联系",
    "冒用他人身份信息登记，经核查属实",
    "主体已注销",
)
SHOP_COUNT_WEIGHTS = (60, 30, 10)  # one, two or three shops
DIRECT_REGISTRATION_SHARE = 0.05  # registered at the regulator's counter, not by a platform
DOMAIN_SHARE = 0.02  # enterprises that claim their own website
TLDS = ("cn", "com", "com.cn")
MINGDA_SHOP_NUMBER = "1000001"


@dataclass(frozen=True)
class _Identity:
    name: str
    uscc: str | None = None
    id_number: str | None = None
    legal_representative: str | None = None
    domain: str | None = None


class MerchantPlanner:
    """Draws merchants one by one; names, codes, shop codes and domains never repeat."""

    def __init__(self, rng: random.Random, codes: CodeMaker, reserved: set[str]) -> None:
        self.rng = rng
        self.codes = codes
        self.names: set[str] = {MINGDA_NAME, *reserved}
        self.shop_codes: set[tuple[str, str]] = set()
        self.domains: set[str] = {MINGDA_DOMAIN, *(domain for _n, domain, _p in PLATFORMS)}
        self.evidence = 0

    def merchants(self, count: int) -> tuple[PlannedSubject, ...]:
        if count <= 0:
            return ()
        return (self._mingda(), *(self._merchant() for _ in range(count - 1)))

    def couriers(self, carriers: tuple[str, ...], per_carrier: int) -> tuple[PlannedSubject, ...]:
        planned = []
        for carrier in carriers:
            for _ in range(per_carrier):
                who, where = self._person(), names.district(self.rng)
                planned.append(
                    PlannedSubject(
                        kind=SubjectKind.PRACTITIONER,
                        name=who.name,
                        region_code=where.code,
                        address=names.address(self.rng, where),
                        id_number=self.codes.resident_id(where.code, where.birth_years, who.male),
                        phone=names.phone(self.rng),
                        employer=carrier,
                        registered_by=carrier,
                        verification=self._verification(Status.VERIFIED, Method.IDENTITY_CHECK),
                    )
                )
        return tuple(planned)

    def _mingda(self) -> PlannedSubject:
        shops = []
        for platform, domain, prefix in PLATFORMS:  # fixed codes, so docs can point at them
            code = f"{prefix}{MINGDA_SHOP_NUMBER}"
            self.shop_codes.add((platform, code))
            url = f"https://{domain}/shop/{code}"
            shops.append(PlannedShop(platform, code, "明达数码旗舰店", url))
        return PlannedSubject(
            kind=SubjectKind.MERCHANT,
            name=MINGDA_NAME,
            region_code="210502",
            address="辽宁省本溪市平山区胜利路66号明达大厦5层",
            form=MerchantForm.ENTERPRISE,
            uscc=MINGDA_USCC,
            phone="13941400517",
            legal_representative="孙立明",
            registered_by=PLATFORMS[0][0],
            verification=self._verification(Status.VERIFIED, Method.LICENCE_CHECK),
            shops=tuple(shops),
            domain=MINGDA_DOMAIN,
        )

    def _merchant(self) -> PlannedSubject:
        form = self.rng.choices(FORMS, weights=FORM_WEIGHTS)[0]
        where = names.district(self.rng)
        if form is MerchantForm.NATURAL_PERSON:
            who = self._person()
            number = self.codes.resident_id(where.code, where.birth_years, who.male)
            identity = _Identity(who.name, id_number=number)
            shops = self._shops(lambda: names.person_shop_name(self.rng, who))
        else:
            trade = names.brand(self.rng)
            identity = self._firm_identity(form, where, trade)
            shops = self._shops(lambda: names.shop_name(self.rng, trade))
        return PlannedSubject(
            kind=SubjectKind.MERCHANT,
            region_code=where.code,
            address=names.address(self.rng, where),
            form=form,
            phone=names.phone(self.rng),
            registered_by=self._registrar(shops),
            verification=self._draw_verification(form),
            shops=shops,
            name=identity.name,
            uscc=identity.uscc,
            id_number=identity.id_number,
            legal_representative=identity.legal_representative,
            domain=identity.domain,
        )

    def _firm_identity(self, form: MerchantForm, where: names.District, trade: str) -> _Identity:
        """Name, USCC, legal representative and (for a few enterprises) a website."""
        if form is MerchantForm.ENTERPRISE:
            name = self._unique(lambda: names.enterprise_name(self.rng, where, trade))
            category = ENTERPRISE
        else:
            name = self._unique(lambda: names.business_name(self.rng, where, trade))
            category = INDIVIDUAL_BUSINESS
        return _Identity(
            name,
            uscc=self.codes.uscc(category, where.code),
            legal_representative=self._person().name,
            domain=self._domain(trade) if form is MerchantForm.ENTERPRISE else None,
        )

    def _person(self) -> names.Person:
        while True:
            who = names.person(self.rng)
            if who.name not in self.names:
                self.names.add(who.name)
                return who

    def _unique(self, make: Callable[[], str]) -> str:
        """A name not used yet whose initials do not compete with the well-known merchant's."""
        while True:
            name = make()
            if name not in self.names and not initials(name).startswith(MINGDA_INITIALS):
                self.names.add(name)
                return name

    def _shops(self, make_name: Callable[[], str]) -> tuple[PlannedShop, ...]:
        count = self.rng.choices((1, 2, 3), weights=SHOP_COUNT_WEIGHTS)[0]
        platforms = self.rng.sample([name for name, _d, _p in PLATFORMS], count)
        return tuple(self._shop(platform, make_name()) for platform in platforms)

    def _shop(self, platform: str, name: str) -> PlannedShop:
        domain, prefix = next((d, p) for n, d, p in PLATFORMS if n == platform)
        while True:
            code = f"{prefix}{self.rng.randrange(10**7):07d}"
            if (platform, code) not in self.shop_codes:
                self.shop_codes.add((platform, code))
                return PlannedShop(platform, code, name, f"https://{domain}/shop/{code}")

    def _registrar(self, shops: tuple[PlannedShop, ...]) -> str:
        return SAMR if self.rng.random() < DIRECT_REGISTRATION_SHARE else shops[0].platform

    def _draw_verification(self, form: MerchantForm) -> PlannedVerification | None:
        outcome = self.rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]
        if outcome is Status.UNVERIFIED:
            return None
        methods, weights = PERSON_METHODS if form is MerchantForm.NATURAL_PERSON else FIRM_METHODS
        return self._verification(outcome, self.rng.choices(methods, weights=weights)[0])

    def _verification(self, outcome: Status, method: Method) -> PlannedVerification:
        self.evidence += 1
        reason = None
        if outcome is Status.REJECTED:
            reason = self.rng.choice(REJECTIONS)
        elif outcome is Status.REVOKED:
            reason = self.rng.choice(REVOCATIONS)
        evidence = f"{EVIDENCE_PREFIX[method]}-2017-{self.evidence:06d}"
        return PlannedVerification(outcome, method, evidence, reason)

    def _domain(self, trade: str) -> str | None:
        if self.rng.random() >= DOMAIN_SHARE:
            return None
        while True:
            suffix = self.rng.choice(("", "bx", "-bx", "88"))
            domain = f"{full_pinyin(trade)}{suffix}.{self.rng.choice(TLDS)}"
            if domain not in self.domains:
                self.domains.add(domain)
                return domain
