"""Every parameter the system knows, with its default and what it means.

Defaults live here in code; an operator's value lives in the database with its history. A
parameter not declared here cannot be set, so a typo is an error, not a silent new setting.
"""

from __future__ import annotations

from ecredit.parameters.detection import DETECTOR_THRESHOLDS
from ecredit.parameters.spec import ParameterSpec

SPECS: dict[str, ParameterSpec] = {
    spec.key: spec
    for spec in [
        ParameterSpec(
            "verification.review_workdays",
            5,
            int,
            "Working days a department has to decide a pending real-name verification.",
            minimum=1,
            maximum=60,
        ),
        ParameterSpec(
            "search.fuzzy_min_score",
            60,
            int,
            "Lowest rapidfuzz score (0-100) for a fuzzy name match to be listed.",
            minimum=0,
            maximum=100,
        ),
        ParameterSpec(
            "domain.lookalike_max_distance",
            2,
            int,
            "Largest edit distance at which a domain is flagged as a look-alike of a verified one.",
            minimum=0,
            maximum=5,
        ),
        ParameterSpec(
            "domain.recheck_days",
            30,
            int,
            "Days after which a verified website is checked again for its proof file.",
            minimum=1,
            maximum=365,
        ),
        # Grades (C4): A/B/C/D as SAMR's 企业信用风险分类 (low / general / relatively high / high
        # risk). With model v1 a verified merchant with a clean file scores 760 (B); A needs
        # earned positives (honours, kept commitments); one serious dishonesty gives C.
        ParameterSpec(
            "scoring.grade_a_min",
            850,
            int,
            "Lowest score (0-1000) of grade A; must be above grade B's.",
            minimum=1,
            maximum=1000,
        ),
        ParameterSpec(
            "scoring.grade_b_min",
            700,
            int,
            "Lowest score (0-1000) of grade B; must be above grade C's.",
            minimum=1,
            maximum=1000,
        ),
        ParameterSpec(
            "scoring.grade_c_min",
            550,
            int,
            "Lowest score (0-1000) of grade C; below it, D.",
            minimum=1,
            maximum=1000,
        ),
        ParameterSpec(
            "repair.acknowledge_workdays",
            3,
            int,
            "Working days to acknowledge (受理) an objection or repair application after filing.",
            minimum=1,
            maximum=30,
        ),
        ParameterSpec(
            "repair.decide_workdays",
            10,
            int,
            "Working days to decide an objection or repair application after filing (信用中国 10).",
            minimum=1,
            maximum=60,
        ),
        ParameterSpec(
            "repair.list_removal_workdays",
            3,
            int,
            "Working days after a granted repair within which the list entry must be removed.",
            minimum=1,
            maximum=30,
        ),
        # Lists (C5). 公示 of a list proposal: 7 working days is the period most local
        # red/black-list rules give for objections; the deciding office may set another.
        ParameterSpec(
            "listing.publicity_workdays",
            7,
            int,
            "Working days a red or black list proposal is publicised for objections (公示期).",
            minimum=0,
            maximum=30,
        ),
        ParameterSpec(
            "listing.watch_publicity_workdays",
            0,
            int,
            "Working days of publicity for the watch list (not public: 0 = none).",
            minimum=0,
            maximum=30,
        ),
        ParameterSpec(
            "listing.black_validity_months",
            36,
            int,
            "Months a black-list entry stays effective (NDRC Order 36: serious tier, max 3 years).",
            minimum=1,
            maximum=120,
        ),
        ParameterSpec(
            "listing.red_validity_months",
            12,
            int,
            "Months a red-list entry stays effective before it must be earned again.",
            minimum=1,
            maximum=60,
        ),
        ParameterSpec(
            "listing.watch_validity_months",
            6,
            int,
            "Months a watch-list (重点关注) entry stays effective.",
            minimum=1,
            maximum=60,
        ),
        ParameterSpec(
            "listing.redlist_grade_a_months",
            12,
            int,
            "Months a subject must hold grade A, with no negative record in force, to be proposed "
            "for the red list.",
            minimum=1,
            maximum=60,
        ),
        # Complaints and reports (C8): SAMR Order 20 (市场监督管理投诉举报处理暂行办法), ODR.
        ParameterSpec(
            "complaint.platform_workdays",
            10,
            int,
            "Working days the responsible platform has to settle a complaint directly (ODR).",
            minimum=1,
            maximum=60,
        ),
        ParameterSpec(
            "complaint.accept_workdays",
            7,
            int,
            "Working days a department has to accept or refuse a complaint (Order 20 Art. 14).",
            minimum=1,
            maximum=30,
        ),
        ParameterSpec(
            "complaint.mediation_workdays",
            45,
            int,
            "Working days after acceptance by which mediation ends (Order 20 Art. 21).",
            minimum=1,
            maximum=120,
        ),
        ParameterSpec(
            "complaint.notify_workdays",
            7,
            int,
            "Working days after a complaint is closed within which the parties are told.",
            minimum=1,
            maximum=30,
        ),
        ParameterSpec(
            "report.check_workdays",
            15,
            int,
            "Working days to check a report of dishonesty (Order 20 Art. 23).",
            minimum=1,
            maximum=60,
        ),
        ParameterSpec(
            "report.extension_workdays",
            15,
            int,
            "Working days one extension of a report's check adds (Order 20 Art. 23).",
            minimum=1,
            maximum=60,
        ),
        ParameterSpec(
            "report.notify_workdays",
            5,
            int,
            "Working days after the decision within which a real-name reporter is told (Art. 31).",
            minimum=1,
            maximum=30,
        ),
        ParameterSpec(
            "shipment.long_gap_hours",
            48,
            int,
            "Hours without a tracking scan after which a shipment's responsibility trace marks a "
            "long gap against whoever held it.",
            minimum=1,
            maximum=720,
        ),
        # Merchant credit-risk early warning (C11, docs/detection.md): every input's weight,
        # its look-back window and the level thresholds.
        ParameterSpec(
            "warning.lookback_days",
            90,
            int,
            "Days back an early warning looks for alerts, negative records newly in force and "
            "list entries that became effective.",
            minimum=1,
            maximum=730,
        ),
        ParameterSpec(
            "warning.alert_open_points",
            10,
            int,
            "Warning points per open detector alert about the subject in the look-back window.",
            minimum=0,
            maximum=1000,
        ),
        ParameterSpec(
            "warning.alert_confirmed_points",
            25,
            int,
            "Warning points per confirmed detector alert about the subject in the window.",
            minimum=0,
            maximum=1000,
        ),
        ParameterSpec(
            "warning.complaint_period_days",
            30,
            int,
            "Days of one complaint period: the latest one is compared with the baseline.",
            minimum=1,
            maximum=365,
        ),
        ParameterSpec(
            "warning.complaint_baseline_periods",
            3,
            int,
            "Periods before the latest one whose mean number of complaints is the baseline.",
            minimum=1,
            maximum=24,
        ),
        ParameterSpec(
            "warning.complaint_spike_ratio",
            3.0,
            float,
            "Complaints of the latest period divided by the baseline at or above which they "
            "spike (a zero baseline always meets it).",
            minimum=1,
            maximum=100,
        ),
        ParameterSpec(
            "warning.complaint_spike_min",
            5,
            int,
            "Fewest complaints in the latest period for a spike, whatever the ratio.",
            minimum=1,
            maximum=10000,
        ),
        ParameterSpec(
            "warning.complaint_spike_points",
            30,
            int,
            "Warning points of a complaint spike.",
            minimum=0,
            maximum=1000,
        ),
        ParameterSpec(
            "warning.record_minor_points",
            5,
            int,
            "Warning points per minor negative record newly in force in the window.",
            minimum=0,
            maximum=1000,
        ),
        ParameterSpec(
            "warning.record_general_points",
            15,
            int,
            "Warning points per general negative record newly in force in the window.",
            minimum=0,
            maximum=1000,
        ),
        ParameterSpec(
            "warning.record_serious_points",
            40,
            int,
            "Warning points per serious negative record newly in force in the window.",
            minimum=0,
            maximum=1000,
        ),
        ParameterSpec(
            "warning.list_black_points",
            50,
            int,
            "Warning points per black-list entry that became effective in the window.",
            minimum=0,
            maximum=1000,
        ),
        ParameterSpec(
            "warning.list_watch_points",
            20,
            int,
            "Warning points per watch-list (重点关注) entry that became effective in the window.",
            minimum=0,
            maximum=1000,
        ),
        ParameterSpec(
            "warning.attention_min",
            20,
            int,
            "Lowest warning score of the level attention (关注).",
            minimum=1,
            maximum=10000,
        ),
        ParameterSpec(
            "warning.warning_min",
            40,
            int,
            "Lowest warning score of the level warning (预警).",
            minimum=1,
            maximum=10000,
        ),
        ParameterSpec(
            "warning.high_min",
            70,
            int,
            "Lowest warning score of the level high risk (高风险).",
            minimum=1,
            maximum=10000,
        ),
        ParameterSpec(
            "detection.run_stale_hours",
            6,
            int,
            "Hours without a finished detector after which a detection run still marked running "
            "is taken as abandoned (its process died) and no longer stops a new run.",
            minimum=1,
            maximum=168,
        ),
        # Public secret checks (a complaint's phone at withdrawal, a subject's code when it files
        # or withdraws for itself, a staff password): a filer who mistypes two or three times
        # goes through; a script trying numbers is stopped after a handful per target, and one
        # address trying many targets is stopped too. 5 failures then a 30-minute lock is the
        # usual MLPS 2.0 (等保) login-failure setting; an address gets more room because a
        # service hall's Wi-Fi or a mobile carrier's NAT puts many honest people behind one.
        ParameterSpec(
            "throttle.failures_per_target",
            5,
            int,
            "Wrong answers to a public secret check allowed per target (a tracking number, a "
            "subject, a user name) within the window; the next answer locks the target.",
            minimum=1,
            maximum=100,
        ),
        ParameterSpec(
            "throttle.failures_per_address",
            30,
            int,
            "Wrong answers to one kind of public secret check allowed per client address within "
            "the window, whatever the targets; the next answer locks the address.",
            minimum=1,
            maximum=10000,
        ),
        ParameterSpec(
            "throttle.window_minutes",
            15,
            int,
            "Minutes over which wrong answers are counted, from the first one.",
            minimum=1,
            maximum=1440,
        ),
        ParameterSpec(
            "throttle.lockout_minutes",
            30,
            int,
            "Minutes a locked target or address is refused (HTTP 429), a right answer included.",
            minimum=1,
            maximum=1440,
        ),
        *DETECTOR_THRESHOLDS,
    ]
}
