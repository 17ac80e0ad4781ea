"""No public endpoint returns an unmasked ID number, phone number or personal name.

The walk is generic: every public operation in the OpenAPI is called with every registered
subject substituted into its path and every probe into its required query parameters, so a
public route added later is covered without a new test (an unknown path parameter or a POST
without a sample body fails the walk until one is added here).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from stdnum.cn import uscc

from ecredit.authz.principals import SYSTEM
from ecredit.commitment.schemas import BreachCreate
from ecredit.commitment.service import CommitmentService
from ecredit.commitment.templates import load_templates
from ecredit.config import Settings
from ecredit.kit.db import Database
from ecredit.kit.masking import PersonalField, mask
from ecredit.ledger.service import ledger_service
from ecredit.models.record import PenaltyKind, Severity
from ecredit.models.subject import DomainClaim, DomainClaimStatus, VerificationStatus
from ecredit.record.schemas import RecordCreate
from ecredit.subject.schemas import ShopCreate
from ecredit.subject.service import subject_service
from tests.factories import subjects as make
from tests.factories.api import Api, running_app

PUBLIC = "/api/v1/public"
PERSON, PERSON_DOMAIN = "张三丰", "zhangsanfeng.shop"
REPRESENTATIVE = "李四光"


@dataclass
class Registry:
    person_id: int
    company_id: int
    id_number: str
    phone: str
    uscc: str
    record_ids: list[int]
    checkpoint_id: int

    @property
    def secrets(self) -> list[str]:
        given_names = [PERSON[1:], REPRESENTATIVE[1:]]
        return [self.id_number, self.phone, PERSON, REPRESENTATIVE, *given_names]

    @property
    def path_values(self) -> dict[str, list[str]]:
        ids = [str(self.person_id), str(self.company_id)]
        return {
            "subject_id": ids,
            "platform_id": ids,  # not platforms: the walk proves a 404, not a leak
            "code": [self.uscc, self.id_number],
            "record_id": [str(record_id) for record_id in self.record_ids],
            "checkpoint_id": [str(self.checkpoint_id)],
            "template_code": ["ecommerce_merchant", "logistics_carrier", "no_such_template"],
            "kind": ["ecommerce_serious_dishonesty", "watch_list", "no_such_list"],
            "gtin": ["6901234567892", "6901234567891"],  # unregistered; a bad check digit
            "batch": ["L2026A"],
            "tracking_no": ["TS-0000-0000-0000", "jb 1234 5678 9abc"],  # unknown: a 404
            "waybill": ["SD0000000001"],  # unregistered; tests/shipment shows a real one masked
        }

    @property
    def query_probes(self) -> list[str]:
        return [
            PERSON,
            "张三",
            "zsf",
            "zhangsanfeng",
            self.id_number,
            self.phone,
            "明达",
            self.uscc,
        ]


POST_BODIES: dict[str, list[dict[str, Any]]] = {
    f"{PUBLIC}/domain-reports": [
        {"domain": PERSON_DOMAIN},
        {"domain": "zhangsanfeng.shop".replace("o", "0")},
        {"domain": "zhangsanfemg.shop"},
    ],
    f"{PUBLIC}/subjects/{{subject_id}}/cases": [
        {
            "kind": "objection",
            "record_id": 1,
            "grounds": "处罚对象认定错误",
            "uscc": "91210502000000001X",
            "contact_name": "张三丰",
            "contact_phone": "13900001111",
        },
    ],
    f"{PUBLIC}/subjects/{{subject_id}}/cases/{{case_id}}/withdraw": [
        {"uscc": "91210502000000001X", "reason": "撤回"},
    ],
    f"{PUBLIC}/complaints": [
        {
            "respondent_subject_id": 1,
            "category": "quality",
            "order_ref": "O-1",
            "description": "商品与描述严重不符。",
            "name": PERSON,
            "phone": "13900001111",
        },
    ],
    f"{PUBLIC}/reports": [
        {
            "respondent_subject_id": 2,
            "category": "fake_reviews",
            "description": "组织刷单虚假好评。",
            "name": PERSON,
            "phone": "13900001111",
            "address": "平山区人民路1号",
        },
    ],
    f"{PUBLIC}/complaints/{{tracking_no}}/withdraw": [
        {"phone": "13900001111", "reason": "撤回"},
    ],
}


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[Api]:
    with running_app(settings, db) as running:
        yield running


@pytest.fixture
def registry(api: Api) -> Registry:
    number, phone = make.id_number(), make.phone_number()
    while uscc.is_valid(number):
        # 1 in 31 ID numbers is also a valid USCC: by-code would answer 404 naming the caller's
        # own input, which this walk cannot tell from a leak (which one depends on test order).
        number = make.id_number()
    with api.db.unit_of_work() as session:
        person = make.natural_person(
            session,
            api.vault,
            name=PERSON,
            id_number=number,
            phone=phone,
            legal_representative=PERSON,
            address="平山区人民路1号",
        )
        company = make.enterprise(
            session,
            api.vault,
            name="本溪市明达电子商务有限公司",
            legal_representative=REPRESENTATIVE,
            phone=make.phone_number(),
        )
        platform = make.platform(session, api.vault, name="明达商城平台有限公司")
        for subject in (person, company):
            subject.verification_status = VerificationStatus.VERIFIED
            shop = ShopCreate(
                platform_id=platform.id,
                merchant_id=subject.id,
                shop_code=f"S{subject.id}",
                name=f"旗舰店{subject.id}",
            )
            subject_service.add_shop(session, shop, SYSTEM)
        session.add(
            DomainClaim(
                subject_id=person.id,
                domain=PERSON_DOMAIN,
                token="t",
                status=DomainClaimStatus.VERIFIED,
            )
        )
        assert company.uscc is not None
        record_ids = [
            api.app.state.records.submit(session, penalty(subject.id, n), SYSTEM).id
            for n, subject in enumerate((person, company))
        ]
        commitments = CommitmentService(load_templates(), api.app.state.records)
        for subject in (person, company):
            signed = commitments.sign(session, subject.id, "ecommerce_merchant", {}, None, SYSTEM)
        breach = BreachCreate(summary="拒不履行七日无理由退货", evidence_refs=["complaint:1"])
        commitments.breach(session, signed.id, breach, SYSTEM)
        checkpoint = ledger_service.checkpoint(session, api.app.state.signer)
        return Registry(person.id, company.id, number, phone, company.uscc, record_ids,
                        checkpoint.id)  # fmt: skip


def penalty(subject_id: int, number: int) -> RecordCreate:
    return RecordCreate(
        subject_id=subject_id,
        type_code="administrative_penalty",
        severity=Severity.GENERAL,
        legal_basis="《中华人民共和国电子商务法》第七十七条",
        decision_no=f"本市监罚〔2026〕{number + 1}号",
        decision_date=date.today(),
        penalty_kind=PenaltyKind.FINE,
        amount=Decimal("5000"),
        summary="虚构交易、编造用户评价",
    )


def _operations(api: Api) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in api.app.openapi()["paths"].items()
        if path.startswith(PUBLIC)
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _get_urls(
    path: str, operation: dict[str, Any], registry: Registry
) -> Iterator[tuple[str, dict[str, str]]]:
    parameters = operation.get("parameters", [])
    in_path = [p["name"] for p in parameters if p["in"] == "path"]
    unknown = set(in_path) - set(registry.path_values)
    assert not unknown, f"{path}: add sample values for path parameters {unknown}"
    required = [p for p in parameters if p["in"] == "query" and p.get("required")]
    # Integer query parameters (checkpoint ids) take real ids; text ones take the probes.
    numbers = {p["name"] for p in required if p["schema"].get("type") == "integer"}
    texts = [p["name"] for p in required if p["name"] not in numbers]
    for values in itertools.product(*(registry.path_values[name] for name in in_path)):
        url = path
        for name, value in zip(in_path, values, strict=True):
            url = url.replace(f"{{{name}}}", value)
        for probe in registry.query_probes if texts else [""]:
            params = dict.fromkeys(texts, probe)
            yield url, params | dict.fromkeys(numbers, str(registry.checkpoint_id))


def _calls(api: Api, registry: Registry) -> Iterator[tuple[str, Any]]:
    for path, method, operation in _operations(api):
        if method == "get":
            for url, params in _get_urls(path, operation, registry):
                yield f"GET {url} {params}", api.client.get(url, params=params)
            continue
        assert path in POST_BODIES, f"{method} {path}: add sample bodies to POST_BODIES"
        for body in POST_BODIES[path]:
            yield f"{method.upper()} {path} {body}", api.client.request(method, path, json=body)


def _leaks(text: str, secrets: list[str]) -> list[str]:
    escaped = {secret: json.dumps(secret)[1:-1] for secret in secrets}  # \uXXXX forms too
    return [s for s in secrets if s in text or escaped[s] in text]


class TestPublicMasking:
    def test_no_plaintext_personal_data_when_any_public_route_called(
        self, api: Api, registry: Registry
    ) -> None:
        leaks, statuses = {}, []
        for call, response in _calls(api, registry):
            statuses.append(response.status_code)
            assert response.status_code < 500, f"{call}: {response.text}"
            if found := _leaks(response.text, registry.secrets):
                leaks[call] = found
        assert leaks == {}
        assert statuses.count(200) >= 10, "the walk must reach the public views"

    def test_shows_masked_forms_when_person_viewed(self, api: Api, registry: Registry) -> None:
        body = api.client.get(f"{PUBLIC}/subjects/{registry.person_id}").json()
        assert body["id_number"] == mask(PersonalField.ID_NUMBER, registry.id_number)
        assert body["id_number"].startswith("2105")
        assert body["id_number"].count("*") == 10
        assert (body["name"], body["legal_representative"]) == ("张**", "张**")
        assert body["verified_domains"] == [PERSON_DOMAIN]
        assert body["verification"]["verified"] is True

    def test_shows_company_name_and_masked_representative_when_company_viewed(
        self, api: Api, registry: Registry
    ) -> None:
        body = api.client.get(f"{PUBLIC}/subjects/by-code/{registry.uscc}").json()
        assert body["name"] == "本溪市明达电子商务有限公司"
        assert body["legal_representative"] == "李**"
        assert body["id_number"] is None

    def test_masks_person_name_when_found_by_search_or_domain_report(
        self, api: Api, registry: Registry
    ) -> None:
        hits = api.client.get(f"{PUBLIC}/search", params={"q": "zsf"}).json()
        assert [(hit["id"], hit["name"]) for hit in hits] == [(registry.person_id, "张**")]
        verdict = api.client.post(f"{PUBLIC}/domain-reports", json={"domain": PERSON_DOMAIN}).json()
        assert (verdict["owner_id"], verdict["owner_name"]) == (registry.person_id, "张**")

    def test_finds_nobody_when_public_searches_by_id_number(
        self, api: Api, registry: Registry
    ) -> None:
        response = api.client.get(f"{PUBLIC}/search", params={"q": registry.id_number})
        assert (response.status_code, response.json()) == (200, [])
        by_code = api.client.get(f"{PUBLIC}/subjects/by-code/{registry.id_number}")
        assert by_code.status_code in (404, 422)
