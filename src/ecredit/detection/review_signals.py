"""Per-review signals that a block's reviews were written to order, each in [0, 1].

- near_duplicate: the text has a near-duplicate (MinHash/LSH over character shingles) written by
  another account of the block. Short stock phrases ("好评") are left out: everyone writes them.
- burst: the share of the shop's block reviews written within ± half a window of this one.
  Paid campaigns land in days; honest reviews of a shop spread over its life.
- rating_deviation: distance from the shop's mean rating outside the block, over 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]


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
    text: list[str | None]


def near_duplicates(reviews: BlockReviews, settings: SignalSettings) -> np.ndarray:
    """1.0 where another account of the block wrote a near-identical text, else 0.0. Each
    distinct text is hashed once: scripted rings repeat texts verbatim as often as not."""
    distinct: dict[str, int] = {}
    text_index = np.array(
        [_distinct_index(text, distinct, settings.min_text_chars) for text in reviews.text],
        dtype=np.int64,
    )
    group = _similar_groups(list(distinct), settings)
    flags = np.zeros(len(text_index))
    has_text = text_index >= 0
    if not has_text.any():
        return flags
    groups = group[text_index[has_text]]
    authors = reviews.reviewer[has_text]
    # A group counts when at least two different accounts wrote into it.
    order = np.lexsort((authors, groups))
    first_author: dict[int, int] = {}
    shared: set[int] = set()
    for g, author in zip(groups[order].tolist(), authors[order].tolist(), strict=True):
        if first_author.setdefault(g, author) != author:
            shared.add(g)
    flags[np.flatnonzero(has_text)] = np.isin(groups, list(shared)).astype(float)
    return flags


def _distinct_index(text: str | None, distinct: dict[str, int], min_chars: int) -> int:
    if text is None:
        return -1
    cleaned = "".join(char for char in text if char.isalnum())  # scripts vary punctuation
    if len(cleaned) < min_chars:
        return -1
    return distinct.setdefault(cleaned, len(distinct))


def _similar_groups(texts: list[str], settings: SignalSettings) -> np.ndarray:
    """Union-find over LSH neighbours: texts linked by a chain of near-duplicates share a group."""
    parent = np.arange(len(texts))
    lsh = MinHashLSH(threshold=settings.similarity, num_perm=settings.permutations)
    permutations = MinHash(num_perm=settings.permutations, seed=1, scheme="affine32").permutations
    for index, text in enumerate(texts):
        signature = MinHash(
            num_perm=settings.permutations, seed=1, permutations=permutations, scheme="affine32"
        )
        shingles = {text[i : i + settings.shingle] for i in range(len(text) - settings.shingle + 1)}
        signature.update_batch([s.encode() for s in sorted(shingles)])
        for other in lsh.query(signature):
            parent[_root(parent, index)] = _root(parent, int(other))
        lsh.insert(index, signature)
    return np.array([_root(parent, i) for i in range(len(texts))], dtype=np.int64)


def _root(parent: np.ndarray, node: int) -> int:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = int(parent[node])
    return node


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
