"""`plan_city(merchants, seed)`: the whole demo city as data, a pure function of its arguments."""

from __future__ import annotations

import random

from ecredit.demo import names
from ecredit.demo.codes import ENTERPRISE, GOVERNMENT, CodeMaker
from ecredit.demo.merchants import MerchantPlanner
from ecredit.demo.plan import (
    AGENCIES,
    CARRIERS,
    COURIERS_PER_CARRIER,
    CREDIT_OFFICE,
    DEPARTMENTS,
    MANUFACTURERS,
    MINGDA_USCC,
    PLATFORMS,
    CityPlan,
    PlannedOrg,
    PlannedSubject,
    PlannedVerification,
)
from ecredit.models.org import OrgKind
from ecredit.models.subject import SubjectKind, VerificationMethod, VerificationStatus


def plan_city(merchants: int = 2000, seed: int = 2017) -> CityPlan:
    """The whole city, a pure function of its arguments."""
    rng = random.Random(seed)
    codes = CodeMaker(rng, taken={MINGDA_USCC})
    organisations = (*_government(codes), *_firms(rng, codes))
    makers = tuple(_firm(rng, codes, name, SubjectKind.MANUFACTURER) for name in MANUFACTURERS)
    planner = MerchantPlanner(
        rng, codes, reserved={o.name for o in organisations} | set(MANUFACTURERS)
    )
    return CityPlan(
        organisations=organisations,
        manufacturers=makers,
        merchants=planner.merchants(merchants),
        practitioners=planner.couriers(CARRIERS, COURIERS_PER_CARRIER),
    )


def _government(codes: CodeMaker) -> list[PlannedOrg]:
    office = PlannedOrg(
        CREDIT_OFFICE, OrgKind.CREDIT_OFFICE, uscc=codes.uscc(GOVERNMENT, names.CITY_CODE)
    )
    departments = [
        PlannedOrg(name, OrgKind.DEPARTMENT, department, codes.uscc(GOVERNMENT, names.CITY_CODE))
        for name, department in DEPARTMENTS
    ]
    return [office, *departments]


def _firms(rng: random.Random, codes: CodeMaker) -> list[PlannedOrg]:
    """Platforms, carriers and credit agencies: each an organisation and a registered subject."""
    groups = (
        (
            tuple(name for name, _domain, _prefix in PLATFORMS),
            OrgKind.PLATFORM,
            SubjectKind.PLATFORM,
        ),
        (CARRIERS, OrgKind.LOGISTICS, SubjectKind.LOGISTICS),
        (AGENCIES, OrgKind.CREDIT_AGENCY, SubjectKind.AGENCY),
    )
    domains = {name: domain for name, domain, _prefix in PLATFORMS}
    orgs = []
    for firm_names, org_kind, subject_kind in groups:
        for name in firm_names:
            subject = _firm(rng, codes, name, subject_kind, domains.get(name))
            orgs.append(PlannedOrg(name, org_kind, uscc=subject.uscc, subject=subject))
    return orgs


def _firm(
    rng: random.Random, codes: CodeMaker, name: str, kind: SubjectKind, domain: str | None = None
) -> PlannedSubject:
    where = names.district(rng)
    uscc = codes.uscc(ENTERPRISE, where.code)
    return PlannedSubject(
        kind=kind,
        name=name,
        region_code=where.code,
        address=names.address(rng, where),
        uscc=uscc,
        phone=names.phone(rng),
        legal_representative=names.person(rng).name,
        verification=PlannedVerification(
            VerificationStatus.VERIFIED, VerificationMethod.LICENCE_CHECK, f"YYZZ-{uscc}"
        ),
        domain=domain,
    )
