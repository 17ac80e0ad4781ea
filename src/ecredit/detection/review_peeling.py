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
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ecredit.detection.review_graph import ReviewGraph, batch_candidate, settle
from ecredit.detection.review_kernels import Adjacency, edge_weights_to, peel, weighted_core

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
    periphery: float  # accounts adding this share of the score join the block's accounts
    min_rows: int
    min_cols: int
    max_blocks: int


def find_blocks(graph: ReviewGraph, settings: PeelingSettings) -> list[Block]:
    """Blocks best first: each found block's edges are removed and the search repeats."""
    return list(iter_blocks(graph, settings))


def iter_blocks(graph: ReviewGraph, settings: PeelingSettings) -> Iterator[Block]:
    """find_blocks, each block handed over as soon as it is found."""
    alive = np.ones(len(graph.row), dtype=bool)
    member = np.ones(graph.n_nodes, dtype=bool)
    inner = graph.strength  # each node's weight to the members: all of its edges, at first
    found = 0
    while found < settings.max_blocks:
        member, inner = weighted_core(graph.edges, alive, member, inner, settings.floor)
        if not member.any():
            break
        candidate = batch_candidate(graph, alive, member, inner, settings.epsilon, settings.margin)
        block, inside = exact_block(graph, alive, candidate, settings.periphery)
        if block.score < settings.min_score:
            break
        alive[inside] = False
        inner -= edge_weights_to(graph.edges, inside, member)
        if len(block.rows) >= settings.min_rows and len(block.cols) >= settings.min_cols:
            found += 1
            yield block


def exact_block(
    graph: ReviewGraph, alive: np.ndarray, candidate: np.ndarray, periphery: float
) -> tuple[Block, np.ndarray]:
    """Greedy peeling with a priority queue over the candidate's alive edges, then local
    search, then the periphery; the block and the indices of its edges.

    The densest set leaves out ring accounts that wrote fewer ring reviews than its average
    (hijacked accounts with a long honest history among them): accounts that would add at
    least `periphery` × the score join the block's accounts; the score stays the core's."""
    local_edges = graph.inside(alive, candidate)
    nodes = np.flatnonzero(candidate)
    local = np.full(graph.n_nodes, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    subgraph = Adjacency.build(
        local[graph.row[local_edges]],
        local[graph.col[local_edges]],
        graph.weight[local_edges],
        len(nodes),
    )
    removed, best_step, _ = peel(
        subgraph,
        np.ones(len(local_edges), dtype=np.bool_),
        graph.strength[nodes],
        int((nodes < graph.n_rows).sum()),
        graph.total,
        1.0,
    )
    in_block = np.zeros(graph.n_nodes, dtype=bool)
    in_block[nodes[removed[best_step:]]] = True
    in_block = settle(graph, alive, in_block, SETTLE_ROUNDS)
    marginal, score = graph.marginals(alive, in_block)
    joining = marginal[: graph.n_rows] >= periphery * score
    in_block[: graph.n_rows] |= joining
    inside = graph.inside(alive, in_block)
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
