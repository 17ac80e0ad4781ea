"""The evaluation routes: staff snapshots, on-demand runs, the public grade and platform view."""

from __future__ import annotations

from datetime import date

from ecredit.authz.principals import SYSTEM, Scope
from ecredit.models.subject import VerificationMethod, VerificationStatus
from tests.factories import commitments as shops
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.factories.api import Api

V1 = "/api/v1"


def merchant_with_brushing(api: Api) -> tuple[int, int]:
    """(a verified merchant with a fresh order-brushing record, that record's id)."""
    with api.db.unit_of_work() as session:
        merchant = make.enterprise(session, api.vault)
        merchant.verification_status = VerificationStatus.VERIFIED
        merchant.verification_method = VerificationMethod.LICENCE_CHECK
        session.flush()
        record = api.app.state.records.submit(
            session, rec.dishonest(merchant.id, rec.beijing_today()), SYSTEM
        )
        return merchant.id, record.id


class TestSubjectEvaluationRoutes:
    def test_answers_exactly_why_when_merchant_is_a_c(self, api: Api) -> None:
        merchant_id, record_id = merchant_with_brushing(api)
        runner = api.headers(Scope.EVALUATION_RUN)
        created = api.client.post(f"{V1}/subjects/{merchant_id}/evaluation", headers=runner)
        assert created.status_code == 201, created.text
        body = api.client.get(
            f"{V1}/subjects/{merchant_id}/evaluation", headers=api.headers(Scope.RECORD_READ)
        ).json()
        assert (body["grade"], body["score"], body["base"]) == ("C", 560, 620)
        assert body["base"] + sum(c["points"] for c in body["contributions"]) == body["score"]
        [fact] = [c for c in body["contributions"] if c["record_id"] == record_id]
        assert (fact["dimension"], fact["indicator"], fact["points"]) == (
            "conduct", "dishonest_conduct", -200,
        )  # fmt: skip
        assert body["as_of"] == rec.beijing_today().isoformat()

    def test_history_newest_first_when_evaluated_twice(self, api: Api) -> None:
        merchant_id, _ = merchant_with_brushing(api)
        runner = api.headers(Scope.EVALUATION_RUN)
        ids = []
        for _ in range(2):
            url = f"{V1}/subjects/{merchant_id}/evaluation"
            ids.append(api.client.post(url, headers=runner).json()["id"])
            with api.db.unit_of_work() as session:  # a change, so the second is a new snapshot
                record = rec.dishonest(merchant_id, rec.beijing_today(), "fake_traffic")
                api.app.state.records.submit(session, record, SYSTEM)
        history = api.client.get(
            f"{V1}/subjects/{merchant_id}/evaluations", headers=api.headers(Scope.RECORD_READ)
        )
        assert [e["id"] for e in history.json()] == ids[::-1]

    def test_not_found_when_never_evaluated(self, api: Api) -> None:
        merchant_id, _ = merchant_with_brushing(api)
        response = api.client.get(
            f"{V1}/subjects/{merchant_id}/evaluation", headers=api.headers(Scope.RECORD_READ)
        )
        assert response.status_code == 404
        assert "not been evaluated" in response.json()["message"]

    def test_forbidden_when_key_cannot_run_evaluations(self, api: Api) -> None:
        merchant_id, _ = merchant_with_brushing(api)
        response = api.client.post(
            f"{V1}/subjects/{merchant_id}/evaluation", headers=api.headers(Scope.RECORD_READ)
        )
        assert response.status_code == 403


class TestPublicRoutes:
    def test_explains_by_dimension_when_public_asks_for_grade(self, api: Api) -> None:
        merchant_id, _ = merchant_with_brushing(api)
        api.client.post(
            f"{V1}/subjects/{merchant_id}/evaluation", headers=api.headers(Scope.EVALUATION_RUN)
        )
        body = api.client.get(f"{V1}/public/subjects/{merchant_id}/grade").json()
        assert (body["grade"], body["score"], body["grade_since"]) == (
            "C", 560, rec.beijing_today().isoformat(),
        )  # fmt: skip
        dimensions = {d["code"]: d for d in body["dimensions"]}
        assert {code: d["points"] for code, d in dimensions.items()} == {
            "identity": 140, "conduct": -200,
        }  # fmt: skip
        [indicator] = dimensions["conduct"]["indicators"]
        assert (indicator["name_zh"], indicator["facts"]) == ("失信经营行为", 1)
        assert body["base"] + sum(d["points"] for d in body["dimensions"]) == body["score"]
        assert "note" not in str(body)
        assert "record_id" not in str(body)

    def test_platform_view_public_when_platform_evaluated(self, api: Api) -> None:
        merchant_id, _ = merchant_with_brushing(api)
        with api.db.unit_of_work() as session:
            platform = make.platform(session, api.vault)
            shops.shop(session, platform, session.get_one(type(platform), merchant_id))
            platform_id = platform.id
        runner = api.headers(Scope.EVALUATION_RUN)
        api.client.post(f"{V1}/subjects/{merchant_id}/evaluation", headers=runner)
        made = api.client.post(f"{V1}/platforms/{platform_id}/evaluation", headers=runner)
        assert made.status_code == 201, made.text
        body = api.client.get(f"{V1}/public/platforms/{platform_id}/evaluation").json()
        assert (body["merchants"], body["confirmed_fraud"], body["grade_counts"]) == (
            1, 1, {"C": 1},
        )  # fmt: skip
        assert body["base"] + sum(c["points"] for c in body["contributions"]) == body["score"]
        assert date.fromisoformat(body["as_of"]) == rec.beijing_today()

    def test_not_found_when_platform_never_evaluated(self, api: Api) -> None:
        assert api.client.get(f"{V1}/public/platforms/999999/evaluation").status_code == 404


class TestPublicPrivacy:
    def test_no_personal_data_when_natural_person_grade_is_public(self, api: Api) -> None:
        number = make.id_number()
        with api.db.unit_of_work() as session:
            person = make.natural_person(session, api.vault, name="张三丰", id_number=number)
            platform = make.platform(session, api.vault)
            shops.shop(session, platform, person)
            api.app.state.records.submit(
                session, rec.dishonest(person.id, rec.beijing_today(), "complaint_upheld"), SYSTEM
            )
            ids = (person.id, platform.id)
        runner = api.headers(Scope.EVALUATION_RUN)
        api.client.post(f"{V1}/subjects/{ids[0]}/evaluation", headers=runner)
        api.client.post(f"{V1}/platforms/{ids[1]}/evaluation", headers=runner)
        grade = api.client.get(f"{V1}/public/subjects/{ids[0]}/grade")
        view = api.client.get(f"{V1}/public/platforms/{ids[1]}/evaluation")
        assert (grade.status_code, view.status_code) == (200, 200)
        for text in (grade.text, view.text):
            assert not any(s in text for s in ("张三丰", "三丰", number, "\\u5f20"))
