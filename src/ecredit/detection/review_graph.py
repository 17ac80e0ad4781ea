"""The reviewer × shop graph in numpy, and the cheap vectorised steps before the exact peeling.

Nodes are numbered rows first (reviewers 0..n_rows-1), then columns (shops). Each distinct
(reviewer, shop) pair is one edge, weighted 1/log(shop degree + c) as in FRAUDAR, so that reviews
of popular shops, where camouflage is cheapest to place, count little. `strength` is each node's
weighted degree in the whole graph: the null model a block's excess is measured against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecredit.detection.review_kernels import Adjacency, batch_rounds


@dataclass(frozen=True)
class ReviewGraph:
    reviewers: pa.Array  # reviewer id of each row node
    shops: pa.Array  # shop id of each column node
    edges: Adjacency  # row (reviewer node), col (shop node, offset by n_rows), weight per edge
    strength: np.ndarray  # per node: weighted degree in the whole graph
    total: float  # sum of all edge weights

    @property
    def row(self) -> np.ndarray:
        return self.edges.row

    @property
    def col(self) -> np.ndarray:
        return self.edges.col

    @property
    def weight(self) -> np.ndarray:
        return self.edges.weight

    @property
    def n_rows(self) -> int:
        return len(self.reviewers)

    @property
    def n_nodes(self) -> int:
        return len(self.reviewers) + len(self.shops)

    def reviewer_ids(self, rows: np.ndarray) -> list[str]:
        return [str(name) for name in self.reviewers.take(pa.array(rows)).to_pylist()]

    def shop_ids(self, cols: np.ndarray) -> list[str]:
        return [str(name) for name in self.shops.take(pa.array(cols - self.n_rows)).to_pylist()]

    def attachment(self, alive: np.ndarray, members: np.ndarray) -> np.ndarray:
        """Per node: the weight of its alive edges to the members (node numbers)."""
        return self.edges.attachment(alive, members)

    def marginals(self, alive: np.ndarray, member: np.ndarray) -> tuple[np.ndarray, float]:
        """Per node, what it adds to the excess of `member` (or would, joining it): its weight
        to members minus what its strength predicts; and the score of `member`, excess per node.
        Sums run over the members' indices: a few thousand, where the graph has 10⁵–10⁶ nodes."""
        members = np.flatnonzero(member)
        marginal = self.attachment(alive, members)
        n = self.n_rows
        rows, cols = members[members < n], members[members >= n]
        row_sum = float(self.strength[rows].sum())
        col_sum = float(self.strength[cols].sum())
        excess = float(marginal[rows].sum()) - row_sum * col_sum / self.total
        marginal[:n] -= self.strength[:n] * (col_sum / self.total)
        marginal[n:] -= self.strength[n:] * (row_sum / self.total)
        return marginal, excess / len(members) if len(members) else 0.0

    def inside(self, alive: np.ndarray, member: np.ndarray) -> np.ndarray:
        """Indices of the alive edges whose both ends are members."""
        kept: np.ndarray = np.flatnonzero(alive & member[self.row] & member[self.col])
        return kept


def build_graph(reviews: pa.Table, column_offset: float) -> ReviewGraph:
    """From a table of (reviewer_id, shop_id) rows; repeated pairs make one edge. Nodes are
    numbered in id order, so the result does not depend on the order the engine returned.
    Node numbers are int32 (and so the CSR): half the memory of a graph of 10⁶ edges."""
    reviewers, reviewer_code = _encode(reviews["reviewer_id"])
    shops, shop_code = _encode(reviews["shop_id"])
    n_rows = len(reviewers)
    n_nodes = n_rows + len(shops)
    pair = reviewer_code.astype(np.int64) * n_nodes
    pair += shop_code
    del reviewer_code, shop_code
    pair.sort()  # np.unique is far slower than a sort on this numpy
    distinct = np.ones(len(pair), dtype=bool)
    np.not_equal(pair[1:], pair[:-1], out=distinct[1:])
    pair = pair[distinct]
    col = (pair % n_nodes + n_rows).astype(np.int32)
    row = (pair // n_nodes).astype(np.int32)
    del pair, distinct
    weight = _column_weights(col, n_nodes, column_offset)
    strength = np.bincount(row, weight, n_nodes) + np.bincount(col, weight, n_nodes)
    return ReviewGraph(
        reviewers=reviewers,
        shops=shops,
        edges=Adjacency.build(row, col, weight, n_nodes),
        strength=strength,
        total=float(weight.sum()),
    )


def _encode(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """The sorted distinct values and each row's position among them. Arrow allocates from
    the system allocator here: its default pool keeps about twice as much resident for the
    hash table of 10⁵–10⁶ ids."""
    pool = pa.system_memory_pool()  # chunks joined first: one hash table, not one per chunk
    encoded = pc.dictionary_encode(column.combine_chunks(memory_pool=pool), memory_pool=pool)
    order = pc.array_sort_indices(encoded.dictionary, memory_pool=pool).to_numpy()
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    values = pc.take(encoded.dictionary, pa.array(order), memory_pool=pool)
    return values, rank[encoded.indices.to_numpy()]


def _column_weights(col: np.ndarray, n_nodes: int, offset: float) -> np.ndarray:
    """1 / log(degree of the edge's shop + offset), computed in place."""
    weight: np.ndarray = np.bincount(col, minlength=n_nodes)[col].astype(np.float64)
    weight += offset
    np.log(weight, out=weight)
    np.divide(1.0, weight, out=weight)
    return weight


def batch_candidate(
    graph: ReviewGraph, alive: np.ndarray, member: np.ndarray, inner: np.ndarray,
    epsilon: float, margin: int,
) -> np.ndarray:  # fmt: skip
    """Peel in rounds (every node adding less than (1+ε)× the average at once) and return the
    set `margin` rounds before the best-scoring one: a small superset for the exact peeling."""
    dropped_in, best_round = batch_rounds(
        graph.edges, alive, member, inner, graph.strength, graph.n_rows, graph.total, epsilon
    )
    kept: np.ndarray = dropped_in >= max(best_round - margin, 0)
    return kept


def settle(graph: ReviewGraph, alive: np.ndarray, member: np.ndarray, rounds: int) -> np.ndarray:
    """Local search after the peeling: add every node that would raise the score, else drop
    every member that lowers it, until neither changes anything (batch peeling may have cut
    members of a block early, while the set around them was still large)."""
    for _ in range(rounds):
        marginal, score = graph.marginals(alive, member)
        joining = ~member & (marginal > score)
        if joining.any():
            member = member | joining
            continue
        leaving = member & (marginal < score)
        if not leaving.any():
            break
        member = member & ~leaving
    return member
