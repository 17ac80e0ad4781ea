"""Dense blocks of a reviewer × shop graph: FRAUDAR-style greedy peeling against a null model.

FRAUDAR (Hooi et al., KDD 2016) weights each edge by 1/log(shop degree + c), so that reviews of
popular shops (where camouflage goes) count little, and peels the node of smallest weighted degree
until the set with the best average remains. On review data with heavy-tailed activity that set is
the core of busy accounts and popular shops, which swallows a sparse ring. We keep the weighting
and the peeling but score a set by its weight *above what the degrees alone predict*
(f(S) = w(E(S)) − γ·s_r(S)·s_c(S)/W, the bipartite modularity of S, with s the full-graph weighted
degrees), divided by |S|. A busy core scores about zero; a ring, whose members review each other's
shops far more than their degrees explain, scores high. Camouflage edges raise a ring account's
degree only a little, and the expectation term grows with it by s·s_c(S)/W, which is tiny for a
small block.

A removal lowers the opposite side's expectation sum, which raises every key of that side at once;
the heap is therefore lazy: stored keys are lower bounds, refreshed when popped.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from numba import njit

from ecredit.detection.review_graph import ReviewGraph, batch_candidate, settle


@njit(cache=True)
def _adjacency(
    row: np.ndarray, col: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR over n nodes of the undirected edges (row[i], col[i]): offsets, the neighbour in
    each slot and the edge index of each slot (a counting sort, linear in the edges)."""
    indptr = np.zeros(n + 1, np.int64)
    for i in range(len(row)):
        indptr[row[i] + 1] += 1
        indptr[col[i] + 1] += 1
    for v in range(n):
        indptr[v + 1] += indptr[v]
    cursor = indptr[:-1].copy()
    neighbour = np.empty(2 * len(row), np.int64)
    edge = np.empty(2 * len(row), np.int64)
    for i in range(len(row)):
        for a, b in ((row[i], col[i]), (col[i], row[i])):
            neighbour[cursor[a]] = b
            edge[cursor[a]] = i
            cursor[a] += 1
    return indptr, neighbour, edge


@njit(cache=True)
def _core(
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
    inner = np.zeros(n)
    for v in range(n):
        if member[v]:
            for k in range(indptr[v], indptr[v + 1]):
                if alive[edge[k]] and member[neighbour[k]]:
                    inner[v] += weight[edge[k]]
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
def _peel(
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
    n = len(indptr) - 1
    inner = np.zeros(n)
    for v in range(n):
        for k in range(indptr[v], indptr[v + 1]):
            if alive[edge[k]]:
                inner[v] += weight[edge[k]]
    member = inner > 0
    side_sum = np.zeros(2)
    size = 0
    for v in range(n):
        if member[v]:
            side_sum[0 if v < n_rows else 1] += strength[v]
            size += 1
    excess = inner[:n_rows][member[:n_rows]].sum() - gamma * side_sum[0] * side_sum[1] / total
    key = np.empty(n)
    heap = [(0.0, -1)]
    heap.pop()
    for v in range(n):
        if member[v]:
            key[v] = inner[v] - gamma * strength[v] * side_sum[1 if v < n_rows else 0] / total
            heap.append((key[v], v))
    heapq.heapify(heap)
    order = np.empty(size, np.int64)
    step, best_step, best = 0, 0, excess / max(size, 1)
    while heap:
        stored, v = heapq.heappop(heap)
        if not member[v] or stored != key[v]:
            continue
        other = 1 if v < n_rows else 0
        current = inner[v] - gamma * strength[v] * side_sum[other] / total
        if current > stored and heap and current > heap[0][0]:
            key[v] = current
            heapq.heappush(heap, (current, v))
            continue
        member[v] = False
        excess -= current
        side_sum[1 - other] -= strength[v]
        size -= 1
        order[step] = v
        step += 1
        for k in range(indptr[v], indptr[v + 1]):
            u = neighbour[k]
            if member[u] and alive[edge[k]]:
                inner[u] -= weight[edge[k]]
                key[u] = inner[u] - gamma * strength[u] * side_sum[1 if u < n_rows else 0] / total
                heapq.heappush(heap, (key[u], u))
        if size > 0 and excess / size > best:
            best, best_step = excess / size, step
    return order[:step], best_step, best


SETTLE_ROUNDS = 8


@dataclass(frozen=True)
class Block:
    rows: np.ndarray  # reviewer node numbers
    cols: np.ndarray  # shop node numbers (offset by n_rows)
    score: float  # excess weight per node
    density: float  # share of the rows × cols pairs that are edges
    lift: float  # edge weight inside / what the members' strengths predict
    row_support: np.ndarray  # per row: what it adds to the block over twice the block's score


@dataclass(frozen=True)
class PeelingSettings:
    floor: float  # lossless pruning bound, below the smallest block score worth reporting
    epsilon: float  # batch peeling step
    margin: int  # rounds of batch peeling given back to the exact peeling
    min_score: float  # a block scoring less ends the search
    min_rows: int
    min_cols: int
    max_blocks: int


def find_blocks(graph: ReviewGraph, settings: PeelingSettings) -> list[Block]:
    """Blocks best first: each found block's edges are removed and the search repeats."""
    indptr, neighbour, edge = _adjacency(graph.row, graph.col, graph.n_nodes)
    alive = np.ones(len(graph.row), dtype=bool)
    member = np.ones(graph.n_nodes, dtype=bool)
    blocks: list[Block] = []
    while len(blocks) < settings.max_blocks:
        member = _core(indptr, neighbour, edge, graph.weight, alive, member, settings.floor)
        edges = graph.inside(np.flatnonzero(alive), member)
        if not member.any():
            break
        candidate = batch_candidate(graph, edges, member, settings.epsilon, settings.margin)
        block, inside = exact_block(graph, edges, candidate)
        if block.score < settings.min_score:
            break
        alive[inside] = False
        if len(block.rows) >= settings.min_rows and len(block.cols) >= settings.min_cols:
            blocks.append(block)
    return blocks


def exact_block(
    graph: ReviewGraph, edges: np.ndarray, candidate: np.ndarray
) -> tuple[Block, np.ndarray]:
    """Greedy peeling with a priority queue over the candidate's part of `edges`, then local
    search; the block and the indices of its edges."""
    local_edges = graph.inside(edges, candidate)
    nodes = np.flatnonzero(candidate)
    local = np.full(graph.n_nodes, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    indptr, neighbour, edge_of = _adjacency(
        local[graph.row[local_edges]], local[graph.col[local_edges]], len(nodes)
    )
    n_local_rows = int((nodes < graph.n_rows).sum())
    removed, best_step, _ = _peel(
        indptr,
        neighbour,
        edge_of,
        graph.weight[local_edges],
        np.ones(len(local_edges), dtype=np.bool_),
        graph.strength[nodes],
        n_local_rows,
        graph.total,
        1.0,
    )
    in_block = np.zeros(graph.n_nodes, dtype=bool)
    in_block[nodes[removed[best_step:]]] = True
    in_block = settle(graph, edges, in_block, SETTLE_ROUNDS)
    marginal, score = graph.marginals(edges, in_block)
    inside = graph.inside(edges, in_block)
    return _describe(graph, in_block, inside, marginal, score), inside


def _describe(
    graph: ReviewGraph, in_block: np.ndarray, inside: np.ndarray, marginal: np.ndarray, score: float
) -> Block:
    """Members add about twice the score on average (each edge counts at both ends)."""
    members = np.flatnonzero(in_block)
    rows = members[members < graph.n_rows]
    cols = members[members >= graph.n_rows]
    expected = graph.strength[rows].sum() * graph.strength[cols].sum() / graph.total
    pairs = max(len(rows) * len(cols), 1)
    return Block(
        rows=rows,
        cols=cols,
        score=float(score),
        density=float(len(inside) / pairs),
        lift=float(graph.weight[inside].sum() / expected) if expected > 0 else 0.0,
        row_support=np.clip(marginal[rows] / (2 * max(score, 1e-12)), 0.0, 1.0),
    )
