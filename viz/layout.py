"""Seeded, deterministic layouts for the explorer (computed in Python, never in the browser).

vis-network's physics needs minutes to settle beyond about a thousand nodes
(see FACTS.md), and networkx's global ``spring_layout``/``forceatlas2_layout``
take a minute or more on 5,000 nodes. The map is coloured by cluster, so we
lay it out as *islands*: every cluster is laid out on its own with
``networkx.spring_layout`` (seeded), clusters larger than :data:`ISLAND_MAX`
are split with ``louvain_communities`` (seeded) first, and the islands are
then placed with a spring layout of the cluster graph (clusters that share
many edges end up close) followed by a small overlap-removal pass. A
5,000-node graph takes a few seconds, and the result is reproducible for a
given graph and seed.

Internally nodes are integers (their rank in the sorted node list) and edges
are numpy arrays, so selecting a cluster's edges never walks networkx views.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np

ISLAND_MAX = 400          # an island larger than this is split (spring_layout is O(n²) per step)
PLACE_MAX = 64            # circles placed in one pass: the overlap removal compares every pair (k² time and memory)
NODE_SPACING = 24.0       # pixels: island radius ≈ NODE_SPACING * sqrt(number of nodes)
_TINY = 2                 # clusters this small are pooled into one shared island


class _Edges:
    """Undirected, merged, loop-free edges of the graph as index arrays."""

    def __init__(self, n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray):
        self.n, self.a, self.b, self.w = n, a, b, w
        self._loc = np.full(n, -1, dtype=np.int64)

    def within(self, members: np.ndarray):
        """Edges with both ends in ``members``, as local indices into ``members``."""
        loc = self._loc
        loc[members] = np.arange(len(members))
        la, lb = loc[self.a], loc[self.b]
        keep = (la >= 0) & (lb >= 0)
        out = la[keep], lb[keep], self.w[keep]
        loc[members] = -1
        return out

    def between(self, group_of: np.ndarray):
        """Summed weights between groups: {(g, h): w} with g < h."""
        g, h = group_of[self.a], group_of[self.b]
        keep = (g >= 0) & (h >= 0) & (g != h)
        g, h, w = g[keep], h[keep], self.w[keep]
        lo, hi = np.minimum(g, h), np.maximum(g, h)
        out: dict = {}
        for x, y, v in zip(lo.tolist(), hi.tolist(), w.tolist()):
            out[(x, y)] = out.get((x, y), 0.0) + v
        return out


def island_layout(G: nx.Graph, nodes: list, seed: int = 42, spacing: float = NODE_SPACING,
                  edges=None) -> dict:
    """Return ``{node: (x, y)}`` in vis-network pixel units for ``nodes`` (some or all nodes of ``G``).

    ``spacing`` is the typical distance between neighbouring nodes, in pixels.
    ``nodes`` gives the (sorted) node order, which makes the result independent
    of the graph's insertion order.  ``edges``: ``(u, v, data)`` triples to lay
    out instead of ``G.edges(data=True)``; edges touching other nodes are ignored.
    """
    if not nodes:
        return {}
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    E = _edge_arrays(G.edges(data=True) if edges is None else edges, index, n)

    groups: dict = defaultdict(list)
    loose = []
    for i, v in enumerate(nodes):
        c = G.nodes[v].get("cluster")
        if c is None or (isinstance(c, float) and not np.isfinite(c)):
            loose.append(i)
        else:
            groups[("c", str(c))].append(i)
    if loose:  # nodes without a cluster: one group per connected component
        la, lb, _w = E.within(np.asarray(loose))
        sub = nx.Graph()
        sub.add_nodes_from(range(len(loose)))
        sub.add_edges_from(zip(la.tolist(), lb.tolist()))
        comps = sorted((sorted(loose[j] for j in c) for c in nx.connected_components(sub)),
                       key=lambda c: (-len(c), c[0]))
        for k, comp in enumerate(comps):
            groups[("cc", f"{k:09d}")] = comp
    tiny = sorted(i for key in groups if len(groups[key]) <= _TINY for i in groups[key])
    keys = sorted((k for k in groups if len(groups[k]) > _TINY), key=lambda k: (-len(groups[k]), k))
    blocks = [np.asarray(groups[k], dtype=np.int64) for k in keys]
    if tiny:
        blocks.append(np.asarray(tiny, dtype=np.int64))

    rng_seed = int(seed) % (2**32)
    sp = float(spacing)
    laid, radii = [], []
    for block in blocks:
        xy, r = _layout_block(E, block, rng_seed, sp)
        laid.append(xy)
        radii.append(r)
    centres = _place(E, blocks, radii, rng_seed, sp, gap=3.0)  # room for the cluster names
    out = np.zeros((n, 2))
    for block, xy, c in zip(blocks, laid, centres):
        out[block] = xy + c
    out = np.round(out, 1)
    return {v: (float(out[i, 0]), float(out[i, 1])) for i, v in enumerate(nodes)}


def _weight(d) -> float:
    try:
        w = float(d.get("weight", 1.0))
    except (TypeError, ValueError):
        return 1.0
    return w if np.isfinite(w) and w > 0 else 1.0


def _edge_arrays(edges, index: dict, n: int) -> _Edges:
    a, b, w = [], [], []
    for u, v, d in edges:
        i, j = index.get(u), index.get(v)
        if i is None or j is None or i == j:
            continue
        a.append(min(i, j))
        b.append(max(i, j))
        w.append(_weight(d))
    if not a:
        empty = np.zeros(0, dtype=np.int64)
        return _Edges(n, empty, empty.copy(), np.zeros(0))
    a, b, w = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64), np.asarray(w, dtype=float)
    key = a * n + b  # merge parallel / reciprocal edges, summing weights
    uniq, inv = np.unique(key, return_inverse=True)
    return _Edges(n, uniq // n, uniq % n, np.bincount(inv, weights=w))


def _layout_block(E: _Edges, block: np.ndarray, seed: int, sp: float):
    """Lay out one cluster; returns (xy relative to its centre, radius)."""
    if len(block) <= ISLAND_MAX:
        return _layout_leaf(E, block, seed, sp)
    la, lb, w = E.within(block)
    sub = nx.Graph()
    sub.add_nodes_from(range(len(block)))
    sub.add_weighted_edges_from(zip(la.tolist(), lb.tolist(), w.tolist()))
    parts = [sorted(p) for p in nx.community.louvain_communities(sub, weight="weight", seed=seed)]
    if len(parts) <= 1:  # no structure: cut in breadth-first order so neighbours stay together
        seq = _bfs_order(sub)
        parts = [sorted(seq[i:i + ISLAND_MAX]) for i in range(0, len(seq), ISLAND_MAX)]
    parts = _pool_tiny_parts(sub, parts)
    parts.sort(key=lambda p: (-len(p), p[0]))
    parts = [block[np.asarray(p, dtype=np.int64)] for p in parts]
    laid, radii = [], []
    for part in parts:
        xy, r = _layout_block(E, part, seed, sp)
        laid.append(xy)
        radii.append(r)
    centres = _place(E, parts, radii, seed, sp)
    loc = {int(v): k for k, v in enumerate(block.tolist())}
    out = np.zeros((len(block), 2))
    for part, xy, c in zip(parts, laid, centres):
        out[[loc[int(v)] for v in part.tolist()]] = xy + c
    return out, float(np.hypot(out[:, 0], out[:, 1]).max()) + sp


def _pool_tiny_parts(sub: nx.Graph, parts: list) -> list:
    """Parts of at most ``_TINY`` nodes pooled into pieces of at most :data:`ISLAND_MAX` nodes.

    Louvain makes every node of a block without links inside it a community of its own (a
    cluster of papers whose concepts belong to other clusters, an unclustered remainder): the
    Papers + concepts view of 50,000 one-sentence abstracts had a block of 2,498 such one-node
    parts, and each part would be an island with room around it. Pooled in breadth-first order,
    linked nodes stay next to each other, as the top level pools tiny clusters.
    """
    tiny = {v for p in parts if len(p) <= _TINY for v in p}
    if len(tiny) <= _TINY:
        return parts
    seq = [v for v in _bfs_order(sub) if v in tiny]
    return ([p for p in parts if len(p) > _TINY]
            + [sorted(seq[i:i + ISLAND_MAX]) for i in range(0, len(seq), ISLAND_MAX)])


def _bfs_order(sub: nx.Graph, weight: str | None = None) -> list:
    """Nodes of ``sub`` in breadth-first order from the lowest unvisited node; neighbours by index,
    or strongest ``weight`` first."""
    seen, seq = set(), []
    for start in sorted(sub):
        if start in seen:
            continue
        seen.add(start)
        queue, head = [start], 0
        while head < len(queue):
            v = queue[head]
            head += 1
            seq.append(v)
            near = sorted(sub[v]) if weight is None else sorted(sub[v], key=lambda m: (-sub[v][m][weight], m))
            for m in near:
                if m not in seen:
                    seen.add(m)
                    queue.append(m)
    return seq


def _layout_leaf(E: _Edges, block: np.ndarray, seed: int, sp: float):
    k = len(block)
    radius = sp * np.sqrt(k) * 0.9 + sp * 0.5
    if k == 1:
        return np.zeros((1, 2)), sp
    la, lb, w = E.within(block)
    if len(w):
        # weights span orders of magnitude (association strength…): attraction
        # proportional to sqrt(w / max w) keeps strong pairs close without collapsing them
        w = np.maximum(0.05, np.sqrt(w / w.max()))
    xy = fruchterman_reingold(k, la, lb, w, seed=seed).astype(float)
    xy -= xy.mean(axis=0)
    # spread radially so the island is filled evenly (spring layouts push
    # isolated nodes to the rim): rank-based radius keeps the angular order
    r = np.hypot(xy[:, 0], xy[:, 1])
    rank = np.empty(k)
    rank[np.argsort(r, kind="stable")] = np.arange(k)
    target = np.sqrt((rank + 0.5) / k)
    scale = np.where(r > 1e-9, target / np.maximum(r, 1e-9), 0.0)
    return xy * scale[:, None] * radius, float(radius)


def fruchterman_reingold(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, *, seed: int,
                         iterations: int = 50) -> np.ndarray:
    """Seeded Fruchterman–Reingold force layout of ``n`` nodes and weighted edges ``(a, b, w)``.

    The algorithm of ``networkx.spring_layout`` (k = sqrt(1/n), repulsion k²/d,
    attraction w·d²/k, linear cooling from 0.1, random start from
    ``RandomState(seed)``), vectorised in float32: about ten times faster
    than ``spring_layout`` on a 400-node island, which is what makes the
    5,000-node map render in seconds. Returns an ``(n, 2)`` array.
    """
    rng = np.random.RandomState(seed)
    pos = rng.rand(n, 2).astype(np.float32)
    if n < 2:
        return pos
    A = np.zeros((n, n), dtype=np.float32)
    np.add.at(A, (a, b), w)
    A = A + A.T
    k = np.float32(np.sqrt(1.0 / n))
    t, dt = np.float32(0.1), np.float32(0.1 / (iterations + 1))
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        d2 = dx * dx + dy * dy
        np.maximum(d2, np.float32(1e-4), out=d2)
        f = (k * k) / d2 - A * np.sqrt(d2) / k
        disp = np.stack([(dx * f).sum(axis=1), (dy * f).sum(axis=1)], axis=1)
        length = np.sqrt((disp * disp).sum(axis=1))
        np.maximum(length, np.float32(0.01), out=length)
        pos += disp * (t / length)[:, None]
        t -= dt
    return pos


def _place(E: _Edges, blocks: list, radii: list, seed: int, sp: float, gap: float = 1.5) -> np.ndarray:
    """Centres for circles of the given radii: near when the blocks share edges, never overlapping."""
    k = len(blocks)
    if k > PLACE_MAX:
        return _place_in_groups(E, blocks, radii, seed, sp, gap)
    r = np.asarray(radii, dtype=float)
    if k == 1:
        return np.zeros((1, 2))
    group_of = np.full(E.n, -1, dtype=np.int64)
    for i, b in enumerate(blocks):
        group_of[b] = i
    Q = nx.Graph()
    Q.add_nodes_from(range(k))
    between = E.between(group_of)
    if between:
        qmax = max(between.values())
        Q.add_weighted_edges_from((g, h, max(0.05, float(np.sqrt(w / qmax)))) for (g, h), w in sorted(between.items()))
    raw = nx.spring_layout(Q, seed=seed, iterations=80, weight="weight") if k > 2 else {0: (-1, 0), 1: (1, 0)}
    c = np.array([raw[i] for i in range(k)], dtype=float)
    c -= c.mean(axis=0)
    span = np.hypot(c[:, 0], c[:, 1]).max() or 1.0
    total = np.sqrt((r ** 2).sum())  # radius of a disc with the islands' total area
    c *= 1.3 * total / span
    pad = sp * gap
    need = r[:, None] + r[None, :] + pad
    np.fill_diagonal(need, 0.0)
    for step in range(400):
        d = c[:, None, :] - c[None, :, :]
        dist = np.hypot(d[..., 0], d[..., 1])
        np.fill_diagonal(dist, 1.0)
        dist = np.maximum(dist, 1e-6)
        overlap = np.clip(need - dist, 0.0, None)
        np.fill_diagonal(overlap, 0.0)
        if step > 40 and not overlap.any():
            break
        push = (d / dist[..., None]) * (overlap[..., None] * 0.5)
        c += push.sum(axis=1)
        if step < 300:  # gentle gravity keeps the map compact
            c -= c * 0.02
    return c


def _place_in_groups(E: _Edges, blocks: list, radii: list, seed: int, sp: float, gap: float) -> np.ndarray:
    """:func:`_place` for more than :data:`PLACE_MAX` circles: groups of linked blocks, then the groups.

    Blocks are taken in breadth-first order of the graph of blocks (strongest link first), cut
    into groups of :data:`PLACE_MAX`; each group is placed on its own, and the groups are placed
    as circles enclosing their members. Time and memory grow with the number of blocks, not its
    square: 2,498 blocks placed in one pass took 262 CPU s.
    """
    k = len(blocks)
    group_of = np.full(E.n, -1, dtype=np.int64)
    for i, b in enumerate(blocks):
        group_of[b] = i
    Q = nx.Graph()
    Q.add_nodes_from(range(k))  # blocks come largest first
    Q.add_weighted_edges_from((g, h, w) for (g, h), w in E.between(group_of).items())
    order = _bfs_order(Q, weight="weight")
    groups = [order[i:i + PLACE_MAX] for i in range(0, k, PLACE_MAX)]
    inner, outer_radii = [], []
    for members in groups:
        r = np.asarray([radii[i] for i in members], dtype=float)
        c = _place(E, [blocks[i] for i in members], list(r), seed, sp, gap)
        inner.append(c)
        outer_radii.append(float((np.hypot(c[:, 0], c[:, 1]) + r).max()))
    outer = _place(E, [np.concatenate([blocks[i] for i in members]) for members in groups], outer_radii,
                   seed, sp, gap)
    centres = np.zeros((k, 2))
    for members, c, o in zip(groups, inner, outer):
        centres[members] = c + o
    return centres
