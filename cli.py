"""The ``conceptgraph`` command: a thin layer over :mod:`conceptgraph.pipeline`.

Exit codes: 0 success; 1 internal error (one line; ``--debug`` shows the
traceback); 2 bad usage or unreadable input; 3 output cannot be written;
130 interrupted.
"""
from __future__ import annotations

import argparse
import sys
import traceback

from . import __version__
from .extract import InputError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", help="force the input format (default: detected per file)")
    parser.add_argument("--encoding", help="text encoding of inputs that are not UTF-8")


def _add_extract_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="installed spaCy model to use (default: blank English + our components)")
    parser.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="an extra lexicon file (repeatable; format in the README)")


def cmd_build(args) -> int:
    from .pipeline import build

    result = build(args.inputs or None, args.outdir, format=args.format, encoding=args.encoding,
                   model=args.model, lexicon_paths=args.lexicon, top_k=args.top_k,
                   resolution=args.resolution, seed=args.seed, max_nodes=args.max_nodes)
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
        f"mentions: {len(result.mentions)}   clusters: {result.report['clusters']}",
    ]
    skipped = [(f["file"], s) for f in result.report["files"] for s in f["skips"]]
    for name, skip in skipped[:5]:
        lines.append(f"  skipped {name}:{skip['line']}: {skip['reason']}")
    if len(skipped) > 5:
        lines.append(f"  ... {len(skipped) - 5} more skipped records in report.json")
    if len(result.concepts):
        top = result.concepts.sort_values(["pagerank", "concept_id"], ascending=[False, True]).head(8)
        lines.append("top concepts (PageRank): " + ", ".join(
            f"{r.label} ({r.type})" for r in top.itertuples()))
    else:
        lines.append("no concept was found in this corpus: the map shows papers only")
    lines.append(f"outputs in {result.outdir}/: " + ", ".join(sorted(p.name for p in result.files)))
    return "\n".join(lines)


def cmd_extract(args) -> int:
    from .pipeline import extract_file

    report = extract_file(args.input, args.output, format=args.format, encoding=args.encoding,
                          model=args.model, lexicon_paths=args.lexicon)
    if not args.quiet:
        print(f"records: {report['read']} read = {report['kept']} written + {report['skipped']} skipped"
              f"; mentions in {args.output}", file=sys.stderr)
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conceptgraph",
        description="Turn research-paper abstracts into a concept and citation map.")
    parser.add_argument("--version", action="version", version=f"conceptgraph {__version__}")
    common = argparse.ArgumentParser(add_help=False)
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
    p.add_argument("--top-k", type=int, default=10, help="strongest concept links kept per paper (default: %(default)s)")
    p.add_argument("--resolution", type=float, default=1.0, help="Louvain resolution (default: %(default)s)")
    p.add_argument("--seed", type=int, default=42, help="seed of every random choice (default: %(default)s)")
    p.add_argument("--max-nodes", type=int, default=None, help="most nodes drawn in graph.html")
    p.set_defaults(func=cmd_build)

    p = add_command("extract", "extract typed concept mentions into JSON Lines")
    p.add_argument("input", metavar="INPUT", help="JSON Lines (id, text or abstract, title), CSV, text ...")
    p.add_argument("-o", "--output", required=True, metavar="OUT.jsonl")
    _add_input_options(p)
    _add_extract_options(p)
    p.set_defaults(func=cmd_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from .pipeline import OutputError

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
    except OSError as err:
        print(f"conceptgraph: error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print("conceptgraph: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:  # the last line of defence: one line, never a traceback
        if args.debug:
            traceback.print_exc()
        else:
            print(f"conceptgraph: internal error: {type(err).__name__}: {err} "
                  "(run with --debug for details, and please report it)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
