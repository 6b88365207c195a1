"""The ``conceptgraph`` command: a thin layer over :mod:`conceptgraph.pipeline`.

Exit codes: 0 success; 1 internal error (one line; ``--debug`` shows the
traceback); 2 bad usage or unreadable input; 3 output cannot be written;
130 interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM).
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


#: What a stopping signal prints and the exit code it gives (128 + the signal's number, as a shell reports it).
_STOPPED = {signal.SIGINT: ("conceptgraph: interrupted", 130), signal.SIGTERM: ("conceptgraph: terminated", 143)}


def _interrupted_quietly(signum, frame):
    """Ctrl-C or SIGTERM outside :func:`main`'s handling (loading modules, shutting down): one line."""
    message, code = _STOPPED[signum]
    os.write(2, message.encode() + b"\n")
    os._exit(code)


# A signal ignored by whoever started us stays ignored, as with every Unix tool: a script's
# background job (`conceptgraph build ... &`) is not stopped by a Ctrl-C meant for the foreground.
_HANDLED = [signum for signum in _STOPPED if signal.getsignal(signum) is not signal.SIG_IGN]
# Run as the program (console script or ``python -m conceptgraph``), Ctrl-C and SIGTERM are handled
# from the first moment, before the heavy imports below; imported by other code, nothing is changed.
_AS_PROGRAM = sys.argv[0] == "-m" or Path(sys.argv[0]).name in ("conceptgraph", "__main__.py")
if _AS_PROGRAM:
    for _signum in _HANDLED:
        signal.signal(_signum, _interrupted_quietly)

import argparse  # noqa: E402  (after the Ctrl-C handler, on purpose)
import traceback  # noqa: E402

from . import __version__  # noqa: E402
from .extract import InputError  # noqa: E402

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_OUTPUT = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as the shell reports a reader that stopped early


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    # --input-format, not --format: `export --formats` names output formats; --format stays as an alias
    parser.add_argument("--input-format", "--format", dest="format", metavar="FORMAT",
                        help="force the input format: text, csv, tsv, json, jsonl, bibtex, ris, wos, "
                        "wos-tab, scopus, medline, dimensions, openalex, arxiv, s2, csl-json, citations "
                        "(default: sniffed per file)")
    parser.add_argument("--encoding", help="text encoding of inputs that are not UTF-8")


def _add_extract_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="installed spaCy model to use (default: blank English + our components)")
    parser.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="an extra lexicon file (repeatable; format in the README)")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _above(limit: float):
    def parse(text: str) -> float:
        value = float(text)
        if not value > limit:  # also refuses nan
            raise argparse.ArgumentTypeError(f"must be above {limit:g}, not {text}")
        return value
    parse.__name__ = f"number above {limit:g}"
    return parse


def _export_formats(text: str) -> list[str]:
    from .graph.export import FORMATS

    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or '(none)'}; "
                                         f"choose from {', '.join(FORMATS)}")
    return formats


def _add_engine_options(parser: argparse.ArgumentParser, cache: bool) -> None:
    group = parser.add_argument_group("speed and scale")
    group.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                       help="processes for extraction (and, in build, the graph stage) (default: the usable "
                            "cores from 2,000 papers on, else 1; the outputs are the same for any N)")
    group.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="run extraction here (local) or on a Dask cluster (default: %(default)s)")
    group.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --engine dask; "
                            "default: a local cluster)")
    if cache:
        group.add_argument("--cache-dir", metavar="DIR",
                           help="extraction cache directory (default: OUTDIR/.cache)")
        group.add_argument("--no-cache", action="store_true",
                           help="always extract, neither reading nor writing the cache")


def _engine_kwargs(args) -> dict:
    if args.scheduler and args.engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    # The progress counter shows on stderr when it is a terminal; --quiet silences it.
    return {"jobs": args.jobs, "engine": args.engine, "scheduler": args.scheduler,
            "progress": False if args.quiet else None}


def cmd_build(args) -> int:
    from .pipeline import BuildOptions, build

    options = BuildOptions(format=args.format, encoding=args.encoding, model=args.model,
                           lexicon_paths=tuple(args.lexicon), top_k=args.top_k, resolution=args.resolution,
                           seed=args.seed, max_nodes=args.max_nodes, view=args.view, colour_by=args.colour_by,
                           cache=not args.no_cache, cache_dir=args.cache_dir, mentions_from=args.mentions,
                           **_engine_kwargs(args))
    result = build(args.inputs or None, args.outdir, options)
    if not args.quiet:
        print(summary(result))
    return EXIT_OK


def summary(result) -> str:
    """The few lines `build` prints: counts, top concepts and where the files are."""
    rec = result.report["records"]
    lines = [
        f"records: {rec['read']} read = {rec['kept']} kept + {rec['merged']} merged duplicates"
        f" + {rec['skipped']} skipped",
        f"papers: {len(result.papers)}   concepts: {len(result.concepts)}   "
        f"mentions: {len(result.mentions)}   clusters: {result.report['clusters']}"
        f" ({result.report['clusters_5plus']} with 5+ papers)",
    ]
    skipped = [(f["file"], s) for f in result.report["files"] for s in f["skips"]]
    for name, skip in skipped[:5]:
        lines.append(f"  skipped {name}:{skip['line']}: {skip['reason']}")
    if len(skipped) > 5:
        lines.append(f"  ... {len(skipped) - 5} more skipped records in report.json")
    for skipped_file in result.report.get("files_skipped", []):
        lines.append(f"  skipped file {skipped_file['reason']}")
    if len(result.concepts):
        from .graph import top_concepts

        lines.append("top concepts (PageRank, generic ones left out): " + ", ".join(
            f"{r.label} ({r.type})" for r in top_concepts(result.concepts, n=8).itertuples()))
    else:
        lines.append("no concept was found in this corpus: the map shows papers only")
    lines.append(f"outputs in {result.outdir}/: " + ", ".join(sorted(p.name for p in result.files)))
    return "\n".join(lines)


def cmd_extract(args) -> int:
    from .pipeline import extract_file

    report = extract_file(args.input, args.output, format=args.format, encoding=args.encoding,
                          model=args.model, lexicon_paths=args.lexicon, **_engine_kwargs(args))
    if not args.quiet:
        print(f"records: {report['read']} read = {report['kept']} written + {report['skipped']} skipped"
              f"; mentions in {args.output}", file=sys.stderr)
    return EXIT_OK


def _cell(value, column: str) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)):
        return "(untitled)" if column == "title" else ""
    if isinstance(value, float):
        return f"{value:.4g}"
    text = " ".join(str(value).split())
    return "(untitled)" if column == "title" and not text else text


_ID_COLUMNS = ("id", "paper_id", "cluster")


def format_table(table, width: int | None = None, columns=None, core: int | None = None) -> str:
    """A DataFrame as aligned text no wider than ``width`` (default: the terminal's, or
    ``COLUMNS``; unlimited when printing to a file or pipe).

    Numbers keep their width; long text cells are shortened with "…" (each text
    column in proportion to its width), and the last columns that still do not
    fit are left out and named in a last line (``--csv FILE`` writes every
    column in full). With ``core``, columns after the first ``core`` are left
    out before any text is shortened.

    >>> print(format_table(pd.DataFrame({"n": [1], "label": ["a long label"]}), width=40))  # doctest: +SKIP
    n  label
    1  a long label
    """
    import shutil
    import textwrap

    import pandas as pd

    if width is None:
        # a terminal's width (or COLUMNS); written to a file or a pipe, lines keep their length
        width = (shutil.get_terminal_size().columns if "COLUMNS" in os.environ or sys.stdout.isatty()
                 else sys.maxsize)
    width = max(int(width), 40)
    if not len(table):
        return "(no rows)"
    names = [c for c in (columns or table.columns) if c in table.columns]
    cells = {c: [_cell(v, c) for v in table[c].tolist()] for c in names}
    names = [c for c in names if any(cells[c])]  # a column with no value at all (no years) says nothing
    numeric = {c: pd.api.types.is_numeric_dtype(table[c]) for c in names}
    natural = {c: max([len(c)] + [len(x) for x in cells[c]]) for c in names}
    shown = list(names)

    def total():
        return sum(natural[c] for c in shown) + 2 * (len(shown) - 1)

    # numbers and ids (to be copied into the next command) are never shortened
    floor = {c: natural[c] if numeric[c] or c in _ID_COLUMNS else min(natural[c], max(len(c), 12)) for c in names}
    while core is not None and total() > width and len(shown) > core:
        shown.pop()
    while total() > width:
        text = [c for c in shown if natural[c] > floor[c]]
        if text:  # every text column gives up width in proportion to what it can give
            slack = sum(natural[c] - floor[c] for c in text)
            cut = min(total() - width, slack)
            for c in text:
                natural[c] = max(floor[c], natural[c] - -(-cut * (natural[c] - floor[c]) // slack))
        elif len(shown) > 1:
            shown.pop()
        else:
            natural[shown[0]] = width
            break

    def fit(x, c):
        x = x if len(x) <= natural[c] else x[:natural[c] - 1].rstrip() + "…"
        return x.rjust(natural[c]) if numeric[c] else x.ljust(natural[c])

    lines = ["  ".join(fit(c, c) for c in shown).rstrip()]
    lines += ["  ".join(fit(cells[c][i], c) for c in shown).rstrip() for i in range(len(table))]
    if len(shown) < len(names):
        lines.append(textwrap.fill(f"(not shown at this width: {', '.join(names[len(shown):])}; "
                                   "--csv FILE writes every column)", width))
    return "\n".join(lines)


def _print_table(table, args, columns=None, core=None) -> None:
    """Print a result table fitted to the terminal, or write it whole as CSV with --csv."""
    from .outputs import write_csv

    if args.csv:
        write_csv(args.csv, table)
        if not args.quiet:
            print(f"{len(table)} rows written to {args.csv}")
    elif not args.quiet:
        print(format_table(table, columns=columns, core=core))


def _query_options(args) -> dict:
    return {"format": args.format, "encoding": args.encoding, "model": args.model,
            "lexicon_paths": args.lexicon} if args.inputs else {}


def cmd_centrality(args) -> int:
    from .explore import centrality

    # the measure ranked by right after the label and type: it stays when the terminal is narrow
    first = ["rank", "label", "type", args.by, "n_papers", "pagerank"]
    table = centrality(args.inputs, args.outdir, type=args.type, top=args.top, by=args.by, **_query_options(args))
    _print_table(table, args, columns=list(dict.fromkeys(first + list(table.columns))), core=len(first))
    return EXIT_OK


def cmd_clusters(args) -> int:
    from .explore import clusters

    # printed: the columns that fit a terminal (top papers and counts per year are in --csv)
    _print_table(clusters(args.inputs, args.outdir, **_query_options(args)), args,
                 columns=["cluster", "size", "share", "mean_year", "growth", "label", "top_concepts"])
    return EXIT_OK


def cmd_show(args) -> int:
    from .explore import show

    kind, table, page = show(args.query, args.inputs, args.outdir, html=args.html, **_query_options(args))
    if not args.quiet:
        print(show_heading(kind, table.attrs.get("subject", {}), args.query))
    _print_table(table, args)
    if page is not None and not args.quiet:
        print(f"map of this neighbourhood:\n{page}")  # the path alone on its line: nothing to wrap
    return EXIT_OK


def show_heading(kind: str, subject: dict, query: str) -> str:
    """``show``'s first line: the concept's label and type, or the paper's title, year and id."""
    if kind == "concept":
        bits = [b for b in (subject.get("type"), subject.get("n_papers") and f"{subject['n_papers']} papers") if b]
        return f"concept: {subject.get('label') or query}" + (f" ({', '.join(bits)})" if bits else "")
    title = subject.get("title") or "(untitled)"
    year = f", {subject['year']}" if subject.get("year") else ""
    return f"paper: {title} ({subject.get('id', query)}{year})"


def cmd_trends(args) -> int:
    from .explore import trends
    from .graph.trends import format_trends_report

    report = trends(args.inputs, args.outdir, top=args.top, window=args.window, min_papers=args.min_papers,
                    s=args.s, gamma=args.gamma, **_query_options(args))
    if not args.quiet:
        print(format_trends_report(report))
    return EXIT_OK


def cmd_export(args) -> int:
    from .explore import export

    written = export(args.inputs, args.outdir, formats=args.formats, to=args.to,
                     **_query_options(args))
    if not args.quiet:
        print("written: " + ", ".join(str(p) for p in written))
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line (exit 2), like every other error of the command."""

    def error(self, message: str):
        self.exit(EXIT_INPUT, f"conceptgraph: error: {message} (see `{self.prog} --help`)\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="conceptgraph",
        description="Turn research-paper abstracts into a concept and citation map.")
    parser.add_argument("--version", action="version", version=f"conceptgraph {__version__}")
    common = _Parser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    common.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add_command(name, help):
        return commands.add_parser(name, help=help, parents=[common])

    p = add_command("build", "map a corpus (default: the bundled sample corpus)")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="files, directories or globs")
    p.add_argument("-o", "--outdir", default="conceptgraph-out", help="output directory (default: %(default)s)")
    _add_input_options(p)
    _add_extract_options(p)
    p.add_argument("--top-k", type=_positive_int, default=10,
                   help="strongest links kept per paper (default: %(default)s)")
    p.add_argument("--resolution", type=_above(0), default=1.5,
                   help="Leiden resolution of the paper clusters (default: %(default)s)")
    p.add_argument("--seed", type=int, default=42, help="seed of every random choice (default: %(default)s)")
    p.add_argument("--max-nodes", type=_positive_int, default=None, help="most nodes drawn in graph.html")
    p.add_argument("--view", choices=("papers", "concepts", "bipartite"), default="papers",
                   help="the view graph.html opens on; the page switches between all three (default: %(default)s)")
    p.add_argument("--colour-by", choices=("cluster", "year"), default="cluster",
                   help="node colouring graph.html opens with; switchable in the page (default: %(default)s)")
    _add_engine_options(p, cache=True)
    p.add_argument("--mentions", metavar="DIR",
                   help="skip extraction: read the mentions of the same INPUTs from DIR, as written by "
                        "`conceptgraph extract INPUT -o DIR.parquet` (e.g. with --engine dask)")
    p.set_defaults(func=cmd_build)

    p = add_command("extract", "extract typed concept mentions into JSON Lines")
    p.add_argument("input", metavar="INPUT", help="JSON Lines (id, text or abstract, title), CSV, text ...")
    p.add_argument("-o", "--output", required=True, metavar="OUT.jsonl",
                   help="JSON Lines file, or a Parquet directory (a name ending in .parquet or /)")
    _add_input_options(p)
    _add_extract_options(p)
    _add_engine_options(p, cache=False)
    p.set_defaults(func=cmd_extract)

    def add_query(name, help):
        q = add_command(name, help + " (of the last build in OUTDIR, or of INPUT files)")
        q.add_argument("inputs", nargs="*", metavar="INPUT", help="compute afresh for these inputs")
        q.add_argument("-o", "--outdir", default="conceptgraph-out", help="the build to read (default: %(default)s)")
        _add_input_options(q)
        _add_extract_options(q)
        return q

    p = add_query("centrality", "the most central concepts")
    p.add_argument("--type", choices=("method", "dataset", "architecture", "task", "metric"),
                   help="only concepts of this type (default: every type)")
    p.add_argument("--top", type=_positive_int, default=20, help="rows (default: %(default)s)")
    p.add_argument("--by", default="pagerank", choices=("pagerank", "degree", "weighted_degree", "betweenness",
                                                        "eigenvector", "n_papers"),
                   help="the measure concepts are ranked by; rank 1 is the highest (default: %(default)s)")
    p.add_argument("--csv", metavar="FILE", help="write the table as CSV instead of printing it")
    p.set_defaults(func=cmd_centrality)

    p = add_query("clusters", "the paper clusters and their labels")
    p.add_argument("--csv", metavar="FILE", help="write the table as CSV instead of printing it")
    p.set_defaults(func=cmd_clusters)

    p = add_query("show", "a concept's or a paper's neighbourhood, as a table and a small map")
    p.add_argument("query", metavar="CONCEPT_OR_PAPER", help="concept label/alias/id, or paper id/title")
    p.add_argument("--html", metavar="FILE", help="where the small map goes (default: OUTDIR/show-*.html)")
    p.add_argument("--csv", metavar="FILE", help="write the table as CSV instead of printing it")
    p.set_defaults(func=cmd_show)

    p = add_query("trends", "emerging and fading concepts and Kleinberg bursts (needs years)")
    p.add_argument("--top", type=_positive_int, default=10, help="rows per list (default: %(default)s)")
    p.add_argument("--window", type=_positive_int, default=3, help="recent years compared (default: %(default)s)")
    p.add_argument("--min-papers", type=_positive_int, default=3, help="least dated papers (default: %(default)s)")
    p.add_argument("--s", type=_above(1), default=2.0, help="burst rate ratio (default: %(default)s)")
    p.add_argument("--gamma", type=_above(0), default=1.0, help="burst entry cost (default: %(default)s)")
    p.set_defaults(func=cmd_trends)

    p = add_query("export", "graphs as GraphML, GEXF, node-link JSON, CSV, VOSviewer map+network")
    p.add_argument("--formats", type=_export_formats, default="graphml,gexf,json,csv,vosviewer",
                   help="comma-separated: graphml, gexf, json, csv, vosviewer (default: %(default)s)")
    p.add_argument("--to", metavar="DIR", help="where to write (default: OUTDIR)")
    p.set_defaults(func=cmd_export)
    return parser


class _Interrupt:
    """Ctrl-C or SIGTERM inside :func:`main`: raise ``KeyboardInterrupt`` (so the staging folder and
    temporary files are removed on the way out) and remember the first signal, so that it counts
    even where some library swallowed the exception."""

    def __init__(self):
        self.signum = None

    def __call__(self, signum, frame):
        self.signum = self.signum or signum
        raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    interrupt = _Interrupt()
    previous = {signum: signal.signal(signum, interrupt) for signum in _HANDLED}
    try:
        code = _main(argv)
    except KeyboardInterrupt:
        interrupt.signum = interrupt.signum or signal.SIGINT
    finally:
        # A signal from here to the process's end (shutting down workers) must not print a traceback.
        for signum, handler in previous.items():
            signal.signal(signum, _interrupted_quietly if _AS_PROGRAM else handler)
    if interrupt.signum is not None:
        message, code = _STOPPED[interrupt.signum]
        print(message, file=sys.stderr)
        if _AS_PROGRAM:
            # The run is cleaned up; leave now with 130/143. CPython remembers a KeyboardInterrupt
            # that went through code run by PyRun_String (some extension modules' imports do) and
            # then ends the process by SIGINT whatever SystemExit says: seen as exit -2 in 3 of 40
            # SIGTERMs during a build (the message printed, no traceback).
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return code


def _main(argv: list[str] | None) -> int:
    from .outputs import OutputError

    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_INPUT
    try:
        return args.func(args)
    except InputError as err:
        print(f"conceptgraph: error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except OutputError as err:
        print(f"conceptgraph: error: {err}", file=sys.stderr)
        return EXIT_OUTPUT
    except BrokenPipeError:
        # the reader left (`conceptgraph show X | head`): stop quietly, like other Unix tools
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as err:
        # A failed rename names the final file (filename2), not the temporary one.
        path = err.filename2 or err.filename
        print(f"conceptgraph: error: {path or 'writing output'}: {err.strerror or err}", file=sys.stderr)
        return EXIT_OUTPUT
    except Exception as err:  # the last line of defence: one line, never a traceback
        if args.debug:
            traceback.print_exc()
        else:
            print(f"conceptgraph: internal error: {type(err).__name__}: {err} "
                  "(run with --debug for details, and please report it)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
