"""Synthetic but realistic-looking graphs for demos, tests and benchmarks of the viewer.

``synthetic_graphs(n_papers)`` returns ``{"papers": G, "concepts": G, "bipartite": G}``
with the attributes the graph stage produces, so the viewer can be exercised
at any size without running extraction. Papers carry ``year`` (seeded); concept
nodes carry ``first_year``, ``last_year``, ``mean_year`` and ``counts_by_year``
(``"2015:3; 2016:5"``) computed from their papers, as the graph stage does.
``missing_years`` drops the year of that share of papers (seeded, drawn apart
from the rest so the other attributes do not change).
"""
from __future__ import annotations

import random

import networkx as nx

TOPICS = [
    ("graph neural networks", ["graph neural network", "message passing", "node classification",
                               "graph attention network", "Cora", "link prediction", "GCN", "OGB"]),
    ("vision transformers", ["vision transformer", "self-attention", "ImageNet", "image classification",
                             "patch embedding", "top-1 accuracy", "ViT", "knowledge distillation"]),
    ("language models", ["transformer", "language modeling", "perplexity", "BERT", "masked language model",
                         "GLUE", "fine-tuning", "question answering"]),
    ("object detection", ["object detection", "COCO", "Faster R-CNN", "mean average precision",
                          "feature pyramid network", "anchor boxes", "YOLO", "instance segmentation"]),
    ("reinforcement learning", ["reinforcement learning", "policy gradient", "Atari", "PPO",
                                "reward shaping", "Q-learning", "MuJoCo", "episodic return"]),
    ("speech recognition", ["speech recognition", "LibriSpeech", "word error rate", "CTC loss",
                            "conformer", "wav2vec", "acoustic model", "spectrogram augmentation"]),
    ("generative models", ["diffusion model", "GAN", "FID", "image synthesis", "variational autoencoder",
                           "CelebA", "score matching", "U-Net"]),
    ("recommender systems", ["recommender system", "collaborative filtering", "MovieLens", "NDCG",
                             "matrix factorization", "click-through rate prediction", "two-tower model",
                             "implicit feedback"]),
    ("medical imaging", ["medical image segmentation", "U-Net", "Dice score", "BraTS", "CT scans",
                         "data augmentation", "nnU-Net", "lesion detection"]),
    ("federated learning", ["federated learning", "differential privacy", "FedAvg", "non-IID data",
                            "communication efficiency", "CIFAR-10", "secure aggregation", "client drift"]),
    ("time series", ["time series forecasting", "LSTM", "M4", "MAE", "temporal convolution",
                     "anomaly detection", "Informer", "seasonality"]),
    ("machine translation", ["machine translation", "WMT", "BLEU", "sequence-to-sequence", "beam search",
                             "back-translation", "multilingual model", "attention mechanism"]),
]
TYPES = {
    "graph neural network": "architecture", "message passing": "method", "node classification": "task",
    "graph attention network": "architecture", "Cora": "dataset", "link prediction": "task", "GCN": "architecture",
    "OGB": "dataset", "vision transformer": "architecture", "self-attention": "method", "ImageNet": "dataset",
    "image classification": "task", "patch embedding": "method", "top-1 accuracy": "metric", "ViT": "architecture",
    "knowledge distillation": "method", "transformer": "architecture", "language modeling": "task",
    "perplexity": "metric", "BERT": "architecture", "masked language model": "method", "GLUE": "dataset",
    "fine-tuning": "method", "question answering": "task", "object detection": "task", "COCO": "dataset",
    "Faster R-CNN": "architecture", "mean average precision": "metric", "feature pyramid network": "architecture",
    "anchor boxes": "method", "YOLO": "architecture", "instance segmentation": "task",
    "reinforcement learning": "method", "policy gradient": "method", "Atari": "dataset", "PPO": "method",
    "reward shaping": "method", "Q-learning": "method", "MuJoCo": "dataset", "episodic return": "metric",
    "speech recognition": "task", "LibriSpeech": "dataset", "word error rate": "metric", "CTC loss": "method",
    "conformer": "architecture", "wav2vec": "architecture", "acoustic model": "architecture",
    "spectrogram augmentation": "method", "diffusion model": "architecture", "GAN": "architecture", "FID": "metric",
    "image synthesis": "task", "variational autoencoder": "architecture", "CelebA": "dataset",
    "score matching": "method", "U-Net": "architecture", "recommender system": "task",
    "collaborative filtering": "method", "MovieLens": "dataset", "NDCG": "metric", "matrix factorization": "method",
    "click-through rate prediction": "task", "two-tower model": "architecture", "implicit feedback": "method",
    "medical image segmentation": "task", "Dice score": "metric", "BraTS": "dataset", "CT scans": "dataset",
    "data augmentation": "method", "nnU-Net": "architecture", "lesion detection": "task",
    "federated learning": "method", "differential privacy": "method", "FedAvg": "method", "non-IID data": "dataset",
    "communication efficiency": "metric", "CIFAR-10": "dataset", "secure aggregation": "method",
    "client drift": "task", "time series forecasting": "task", "LSTM": "architecture", "M4": "dataset",
    "MAE": "metric", "temporal convolution": "method", "anomaly detection": "task", "Informer": "architecture",
    "seasonality": "method", "machine translation": "task", "WMT": "dataset", "BLEU": "metric",
    "sequence-to-sequence": "architecture", "beam search": "method", "back-translation": "method",
    "multilingual model": "architecture", "attention mechanism": "method",
}
GENERIC = ["deep learning", "neural network", "benchmark", "state of the art", "accuracy"]
TEMPLATES = [
    "{a} with {b} for {c}", "Rethinking {a} in {c}", "Towards robust {c} via {a}", "{a}: scaling {b} to {c}",
    "Efficient {a} for {c}", "On the limits of {a} and {b}", "Learning {c} with {a}", "{b} meets {a}",
]


def synthetic_graphs(n_papers: int = 300, seed: int = 7, n_topics: int | None = None,
                     missing_years: float = 0.0) -> dict:
    """Return ``{"papers", "concepts", "bipartite"}`` networkx graphs of a synthetic corpus."""
    rng = random.Random(seed)
    topics = TOPICS[: n_topics or len(TOPICS)]
    # extra concepts per topic for big corpora so concept maps are not tiny
    pools = []
    for t, (name, base) in enumerate(topics):
        extra = [f"{name.split()[0]} {suffix}" for suffix in ("loss", "regularization", "pretraining", "sampling",
                                                              "benchmark suite", "pipeline")]
        pools.append(base + extra[: max(0, min(6, n_papers // 400))])
    papers = []
    for i in range(n_papers):
        t = min(int(rng.paretovariate(1.1)) - 1, len(topics) - 1) if rng.random() < 0.5 else rng.randrange(len(topics))
        pool = pools[t]
        k = rng.randint(3, 7)
        cs = rng.sample(pool, min(k, len(pool)))
        if rng.random() < 0.3:
            other = pools[rng.randrange(len(topics))]
            cs.append(rng.choice(other))
        if rng.random() < 0.4:
            cs.append(rng.choice(GENERIC))
        cs = list(dict.fromkeys(cs))
        a, b, c = (cs + cs)[:3]
        title = rng.choice(TEMPLATES).format(a=a, b=b, c=c)
        title = title[0].upper() + title[1:]
        year = 2012 + int(12 * (rng.random() ** 0.6))
        abstract = (f"We study {c} and propose a new approach based on {a}. "
                    f"Unlike previous work on {b}, our method combines {', '.join(cs[:4])}. "
                    f"Experiments show consistent gains over strong baselines, and we analyse when {a} helps. "
                    f"Code and models are released.")
        papers.append({"id": f"paper:{i:05d}", "title": title, "year": year, "topic": t, "concepts": cs,
                       "abstract": abstract})

    no_year = set()
    if missing_years > 0:
        rng_missing = random.Random(f"{seed}:missing-years")
        no_year = {p["id"] for p in papers if rng_missing.random() < missing_years}

    P = nx.Graph()
    by_topic: dict = {}
    for p in papers:
        attrs = dict(kind="paper", label=_short(p["title"]), title=p["title"], abstract=p["abstract"],
                     concepts="; ".join(p["concepts"]))
        if p["id"] not in no_year:
            attrs["year"] = p["year"]
        P.add_node(p["id"], **attrs)
        by_topic.setdefault(p["topic"], []).append(p)
    # shared-concept links: each paper to its most similar papers among a sample of its topic
    for p in papers:
        peers = by_topic[p["topic"]]
        cand = rng.sample(peers, min(40, len(peers)))
        scored = []
        for q in cand:
            if q["id"] == p["id"]:
                continue
            shared = sorted(set(p["concepts"]) & set(q["concepts"]))
            if len(shared) >= 2:
                scored.append((len(shared), q["id"], shared))
        scored.sort(reverse=True)
        for n, qid, shared in scored[:3]:
            if not P.has_edge(p["id"], qid):
                P.add_edge(p["id"], qid, kind="concept", weight=float(n),
                           evidence="shared concepts: " + ", ".join(shared))
    # citations: to earlier papers of the same topic
    for p in papers:
        earlier = [q for q in by_topic[p["topic"]] if q["year"] < p["year"]]
        for q in rng.sample(earlier, min(len(earlier), rng.randint(0, 2))):
            kind = "citation" if rng.random() < 0.7 else "inferred-citation"
            ev = (f"reference list cites “{q['title']}”" if kind == "citation"
                  else f"the abstract mentions {q['concepts'][0]} as in “{q['title']}” ({q['year']})")
            P.add_edge(p["id"], q["id"], kind=kind, weight=2.0, evidence=ev)
    _decorate(P, {p["id"]: p["topic"] for p in papers}, topics)

    # concept co-occurrence and bipartite
    C = nx.Graph()
    B = nx.Graph()
    counts: dict = {}
    for p in papers:
        for c in p["concepts"]:
            counts[c] = counts.get(c, 0) + 1
    home = {}
    for t, pool in enumerate(pools):
        for c in pool:
            home.setdefault(c, t)
    per_year: dict = {}
    for p in papers:
        if p["id"] in no_year:
            continue
        for c in p["concepts"]:
            cy = per_year.setdefault(c, {})
            cy[p["year"]] = cy.get(p["year"], 0) + 1
    for c, n in counts.items():
        attrs = dict(kind="concept", label=c, type=TYPES.get(c, "method"), generic=c in GENERIC, n_papers=n)
        cy = per_year.get(c)
        if cy:
            total = sum(cy.values())
            attrs.update(first_year=min(cy), last_year=max(cy),
                         mean_year=sum(y * k for y, k in cy.items()) / total,
                         counts_by_year="; ".join(f"{y}:{cy[y]}" for y in sorted(cy)))
        C.add_node(f"concept:{c}", **attrs)
        B.add_node(f"concept:{c}", **attrs)
    co: dict = {}
    for p in papers:
        cs = sorted(p["concepts"])
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                co[(a, b)] = co.get((a, b), 0) + 1
    for (a, b), n in co.items():
        if n >= 2:
            C.add_edge(f"concept:{a}", f"concept:{b}", kind="cooccurrence", weight=float(n),
                       evidence=f"co-occur in {n} papers")
    _decorate(C, {f"concept:{c}": home.get(c, len(topics)) for c in counts}, topics)
    for p in papers:
        B.add_node(p["id"], **P.nodes[p["id"]])
        for c in p["concepts"]:
            B.add_edge(p["id"], f"concept:{c}", kind="mention", weight=1.0, evidence="mentioned in the abstract")
    topic_of = {p["id"]: p["topic"] for p in papers}
    topic_of.update({f"concept:{c}": home.get(c, len(topics)) for c in counts})
    _decorate(B, topic_of, topics)
    return {"papers": P, "concepts": C, "bipartite": B}


def _short(title: str) -> str:
    return title if len(title) <= 42 else title[:40].rsplit(" ", 1)[0] + "…"


def _decorate(G: nx.Graph, topic_of: dict, topics) -> None:
    pr = nx.pagerank(G, weight="weight") if G.number_of_edges() else {n: 1 / max(1, len(G)) for n in G}
    for n in G:
        t = topic_of[n]
        G.nodes[n]["cluster"] = t
        G.nodes[n]["cluster_label"] = topics[t][0] if t < len(topics) else "general"
        G.nodes[n]["pagerank"] = pr[n]
        G.nodes[n]["degree"] = G.degree(n)
