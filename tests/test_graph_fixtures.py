"""Hand-built papers/mentions/concepts tables for the graph tests (and a check of the builder itself).

``toy_corpus()`` returns a small corpus with three topics (segmentation, dense
networks, quantization, graph neural networks), a generic concept named by
every paper, an explicit DOI reference and the introduction patterns the
inferred citations must find.  Mentions are found by a tiny dictionary matcher
so offsets are real.
"""
from __future__ import annotations

import re

import pandas as pd

# concept_id: (label, type, aliases, generic)
CONCEPTS = {
    "c_unet": ("U-Net", "architecture", [], False),
    "c_nnunet": ("nnU-Net", "architecture", [], False),
    "c_seg": ("medical image segmentation", "task", ["biomedical image segmentation"], False),
    "c_densenet": ("DenseNet", "architecture", ["Dense Convolutional Network", "DenseNets",
                                                  "Densely Connected Convolutional Networks"], False),
    "c_d3net": ("D3Net", "architecture", [], False),
    "c_resnet": ("ResNet", "architecture", ["ResNets"], False),
    "c_imagenet": ("ImageNet", "dataset", [], False),
    "c_cifar": ("CIFAR-10", "dataset", [], False),
    "c_quant": ("quantization", "method", [], False),
    "c_mixed": ("mixed precision", "method", [], False),
    "c_gnn": ("graph neural network", "architecture", ["graph neural networks", "GNN", "GNNs"], False),
    "c_mp": ("message passing", "method", [], False),
    "c_cora": ("Cora", "dataset", [], False),
    "c_dnn": ("deep neural network", "architecture", ["deep neural networks", "deep networks"], True),
    "c_acc": ("accuracy", "metric", [], True),
}

PAPERS = [
    ("p_unet", "U-Net: Convolutional Networks for Biomedical Image Segmentation",
     "In this paper, we present a network and training strategy for biomedical image segmentation with deep "
     "networks that relies on data augmentation. It reaches high accuracy.", None, "10.1000/unet"),
    ("p_nnunet", "nnU-Net Revisited: A Call for Rigorous Validation in 3D Medical Image Segmentation",
     "The release of nnU-Net marked a paradigm shift in medical image segmentation, showing that a properly "
     "configured U-Net architecture with deep networks still wins.", None, None),
    ("p_ext", "Extending nnU-Net is all you need",
     "We use nnU-Net and a U-Net baseline for medical image segmentation of CT scans with deep networks.",
     None, None),
    ("p_dense", "Densely Connected Convolutional Networks",
     "In this paper, we embrace this observation and introduce the Dense Convolutional Network (DenseNet), "
     "which connects each layer to every other layer. Deep networks on CIFAR-10 and ImageNet improve accuracy.",
     None, None),
    ("p_reload", "DenseNets Reloaded: Paradigm Shift Beyond ResNets and ViTs",
     "This paper revives Densely Connected Convolutional Networks (DenseNets) beyond ResNet-style deep networks "
     "on ImageNet.", None, None),
    ("p_d3net", "D3Net: Densely connected multidilated DenseNet for music source separation",
     "We propose a novel architecture called densely connected dilated DenseNet (D3Net) for deep networks. "
     "D3Net combines dilated convolution with DenseNet.", None, None),
    ("p_resnet", "", "Deep networks with residual connections such as ResNet reach high accuracy on ImageNet and "
     "CIFAR-10.", ["10.1000/dense"], None),
    ("p_q1", "Mixed Precision Quantization for Deep Neural Networks",
     "We study quantization and mixed precision for deep neural networks on ImageNet.", None, None),
    ("p_q2", "Data-free quantization of deep networks",
     "Post-training quantization with mixed precision keeps accuracy of deep neural networks.", None, None),
    ("p_q3", "Quantization-aware training",
     "Quantization during training and mixed precision kernels for deep neural networks.", None, None),
    ("p_g1", "Message Passing Graph Neural Networks",
     "Graph neural networks use message passing; we evaluate GNNs on Cora with deep networks.", None, None),
    ("p_g2", "Deeper Graph Neural Networks",
     "We train deep GNNs with message passing on Cora and report accuracy.",
     ["Message Passing Graph Neural Networks", "A paper that is not in the corpus at all"], None),
    ("p_g3", "Scaling GNN training",
     "Message passing at scale for graph neural networks on Cora, a deep neural network benchmark.", None, None),
]


def _find(text: str, name: str):
    pattern = r"(?<![\w-])" + re.escape(name) + r"(?![\w-])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags=re.I)]


def toy_corpus():
    """(papers, mentions, concepts) DataFrames following the extract-stage contract."""
    papers = pd.DataFrame(PAPERS, columns=["id", "title", "abstract", "references", "doi"])
    papers["year"] = pd.array([pd.NA] * len(papers), dtype="Int64")
    papers["lang"] = "en"
    papers["source_file"] = "toy.txt"
    papers["source_line"] = range(1, len(papers) + 1)
    papers["cited_by"] = None
    papers["merged_from"] = [[] for _ in range(len(papers))]
    papers["dense_doi"] = None
    papers = papers.drop(columns=["dense_doi"])
    papers.loc[papers["id"] == "p_dense", "doi"] = "10.1000/dense"
    rows = []
    for pid, title, abstract, *_ in PAPERS:
        for field, text in (("title", title), ("abstract", abstract)):
            taken: list[tuple[int, int]] = []
            names = [(name, cid) for cid, (label, _t, aliases, _g) in CONCEPTS.items() for name in [label, *aliases]]
            names.sort(key=lambda x: -len(x[0]))  # longest first, no overlaps
            for name, cid in names:
                for s, e in _find(text, name):
                    if any(s < te and e > ts for ts, te in taken):
                        continue
                    taken.append((s, e))
                    rows.append((pid, field, s, e, text[s:e], CONCEPTS[cid][1], cid))
    mentions = pd.DataFrame(rows, columns=["paper_id", "field", "start", "end", "text", "type", "concept_id"])
    mentions = mentions.sort_values(["paper_id", "field", "start"]).reset_index(drop=True)
    stats = mentions.groupby("concept_id").agg(n_papers=("paper_id", "nunique"), n_mentions=("paper_id", "size"))
    concepts = pd.DataFrame([(cid, lab, t, al, g) for cid, (lab, t, al, g) in CONCEPTS.items()],
                            columns=["concept_id", "label", "type", "aliases", "generic"])
    concepts = concepts.join(stats, on="concept_id").fillna({"n_papers": 0, "n_mentions": 0})
    concepts["n_papers"] = concepts["n_papers"].astype(int)
    concepts["n_mentions"] = concepts["n_mentions"].astype(int)
    return papers, mentions, concepts


def test_toy_corpus_offsets_are_real():
    papers, mentions, concepts = toy_corpus()
    text = dict(zip(papers["id"], papers["abstract"]))
    titles = dict(zip(papers["id"], papers["title"]))
    for m in mentions.itertuples():
        src = text[m.paper_id] if m.field == "abstract" else titles[m.paper_id]
        assert src[m.start:m.end] == m.text
    assert set(mentions["concept_id"]) <= set(concepts["concept_id"])
