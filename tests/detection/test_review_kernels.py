"""The review graph's vectorised loops against their definitions, written the slow and obvious
way, on random bipartite graphs (hypothesis): adjacency, attachment (both of its paths), the
weighted core, batch rounds and the exact greedy peeling.

Weights are multiples of 1/64 and the totals powers of two, so every sum, difference and
product below is exact in floating point: a node exactly on the floor is on it in both the
incremental loops and the definitions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ecredit.detection.review_kernels import (
    BIG_SET,
    Adjacency,
    batch_rounds,
    edge_weights_to,
    peel,
    weighted_core,
)


@st.composite
def graphs(draw: st.DrawFn, sorted_rows: bool = True) -> tuple[Adjacency, int]:
    """Distinct (row, col) edges with positive weights; rows numbered before columns."""
    n_rows = draw(st.integers(1, 12))
    n_cols = draw(st.integers(1, 12))
    pairs = draw(
        st.sets(st.tuples(st.integers(0, n_rows - 1), st.integers(0, n_cols - 1)), max_size=60)
    )
    edges = sorted(pairs) if sorted_rows else draw(st.permutations(sorted(pairs)))
    row = np.array([r for r, _ in edges], dtype=np.int32)
    col = np.array([n_rows + c for _, c in edges], dtype=np.int32)
    sixty_fourths = draw(st.lists(st.integers(1, 128), min_size=len(edges), max_size=len(edges)))
    weight = np.array(sixty_fourths, dtype=np.float64) / 64
    return Adjacency.build(row, col, weight, n_rows + n_cols), n_rows


def alive_of(draw: st.DrawFn, graph: Adjacency) -> np.ndarray:
    flags = draw(st.lists(st.booleans(), min_size=len(graph.row), max_size=len(graph.row)))
    return np.array(flags, dtype=bool)


def brute_attachment(graph: Adjacency, alive: np.ndarray, members: set[int]) -> np.ndarray:
    result = np.zeros(graph.n_nodes)
    for i, (a, b) in enumerate(zip(graph.row.tolist(), graph.col.tolist(), strict=True)):
        if alive[i]:
            result[a] += graph.weight[i] if b in members else 0.0
            result[b] += graph.weight[i] if a in members else 0.0
    return result


@settings(max_examples=150, deadline=None)
@given(data=st.data(), sorted_rows=st.booleans())
def test_csr_lists_every_edge_at_both_ends_in_edge_order(
    data: st.DataObject, sorted_rows: bool
) -> None:
    graph, _ = data.draw(graphs(sorted_rows))
    for v in range(graph.n_nodes):
        slots = range(graph.indptr[v], graph.indptr[v + 1])
        edges = [int(graph.slot_edge[k]) for k in slots]
        expected = [i for i in range(len(graph.row)) if v in (graph.row[i], graph.col[i])]
        assert edges == expected
        for k in slots:
            i = graph.slot_edge[k]
            assert graph.neighbour[k] == (graph.col[i] if graph.row[i] == v else graph.row[i])


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_attachment_is_the_weight_to_the_members_on_both_paths(data: st.DataObject) -> None:
    graph, _ = data.draw(graphs())
    alive = alive_of(data.draw, graph)
    chosen = data.draw(st.sets(st.integers(0, graph.n_nodes - 1)))
    members = np.array(sorted(chosen), dtype=np.int64)
    expected = brute_attachment(graph, alive, chosen)
    assert np.allclose(graph.attachment(alive, members), expected)
    many = len(members) * BIG_SET > graph.n_nodes
    # the other path, by adding members that bring nothing: nodes without edges do not exist
    # in every graph, so compare the slot path directly instead
    slots = graph.slots_of(members)
    kept = alive[graph.slot_edge[slots]]
    by_slots = np.bincount(
        graph.neighbour[slots][kept], graph.weight[graph.slot_edge[slots][kept]], graph.n_nodes
    )
    assert np.allclose(by_slots, expected), many


@settings(max_examples=150, deadline=None)
@given(data=st.data(), floor=st.integers(1, 192).map(lambda k: k / 64))
def test_weighted_core_is_the_largest_set_where_every_node_reaches_the_floor(
    data: st.DataObject, floor: float
) -> None:
    graph, _ = data.draw(graphs())
    alive = alive_of(data.draw, graph)
    everyone = np.ones(graph.n_nodes, dtype=bool)
    core, inner = weighted_core(
        graph, alive, everyone, graph.attachment(alive, np.arange(graph.n_nodes)), floor
    )
    expected = set(range(graph.n_nodes))
    while True:  # the definition: drop one node below the floor at a time
        weights = brute_attachment(graph, alive, expected)
        below = [v for v in sorted(expected) if weights[v] < floor]
        if not below:
            break
        expected.discard(below[0])
    assert set(np.flatnonzero(core).tolist()) == expected
    assert np.allclose(inner, brute_attachment(graph, alive, expected))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_removed_edges_weights_to_the_members(data: st.DataObject) -> None:
    graph, _ = data.draw(graphs())
    removed = np.array(
        sorted(data.draw(st.sets(st.integers(0, max(len(graph.row) - 1, 0))))), dtype=np.int64
    )[: len(graph.row)]
    member = np.array(data.draw(st.lists(st.booleans(), min_size=graph.n_nodes,
                                         max_size=graph.n_nodes)), dtype=bool)  # fmt: skip
    only = np.zeros(len(graph.row), dtype=bool)
    only[removed] = True
    expected = brute_attachment(graph, only, set(np.flatnonzero(member).tolist()))
    assert np.allclose(edge_weights_to(graph, removed, member), expected)


def excess_score(
    graph: Adjacency, nodes: set[int], strength: np.ndarray, n_rows: int, total: float
) -> float:
    """The peeling's objective: weight inside minus what the strengths predict, per node."""
    if not nodes:
        return 0.0
    inside = sum(
        w
        for a, b, w in zip(
            graph.row.tolist(), graph.col.tolist(), graph.weight.tolist(), strict=True
        )
        if a in nodes and b in nodes
    )
    rows = sum(strength[v] for v in nodes if v < n_rows)
    cols = sum(strength[v] for v in nodes if v >= n_rows)
    return (inside - rows * cols / total) / len(nodes)


def power_of_two_above(value: float) -> float:
    return float(2 ** int(np.ceil(np.log2(max(value, 1.0)))))


@settings(max_examples=150, deadline=None)
@given(data=st.data(), spread=st.sampled_from([1.0, 1.5, 2.0]))
def test_peel_removes_a_node_adding_least_each_step_and_keeps_the_best_set(
    data: st.DataObject, spread: float
) -> None:
    graph, n_rows = data.draw(graphs())
    alive = np.ones(len(graph.row), dtype=bool)
    strength = graph.attachment(alive, np.arange(graph.n_nodes)) * spread
    total = power_of_two_above(2 * float(strength.sum()))
    order, best_step, best = peel(graph, alive, strength, n_rows, total, 1.0)

    remaining = {v for v in range(graph.n_nodes) if graph.indptr[v + 1] > graph.indptr[v]}
    assert sorted(order.tolist()) == sorted(remaining)
    scores = [excess_score(graph, remaining, strength, n_rows, total)]
    for v in order.tolist():  # the definition: each step removes a node whose removal costs least
        whole = scores[-1] * len(remaining)
        cost = {
            u: whole
            - excess_score(graph, remaining - {u}, strength, n_rows, total) * (len(remaining) - 1)
            for u in remaining
        }
        assert cost[v] == min(cost.values())
        remaining.discard(v)
        scores.append(excess_score(graph, remaining, strength, n_rows, total))
    nonempty = scores[:-1] or scores
    assert best == max(nonempty)
    assert best_step == nonempty.index(max(nonempty))


@settings(max_examples=100, deadline=None)
@given(data=st.data(), epsilon=st.floats(0.0, 0.5))
def test_batch_rounds_drop_each_member_once_and_name_the_best_round(
    data: st.DataObject, epsilon: float
) -> None:
    graph, n_rows = data.draw(graphs())
    alive = np.ones(len(graph.row), dtype=bool)
    member = np.array(data.draw(st.lists(st.booleans(), min_size=graph.n_nodes,
                                         max_size=graph.n_nodes)), dtype=bool)  # fmt: skip
    strength = graph.attachment(alive, np.arange(graph.n_nodes))
    total = power_of_two_above(float(strength.sum()))
    inner = graph.attachment(alive, np.flatnonzero(member))
    dropped_in, best_round = batch_rounds(
        graph, alive, member, inner, strength, n_rows, total, epsilon
    )
    assert ((dropped_in >= 0) == member).all()
    rounds = int(dropped_in.max()) + 1 if member.any() else 0
    scores = [
        excess_score(graph, set(np.flatnonzero(dropped_in >= k).tolist()), strength, n_rows, total)
        for k in range(rounds)
    ]
    if scores:
        assert scores[best_round] == max(scores)
