"""Execution engines: batches, processes, partitioned Parquet, the cache and Dask give the same mentions."""
import io
import json
import shutil

import pandas as pd
import pytest

import conceptgraph
from conceptgraph import outputs
from conceptgraph.extract import engine
from conceptgraph.extract.engine import (CorpusPass, ExtractorSpec, Progress, extract_papers,
                                         extract_to_parquet, read_concepts, read_mentions)
from conceptgraph.extract.nlp import build_nlp, extract_mentions

SORT = ["paper_id", "field", "start", "end", "type"]

# Short forms defined in one paper and used bare in others, and an id written with and
# without hyphens: the corpus step must see across chunks and processes.
CROSS = pd.DataFrame({
    "id": ["x1", "x2", "x3", "x4", "x5"],
    "title": ["", "Frobnicated Search Method for pruning", "", "", ""],
    "abstract": ["Our Frobnicated Search Method (FSM) is fast and beats the Quuxified Gradient Trick (QGT).",
                 "We improve FSM with a QGT variant and the Zorblax-Net architecture.",
                 "The ZorblaxNet architecture and the Zorblax-Net architecture both use QGT.",
                 "FSM, QGT and FSM again on CIFAR-10.",
                 "Nothing to see here."],
    "lang": ["en"] * 5})


def _plain(mentions):
    mentions = mentions.copy()
    mentions.attrs = {}
    return mentions


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.fixture(scope="module")
def papers():
    sample = conceptgraph.load()
    return pd.concat([sample.iloc[:80][CROSS.columns], CROSS], ignore_index=True)


@pytest.fixture(scope="module")
def reference(papers, nlp):
    return extract_mentions(papers, nlp)


def test_reference_exercises_the_corpus_step(papers, nlp, reference):
    raw = engine.Extractor(ExtractorSpec(), nlp).run(papers).raw
    raw = raw.sort_values(SORT, kind="mergesort").reset_index(drop=True)
    changed = raw["concept_id"] != reference[0]["concept_id"]
    assert changed.sum() >= 3  # abbreviations resolved across papers and hyphen variants merged
    assert reference[0].loc[reference[0]["paper_id"] == "x4", "concept_id"].nunique() >= 2


@pytest.mark.parametrize("jobs,chunk_size", [(1, 7), (1, 40), (2, 23)])
def test_local_engine_equals_extract(papers, nlp, reference, jobs, chunk_size):
    mentions, concepts = extract_papers(papers, nlp=nlp, jobs=jobs,
                                        chunk_size=chunk_size, progress=False)
    pd.testing.assert_frame_equal(_plain(mentions), reference[0])
    pd.testing.assert_frame_equal(concepts, reference[1])


@pytest.mark.parametrize("batch_size", [1, 3, 256])
def test_batch_size_does_not_change_mentions(papers, nlp, reference, batch_size):
    # The components run a batch at a time (BatchedComponent.pipe), the last batch
    # short (85 papers): every document must still get its own mentions.
    mentions, concepts = extract_mentions(papers, nlp, batch_size=batch_size)
    pd.testing.assert_frame_equal(mentions, reference[0])
    pd.testing.assert_frame_equal(concepts, reference[1])


def test_corpus_pass_is_order_free(papers, nlp, reference):
    ex = engine.Extractor(ExtractorSpec(), nlp)
    chunks = [ex.run(papers.iloc[i:i + 5]) for i in range(0, len(papers), 5)]  # 17: counts get compacted
    corpus = CorpusPass(ex.lexicon())
    for chunk in reversed(chunks):  # counting order does not matter
        corpus.add(chunk)
    finished = pd.concat([corpus.finish_chunk(c) for c in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(finished.sort_values(SORT, kind="mergesort").reset_index(drop=True),
                                  reference[0])
    pd.testing.assert_frame_equal(corpus.concepts(), reference[1])


def test_partitioned_parquet_and_csv_read_back(papers, reference, tmp_path):
    stats = extract_to_parquet(papers, tmp_path / "out", chunk_size=50, progress=False)
    parts = sorted((tmp_path / "out" / "mentions").glob("part-*.parquet"))
    assert stats["parts"] == len(parts) == 2 and stats["papers"] == len(papers)
    assert not list((tmp_path / "out").glob(".raw-*"))  # temporary rows removed
    mentions = read_mentions(tmp_path / "out")
    assert len(mentions) == stats["mentions"] == len(reference[0])
    pd.testing.assert_frame_equal(mentions.sort_values(SORT, kind="mergesort").reset_index(drop=True),
                                  reference[0])
    pd.testing.assert_frame_equal(read_concepts(tmp_path / "out"), reference[1])
    # the CSV that `build` writes reads back to the same table
    outputs.write_csv(tmp_path / "mentions.csv", reference[0])
    pd.testing.assert_frame_equal(read_mentions(tmp_path / "mentions.csv"), reference[0])
    # a second run replaces the parts (fewer now), leaving none of the old ones
    extract_to_parquet(papers, tmp_path / "out", chunk_size=100, progress=False)
    assert len(list((tmp_path / "out" / "mentions").glob("part-*.parquet"))) == 1


def test_streamed_chunks_without_ids(tmp_path, nlp):
    from conceptgraph.extract.corpus import detect_language, paper_id

    sample = conceptgraph.load().iloc[:60]
    chunks = ({"title": list(sample["title"].iloc[i:i + 20]), "abstract": list(sample["abstract"].iloc[i:i + 20])}
              for i in range(0, 60, 20))
    extract_to_parquet(chunks, tmp_path, progress=False)
    expected = sample[["title", "abstract"]].copy()
    expected["id"] = [paper_id(t, a) for t, a in zip(expected["title"], expected["abstract"])]
    expected["lang"] = [detect_language(t + " " + a) for t, a in zip(expected["title"], expected["abstract"])]
    ref, _ = extract_mentions(expected, nlp)
    got = read_mentions(tmp_path).sort_values(SORT, kind="mergesort").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, ref)


def _write_lexicon(path, label):
    path.write_text(json.dumps({"id": "frobnicator", "label": label, "type": "method",
                                "aliases": ["frobnicators"]}) + "\n")
    return path


def test_cache_skips_extraction_and_version_invalidates(papers, tmp_path):
    small = papers.iloc[:30]
    cache = tmp_path / "cache"
    before = engine.STATS["papers_extracted"]
    m1, c1 = extract_papers(small, cache_dir=cache, progress=False)
    assert m1.attrs["extraction"]["cache"] == "miss"
    assert engine.STATS["papers_extracted"] == before + 30
    m2, c2 = extract_papers(small, cache_dir=cache, progress=False)
    assert m2.attrs["extraction"]["cache"] == "hit"
    assert engine.STATS["papers_extracted"] == before + 30  # not extracted again
    pd.testing.assert_frame_equal(_plain(m2), _plain(m1))
    pd.testing.assert_frame_equal(c2, c1)
    # another text of one paper: another key, extracted again
    changed = small.copy()
    changed.loc[changed.index[0], "abstract"] += " Also frobnicators."
    m3, _ = extract_papers(changed, cache_dir=cache, progress=False)
    assert m3.attrs["extraction"]["cache"] == "miss"
    assert engine.STATS["papers_extracted"] == before + 60
    # an extra lexicon, then a change to it: other extractor versions, so other keys
    stored = engine.ExtractionCache(cache)
    assert stored.get(engine.corpus_key(small, ExtractorSpec.make().version())) is not None
    lexicon = _write_lexicon(tmp_path / "mine.jsonl", "Frobnicator")
    with_lexicon = engine.corpus_key(small, ExtractorSpec.make(lexicon_paths=[lexicon]).version())
    _write_lexicon(lexicon, "Frobnicator machine")
    changed_lexicon = engine.corpus_key(small, ExtractorSpec.make(lexicon_paths=[lexicon]).version())
    assert with_lexicon != changed_lexicon
    assert stored.get(with_lexicon) is None and stored.get(changed_lexicon) is None


def test_version_covers_builtin_data_files(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(engine.DATA_DIR, data, ignore=shutil.ignore_patterns("sample_corpus"))
    monkeypatch.setattr(engine, "DATA_DIR", data)
    v1 = engine.extractor_version()
    heads = data / "patterns" / "heads.tsv"
    heads.write_text(heads.read_text() + "frobnicator\tmethod\t0\n")
    engine._package_digest.cache_clear()  # (a process hashes its data once: what it loaded)
    v2 = engine.extractor_version()
    assert v2 != v1
    lexicon = sorted((data / "lexicon").glob("*.jsonl"))[0]
    lexicon.write_text(lexicon.read_text() + '{"id": "zz", "label": "ZZ", "type": "method"}\n')
    engine._package_digest.cache_clear()
    assert engine.extractor_version() != v2
    engine._package_digest.cache_clear()


def test_build_again_with_other_graph_options_uses_the_cache(tmp_path):
    from conceptgraph.pipeline import build

    sample = conceptgraph.load().iloc[:12]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"title": t, "abstract": a}) + "\n"
                              for t, a in zip(sample["title"], sample["abstract"])))
    first = build(corpus, tmp_path / "out", progress=False)
    before = engine.STATS["papers_extracted"]
    second = build(corpus, tmp_path / "out", top_k=3, resolution=2.0, progress=False)
    assert (first.extraction["cache"], second.extraction["cache"]) == ("miss", "hit")
    assert engine.STATS["papers_extracted"] == before
    pd.testing.assert_frame_equal(_plain(second.mentions), _plain(first.mentions))
    third = build(corpus, tmp_path / "out", cache=False, progress=False)
    assert third.extraction["cache"] == "off" and engine.STATS["papers_extracted"] == before + 12


def test_progress_counter_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet, tty = io.StringIO(), Tty()
    for stream in (quiet, tty):
        bar = Progress(total=10, stream=stream, every=0)
        bar.update(4)
        bar.update(6)
        bar.close()
    assert quiet.getvalue() == ""
    assert tty.getvalue().startswith("\rextracting: 4/10 papers") and "10/10" in tty.getvalue()
    off = Tty()
    bar = Progress(total=10, stream=off, enabled=False)
    bar.update(10)
    bar.close()
    assert off.getvalue() == ""


def test_cli_extract_to_parquet_with_jobs(tmp_path, capsys):
    from conceptgraph.cli import main

    sample = conceptgraph.load().iloc[:30]
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"r{i}", "title": t, "abstract": a}) + "\n"
                              for i, (t, a) in enumerate(zip(sample["title"], sample["abstract"]))))
    assert main(["extract", str(corpus), "-o", str(tmp_path / "m.parquet"), "--jobs", "2", "--quiet"]) == 0
    assert capsys.readouterr().err == ""  # --quiet: no summary, no counter
    mentions = read_mentions(tmp_path / "m.parquet")
    assert set(mentions["paper_id"]) <= {f"r{i}" for i in range(30)} and len(mentions) > 100
    assert main(["extract", str(corpus), "-o", str(tmp_path / "x.jsonl"), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--engine dask" in capsys.readouterr().err


def test_build_reads_partitioned_mentions_instead_of_extracting(tmp_path, capsys):
    from conceptgraph.cli import main

    sample = conceptgraph.load().iloc[:40]
    corpus = tmp_path / "in.jsonl"
    rows = [{"id": f"r{i}", "title": t, "abstract": a} for i, (t, a) in enumerate(zip(sample["title"], sample["abstract"]))]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["extract", str(corpus), "-o", str(tmp_path / "m.parquet"), "--quiet"]) == 0
    engine.STATS["papers_extracted"] = 0
    assert main(["build", str(corpus), "-o", str(tmp_path / "read"), "--mentions", str(tmp_path / "m.parquet"),
                 "--quiet"]) == 0
    assert engine.STATS["papers_extracted"] == 0  # nothing extracted again
    assert main(["build", str(corpus), "-o", str(tmp_path / "fresh"), "--no-cache", "--quiet"]) == 0
    for name in ("papers.csv", "mentions.csv", "concepts.csv", "paper_edges.csv", "clusters.csv", "graph.graphml"):
        assert (tmp_path / "read" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    # `extract` keeps duplicate records, `build` merges them: their mentions are left out, and counted
    doubled = tmp_path / "doubled.jsonl"
    doubled.write_text("".join(json.dumps(r) + "\n" for r in rows + rows[:2]))
    assert main(["extract", str(doubled), "-o", str(tmp_path / "d.parquet"), "--quiet"]) == 0
    assert main(["build", str(doubled), "-o", str(tmp_path / "d"), "--mentions", str(tmp_path / "d.parquet"),
                 "--quiet"]) == 0
    report = json.loads((tmp_path / "d" / "report.json").read_text())
    left_out = report["mentions_read"]["merged_duplicates_left_out"]
    assert report["records"]["merged"] == 2 and left_out > 0
    assert report["mentions"] == len(read_mentions(tmp_path / "d.parquet")) - left_out
    # other inputs, or a directory that is not an extraction: one line, exit code 2
    other = tmp_path / "other.jsonl"
    other.write_text("".join(json.dumps({**r, "id": "x" + r["id"]}) + "\n" for r in rows))
    assert main(["build", str(other), "-o", str(tmp_path / "o"), "--mentions", str(tmp_path / "m.parquet")]) == 2
    assert "not in the inputs" in capsys.readouterr().err
    assert main(["build", str(corpus), "-o", str(tmp_path / "o"), "--mentions", str(tmp_path / "fresh")]) == 2
    assert "not an extraction directory" in capsys.readouterr().err


def test_dask_engine_equals_local(papers, reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    small = papers.iloc[-45:]  # holds the cross-paper abbreviations
    local = extract_mentions(small)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        small.to_parquet(tmp_path / "papers.parquet")
        stats = engine.extract_dask(tmp_path / "papers.parquet", tmp_path / "out", scheduler=client,
                                    chunk_size=10, progress=False)
        in_memory, concepts = engine.extract_dask(small, scheduler=client, chunk_size=15, progress=False)
    assert stats["parts"] == 5 and stats["engine"] == "dask"
    got = read_mentions(tmp_path / "out").sort_values(SORT, kind="mergesort").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, local[0])
    pd.testing.assert_frame_equal(read_concepts(tmp_path / "out"), local[1])
    pd.testing.assert_frame_equal(_plain(in_memory), local[0])
    pd.testing.assert_frame_equal(concepts, local[1])


# ---------------------------------------------------------------- issue 22: the cache and lexicon copies

def test_cache_pruning_removes_only_its_own_entries(tmp_path):
    """``--cache-dir mydata`` must never delete the user's own ``mydata/extract-*`` folders."""
    import os

    root = tmp_path / "mydata"
    mine = root / "extract-2024-results"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("the user's own")
    os.utime(mine, (0, 0))  # the oldest entry: the first to go, were names enough
    cache = engine.ExtractionCache(root, keep=1)
    table = pd.DataFrame({"paper_id": ["p"], "field": ["abstract"], "start": [0], "end": [1], "text": ["x"],
                          "type": ["method"], "concept_id": ["x"]})
    concepts = pd.DataFrame({"concept_id": ["x"], "label": ["x"]})
    cache.put("aaa", table, concepts, {})
    cache.put("bbb", table, concepts, {})
    assert (mine / "notes.txt").read_text() == "the user's own"
    assert sorted(p.name for p in root.iterdir()) == ["CACHEDIR.TAG", "extract-2024-results", "extract-bbb"]
    # The same key put again (another build, same texts) keeps the first entry and no temporary folder.
    cache.put("bbb", table, concepts, {})
    assert not [p for p in root.iterdir() if p.name.startswith(".")]
    assert cache.get("bbb") is not None


def test_lexicon_files_are_not_copied_to_a_shared_temporary_path(tmp_path, monkeypatch):
    """A symlink or a file planted at the old shared path neither redirects writes nor breaks builds."""
    import os
    import stat
    import tempfile

    shared_tmp = tmp_path / "tmp"
    shared_tmp.mkdir()
    victim = tmp_path / "victim"
    victim.mkdir()
    (shared_tmp / "conceptgraph-lexicons").symlink_to(victim)
    monkeypatch.setattr(tempfile, "tempdir", str(shared_tmp))
    lexicon = _write_lexicon(tmp_path / "mine.jsonl", "Frobnicator")
    spec = ExtractorSpec.make(lexicon_paths=[lexicon])
    assert spec.lexicon_paths() == [str(lexicon)]  # the user's own file: no copy at all
    assert list(victim.iterdir()) == []
    # A worker without the file (another machine) gets a copy in a private folder of its own.
    lexicon.unlink()
    (copy,) = spec.lexicon_paths()
    folder = os.path.dirname(copy)
    assert os.path.basename(folder).startswith("conceptgraph-lexicon-") and folder != str(victim)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert list(victim.iterdir()) == []
