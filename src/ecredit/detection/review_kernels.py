"""Compiled loops over the review graph (numba): adjacency, weighted core, attachment, and the
greedy peeling with a priority queue. Compiled once per installation (cache=True).

The peeling scores a set by its excess weight over the degree null model (see review_peeling).
A removal lowers the opposite side's expectation sum, which raises every key of that side at
once; the heap is therefore lazy: stored keys are lower bounds, refreshed when popped.
"""

from __future__ import annotations

import heapq

import numpy as np
from numba import njit


@njit(cache=True)
def adjacency(
    row: np.ndarray, col: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR over n nodes of the undirected edges (row[i], col[i]): offsets, the neighbour in
    each slot and the edge index of each slot (a counting sort, linear in the edges). Nodes
    and edges are numbered below 2³¹: int32 slots take half the memory."""
    indptr = np.zeros(n + 1, np.int64)
    for i in range(len(row)):
        indptr[row[i] + 1] += 1
        indptr[col[i] + 1] += 1
    for v in range(n):
        indptr[v + 1] += indptr[v]
    cursor = indptr[:-1].copy()
    neighbour = np.empty(2 * len(row), np.int32)
    edge = np.empty(2 * len(row), np.int32)
    for i in range(len(row)):
        for a, b in ((row[i], col[i]), (col[i], row[i])):
            neighbour[cursor[a]] = b
            edge[cursor[a]] = i
            cursor[a] += 1
    return indptr, neighbour, edge


@njit(cache=True)
def weighted_core(
    indptr: np.ndarray,
    neighbour: np.ndarray,
    edge: np.ndarray,
    weight: np.ndarray,
    alive: np.ndarray,
    member: np.ndarray,
    floor: float,
) -> np.ndarray:
    """The weighted `floor`-core of the members: drop, until none is left, every node whose
    alive edges to members weigh less than `floor`. Lossless for any block scoring at least
    `floor`, since each member of a best block adds at least its score."""
    n = len(indptr) - 1
    member = member.copy()
    inner = attachment(indptr, neighbour, edge, weight, alive, np.flatnonzero(member))
    stack = np.empty(n, np.int64)
    top = 0
    for v in range(n):
        if member[v] and inner[v] < floor:
            member[v] = False
            stack[top] = v
            top += 1
    while top > 0:
        top -= 1
        v = stack[top]
        for k in range(indptr[v], indptr[v + 1]):
            u = neighbour[k]
            if member[u] and alive[edge[k]]:
                inner[u] -= weight[edge[k]]
                if inner[u] < floor:
                    member[u] = False
                    stack[top] = u
                    top += 1
    return member


@njit(cache=True)
def attachment(
    indptr: np.ndarray,
    neighbour: np.ndarray,
    edge: np.ndarray,
    weight: np.ndarray,
    alive: np.ndarray,
    members: np.ndarray,
) -> np.ndarray:
    """Per node: the weight of its alive edges to the `members` (node numbers). For a member,
    its weight inside the set; for any other node, what it would bring by joining."""
    result = np.zeros(len(indptr) - 1)
    for v in members:
        for k in range(indptr[v], indptr[v + 1]):
            if alive[edge[k]]:
                result[neighbour[k]] += weight[edge[k]]
    return result


@njit(cache=True)
def _start(
    indptr: np.ndarray,
    neighbour: np.ndarray,
    edge: np.ndarray,
    weight: np.ndarray,
    alive: np.ndarray,
    strength: np.ndarray,
    n_rows: int,
    total: float,
    gamma: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """Before peeling: inner weights, members (nodes with alive edges), strength sums of the
    row and column members, the set's excess, and each member's key (what it adds)."""
    n = len(indptr) - 1
    inner = attachment(indptr, neighbour, edge, weight, alive, np.arange(n))
    member = inner > 0
    side_sum = np.zeros(2)
    for v in range(n):
        if member[v]:
            side_sum[0 if v < n_rows else 1] += strength[v]
    excess = inner[:n_rows][member[:n_rows]].sum() - gamma * side_sum[0] * side_sum[1] / total
    key = np.full(n, np.inf)
    for v in range(n):
        if member[v]:
            key[v] = inner[v] - gamma * strength[v] * side_sum[1 if v < n_rows else 0] / total
    return inner, member, side_sum, excess, key


@njit(cache=True)
def peel(
    indptr: np.ndarray,
    neighbour: np.ndarray,
    edge: np.ndarray,
    weight: np.ndarray,
    alive: np.ndarray,
    strength: np.ndarray,
    n_rows: int,
    total: float,
    gamma: float,
) -> tuple[np.ndarray, int, float]:
    """Removal order of the nodes that have alive edges, the step after which the best set
    remains, and that set's score (excess weight per node)."""
    inner, member, side_sum, excess, key = _start(
        indptr, neighbour, edge, weight, alive, strength, n_rows, total, gamma
    )
    heap = [(key[v], np.int64(v)) for v in range(len(key)) if member[v]]
    heapq.heapify(heap)
    size = len(heap)
    order = np.empty(size, np.int64)
    step, best_step, best = 0, 0, excess / max(size, 1)
    while heap:
        stored, v = heapq.heappop(heap)
        if not member[v] or stored != key[v]:
            continue
        other = 1 if v < n_rows else 0
        current = inner[v] - gamma * strength[v] * side_sum[other] / total
        if current > stored and heap and current > heap[0][0]:
            key[v] = current  # a stale lower bound: back in with its true key
            heapq.heappush(heap, (current, v))
            continue
        member[v] = False
        excess -= current
        side_sum[1 - other] -= strength[v]
        size -= 1
        order[step] = v
        step += 1
        for k in range(indptr[v], indptr[v + 1]):
            u = np.int64(neighbour[k])  # heap entries keep one type (int32 slots)
            if member[u] and alive[edge[k]]:
                inner[u] -= weight[edge[k]]
                key[u] = inner[u] - gamma * strength[u] * side_sum[1 if u < n_rows else 0] / total
                heapq.heappush(heap, (key[u], u))
        if size > 0 and excess / size > best:
            best, best_step = excess / size, step
    return order[:step], best_step, best


@njit(cache=True)
def batch_rounds(
    indptr: np.ndarray,
    neighbour: np.ndarray,
    edge: np.ndarray,
    weight: np.ndarray,
    alive: np.ndarray,
    member: np.ndarray,
    strength: np.ndarray,
    n_rows: int,
    total: float,
    epsilon: float,
) -> tuple[np.ndarray, int]:
    """Batch peeling of the members: each round drops every member adding at most
    (1+ε)× twice the set's score (the weakest ones if none does), until none is left. Returns
    the round each node was dropped in (−1 for non-members) and the best-scoring round; the set
    before round k is the nodes dropped in round k or later. Weights to the members are kept
    up to date by subtracting the dropped nodes' edges, not recounted each round."""
    members = np.flatnonzero(member)
    inner = attachment(indptr, neighbour, edge, weight, alive, members)
    dropped_in = np.full(len(indptr) - 1, -1, np.int64)
    marginal = np.empty(len(members))
    best_round, best_score, round_ = 0, -np.inf, 0
    while len(members) > 0:
        sums = np.zeros(3)  # row strengths, column strengths, weight inside
        for v in members:
            sums[0 if v < n_rows else 1] += strength[v]
            if v < n_rows:
                sums[2] += inner[v]
        score = (sums[2] - sums[0] * sums[1] / total) / len(members)
        if score > best_score:
            best_round, best_score = round_, score
        threshold = 2 * score + epsilon * abs(2 * score)
        for i, v in enumerate(members):
            ratio = sums[1] / total if v < n_rows else sums[0] / total
            marginal[i] = inner[v] - strength[v] * ratio
        lowest = marginal[: len(members)].min()
        cut = threshold if lowest <= threshold else lowest
        staying = marginal[: len(members)] > cut
        for v in members[~staying]:
            dropped_in[v] = round_
            for k in range(indptr[v], indptr[v + 1]):
                if alive[edge[k]]:
                    inner[neighbour[k]] -= weight[edge[k]]
        members = members[staying]
        round_ += 1
    return dropped_in, best_round
