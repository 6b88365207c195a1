"""Tests of the packaged lexicon and pattern data files."""
from __future__ import annotations

import json
import re
from collections import Counter

from conceptgraph.extract.components._resources import LEXICON_DIR, PATTERNS_DIR, TYPES, Lexicon, heads, norm_key


def records():
    for path in sorted(LEXICON_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            yield path.name, json.loads(line)


def test_lexicon_size_and_types():
    recs = [r for _, r in records()]
    by_type = Counter(r["type"] for r in recs)
    assert len(recs) >= 1500
    assert set(by_type) == set(TYPES)
    assert min(by_type.values()) >= 100


def test_lexicon_records_are_well_formed():
    ids = set()
    for name, r in records():
        assert set(r) <= {"id", "label", "type", "aliases", "generic", "case_sensitive"}, (name, r)
        assert re.fullmatch(r"[a-z0-9][a-z0-9.+\-]*", r["id"]), r["id"]
        assert r["id"] not in ids
        ids.add(r["id"])
        assert r["type"] in TYPES and isinstance(r["generic"], bool)
        assert all(isinstance(a, str) and a.strip() == a and a for a in r["aliases"])


def test_aliases_resolve_to_their_entry():
    lex = Lexicon.load()
    # An alias may be claimed by a later entry (a deliberate override), but not often.
    clashes = [(e.id, a) for e in lex.entries.values() for a in [e.label, *e.aliases]
               if lex.index[norm_key(a)] != e.id]
    assert len(clashes) < 0.02 * len(lex.entries), clashes[:20]


def test_well_known_concepts_present():
    lex = Lexicon.load()
    for text, cid, typ in [("ResNet", "resnet", "architecture"), ("BERT", "bert", "architecture"),
                           ("ImageNet", "imagenet", "dataset"), ("MS COCO", "coco", "dataset"),
                           ("SQuAD", "squad", "dataset"), ("Adam", "adam", "method"),
                           ("dropout", "dropout", "method"), ("batch normalization", "batch-normalization", "method"),
                           ("LSTMs", "lstm", "architecture"), ("GANs", "gan", "architecture"),
                           ("VAE", "vae", "architecture"), ("U-Net", "u-net", "architecture"),
                           ("DenseNets", "densenet", "architecture"), ("ViT", "vit", "architecture"),
                           ("BLEU", "bleu", "metric"), ("machine translation", "machine-translation", "task")]:
        entry = lex.lookup(text)
        assert entry is not None and (entry.id, entry.type) == (cid, typ), text


def test_head_words_file():
    table = heads()
    assert table["network"][0] == "architecture" and table["dataset"][0] == "dataset"
    assert table["pruning"][0] == "method" and table["accuracy"][0] == "metric"
    assert all(t in TYPES and m in (0, 1, 2) for t, m in table.values())
    for name in ("boundary_words.txt", "trim_words.txt", "participles.txt", "name_stop.txt",
                 "generic_words.txt", "soft_modifiers.txt", "ing_nouns.txt", "evaluation_words.txt"):
        assert (PATTERNS_DIR / name).read_text(encoding="utf-8").strip()


def test_a_lexicon_file_edited_within_one_session_is_read_again(tmp_path):
    from conceptgraph.extract.components._resources import Lexicon

    path = tmp_path / "mine.jsonl"
    path.write_text('{"label": "Frobnet", "type": "architecture"}\n', encoding="utf-8")
    assert Lexicon.load([path], builtin=False).lookup("Frobnet").type == "architecture"
    path.write_text('{"label": "Frobnet", "type": "dataset"}\n{"label": "Quuxset", "type": "dataset"}\n',
                    encoding="utf-8")
    again = Lexicon.load([path], builtin=False)
    assert again.lookup("Frobnet").type == "dataset" and again.lookup("Quuxset") is not None
