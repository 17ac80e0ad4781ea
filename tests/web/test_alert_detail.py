"""An alert's own page: the finding, the evidence of each detector as the detector wrote it (the
brushing chart's figure holds every order with its buyer), and the decision from there."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.alert.service import alert_service
from ecredit.authz.principals import Role
from ecredit.detection.finding import Finding
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.alert import Alert, AlertStatus
from ecredit.web import plotly_assets
from ecredit.web.alert_evidence import REVIEWS_PER_PAGE
from ecredit.web.ring_chart import MAX_REVIEWER_ROWS
from tests.alert.conftest import Market, market
from tests.factories.alerts import finding as hand_made
from tests.web import alert_findings as make
from tests.web import factories


def _chart_data(name: str) -> re.Pattern[str]:
    """The figure a page embeds for its chart `name`."""
    script = rf'<script type="application/json" id="{name}-chart-data">(.*?)</script>'
    return re.compile(script, re.S)


CHART, RING_CHART = _chart_data("brushing"), _chart_data("ring")


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One real finding per detector (review rings: all of the planted ring's; the account
    ring's lake: its brushing findings too)."""
    root = tmp_path_factory.mktemp
    account_ring, ring_brushing = make.account_ring(root("accounts"))
    return {
        "brushing": make.brushing(root("brushing")),
        "account_ring": account_ring,
        "ring_brushing": ring_brushing,
        "review_ring": make.review_rings(root("reviews")),
        "fake_traffic": make.fake_traffic(),
        "empty_parcel": make.empty_parcel(),
        "price_fraud": make.price_fraud(),
    }


@pytest.fixture(autouse=True)
def reviewer(db: Database) -> None:
    with db.unit_of_work() as session:
        factories.staff_user(session, "reviewer", Role.VERIFIER)


@dataclasses.dataclass(frozen=True)
class World:
    shops: Market
    ids: list[int]  # the alerts raised, in the order given


def _raise(db: Database, vault: Vault, *findings: Finding, own_shops: bool = False) -> World:
    """The findings raised on a new platform, about its one shop (or, `own_shops`, about the
    shop codes the detector found, which the registry does not know)."""
    with db.unit_of_work() as session:
        shops = market(session, vault)
        moved = [make.on(f, shops.platform_id, f.shop_code if own_shops else shops.shop_code)
                 for f in findings]  # fmt: skip
        alert_service.raise_findings(session, moved)
        ids = [session.query(Alert).filter_by(fingerprint=f.fingerprint).one().id for f in moved]
    return World(shops, ids)


def _page(client: TestClient, alert_id: int, query: str = "") -> str:
    response = client.get(f"/staff/alerts/{alert_id}{query}")
    assert response.status_code == 200, response.text
    return response.text


def _ring_page(
    client: TestClient, db: Database, vault: Vault, ring: list[Finding]
) -> tuple[World, str]:
    """The ring's alerts raised on the shops the detector found; a reviewer's page of the first."""
    world = _raise(db, vault, *ring, own_shops=True)
    factories.login(client, "reviewer")
    return world, _page(client, world.ids[0])


def _section(html: str, testid: str, end: str = "</table>") -> str:
    """The element with this test id, up to the first `end` after it."""
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index(end, start)]


def _rows(html: str, testid: str) -> int:
    """Rows of the body of the table with this test id."""
    return _section(html, testid).split("<tbody>")[1].count("<tr>")


def _figure(html: str, chart: re.Pattern[str] = CHART) -> dict[str, Any]:
    match = chart.search(html)
    assert match, "no chart data on the page"
    figure: dict[str, Any] = json.loads(match.group(1))
    return figure


def _points(figure: dict[str, Any]) -> set[tuple[str, str]]:
    """(order id, buyer id) of every mark of the figure."""
    return {(c[0], c[1]) for trace in figure["data"] for c in trace["customdata"]}


class TestBrushingEvidence:
    def test_page_shows_finding_chart_windows_and_suspicious_buyers(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        world = _raise(db, vault, found["brushing"])
        factories.login(client, "reviewer")
        html = _page(client, world.ids[0])
        assert f"<code>{world.shops.shop_code}</code>" in html
        assert f'href="/staff/subjects/{world.shops.merchant_id}"' in html
        assert 'data-testid="evidence-brushing"' in html
        assert '<td><code>A</code></td><td class="num">4</td><td class="num">66.7%</td>' in html
        assert '<td class="num">6</td><td class="num">2</td><td class="num">3.00</td>' in html
        assert f'action="/staff/alerts/{world.ids[0]}/confirm"' in html
        assert 'name="view" value="detail"' in html
        assert re.search(r'<script src="/static/vendor/plotly-[0-9.]+\.min\.js">', html)
        assert re.search(r'id="plotly.js-style-global" class="no-inline-styles"', html)
        assert f'id="{plotly_assets.maps_css_id()}" href="{plotly_assets.maps_css_url()}"' in html

    def test_chart_holds_every_window_order_with_its_buyer_and_the_nearby_ones(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        world = _raise(db, vault, found["brushing"])
        factories.login(client, "reviewer")
        figure = _figure(_page(client, world.ids[0]))
        inside = {("o-a1", "A"), ("o-a2", "A"), ("o-a3", "A"), ("o-a4", "A"),
                  ("o-b1", "B"), ("o-b2", "B")}  # fmt: skip
        assert _points(figure) == inside | {("o-c", "C"), ("o-d", "D")}
        rows = [trace["y"][0] for trace in figure["data"]]
        assert rows[0] == "★ A"  # the suspicious buyer first, marked
        assert set(rows) == {"★ A", "B", "其他买家"}  # C and D bought outside the windows only
        filled = {(c[0], c[1]) for trace in figure["data"]
                  for c, symbol in zip(trace["customdata"], trace["marker"]["symbol"], strict=True)
                  if symbol == "circle"}  # fmt: skip
        assert filled == inside
        [shade] = figure["layout"]["shapes"]
        # The window [23:00, 24:00) UTC on 1 November, in Beijing time.
        assert (shade["x0"], shade["x1"]) == (
            "2026-11-02 07:00:00.000000",
            "2026-11-02 08:00:00.000000",
        )
        assert figure["layout"]["xaxis"]["title"]["text"] == "下单时间（北京时间）"

    def test_tables_without_chart_when_evidence_predates_order_rows(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        brushing: Finding = found["brushing"]
        older = {k: v for k, v in brushing.evidence.items()
                 if k not in ("order_rows", "nearby_orders", "nearby_total")}  # fmt: skip
        world = _raise(db, vault, dataclasses.replace(brushing, evidence=older))
        factories.login(client, "reviewer")
        html = _page(client, world.ids[0])
        assert 'data-testid="no-chart"' in html
        assert 'data-testid="windows"' in html
        assert CHART.search(html) is None


class TestOtherEvidence:
    def test_review_ring_shows_members_reviews_and_the_rings_other_alerts(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        ring: list[Finding] = found["review_ring"]
        world, html = _ring_page(client, db, vault, ring)
        evidence = ring[0].evidence
        reviewers = _section(html, "ring-reviewers")
        assert _rows(html, "ring-reviewers") == len(evidence["reviewers"])
        best = max(evidence["reviewers"], key=evidence["reviewers"].get)
        assert reviewers.index(best) < reviewers.index(
            min(evidence["reviewers"], key=evidence["reviewers"].get)
        )
        shops = _section(html, "ring-shops", "</ul>")
        assert shops.count("<li>") == len(evidence["shops"])
        for other, alert_id in zip(ring[1:], world.ids[1:], strict=True):
            assert f'href="/staff/alerts/{alert_id}"' in shops, other.shop_code
        assert shops.count("无预警") == len(evidence["shops"]) - len(ring)
        assert _rows(html, "ring-reviews") == len(evidence["reviews"])
        assert "★★★★★" in _section(html, "ring-reviews")

    def test_review_ring_chart_holds_every_review_here_on_its_accounts_row(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        ring: list[Finding] = found["review_ring"]
        _, html = _ring_page(client, db, vault, ring)
        assert '<div id="ring-chart" class="chart" data-figure="ring-chart-data"' in html
        assert re.search(r'<script src="/static/vendor/plotly-[0-9.]+\.min\.js">', html)
        assert f'href="{plotly_assets.maps_css_url()}"' in html
        figure = _figure(html, RING_CHART)
        evidence = ring[0].evidence
        drawn = {(c[0], c[1]) for trace in figure["data"] for c in trace["customdata"]}
        assert drawn == {(r["review_id"], r["reviewer_id"]) for r in evidence["reviews"]}
        by_score = sorted(evidence["reviewers"], key=lambda name: -evidence["reviewers"][name])
        assert len(by_score) > MAX_REVIEWER_ROWS  # the planted ring's accounts
        rows = figure["layout"]["yaxis"]["categoryarray"][::-1]  # top down
        assert rows == [*by_score[:MAX_REVIEWER_ROWS], "其他成员"]
        assert figure["layout"]["xaxis"]["title"]["text"] == "评价时间（北京时间）"

    def test_review_ring_without_reviews_has_no_chart(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        first: Finding = found["review_ring"][0]
        world = _raise(
            db, vault, dataclasses.replace(first, evidence={**first.evidence, "reviews": []})
        )
        factories.login(client, "reviewer")
        html = _page(client, world.ids[0])
        assert 'data-testid="ring-reviewers"' in html
        assert RING_CHART.search(html) is None
        assert "/static/vendor/plotly-" not in html

    def test_review_ring_reviews_are_paged_with_their_count(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        first: Finding = found["review_ring"][0]
        template = first.evidence["reviews"][0]
        many = [{**template, "review_id": f"R{n:04d}"} for n in range(2 * REVIEWS_PER_PAGE + 7)]
        world = _raise(
            db, vault, dataclasses.replace(first, evidence={**first.evidence, "reviews": many})
        )
        factories.login(client, "reviewer")

        def shown(query: str) -> tuple[int, str]:
            html = _page(client, world.ids[0], query)
            return _rows(html, "ring-reviews"), html

        count, html = shown("")
        assert count == REVIEWS_PER_PAGE
        assert f"（{len(many)} 条）" in html
        assert 'data-testid="review-pager"' in html
        assert shown("?page=3")[0] == 7
        assert shown("?page=99")[0] == 7  # past the end: the last page

    def test_account_ring_shows_shared_values_members_and_shop_alerts(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        world = _raise(db, vault, found["account_ring"], *found["ring_brushing"], own_shops=True)
        factories.login(client, "reviewer")
        html = _page(client, world.ids[0])
        assert 'data-testid="evidence-account-ring"' in html
        assert "设备" in html
        assert "<code>dev-1</code>" in html
        shops = _section(html, "ring-shops", "</ul>")
        for alert_id in world.ids[1:4]:  # the brushing alerts of S1, S2, S3
            assert f'href="/staff/alerts/{alert_id}"' in shops

    @pytest.mark.parametrize(
        ("detector", "expected"),
        [
            ("fake_traffic", ["机器流量", '<td class="num">2000</td>', "绝对中位差"]),
            ("empty_parcel", ["签收过快", "重量过轻", "<code>YT000001</code>", "<code>S2</code>"]),
            ("price_fraud", ["虚构原价", "120.00", "99.99", "第二十一条"]),
        ],
    )
    def test_signal_detectors_show_their_evidence_as_tables(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault,
        found: dict[str, Any], detector: str, expected: list[str],
    ) -> None:  # fmt: skip
        world = _raise(db, vault, found[detector])
        factories.login(client, "reviewer")
        html = _page(client, world.ids[0])
        assert f'data-testid="evidence-{detector.replace("_", "-")}"' in html
        assert [text for text in expected if text not in html] == []
        assert "{&#34;" not in html
        assert "{'" not in html

    @pytest.mark.parametrize(
        "detector", ["brushing", "account_ring", "fake_traffic", "empty_parcel", "price_fraud"]
    )
    def test_english_page_names_every_label(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault,
        found: dict[str, Any], detector: str,
    ) -> None:  # fmt: skip
        world = _raise(db, vault, found[detector])
        factories.login(client, "reviewer")
        html = _page(client, world.ids[0], "?lang=en")
        assert "Alert #" in html
        assert re.findall(r"\b(?:ev|alerts)\.[a-z_.]+", html) == []  # no id left untranslated

    def test_unknown_evidence_shape_is_shown_as_plain_lines(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault
    ) -> None:
        world = _raise(db, vault, hand_made(0, "x"))  # "buyers": 3, no windows: not brushing's
        factories.login(client, "reviewer")
        html = _page(client, world.ids[0])
        assert 'data-testid="evidence-plain"' in html
        assert "[o1, o2, o3]" in html


def _open_brushing_alert(
    client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
) -> tuple[int, str]:
    """A brushing alert's id, the reviewer logged in, and the CSRF token of its page."""
    alert_id = _raise(db, vault, found["brushing"]).ids[0]
    factories.login(client, "reviewer")
    return alert_id, factories.csrf_token(client, f"/staff/alerts/{alert_id}")


class TestDecisionOnThePage:
    def test_confirm_returns_to_the_page_which_shows_the_decision(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        alert_id, token = _open_brushing_alert(client, db, vault, found)
        form = {"note": "属实", "view": "detail", "csrf_token": token}
        done = client.post(f"/staff/alerts/{alert_id}/confirm", data=form, follow_redirects=False)
        assert done.status_code == 303
        assert done.headers["location"] == f"/staff/alerts/{alert_id}?moved=confirmed"
        html = client.get(done.headers["location"]).text
        assert 'data-testid="notice"' in html
        assert "已确认" in html
        assert 'data-testid="record"' in html
        assert "user:reviewer" in html
        assert "/confirm" not in html

    def test_refusals_are_shown_on_the_page_with_their_status(
        self, app: FastAPI, client: TestClient, db: Database, vault: Vault, found: dict[str, Any]
    ) -> None:
        alert_id, token = _open_brushing_alert(client, db, vault, found)
        url = f"/staff/alerts/{alert_id}/dismiss"
        missing = client.post(url, data={"reason": " ", "view": "detail", "csrf_token": token})
        assert missing.status_code == 422
        assert 'data-testid="finding"' in missing.text
        assert "reason: required" in missing.text
        client.post(url, data={"reason": "误报", "view": "detail", "csrf_token": token})
        again = client.post(url, data={"reason": "误报", "view": "detail", "csrf_token": token})
        assert again.status_code == 409
        assert 'data-testid="alert-error"' in again.text
        assert 'data-testid="finding"' in again.text
        with db.unit_of_work() as session:
            assert session.get_one(Alert, alert_id).status is AlertStatus.DISMISSED

    def test_unknown_alert_is_404(self, app: FastAPI, client: TestClient) -> None:
        factories.login(client, "reviewer")
        assert client.get("/staff/alerts/999999").status_code == 404
