"""Warnings over HTTP: staff list them by level and region and read one subject's reasons; a
recompute needs evaluation:run."""

from __future__ import annotations

from datetime import timedelta

from ecredit.authz.principals import Scope
from ecredit.kit.clock import local_date
from ecredit.models.org import OrgKind
from tests.factories import subjects
from tests.factories import warnings as make
from tests.factories.api import Api

WARNINGS = "/api/v1/warnings"


def _warned(api: Api, region: str, black: bool) -> int:
    """A merchant of `region` on the black list (warning) or the watch list (attention)."""
    with api.db.unit_of_work() as session:
        merchant = subjects.enterprise(session, api.vault, region_code=region)
        today = local_date(api.app.state.records.clock.now())
        kind = "ecommerce_serious_dishonesty" if black else "watch_list"
        make.list_entry(session, merchant.id, kind, today - timedelta(days=1))
    return merchant.id


class TestWarningApi:
    def test_staff_lists_by_level_and_region_when_recomputed(self, api: Api) -> None:
        black, watched, elsewhere = _warned(api, "210502", True), _warned(api, "210503", False), \
            _warned(api, "110101", True)  # fmt: skip
        run = api.headers(Scope.EVALUATION_RUN)
        for subject_id in (black, watched, elsewhere):
            done = api.client.post(f"{WARNINGS}/{subject_id}/recompute", headers=run)
            assert done.status_code == 200, done.text
        read = api.headers(Scope.WARNING_READ)
        page = api.client.get(f"{WARNINGS}?region=2105", headers=read).json()
        assert [(i["subject_id"], i["level"]) for i in page["items"]] == [
            (black, "warning"),
            (watched, "attention"),
        ]
        high = api.client.get(f"{WARNINGS}?level=warning&region=2105&size=1", headers=read)
        assert (high.json()["total"], high.json()["items"][0]["subject_id"]) == (1, black)
        one = api.client.get(f"{WARNINGS}/{black}", headers=read).json()
        assert one["reasons"][0]["code"] == "lists"
        assert (one["score"], one["reasons"][0]["points"]) == (50, 50)

    def test_unassessed_subject_reads_as_none_and_unknown_is_404(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            subject_id = subjects.enterprise(session, api.vault).id
        read = api.headers(Scope.WARNING_READ)
        body = api.client.get(f"{WARNINGS}/{subject_id}", headers=read).json()
        assert (body["level"], body["reasons"], body["computed_at"]) == ("none", [], None)
        assert api.client.get(f"{WARNINGS}/999999", headers=read).status_code == 404
        run = api.headers(Scope.EVALUATION_RUN)
        assert api.client.post(f"{WARNINGS}/999999/recompute", headers=run).status_code == 404

    def test_refused_without_scope_and_bad_filters_are_422(self, api: Api) -> None:
        subject_id = _warned(api, "210502", True)
        platform = {"X-API-Key": api.key((Scope.RECORD_READ,), OrgKind.PLATFORM)}
        assert api.client.get(WARNINGS, headers=platform).status_code == 403
        read = api.headers(Scope.WARNING_READ)
        assert api.client.post(f"{WARNINGS}/{subject_id}/recompute",
                               headers=read).status_code == 403  # fmt: skip
        for query in ("region=21x", "level=severe"):
            bad = api.client.get(f"{WARNINGS}?{query}", headers=read)
            assert bad.status_code == 422
            assert bad.json()["problems"][0]["field"] == f"query.{query.split('=')[0]}"

    def test_natural_person_name_masked_when_listed(self, api: Api) -> None:
        with api.db.unit_of_work() as session:
            person = subjects.natural_person(session, api.vault, region_code="210502")
            make.list_entry(session, person.id, "watch_list",
                            local_date(api.app.state.records.clock.now()))  # fmt: skip
        run = api.headers(Scope.EVALUATION_RUN)
        assert api.client.post(f"{WARNINGS}/{person.id}/recompute", headers=run).status_code == 200
        read = api.headers(Scope.WARNING_READ)
        [item] = api.client.get(f"{WARNINGS}?level=attention", headers=read).json()["items"]
        assert item["subject_name"] != "张三丰"
        assert item["subject_name"].startswith("张")
