"""Messages of the staff detection-runs page: 中文, English (merged into `i18n.MESSAGES`)."""

from __future__ import annotations

DETECTION_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.detection_runs": ("监测运行", "Detection runs"),
    "druns.heading": ("监测模型运行记录", "Detection runs"),
    "druns.lead": (
        "每次运行监测模型的记录：引擎、触发方式、结果，各模型的发现数与耗时，以及新生成的预警。"
        "每晚 02:00（北京时间）自动运行一次；同一时间只能有一次运行。",
        "Every run of the detectors: engine, trigger, outcome, each detector's findings and "
        "seconds, and the alerts it raised. They run every night at 02:00 Beijing time; only one "
        "run at a time.",
    ),
    "druns.run_now": ("立即运行全部模型", "Run every detector now"),
    "druns.queued": (
        "已排队（任务 #{id}），开始运行后显示在下表中。",
        "Queued (job #{id}); it appears below once it starts.",
    ),
    "druns.refused": ("未排队：", "Not queued:"),
    "druns.none": ("尚无运行记录。", "No run yet."),
    "druns.started": ("开始时间", "Started"),
    "druns.engine": ("引擎", "Engine"),
    "druns.trigger": ("触发", "Trigger"),
    "druns.status": ("状态", "Status"),
    "druns.seconds": ("耗时（秒）", "Seconds"),
    "druns.detectors": ("各模型发现 / 耗时", "Findings / seconds per detector"),
    "druns.alerts": ("新预警", "New alerts"),
    "druns.alerts_detail": (
        "已有 {duplicate}，本次重复 {repeated}，平台未登记（未生成预警）{unregistered}，"
        "未登记店铺 {unknown}",
        "{duplicate} already raised, {repeated} repeated in the run, {unregistered} of an "
        "unregistered platform (not raised), {unknown} unknown shop",
    ),
    "druns.unregistered_platform": (
        "{count} 条发现的平台未登记，未生成预警",
        "{count} findings of an unregistered platform, not raised",
    ),
    "druns.skipped": ("跳过（无数据）", "skipped (no data)"),
    "druns.failed_in": ("失败于 {detector}", "failed in {detector}"),
    "druns.error": ("错误信息", "Error"),
    "druns.requested": ("指定模型", "Asked for"),
    "druns.all": ("全部模型", "every detector"),
    "druns.thresholds": ("所用阈值", "Thresholds used"),
    "druns.thresholds_none": (
        "未记录（阈值成为运行参数之前的运行）",
        "Not recorded (a run from before thresholds were parameters)",
    ),
    "drstatus.running": ("运行中", "Running"),
    "drstatus.succeeded": ("成功", "Succeeded"),
    "drstatus.failed": ("失败", "Failed"),
    "trigger.cli": ("命令行", "Command line"),
    "trigger.job": ("定时任务", "Nightly job"),
    "trigger.api": ("接口请求", "API request"),
}
