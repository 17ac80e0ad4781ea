"""The message catalogue: every id a template names exists, in both languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from ecredit.catalog.schema import Polarity
from ecredit.detection.account_rings import ATTRIBUTES
from ecredit.detection.empty_parcels import SIGNALS
from ecredit.detection.price_fraud import RULES
from ecredit.detection.run import NAMES as DETECTORS
from ecredit.models.alert import AlertStatus, SubjectMatch
from ecredit.models.commitment import CommitmentStatus
from ecredit.models.detection import RunStatus, RunTrigger
from ecredit.models.record import EntryAction, PenaltyKind, Severity
from ecredit.models.shipment import RaterParty, TrackingStatus
from ecredit.models.subject import MerchantForm, SubjectKind, VerificationMethod, VerificationStatus
from ecredit.models.trace import BusinessStep, ProductCategory, ResponsibleRole
from ecredit.shipment.schemas import Finding
from ecredit.web import i18n

TEMPLATES = Path(i18n.__file__).parent / "templates"
LITERAL_ID = re.compile(r"""_\(\s*["']([a-z_][a-z0-9_.]*)["']""")
# Ids built in a template as prefix ~ value: every value that can occur needs a label.
DYNAMIC_IDS = {
    "kind": [v.value for v in SubjectKind],
    "form": [v.value for v in MerchantForm],
    "status": [v.value for v in VerificationStatus],
    "method": [v.value for v in VerificationMethod],
    "match": ["code", "name", "pinyin", "initials", "fuzzy"],  # search.Hit.matched_by
    "rule": ["homoglyph", "edit_distance"],  # website.Lookalike.rule
    "action": ["create", "update", "delete"],  # ChangeRecord.action
    "severity": [v.value for v in Severity],
    "penalty": [v.value for v in PenaltyKind],
    "polarity": [v.value for v in Polarity],
    "entry": [v.value for v in EntryAction],
    "cstatus": [v.value for v in CommitmentStatus],
    "rstatus": ["in_force", "revoked", "repaired", "expired"],  # RecordState.status
    "pcat": [v.value for v in ProductCategory],
    "bizstep": [v.value for v in BusinessStep],
    "prole": [v.value for v in ResponsibleRole],
    "astatus": [v.value for v in AlertStatus],
    "drstatus": [v.value for v in RunStatus],
    "trigger": [v.value for v in RunTrigger],
    "tracking": [v.value for v in TrackingStatus],
    "finding": list(get_args(Finding.model_fields["rule"].annotation)),
    "party": [v.value for v in RaterParty],
    "alerts.match": [v.value for v in SubjectMatch],
    "ev.det": list(DETECTORS),  # Alert.detector
    "ev.signal": list(SIGNALS),  # empty parcels
    "ev.violation": list(RULES),  # price fraud
    "ev.basesrc": ["7_day_lowest", "last_transaction"],  # price fraud's base_source
    "ev.tkind": ["bot", "brushing"],  # fake traffic's kind
    "ev.attr": list(ATTRIBUTES),  # account rings
}


def _template_ids() -> set[str]:
    return {
        match
        for path in TEMPLATES.rglob("*.html")
        for match in LITERAL_ID.findall(path.read_text(encoding="utf-8"))
        if not match.endswith(".")  # a prefix completed at run time: see DYNAMIC_IDS
    }


class TestCatalogue:
    def test_knows_every_id_when_templates_name_it(self) -> None:
        assert _template_ids() - i18n.MESSAGES.keys() == set()

    @pytest.mark.parametrize("prefix", sorted(DYNAMIC_IDS))
    def test_labels_every_value_when_id_built_at_run_time(self, prefix: str) -> None:
        missing = {f"{prefix}.{value}" for value in DYNAMIC_IDS[prefix]} - i18n.MESSAGES.keys()
        assert missing == set()

    def test_has_both_languages_when_message_defined(self) -> None:
        empty = [key for key, (zh, en) in i18n.MESSAGES.items() if not zh or not en]
        assert empty == []

    def test_fills_placeholders_when_values_given(self) -> None:
        assert i18n.gettext("en", "search.count", n=3) == "3 subjects found"
        assert i18n.gettext("zh", "search.count", n=3) == "共找到 3 个主体"
