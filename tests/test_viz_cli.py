"""What the query commands print, through the console script (issue 21, item 5)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "trends_papers.jsonl"
CONSOLE = Path(sys.executable).with_name("conceptgraph")
UNTITLED = {"id": "u1", "year": "2015",
            "abstract": "We classify retinal images with a support vector machine and a convolutional neural network."}


def run(*args, columns=80, check=True):
    env = dict(os.environ, COLUMNS=str(columns))
    done = subprocess.run([str(CONSOLE), *map(str, args)], capture_output=True, text=True, env=env, timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    corpus = d / "corpus.jsonl"
    corpus.write_text(FIXTURE.read_text(encoding="utf-8") + json.dumps(UNTITLED) + "\n", encoding="utf-8")
    run("build", corpus, "-o", d / "out", "-q")
    return d / "out"


@pytest.mark.parametrize("command", [["clusters"], ["centrality", "--top", "40"], ["show", "cnn"], ["show", "t01"]])
def test_output_fits_the_terminal(build, command):
    def text_lines(out):  # the path of show's map stands alone on its line
        return [line for line in out.splitlines() if not Path(line).is_file()]

    out = run(*command, "-o", build).stdout
    assert max(len(line) for line in text_lines(out)) <= 80, out
    wide = run(*command, "-o", build, columns=200).stdout
    assert max(len(line) for line in text_lines(wide)) <= 200


def test_centrality_ranks_from_one_by_the_measure_asked(build, tmp_path):
    for by in ("pagerank", "betweenness"):
        table = tmp_path / f"{by}.csv"
        run("centrality", "-o", build, "--by", by, "--top", "10", "--csv", table)
        import pandas as pd

        df = pd.read_csv(table)
        assert df["rank"].tolist() == list(range(1, len(df) + 1))
        assert df[by].is_monotonic_decreasing
    printed = run("centrality", "-o", build, "--by", "betweenness", "--top", "3").stdout.splitlines()
    assert printed[0].split()[:4] == ["rank", "label", "type", "betweenness"]
    assert [line.split()[0] for line in printed[1:4]] == ["1", "2", "3"]


def test_centrality_lists_only_concepts_of_the_concept_graph(build, tmp_path):
    import pandas as pd

    concepts = pd.read_csv(build / "concepts.csv")
    assert concepts["in_concept_graph"].dtype == bool
    assert (concepts["in_concept_graph"] == (concepts["n_papers"] >= 2)).all()
    assert (~concepts["in_concept_graph"]).any()  # the fixture has concepts of one paper
    table = tmp_path / "all.csv"
    run("centrality", "-o", build, "--top", "100000", "--csv", table)
    listed = set(pd.read_csv(table)["concept_id"])
    in_graph = concepts[concepts["in_concept_graph"] & ~concepts["generic"]]
    assert listed == set(in_graph["concept_id"])


def test_show_names_its_subject(build):
    paper = run("show", "t01", "-o", build).stdout.splitlines()[0]
    assert paper == "paper: Kernel methods for retinal image segmentation (t01, 2010)"
    concept = run("show", "CONVOLUTIONAL neural NETWORK", "-o", build).stdout.splitlines()[0]
    assert concept.startswith("concept: convolutional neural network (architecture, ")
    untitled = run("show", "u1", "-o", build).stdout
    assert untitled.startswith("paper: (untitled) (u1, 2015)")
    listing = run("show", "support vector machine", "-o", build, columns=200).stdout
    assert "(untitled)" in listing and "<NA>" not in listing and "nan" not in listing.split()


def test_a_reader_that_stops_early_is_not_an_error(build):
    proc = subprocess.Popen([str(CONSOLE), "centrality", "-o", str(build), "--top", "100000"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, COLUMNS="4000"))
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert stderr == ""
    assert proc.returncode in (0, 141)


def test_help_and_option_names():
    text = run("centrality", "--help", columns=200).stdout
    assert "only concepts of this type" in text and "the measure concepts are ranked by" in text
    build_help = run("build", "--help", columns=200).stdout
    assert "--input-format FORMAT, --format FORMAT" in build_help
