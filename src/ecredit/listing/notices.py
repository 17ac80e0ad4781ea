"""The notice a subject receives at each step of a list entry (告知书), in Chinese.

Each text names the list, the legal basis, the reason and what the subject may do next: state its
case while the proposal is reviewed, object during publicity (异议), apply for credit repair once
listed (信用修复).
"""

from __future__ import annotations

from datetime import date

from ecredit.listing.kinds import ListKind
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.notice import Notice

ENTITY = "list_entry"

_TITLES = {
    ListStatus.PROPOSED: "列入{name}提议告知书",
    ListStatus.UNDER_REVIEW: "列入{name}审核告知书",
    ListStatus.PUBLICISED: "拟列入{name}告知书（公示）",
    ListStatus.EFFECTIVE: "列入{name}决定书",
    ListStatus.EXPIRED: "{name}有效期届满移出告知书",
    ListStatus.REMOVED: "移出{name}决定书",
    ListStatus.REJECTED: "不予列入{name}决定书",
}


def _day(value: date | None) -> str:
    return f"{value:%Y年%m月%d日}" if value else "—"


def _body(entry: ListEntry, kind: ListKind, reason: str | None) -> str:
    status = entry.status
    basis = f"依据：{entry.legal_basis or kind.legal_basis}。"
    why = f"事由：{reason or entry.reason}。"
    if status is ListStatus.PROPOSED:
        tail = (
            "该提议正在等待审核。审核期间，你（单位）可以向作出提议的部门陈述、申辩，"
            "并提交相关证据。"
        )
    elif status is ListStatus.UNDER_REVIEW:
        tail = "该提议已进入审核程序。审核期间，你（单位）可以陈述、申辩，并提交相关证据。"
    elif status is ListStatus.PUBLICISED:
        tail = (
            f"现予公示，公示期自{_day(entry.publicity_from)}起至{_day(entry.publicity_until)}止。"
            "公示期内，你（单位）有权提出异议，并提交相关证据；公示期满无异议或者异议不成立的，"
            "将作出列入决定。"
        )
    elif status is ListStatus.EFFECTIVE:
        tail = (
            f"自{_day(entry.effective_from)}起列入，有效期至{_day(entry.valid_until)}。"
            "列入期间将依法依规实施相应的联合奖惩措施。主动纠正失信行为、履行相关义务的，"
            "可以依法申请信用修复。"
        )
    elif status is ListStatus.EXPIRED:
        tail = f"列入有效期已于{_day(entry.valid_until)}届满，自{_day(entry.ended_on)}起移出。"
    elif status is ListStatus.REMOVED:
        tail = f"自{_day(entry.ended_on)}起移出名单，相关措施同步解除。"
    else:
        tail = f"经审核，于{_day(entry.ended_on)}决定不予列入。"
    return f"{why}{basis}{tail}"


def notice_for(entry: ListEntry, kind: ListKind, reason: str | None = None) -> Notice:
    """The notice of `entry`'s current status (not yet added to a session)."""
    return Notice(
        subject_id=entry.subject_id,
        kind=f"list_{entry.status.value}",
        title=_TITLES[entry.status].format(name=kind.name_zh),
        body=_body(entry, kind, reason),
        entity=ENTITY,
        entity_id=entry.id,
    )
