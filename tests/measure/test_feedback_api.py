"""Feedback (反馈) validation, the loop counts, and the public measures page."""

from __future__ import annotations

from typing import Any

from ecredit.kit.crypto import Vault
from ecredit.models.listing import ListStatus
from ecredit.models.org import OrgKind
from ecredit.models.subject import Subject
from tests.factories import subjects
from tests.factories.api import Api
from tests.measure import helpers

FEEDBACK = "/api/v1/measure-feedback"
STATS = "/api/v1/measure-stats"


def _listed(api: Api, vault: Vault, status: ListStatus = ListStatus.EFFECTIVE) -> tuple[int, int]:
    with api.db.unit_of_work() as session:
        subject = subjects.enterprise(session, vault)
        entry = helpers.list_entry(session, subject.id, status=status)
    return subject.id, entry.id


def _report(api: Api, headers: dict[str, str], entry_id: int, **body: Any) -> Any:
    payload = {"list_entry_id": entry_id, "measure_code": "platform_restrict_entry",
               "outcome": "applied"} | body  # fmt: skip
    return api.client.post(FEEDBACK, json=payload, headers=headers)


def _row(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(row for row in rows if row["key"] == key)


class TestFeedbackValidation:
    def test_recorded_when_platform_applies_its_measure(self, api: Api, vault: Vault) -> None:
        subject_id, entry_id = _listed(api, vault)
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        response = _report(api, headers, entry_id)
        assert response.status_code == 201, response.text
        assert response.json()["subject_id"] == subject_id
        assert response.json()["supersedes"] is None

    def test_reason_required_when_not_applied(self, api: Api, vault: Vault) -> None:
        _subject, entry_id = _listed(api, vault)
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        response = _report(api, headers, entry_id, outcome="not_applied", reason="  ")
        assert response.status_code == 422
        assert response.json()["problems"][0]["field"] == "reason"

    def test_forbidden_when_measure_not_of_callers_kind(self, api: Api, vault: Vault) -> None:
        _subject, entry_id = _listed(api, vault)
        _org, headers = helpers.org_key(api, OrgKind.DEPARTMENT, "samr")
        assert _report(api, headers, entry_id).status_code == 403

    def test_invalid_when_measure_unknown_or_not_for_list(self, api: Api, vault: Vault) -> None:
        _subject, entry_id = _listed(api, vault)
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        assert _report(api, headers, entry_id, measure_code="nope").status_code == 422
        reward = _report(api, headers, entry_id, measure_code="traffic_allocation")
        assert reward.status_code == 422
        assert "does not apply" in reward.json()["message"]

    def test_not_found_or_conflict_when_entry_missing_or_never_effective(
        self, api: Api, vault: Vault
    ) -> None:
        _subject, entry_id = _listed(api, vault, ListStatus.PUBLICISED)
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        assert _report(api, headers, entry_id).status_code == 409
        assert _report(api, headers, 10**9).status_code == 404


class TestLoopCounts:
    def test_counts_follow_check_and_latest_feedback(self, api: Api, vault: Vault) -> None:
        subject_id, entry_id = _listed(api, vault)
        org_id, headers = helpers.org_key(api, OrgKind.PLATFORM)
        with api.db.unit_of_work() as session:
            code = session.get(Subject, subject_id).uscc  # type: ignore[union-attr]
        checked = api.client.get("/api/v1/checks", params={"code": code}, headers=headers)
        assert checked.status_code == 200
        _report(api, headers, entry_id, outcome="not_applied", reason="店铺已注销")
        second = _report(api, headers, entry_id)  # supersedes the first in the counts
        assert second.json()["supersedes"] is not None
        with api.db.unit_of_work() as session:
            api.app.state.checks.runtime.flush(session)
        by_measure = api.client.get(STATS, params={"by": "measure"}, headers=headers).json()
        row = _row(by_measure, "platform_restrict_entry")
        assert row["initiated"] >= 1
        assert row["responded"] >= 1
        by_org = api.client.get(STATS, params={"by": "organisation"}, headers=headers).json()
        mine = _row(by_org, str(org_id))
        assert (mine["initiated"], mine["responded"], mine["applied"], mine["not_applied"]) == (
            5,
            5,
            1,
            0,
        )
        by_subject = api.client.get(STATS, params={"by": "subject"}, headers=headers).json()
        theirs = _row(by_subject, str(subject_id))
        assert theirs["initiated"] == 9
        assert theirs["applied"] == 1

    def test_public_page_shows_counts_without_organisations(self, api: Api, vault: Vault) -> None:
        subject_id, entry_id = _listed(api, vault)
        _org, headers = helpers.org_key(api, OrgKind.PLATFORM)
        _report(api, headers, entry_id)
        with api.db.unit_of_work() as session:
            helpers.list_entry(session, subject_id, "watch_list")
        body = api.client.get(f"/api/v1/public/subjects/{subject_id}/measures").json()
        assert [item["entry_id"] for item in body] == [entry_id]  # the watch list is not public
        loop = {m["code"]: m for m in body[0]["measures"]}
        assert loop["platform_restrict_entry"]["applied"] == 1
        assert loop["more_frequent_inspection"] == loop["more_frequent_inspection"] | {
            "initiated": 1, "applied": 0
        }  # fmt: skip
        assert "organisation" not in str(body)

    def test_public_page_not_found_when_subject_unknown(self, api: Api) -> None:
        assert api.client.get("/api/v1/public/subjects/999999999/measures").status_code == 404
