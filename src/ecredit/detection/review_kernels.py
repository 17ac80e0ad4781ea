"""The loops over the review graph: adjacency, weighted core, attachment, batch rounds (numpy,
vectorised over the slots of the nodes that change), and the exact greedy peeling of a small
candidate with a priority queue (heapq over plain Python lists).

No compiled kernels: loading a JIT compiler costs more than a hundred megabytes of resident
memory before the first edge, and on 10⁶ edges the vectorised rounds are as quick.

The peeling scores a set by its excess weight over the degree null model (see review_peeling).
A removal lowers the opposite side's expectation sum, which raises every key of that side at
once; the heap is therefore lazy: stored keys are lower bounds, refreshed when popped.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Adjacency:
    """A bipartite graph's edges as lists (row, col, weight per edge) and as CSR over all nodes
    (the slots of node v are indptr[v]:indptr[v+1]; each slot names the node at the other end
    and the edge). Nodes and edges are numbered below 2³¹: int32 slots take half the memory."""

    row: np.ndarray
    col: np.ndarray
    weight: np.ndarray
    indptr: np.ndarray
    neighbour: np.ndarray
    slot_edge: np.ndarray

    @property
    def n_nodes(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def build(cls, row: np.ndarray, col: np.ndarray, weight: np.ndarray, n: int) -> Adjacency:
        """Edges in index order within a node. The graph's edges come sorted by row, and every
        row node is numbered below every column node: the row ends' slots are then the edges in
        order, and only the column ends are sorted."""
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(row, minlength=n) + np.bincount(col, minlength=n), out=indptr[1:])
        if len(row) and (np.any(row[1:] < row[:-1]) or row.max() >= col.min()):
            order = np.argsort(np.concatenate([row, col]), kind="stable")
            neighbour = np.concatenate([col, row])[order].astype(np.int32)
            order %= len(row)
            return cls(row, col, weight, indptr, neighbour, order.astype(np.int32))
        by_col = _stable_order(col).astype(np.int32)
        neighbour = np.concatenate([col, row[by_col]]).astype(np.int32)
        slot_edge = np.concatenate([np.arange(len(row), dtype=np.int32), by_col])
        return cls(row, col, weight, indptr, neighbour, slot_edge)

    def slots_of(self, nodes: np.ndarray) -> np.ndarray:
        """The CSR slots of `nodes`, node by node in the given order."""
        starts = self.indptr[nodes]
        counts = self.indptr[nodes + 1] - starts
        before = np.cumsum(counts) - counts
        return np.repeat(starts - before, counts) + np.arange(int(counts.sum()))

    def attachment(self, alive: np.ndarray, members: np.ndarray) -> np.ndarray:
        """Per node: the weight of its alive edges to the `members` (node numbers). For a member,
        its weight inside the set; for any other node, what it would bring by joining.
        Few members: over their slots; many: over the edge lists with a membership mask (three
        times quicker than gathering most of the slots)."""
        n = self.n_nodes
        if len(members) * BIG_SET > n:
            member = np.zeros(n, dtype=bool)
            member[members] = True
            return weights_to(self.row, self.col, np.where(alive, self.weight, 0.0), member, n)
        slots = self.slots_of(members)
        edges = self.slot_edge[slots]
        kept = alive[edges]
        result: np.ndarray = np.bincount(self.neighbour[slots][kept], self.weight[edges[kept]], n)
        return result


BIG_SET = 8  # a member set of more than 1/8 of the nodes is summed over the edge lists


def _stable_order(values: np.ndarray) -> np.ndarray:
    """np.argsort(values, kind="stable") for non-negative integers, in 16-bit passes: numpy
    sorts 16-bit keys by radix, three times quicker than its merge sort of wider ones."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    offset = values - values.min()
    order = np.argsort(offset.astype(np.uint16), kind="stable")  # the low 16 bits
    if offset.max() >> 16:
        order = order[np.argsort((offset[order] >> 16).astype(np.uint16), kind="stable")]
    return order


def weighted_core(
    graph: Adjacency, alive: np.ndarray, member: np.ndarray, inner: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray]:
    """The weighted `floor`-core of the members: drop, until none is left, every node whose
    alive edges to members weigh less than `floor`. Lossless for any block scoring at least
    `floor`, since each member of a best block adds at least its score. The core does not
    depend on the order of removal, so each round drops every node below the floor at once.
    `inner` is each node's weight to the members; returns the core and the weights to it."""
    member = member.copy()
    inner = inner.copy()
    dropping = np.flatnonzero(member & (inner < floor))
    while len(dropping):
        member[dropping] = False
        inner -= graph.attachment(alive, dropping)
        touched = np.unique(graph.neighbour[graph.slots_of(dropping)])
        dropping = touched[member[touched] & (inner[touched] < floor)]
    return member, inner


def weights_to(
    row: np.ndarray, col: np.ndarray, weight: np.ndarray, member: np.ndarray, n: int
) -> np.ndarray:
    """Per node: the weight of the listed edges (row, col, weight) that link it to a member."""
    result: np.ndarray = np.bincount(row, weight * member[col], n)
    result += np.bincount(col, weight * member[row], n)
    return result


def edge_weights_to(graph: Adjacency, edges: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Per node: the weight of the given edges (indices) that link it to a member."""
    row, col, weight = graph.row[edges], graph.col[edges], graph.weight[edges]
    return weights_to(row, col, weight, member, graph.n_nodes)


def _start(
    graph: Adjacency, alive: np.ndarray, strength: np.ndarray, n_rows: int, total: float,
    gamma: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:  # fmt: skip
    """Before peeling: inner weights, members (nodes with alive edges), strength sums of the
    row and column members, the set's excess, and each member's key (what it adds)."""
    n = graph.n_nodes
    inner = graph.attachment(alive, np.arange(n))
    member = inner > 0
    is_row = np.arange(n) < n_rows
    side_sum = np.array(
        [strength[member & is_row].sum(), strength[member & ~is_row].sum()], dtype=np.float64
    )
    excess = float(inner[:n_rows][member[:n_rows]].sum())
    excess -= gamma * side_sum[0] * side_sum[1] / total
    opposite = np.where(is_row, side_sum[1], side_sum[0])
    key = np.where(member, inner - gamma * strength * opposite / total, np.inf)
    return inner, member, side_sum, excess, key


def peel(
    graph: Adjacency, alive: np.ndarray, strength: np.ndarray, n_rows: int, total: float,
    gamma: float,
) -> tuple[np.ndarray, int, float]:  # fmt: skip
    """Removal order of the nodes that have alive edges, the step after which the best set
    remains, and that set's score (excess weight per node). Meant for a candidate of a few
    thousand nodes: the loop runs in Python over plain lists."""
    inner_a, member_a, side_a, excess, key_a = _start(graph, alive, strength, n_rows, total, gamma)
    inner, member, key = inner_a.tolist(), member_a.tolist(), key_a.tolist()
    side_sum, strong = side_a.tolist(), strength.tolist()
    ptr, near, edge_of = graph.indptr.tolist(), graph.neighbour.tolist(), graph.slot_edge.tolist()
    weights, live = graph.weight.tolist(), alive.tolist()
    heap = [(key[v], v) for v in range(len(key)) if member[v]]
    heapq.heapify(heap)
    size = len(heap)
    order: list[int] = []
    best_step, best = 0, excess / max(size, 1)
    while heap:
        stored, v = heapq.heappop(heap)
        if not member[v] or stored != key[v]:
            continue
        other = 1 if v < n_rows else 0
        current = inner[v] - gamma * strong[v] * side_sum[other] / total
        if current > stored and heap and current > heap[0][0]:
            key[v] = current  # a stale lower bound: back in with its true key
            heapq.heappush(heap, (current, v))
            continue
        member[v] = False
        excess -= current
        side_sum[1 - other] -= strong[v]
        size -= 1
        order.append(v)
        for k in range(ptr[v], ptr[v + 1]):
            u = near[k]
            if member[u] and live[edge_of[k]]:
                inner[u] -= weights[edge_of[k]]
                key[u] = inner[u] - gamma * strong[u] * side_sum[1 if u < n_rows else 0] / total
                heapq.heappush(heap, (key[u], u))
        if size > 0 and excess / size > best:
            best, best_step = excess / size, len(order)
    return np.array(order, dtype=np.int64), best_step, best


class Edges:
    """A shrinking list of edges: each drop returns, per node, the weight it loses."""

    def __init__(self, row: np.ndarray, col: np.ndarray, weight: np.ndarray) -> None:
        self.row, self.col, self.weight = row, col, weight

    def drop(self, nodes: np.ndarray, n: int) -> np.ndarray:
        """Remove the edges at `nodes`; per node, the weight of its removed edges."""
        gone = np.zeros(n, dtype=bool)
        gone[nodes] = True
        lost = weights_to(self.row, self.col, self.weight, gone, n)
        kept = ~(gone[self.row] | gone[self.col])
        self.row, self.col, self.weight = self.row[kept], self.col[kept], self.weight[kept]
        return lost


def batch_rounds(
    graph: Adjacency, alive: np.ndarray, member: np.ndarray, inner: np.ndarray,
    strength: np.ndarray, n_rows: int, total: float, epsilon: float,
) -> tuple[np.ndarray, int]:  # fmt: skip
    """Batch peeling of the members: each round drops every member adding at most
    (1+ε)× twice the set's score (the weakest ones if none does), until none is left. Returns
    the round each node was dropped in (−1 for non-members) and the best-scoring round; the set
    before round k is the nodes dropped in round k or later. `inner` is each node's weight to
    the members (weighted_core's); it is kept up to date by subtracting the dropped nodes'
    edges, not recounted each round, over a list of the alive edges between members that
    shrinks with them."""
    members = np.flatnonzero(member)
    between = alive & member[graph.row] & member[graph.col]
    edges = Edges(graph.row[between], graph.col[between], graph.weight[between])
    inner = inner.copy()
    dropped_in = np.full(graph.n_nodes, -1, np.int64)
    best_round, best_score, round_ = 0, -np.inf, 0
    while len(members) > 0:
        is_row = members < n_rows
        row_sum = float(strength[members[is_row]].sum())
        col_sum = float(strength[members[~is_row]].sum())
        score = (float(inner[members[is_row]].sum()) - row_sum * col_sum / total) / len(members)
        if score > best_score:
            best_round, best_score = round_, score
        threshold = 2 * score + epsilon * abs(2 * score)
        ratio = np.where(is_row, col_sum / total, row_sum / total)
        marginal = inner[members] - strength[members] * ratio
        lowest = float(marginal.min())
        staying = marginal > (threshold if lowest <= threshold else lowest)
        leaving = members[~staying]
        dropped_in[leaving] = round_
        inner -= edges.drop(leaving, graph.n_nodes)
        members = members[staying]
        round_ += 1
    return dropped_in, best_round
