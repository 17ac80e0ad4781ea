"""Messages of the staff alert page: 中文, English (merged into `i18n.MESSAGES`)."""

from __future__ import annotations

ALERT_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.alerts": ("监测预警", "Alerts"),
    "alerts.heading": ("大数据监测预警", "Detection alerts"),
    "alerts.lead": (
        "监测模型发现的疑似失信行为，附证据；确认后生成信用记录，排除须说明理由。",
        "Suspected dishonest conduct found by the detectors, with evidence; confirming one "
        "records a credit fact, dismissing one needs a reason.",
    ),
    "alerts.moved": ("预警 #{id} 已{status}。", "Alert #{id} is now {status}."),
    "alerts.conflict": ("操作未执行：", "Not done:"),
    "alerts.all": ("全部", "All"),
    "alerts.none": ("暂无预警。", "No alerts."),
    "alerts.finding": ("发现", "Finding"),
    "alerts.subject": ("平台 / 店铺 / 主体", "Platform / shop / subject"),
    "alerts.evidence": ("证据", "Evidence"),
    "alerts.state": ("状态", "Status"),
    "alerts.actions": ("处理", "Decide"),
    "alerts.detector": ("模型", "detector"),
    "alerts.score": ("评分", "score"),
    "alerts.shop": ("店铺编号", "Shop code"),
    "alerts.no_subject": ("未匹配到登记主体：", "No registered subject:"),
    "alerts.show_evidence": ("查看证据", "Show evidence"),
    "alerts.record": ("已生成信用记录 #{id}", "Credit record #{id}"),
    "alerts.decision_no": ("决定文号（可选）", "Decision no. (optional)"),
    "alerts.note": ("核查说明（可选）", "Note (optional)"),
    "alerts.subject_id": ("主体编号（必填）", "Subject id (required)"),
    "alerts.confirm": ("确认并记录", "Confirm and record"),
    "alerts.reason": ("排除理由（必填）", "Reason (required)"),
    "alerts.dismiss": ("排除", "Dismiss"),
    "astatus.open": ("待处理", "Open"),
    "astatus.confirmed": ("已确认", "Confirmed"),
    "astatus.dismissed": ("已排除", "Dismissed"),
}
