"""The detectors' thresholds a regulator tunes (docs/detection.md), keyed
`detection.<detector>.<field of the detector's parameter dataclass>`; the detection run reads
them and builds each detector's parameters (ecredit.alert.thresholds). Defaults equal the
dataclasses' defaults, so findings on default settings are those of the detectors alone.

Left out on purpose, as they decide how a detector computes, not what it calls suspicious: the
review-ring search's FRAUDAR column offset, periphery share and block cap, its MinHash
shingle, minimum text length and permutations; fake traffic's scale floors (they only keep a
flat history from dividing by zero); how many orders, hours or waybills the evidence lists; the
account-ring attributes (which columns tie accounts is the definition, not a threshold); and
price fraud's 7-day base period, fixed by law (规范促销行为暂行规定 Art. 21).
"""

from __future__ import annotations

from ecredit.parameters.spec import ParameterSpec

_ORDERS = [
    ParameterSpec(
        "detection.brushing.window_minutes",
        60,
        int,
        "Order brushing: length in minutes of a window in which a shop's orders are weighed "
        "against their distinct buyers (the window may start at any instant).",
        minimum=5,
        maximum=1440,
    ),
    ParameterSpec(
        "detection.brushing.min_ratio",
        3.0,
        float,
        "Order brushing: orders ÷ distinct buyers in a window at or above which the shop brushes.",
        minimum=2,
        maximum=100,
    ),
    ParameterSpec(
        "detection.account_ring.min_buyers",
        2,
        int,
        "Account rings: fewest brushing buyers tied by a payment account, device or address "
        "for a ring.",
        minimum=2,
        maximum=1000,
    ),
]
_REVIEW_RING = [
    ParameterSpec(
        "detection.review_ring.min_reviewers",
        5,
        int,
        "Review rings: fewest accounts in a dense block of reviews for a ring.",
        minimum=2,
        maximum=1000,
    ),
    ParameterSpec(
        "detection.review_ring.min_shops",
        3,
        int,
        "Review rings: fewest shops a block's accounts review together for a ring.",
        minimum=2,
        maximum=1000,
    ),
    ParameterSpec(
        "detection.review_ring.min_block_score",
        0.8,
        float,
        "Review rings: review weight per member above what the members' activity predicts at "
        "or above which a block is a ring (ordinary blocks score about 0.4).",
        minimum=0.1,
        maximum=10,
    ),
    ParameterSpec(
        "detection.review_ring.min_reviewer_score",
        0.25,
        float,
        "Review rings: score (0-1) a block's account needs to be named in the findings.",
        minimum=0,
        maximum=1,
    ),
    ParameterSpec(
        "detection.review_ring.min_shop_reviews",
        3,
        int,
        "Review rings: fewest reviews by named ring accounts for a shop to get a finding.",
        minimum=1,
        maximum=10000,
    ),
    ParameterSpec(
        "detection.review_ring.burst_hours",
        72.0,
        float,
        "Review rings: width in hours of the window in which a shop's ring reviews count as "
        "one burst.",
        minimum=1,
        maximum=720,
    ),
    ParameterSpec(
        "detection.review_ring.text_similarity",
        0.6,
        float,
        "Review rings: Jaccard similarity (0-1) of two texts' character shingles at which they "
        "count as near-duplicates.",
        minimum=0.3,
        maximum=0.95,
    ),
]
_FAKE_TRAFFIC = [
    ParameterSpec(
        "detection.fake_traffic.z_threshold",
        6.0,
        float,
        "Fake traffic: robust z-score (deviations from the shop's median, in scaled MADs) of "
        "visits, clicks or orders at or above which an hour is a burst.",
        minimum=2,
        maximum=50,
    ),
    ParameterSpec(
        "detection.fake_traffic.min_history_hours",
        24,
        int,
        "Fake traffic: fewest hours of a shop's traffic before its hours are judged.",
        minimum=6,
        maximum=8760,
    ),
    ParameterSpec(
        "detection.fake_traffic.min_burst_visits",
        100,
        int,
        "Fake traffic: fewest visits in an hour for a bot burst.",
        minimum=1,
        maximum=10_000_000,
    ),
    ParameterSpec(
        "detection.fake_traffic.bot_max_conversion_ratio",
        0.2,
        float,
        "Fake traffic: an hour's conversion at or below this share of the platform's median "
        "conversion makes a visit burst a bot burst.",
        minimum=0,
        maximum=1,
    ),
    ParameterSpec(
        "detection.fake_traffic.min_burst_orders",
        10,
        int,
        "Fake traffic: fewest orders in an hour for a brushing burst.",
        minimum=1,
        maximum=1_000_000,
    ),
    ParameterSpec(
        "detection.fake_traffic.brushing_min_conversion",
        0.5,
        float,
        "Fake traffic: orders ÷ visits of an hour at or above which an order burst is brushing.",
        minimum=0.01,
        maximum=1,
    ),
    ParameterSpec(
        "detection.fake_traffic.brushing_orders_per_buyer",
        3.0,
        float,
        "Fake traffic: orders per buyer of an hour at or above which an order burst is brushing.",
        minimum=1,
        maximum=100,
    ),
]
_EMPTY_PARCEL = [
    ParameterSpec(
        "detection.empty_parcel.fast_sign_hours",
        12.0,
        float,
        "Empty parcels: a parcel signed less than this many hours after pick-up is fast.",
        minimum=1,
        maximum=240,
    ),
    ParameterSpec(
        "detection.empty_parcel.light_item_ratio",
        0.1,
        float,
        "Empty parcels: a declared weight below this share of the item's listed weight is light.",
        minimum=0.01,
        maximum=1,
    ),
    ParameterSpec(
        "detection.empty_parcel.light_weight_g",
        50,
        int,
        "Empty parcels: a declared weight below this many grams is light when the item's weight "
        "is unknown.",
        minimum=1,
        maximum=10000,
    ),
    ParameterSpec(
        "detection.empty_parcel.bare_max_scans",
        2,
        int,
        "Empty parcels: at most this many tracking scans, only pick-up and signature, is a bare "
        "route.",
        minimum=2,
        maximum=10,
    ),
    ParameterSpec(
        "detection.empty_parcel.min_signals",
        2,
        int,
        "Empty parcels: signals (fast, light, bare route, shared waybill; 1-4) that make a "
        "parcel suspect; a waybill shared across shops is suspect alone.",
        minimum=1,
        maximum=4,
    ),
    ParameterSpec(
        "detection.empty_parcel.min_parcels",
        1,
        int,
        "Empty parcels: fewest suspect parcels of a shop in a day for a finding.",
        minimum=1,
        maximum=10000,
    ),
]
_PRICE_FRAUD = [
    ParameterSpec(
        "detection.price_fraud.raise_window_days",
        7,
        int,
        "Price fraud: days before a promotion in which a raise of the listed price counts as "
        "raise-then-discount (先涨后降).",
        minimum=1,
        maximum=90,
    ),
]
DETECTOR_THRESHOLDS = [*_ORDERS, *_REVIEW_RING, *_FAKE_TRAFFIC, *_EMPTY_PARCEL, *_PRICE_FRAUD]
