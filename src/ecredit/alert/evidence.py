"""An alert's evidence in words (for the credit record's summary and the portal) and as
references (for the record's evidence_refs)."""

from __future__ import annotations

from typing import Any

from ecredit.models.alert import Alert, SubjectMatch

MAX_SUMMARY = 4000
SHOWN_ITEMS = 5


def subject_note(alert: Alert) -> str:
    if alert.subject_match is SubjectMatch.UNKNOWN_SHOP:
        return (f"shop code '{alert.shop_code}' is not registered on platform "
                f"{alert.platform_id}: no subject yet")  # fmt: skip
    if alert.subject_match is SubjectMatch.NO_SHOP:
        return "the finding names accounts, not a shop: no subject"
    return ""


def short_value(value: Any) -> str:
    """A short rendering: long lists by their size and first items, mappings by their keys."""
    if isinstance(value, list):
        head = ", ".join(short_value(item) for item in value[:SHOWN_ITEMS])
        more = f", … ({len(value)} in all)" if len(value) > SHOWN_ITEMS else ""
        return f"[{head}{more}]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{k}: {short_value(v)}" for k, v in list(value.items())[:SHOWN_ITEMS])
            + (", …" if len(value) > SHOWN_ITEMS else "")
            + "}"
        )
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def summarise(alert: Alert, note: str | None = None) -> str:
    """One paragraph: what was found, where, when, how strongly, and each evidence item."""
    shop = f"shop {alert.shop_code}" if alert.shop_code else "accounts"
    window = ""
    if alert.window_start and alert.window_end:
        window = f", {alert.window_start.isoformat()} – {alert.window_end.isoformat()}"
    lines = [
        f"Detector '{alert.detector}' found {alert.record_type} on platform {alert.platform_id}, "
        f"{shop}{window} (score {alert.score:.4g}; alert {alert.id}).",
        *(f"{name}: {short_value(value)}" for name, value in alert.evidence.items()),
    ]
    if note:
        lines.append(f"Regulator's note: {note}")
    text = "\n".join(lines)
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def evidence_refs(alert: Alert) -> list[str]:
    """Where a reader finds the full evidence: the alert itself and its stable fingerprint."""
    return [f"alert:{alert.id}", f"alert-fingerprint:{alert.fingerprint}"]
