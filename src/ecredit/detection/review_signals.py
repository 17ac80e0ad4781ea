"""Per-review signals that a block's reviews were written to order, each in [0, 1].

- near_duplicate: the text has a near-duplicate (MinHash/LSH over character shingles, see
  review_minhash) written by another account of the block. Short stock phrases ("好评") are
  left out: everyone writes them.
- burst: the share of the shop's block reviews written within ± half a window of this one.
  Paid campaigns land in days; honest reviews of a shop spread over its life.
- rating_deviation: distance from the shop's mean rating outside the block, over 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecredit.detection.review_minhash import similar_groups


@dataclass(frozen=True)
class SignalSettings:
    shingle: int  # characters per shingle
    min_text_chars: int  # shorter texts are not compared
    permutations: int  # MinHash size
    similarity: float  # LSH Jaccard threshold
    burst_hours: float  # width of the burst window


@dataclass(frozen=True)
class BlockReviews:
    """The reviews on a block's edges, as parallel arrays."""

    reviewer: np.ndarray  # reviewer node number
    shop: np.ndarray  # shop node number
    rating: np.ndarray  # int
    time_us: np.ndarray  # int64 microseconds
    text: pa.Array  # string, nulls allowed


def near_duplicates(reviews: BlockReviews, settings: SignalSettings) -> np.ndarray:
    """1.0 where another account of the block wrote a near-identical text, else 0.0. Each
    distinct text is cleaned and hashed once: scripted rings repeat texts verbatim as often
    as not."""
    text_index, distinct = _distinct_texts(reviews.text, settings.min_text_chars)
    group = similar_groups(distinct, settings.shingle, settings.permutations, settings.similarity)
    flags = np.zeros(len(text_index))
    has_text = text_index >= 0
    if not has_text.any():
        return flags
    groups = group[text_index[has_text]]
    # A group counts when at least two different accounts wrote into it.
    authors = reviews.reviewer[has_text]
    span = int(authors.max()) + 1
    pairs = np.unique(groups * span + authors)  # distinct (group, author)
    shared = np.bincount(pairs // span, minlength=len(distinct)) >= 2
    flags[has_text] = shared[groups].astype(float)
    return flags


def _distinct_texts(text: pa.Array, min_chars: int) -> tuple[np.ndarray, list[str]]:
    """Per review, the index of its cleaned text among the distinct cleaned texts (−1 for no
    text or one shorter than `min_chars`), and those texts."""
    encoded = pc.dictionary_encode(text)
    distinct: dict[str, int] = {}
    cleaned = [_distinct_index(raw, distinct, min_chars) for raw in encoded.dictionary.to_pylist()]
    position = np.array([*cleaned, -1], dtype=np.int64)  # the last one is for nulls
    raw_index = pc.fill_null(encoded.indices, len(cleaned)).to_numpy()
    return position[raw_index], list(distinct)


def _distinct_index(text: str, distinct: dict[str, int], min_chars: int) -> int:
    cleaned = "".join(char for char in text if char.isalnum())  # scripts vary punctuation
    if len(cleaned) < min_chars:
        return -1
    return distinct.setdefault(cleaned, len(distinct))


def bursts(reviews: BlockReviews, hours: float) -> np.ndarray:
    """Share of the same shop's block reviews within ± hours/2 of each review."""
    half = int(hours * 3_600_000_000 / 2)
    _, shop = np.unique(reviews.shop, return_inverse=True)
    time = reviews.time_us - reviews.time_us.min()
    # One sortable key per (shop, time), shops spaced wider than any window: each review's
    # window is then two binary searches over the sorted keys.
    key = shop.astype(np.int64) * (int(time.max()) + 2 * half + 1) + time
    ordered = np.sort(key)
    near = np.searchsorted(ordered, key + half, "right") - np.searchsorted(
        ordered, key - half, "left"
    )
    share: np.ndarray = near / np.bincount(shop)[shop]
    return share


def rating_deviation(
    reviews: BlockReviews, shop_rating_sum: np.ndarray, shop_reviews: np.ndarray
) -> np.ndarray:
    """|rating − the shop's mean rating over its reviews outside the block| / 4; 0 where the
    shop has no other review. The shop arrays are indexed by shop node number."""
    inside_sum = np.bincount(reviews.shop, reviews.rating.astype(float), len(shop_reviews))
    inside_count = np.bincount(reviews.shop, minlength=len(shop_reviews))
    outside = shop_reviews - inside_count
    mean = np.divide(
        shop_rating_sum - inside_sum, outside, out=np.zeros(len(outside)), where=outside > 0
    )
    deviation = np.abs(reviews.rating - mean[reviews.shop]) / 4.0
    return np.where(outside[reviews.shop] > 0, deviation, 0.0)
