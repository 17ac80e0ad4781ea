"""Groups of near-duplicate texts: MinHash over character shingles and LSH banding, for all
texts at once in numpy.

The signatures and bands are those of datasketch 2.0 (`MinHash(scheme="affine32", seed=1)`,
`MinHashLSH(threshold, num_perm)`): each shingle's UTF-8 bytes hashed by the first four bytes
of SHA-1 (little endian), pre-mixed by the MurmurHash3 32-bit finalizer, then permuted by
h → a·h + b mod 2³² with RandomState(seed) drawing odd a and any b; bands of r values, b bands,
chosen to minimise the equally weighted false positive and false negative areas. Two texts
sharing one whole band are candidates (LSH does not check the similarity either), and groups
are the connected components of that relation. Each distinct shingle is hashed once; what
datasketch does per text in Python runs here as array operations over every text.
"""

from __future__ import annotations

import hashlib
from functools import cache

import numpy as np

SEED = 1
_FMIX = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
_EMPTY = np.uint32(0xFFFFFFFF)  # the value of a signature slot no shingle reached


def similar_groups(
    texts: list[str], shingle: int, permutations: int, threshold: float
) -> np.ndarray:
    """Per text, a group label: texts linked by a chain of LSH candidates share a label."""
    if not texts:
        return np.zeros(0, dtype=np.int64)
    signature = signatures(texts, shingle, permutations)
    bands, rows = band_layout(threshold, permutations)
    codes = [_band_codes(signature[:, band * rows : (band + 1) * rows]) for band in range(bands)]
    return _components(codes, len(texts))


def signatures(texts: list[str], shingle: int, permutations: int) -> np.ndarray:
    """The MinHash signature of each text's set of shingles (texts × permutations, uint32)."""
    index: dict[str, int] = {}
    owner: list[int] = []
    member: list[int] = []
    for number, text in enumerate(texts):
        shingles = {text[i : i + shingle] for i in range(len(text) - shingle + 1)}
        member.extend(index.setdefault(piece, len(index)) for piece in shingles)
        owner.extend([number] * len(shingles))
    hashed = _fmix32(np.array([_sha1_32(piece) for piece in index], dtype=np.uint32))
    multiplier, offset = _permutations(permutations)
    signature = np.full((len(texts), permutations), _EMPTY, dtype=np.uint32)
    if member:
        # Shingles are listed text by text: one minimum per run of the same owner.
        owners = np.array(owner, dtype=np.int64)
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        permuted = hashed[np.array(member, dtype=np.int64)][:, None] * multiplier + offset
        signature[owners[starts]] = np.minimum.reduceat(permuted, starts, axis=0)
    return signature


def _sha1_32(piece: str) -> int:
    return int.from_bytes(hashlib.sha1(piece.encode()).digest()[:4], "little")


def _fmix32(value: np.ndarray) -> np.ndarray:
    shift1, multiply1, shift2, multiply2, shift3 = _FMIX
    value = value ^ (value >> np.uint32(shift1))
    value = value * np.uint32(multiply1)
    value = value ^ (value >> np.uint32(shift2))
    value = value * np.uint32(multiply2)
    mixed: np.ndarray = value ^ (value >> np.uint32(shift3))
    return mixed


@cache
def _permutations(permutations: int) -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.RandomState(SEED)
    odd = generator.randint(0, 1 << 31, permutations, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    offset = generator.randint(0, 1 << 32, permutations, dtype=np.uint32)
    return odd, offset


@cache
def band_layout(threshold: float, permutations: int) -> tuple[int, int]:
    """(bands, rows per band) minimising ½ false-positive area + ½ false-negative area of the
    collision probability 1 − (1 − s^r)^b around the threshold. The integrands are polynomials
    of degree ≤ permutations, integrated exactly by Gauss–Legendre quadrature."""
    below, below_weight = _quadrature(0.0, threshold, permutations)
    above, above_weight = _quadrature(threshold, 1.0, permutations)
    best, layout = np.inf, (0, 0)
    for bands in range(1, permutations + 1):
        for rows in range(1, permutations // bands + 1):
            false_positive = below_weight @ (1 - (1 - below**rows) ** bands)
            false_negative = above_weight @ ((1 - above**rows) ** bands)
            error = 0.5 * float(false_positive) + 0.5 * float(false_negative)
            if error < best:
                best, layout = error, (bands, rows)
    return layout


def _quadrature(low: float, high: float, degree: int) -> tuple[np.ndarray, np.ndarray]:
    """Points and weights integrating polynomials up to `degree` exactly over [low, high]."""
    nodes, weights = np.polynomial.legendre.leggauss(degree // 2 + 2)
    half = (high - low) / 2
    return half * nodes + (low + high) / 2, half * weights


def _band_codes(band: np.ndarray) -> np.ndarray:
    """One code per text: equal codes for texts with equal values across the band."""
    rows = np.ascontiguousarray(band).view(np.dtype((np.void, band.itemsize * band.shape[1])))
    _, code = np.unique(rows.ravel(), return_inverse=True)
    return np.asarray(code, dtype=np.int64).ravel()


def _components(codes: list[np.ndarray], count: int) -> np.ndarray:
    """Connected components of 'same code in some band', labelled by their smallest text:
    each pass gives every text the smallest label of its groups, then follows labels to
    their own labels, until nothing changes."""
    label = np.arange(count)
    while True:
        before = label
        for code in codes:
            smallest = np.full(int(code.max()) + 1, count)
            np.minimum.at(smallest, code, label)
            label = smallest[code]
        label = label[label]
        if np.array_equal(label, before):
            return label
