"""Messages of the staff early-warning page: 中文, English (merged into `i18n.MESSAGES`)."""

from __future__ import annotations

WARNING_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.warnings": ("风险预警", "Risk warnings"),
    "warnings.heading": ("商户信用风险预警", "Merchant credit-risk early warnings"),
    "warnings.lead": (
        "综合监测预警、投诉激增和信用记录变化，按风险等级列出；每日自动重算，输入过期后预警自动解除。",
        "Detector alerts, complaint spikes and credit record changes combined into a risk level; "
        "recomputed daily, and cleared when its inputs age out.",
    ),
    "warnings.all": ("全部", "All"),
    "warnings.none": ("暂无预警。", "No warnings."),
    "warnings.region": ("行政区划代码", "Region code"),
    "warnings.region_placeholder": ("例如 2105", "e.g. 2105"),
    "warnings.filter": ("筛选", "Filter"),
    "warnings.subject": ("主体", "Subject"),
    "warnings.level": ("等级", "Level"),
    "warnings.score": ("分值", "Score"),
    "warnings.reasons": ("原因", "Reasons"),
    "warnings.since": ("等级变化 / 计算时间", "Level since / computed"),
    "warnings.points": ("{points} 分", "{points} pts"),
    "wlevel.none": ("无", "None"),
    "wlevel.attention": ("关注", "Attention"),
    "wlevel.warning": ("预警", "Warning"),
    "wlevel.high": ("高风险", "High risk"),
    "wreason.detector_alerts": (
        "监测预警：待处理 {open} 条，已确认 {confirmed} 条（{detectors}）",
        "Detector alerts: {open} open, {confirmed} confirmed ({detectors})",
    ),
    "wreason.complaint_spike": (
        "投诉激增：近 {days} 天 {complaints} 件，此前每期平均 {baseline} 件，为其 {ratio} 倍",
        "Complaint spike: {complaints} in the last {days} days, {ratio} times the mean of "
        "{baseline} per period before",
    ),
    "wreason.negative_records": (
        "新增负面信用记录：{severities}；{types}（{ids}）",
        "New negative credit records: {severities}; {types} ({ids})",
    ),
    "wreason.lists": (
        "新列入名单：{kinds}",
        "Newly effective list entries: {kinds}",
    ),
}
