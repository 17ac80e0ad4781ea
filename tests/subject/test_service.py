"""The registry service: who is registered with which identifiers; sealed personal data; shops."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from ecredit.models.audit import PersonalDataAccess
from ecredit.models.org import OrgKind
from ecredit.models.subject import MerchantForm, Shop, Subject, SubjectKind
from ecredit.subject.repository import subject_repository
from ecredit.subject.schemas import ShopCreate, SubjectCreate
from ecredit.subject.service import subject_service
from tests.factories import orgs
from tests.factories import subjects as make


def _problem(error: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, str]:
    [problem] = error.value.problems
    return problem.field, problem.rule


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Subject)) or 0


class TestRegister:
    @pytest.mark.parametrize(
        "form", [MerchantForm.ENTERPRISE, MerchantForm.INDIVIDUAL_BUSINESS], ids=str
    )
    def test_stores_uscc_when_merchant_is_an_organisation(
        self, session: Session, vault: Vault, form: MerchantForm
    ) -> None:
        code = make.uscc_number()
        subject = make.enterprise(session, vault, merchant_form=form, uscc=f" {code.lower()} ")
        stored = session.get(Subject, subject.id)
        assert stored is not None
        assert (stored.kind, stored.merchant_form, stored.uscc) == (
            SubjectKind.MERCHANT,
            form,
            code,
        )
        assert stored.id_number_sealed is None

    def test_stores_sealed_id_number_when_merchant_is_a_natural_person(
        self, session: Session, vault: Vault
    ) -> None:
        number = make.id_number()
        subject = make.natural_person(session, vault, id_number=number)
        assert subject.uscc is None
        assert subject.id_number_sealed is not None
        assert subject_repository.by_id_number_index(session, vault.index("id_number", number))

    @pytest.mark.parametrize(
        "kind",
        [SubjectKind.PLATFORM, SubjectKind.LOGISTICS, SubjectKind.AGENCY, SubjectKind.MANUFACTURER],
        ids=str,
    )
    def test_registers_organisation_kind_when_uscc_valid(
        self, session: Session, vault: Vault, kind: SubjectKind
    ) -> None:
        subject = make.register(session, vault, kind, name="本溪市明达电子商务有限公司")
        assert subject.kind is kind
        assert subject.uscc is not None
        assert (subject.name_initials, subject.name_pinyin[:12]) == (
            "bxsmddzswyxgs",
            "benxishiming",
        )

    def test_links_employer_when_practitioner_registered(
        self, session: Session, vault: Vault
    ) -> None:
        employer = make.enterprise(session, vault)
        person = make.register(session, vault, SubjectKind.PRACTITIONER, employer_id=employer.id)
        assert person.employer_id == employer.id
        assert person.id_number_sealed is not None

    def test_names_field_and_check_character_when_uscc_check_wrong(
        self, session: Session, vault: Vault
    ) -> None:
        bad, expected = make.with_wrong_check_character(make.uscc_number())
        with pytest.raises(InvalidInput) as error:
            make.enterprise(session, vault, uscc=bad)
        assert error.value.status_code == 422
        assert _problem(error) == ("uscc", "check_character")
        assert f"check character should be '{expected}', got '{bad[-1]}'" in error.value.message
        assert _count(session) == 0

    def test_names_id_number_when_its_check_character_wrong(
        self, session: Session, vault: Vault
    ) -> None:
        bad, _expected = make.with_wrong_check_character(make.id_number())
        with pytest.raises(InvalidInput) as error:
            make.natural_person(session, vault, id_number=bad)
        assert _problem(error) == ("id_number", "check_character")

    @pytest.mark.parametrize(
        ("values", "field", "rule"),
        [
            ({"merchant_form": None}, "merchant_form", "required"),
            ({"uscc": None}, "uscc", "required"),
            ({"phone": "12345"}, "phone", "format"),
            ({"id_number": "210502199001011234"}, "id_number", "forbidden"),
        ],
        ids=["no-form", "no-uscc", "bad-phone", "id-for-company"],
    )
    def test_refuses_enterprise_when_rule_broken(
        self, session: Session, vault: Vault, values: dict[str, object], field: str, rule: str
    ) -> None:
        with pytest.raises(InvalidInput) as error:
            make.enterprise(session, vault, **values)
        assert _problem(error) == (field, rule)
        assert _count(session) == 0

    @pytest.mark.parametrize(
        ("values", "field", "rule"),
        [
            ({"uscc": "91210502000000001X"}, "uscc", "forbidden"),
            ({"id_number": None}, "id_number", "required"),
        ],
        ids=["uscc", "no-id"],
    )
    def test_refuses_natural_person_when_identifier_wrong(
        self, session: Session, vault: Vault, values: dict[str, object], field: str, rule: str
    ) -> None:
        with pytest.raises(InvalidInput) as error:
            make.natural_person(session, vault, **values)
        assert _problem(error) == (field, rule)

    def test_refuses_merchant_form_when_kind_not_merchant(
        self, session: Session, vault: Vault
    ) -> None:
        data = make.subject_create(SubjectKind.PLATFORM).model_copy(
            update={"merchant_form": MerchantForm.ENTERPRISE}
        )
        with pytest.raises(InvalidInput) as error:
            subject_service.register(session, vault, data, SYSTEM)
        assert _problem(error) == ("merchant_form", "forbidden")

    def test_conflict_and_nothing_stored_when_uscc_duplicate(
        self, session: Session, vault: Vault
    ) -> None:
        code = make.uscc_number()
        make.enterprise(session, vault, uscc=code)
        with pytest.raises(Conflict, match="uscc"):
            make.register(session, vault, SubjectKind.LOGISTICS, uscc=code)
        assert _count(session) == 1

    def test_conflict_when_id_number_duplicate(self, session: Session, vault: Vault) -> None:
        number = make.id_number()
        make.natural_person(session, vault, id_number=number)
        with pytest.raises(Conflict, match="id_number"):
            make.natural_person(session, vault, name="李四", id_number=number)
        assert _count(session) == 1

    @pytest.mark.parametrize(
        ("employer", "rule"), [("missing", "exists"), ("practitioner", "kind")], ids=str
    )
    def test_refuses_practitioner_when_employer_unfit(
        self, session: Session, vault: Vault, employer: str, rule: str
    ) -> None:
        if employer == "missing":
            employer_id = 999_999
        else:
            boss = make.enterprise(session, vault)
            employer_id = make.register(
                session, vault, SubjectKind.PRACTITIONER, employer_id=boss.id
            ).id
        with pytest.raises(InvalidInput) as error:
            make.register(session, vault, SubjectKind.PRACTITIONER, employer_id=employer_id)
        assert _problem(error) == ("employer_id", rule)

    def test_requires_employer_when_practitioner(self, session: Session, vault: Vault) -> None:
        data = SubjectCreate(kind=SubjectKind.PRACTITIONER, name="王五", id_number=make.id_number())
        with pytest.raises(InvalidInput) as error:
            subject_service.register(session, vault, data, SYSTEM)
        assert _problem(error) == ("employer_id", "required")


class TestPersonalData:
    def test_columns_hold_no_plaintext_when_id_and_phone_stored(
        self, session: Session, vault: Vault
    ) -> None:
        number, phone = make.id_number(), make.phone_number()
        subject = make.natural_person(session, vault, id_number=number, phone=phone)
        row = session.execute(
            text("SELECT id_number_sealed, id_number_index, phone_sealed, phone_index FROM subject")
        ).one()
        for column in row:
            assert column is not None
            assert number not in column
            assert phone not in column
        assert row.id_number_index == vault.index("id_number", number)
        assert subject_repository.by_id_number_index(session, row.id_number_index) is subject

    def test_returns_plaintext_and_logs_access_when_personal_data_read(
        self, session: Session, vault: Vault
    ) -> None:
        number, phone = make.id_number(), make.phone_number()
        subject = make.natural_person(
            session, vault, id_number=number, phone=f"{phone[:3]}-{phone[3:]}"
        )
        data = subject_service.personal_data(session, vault, subject.id, "complaint 42")
        assert (data.id_number, data.phone) == (number, phone)
        [access] = session.scalars(select(PersonalDataAccess)).all()
        assert (access.subject_id, access.purpose) == (subject.id, "complaint 42")
        assert access.fields == ["id_number", "phone"]

    def test_not_found_and_no_log_when_subject_unknown(
        self, session: Session, vault: Vault
    ) -> None:
        with pytest.raises(NotFound):
            subject_service.personal_data(session, vault, 999_999, "curiosity")
        assert session.scalar(select(func.count()).select_from(PersonalDataAccess)) == 0


class TestShops:
    def _shop(self, platform_id: int, merchant_id: int, code: str = "S-1") -> ShopCreate:
        return ShopCreate(
            platform_id=platform_id, merchant_id=merchant_id, shop_code=code, name="旗舰店"
        )

    def test_adds_shop_when_platform_and_merchant_fit(self, session: Session, vault: Vault) -> None:
        platform, merchant = make.platform(session, vault), make.enterprise(session, vault)
        shop = subject_service.add_shop(session, self._shop(platform.id, merchant.id), SYSTEM)
        assert [s.id for s in subject_service.shops(session, merchant.id)] == [shop.id]

    def test_refuses_when_platform_is_not_a_platform(self, session: Session, vault: Vault) -> None:
        other, merchant = make.enterprise(session, vault), make.enterprise(session, vault)
        with pytest.raises(InvalidInput) as error:
            subject_service.add_shop(session, self._shop(other.id, merchant.id), SYSTEM)
        assert _problem(error) == ("platform_id", "kind")

    def test_conflict_when_shop_code_taken_on_platform(
        self, session: Session, vault: Vault
    ) -> None:
        platform, merchant = make.platform(session, vault), make.enterprise(session, vault)
        subject_service.add_shop(session, self._shop(platform.id, merchant.id), SYSTEM)
        with pytest.raises(Conflict, match="shop_code"):
            subject_service.add_shop(session, self._shop(platform.id, merchant.id), SYSTEM)
        assert session.scalar(select(func.count()).select_from(Shop)) == 1

    def test_platform_adds_shop_when_on_its_own_platform(
        self, session: Session, vault: Vault
    ) -> None:
        platform, merchant = make.platform(session, vault), make.enterprise(session, vault)
        org = orgs.organisation(session, OrgKind.PLATFORM, subject_id=platform.id)
        shop = subject_service.add_shop(
            session, self._shop(platform.id, merchant.id), orgs.principal(org)
        )
        assert shop.platform_id == platform.id

    def test_forbidden_when_platform_adds_shop_on_another_platform(
        self, session: Session, vault: Vault
    ) -> None:
        own, rival = make.platform(session, vault), make.platform(session, vault)
        merchant = make.enterprise(session, vault)
        org = orgs.organisation(session, OrgKind.PLATFORM, subject_id=own.id)
        with pytest.raises(Forbidden, match="own platform"):
            subject_service.add_shop(
                session, self._shop(rival.id, merchant.id), orgs.principal(org)
            )
        assert session.scalar(select(func.count()).select_from(Shop)) == 0
