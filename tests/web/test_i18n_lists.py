"""The evaluation, list and repair pages' labels exist in both languages for every value a
template builds an id from, and the new pages render in English without a bare id."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.listing.kinds import Colour
from ecredit.measure.catalogue import MeasureKind
from ecredit.models.listing import ListStatus
from ecredit.models.repair import CaseKind, CaseStatus
from ecredit.models.scoring import Grade
from ecredit.web import i18n
from tests.web import factories
from tests.web import standing as st

DYNAMIC_IDS = {
    "lstatus": [s.value for s in ListStatus],
    "move": [s.value for s in ListStatus],
    "colour": [c.value for c in Colour],
    "mkind": [k.value for k in MeasureKind],
    "ckind": [k.value for k in CaseKind],
    "cstep": ["open", *(s.value for s in CaseStatus)],
    "cq.grant": [k.value for k in CaseKind],
    "grade.meaning": [g.value for g in Grade],
    "deadline": ["acknowledge", "decision", "removal", "publicity", "validity"],
    "origin": ["decision", "criteria"],  # ListEntry.origin before its ':'
}
BARE_ID = re.compile(r">\s*(?:lstatus|cstep|lq|cq|grade|list|lists|filing|measure|eval)\.[a-z_.]+")


@pytest.mark.parametrize("prefix", sorted(DYNAMIC_IDS))
def test_labels_every_value_when_id_built_at_run_time(prefix: str) -> None:
    missing = {f"{prefix}.{value}" for value in DYNAMIC_IDS[prefix]} - i18n.MESSAGES.keys()
    assert missing == set()


def test_renders_new_pages_in_english_without_bare_ids(
    app: FastAPI, client: TestClient, db: Database, vault: Vault
) -> None:
    st.on_day(app)
    with db.unit_of_work() as session:
        by = st.decider(session)
        shop = factories.enterprise(session, vault, "本溪市恒通商贸有限公司")
        entry = st.propose(app, session, shop.id)
        st.walk(app, session, entry, by, ListStatus.UNDER_REVIEW, ListStatus.PUBLICISED)
        st.evaluate(app, session, shop.id)
        shop_id = shop.id
    factories.login(client, "decider")
    for path in (f"/subjects/{shop_id}", "/lists", f"/lists/{st.BLACK}",
                 f"/subjects/{shop_id}/cases/new", "/staff/lists", "/staff/cases",
                 f"/staff/subjects/{shop_id}"):  # fmt: skip
        html = client.get(path, params={"lang": "en"}).text
        assert not BARE_ID.search(html), (path, BARE_ID.search(html))
    assert "Publicised" in client.get(f"/subjects/{shop_id}").text
