"""The command line: a thin layer over the library.

Each subcommand parses its arguments here and calls one function of the
library; the work lives in the modules.
"""
from __future__ import annotations

import argparse
import sys


def _add_kb(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kb", action="append", default=[], metavar="FILE",
                   help="extra actor KB YAML file (repeatable)")


def _add_workers(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes to code in (default: one per CPU)")


def _add_ingest(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", dest="input_format", default="auto",
                   choices=["auto", "txt", "jsonl", "csv", "html", "warc"],
                   help="input format (auto: by file extension; folders give *.txt)")
    for name in ("text", "id", "date", "source", "title", "url"):
        p.add_argument(f"--{name}-field", dest=f"{name}_field", default=None, metavar="NAME",
                       help=f"JSON Lines / CSV field holding the {name} (default {name!r})")


def _add_limits(p: argparse.ArgumentParser) -> None:
    from .limits import DEFAULT_MAX_CHARS, DEFAULT_TIMEOUT_S
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="skip files and records larger than N bytes (default 5 MiB)")
    p.add_argument("--max-chars", type=int, default=None, metavar="N",
                   help=f"code only the first N characters of an article (default "
                        f"{DEFAULT_MAX_CHARS}; longer ones are reported as truncated)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help=f"seconds per article for each of cleaning, parsing and coding "
                        f"(default {DEFAULT_TIMEOUT_S:g}; 0: none); over it, the article is "
                        f"reported as failed and the run goes on")


def _configure_limits(args) -> None:
    """Apply the limit flags (limits.py) before anything is read or coded."""
    if any(getattr(args, k, None) is not None for k in ("max_bytes", "max_chars", "timeout")):
        from .limits import configure
        configure(max_bytes=args.max_bytes, max_chars=args.max_chars, timeout_s=args.timeout)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="dotterel",
                                 description="Offline PLOVER event coder for news articles.")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("code", help="code articles into PLOVER events (JSON Lines)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-o", "--output", default=None, help="output file (default: stdout)")
    _add_kb(p)
    _add_workers(p)
    _add_ingest(p)
    _add_limits(p)
    p.add_argument("--no-dedup", action="store_true",
                   help="do not look for near-duplicate articles (duplicate_of)")

    p = sub.add_parser("eval", help="score a run against gold (EVENTS.md 'Scoring')")
    p.add_argument("gold")
    p.add_argument("pred", nargs="+", help="predicted JSONL, or article files/dirs to code first")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    _add_kb(p)

    p = sub.add_parser("eval-gsr", help="event-type accuracy on the PLOVER gold-standard sentences")
    p.add_argument("path", help="PLOVER_GSR_CAMEO.json")
    p.add_argument("--json", action="store_true")
    p.add_argument("--errors", type=int, default=0, help="print N misclassified sentences")

    p = sub.add_parser("run", help="code articles into the embedded DuckDB store")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--db", default="dotterel.duckdb")
    _add_kb(p)
    _add_workers(p)
    _add_ingest(p)
    _add_limits(p)
    p.add_argument("--batch", type=int, default=200, metavar="N",
                   help="articles per committed transaction (default 200)")
    p.add_argument("--window", type=int, default=1, metavar="DAYS",
                   help="merge mentions dated within DAYS of each other (default 1)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on stderr (articles/s, ETA); default: when "
                        "stderr is a terminal")

    p = sub.add_parser("spark", help="code a corpus with Apache Spark into Parquet "
                                     "(needs dotterel[spark] and Java 17)")
    p.add_argument("input", help="JSON Lines, Parquet, WARC or a directory of them or of "
                                 ".txt (path or URI)")
    p.add_argument("output", help="output directory (path or URI)")
    p.add_argument("--master", default="local[2]",
                   help="Spark master: local[N], yarn, spark://HOST:PORT, k8s://...")
    p.add_argument("--partitions", type=int, default=None,
                   help="partitions to code in (default: Spark's default parallelism)")
    p.add_argument("--format", default="auto",
                   choices=["auto", "json", "parquet", "text", "warc"])
    p.add_argument("--overwrite", action="store_true", help="replace OUTPUT's tables")
    p.add_argument("--no-merge", action="store_true", help="skip OUTPUT/merged")
    _add_kb(p)

    p = sub.add_parser("events", help="list stored events")
    p.add_argument("--db", default="dotterel.duckdb")
    p.add_argument("--type", dest="event_type", default=None)
    p.add_argument("--country", default=None, help="ISO3 of actor or recipient")
    p.add_argument("--since", default=None, help="YYYY-MM-DD")
    p.add_argument("--until", default=None, help="YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p.add_argument("--merged", action="store_true",
                   help="merged events (one per act, with mention counts) instead of mentions")
    p.add_argument("--event", default=None, metavar="ID",
                   help="one merged event with all its mentions (JSON)")

    p = sub.add_parser("export", help="export merged events (or mentions) to a file")
    p.add_argument("--db", default="dotterel.duckdb")
    p.add_argument("--format", dest="export_format", required=True,
                   choices=["plover-jsonl", "polecat-tsv", "csv", "parquet"])
    p.add_argument("-o", "--output", required=True, help="output file")
    p.add_argument("--mentions", action="store_true",
                   help="export the raw per-article mentions instead of merged events")

    p = sub.add_parser("serve", help="HTTP API and web explorer over a store (read-only)")
    p.add_argument("--db", default="dotterel.duckdb")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--code-timeout", type=float, default=20.0, metavar="SECONDS",
                   help="POST /api/code answers 504 after this long (default 20)")
    p.add_argument("--max-body", type=int, default=1_000_000, metavar="BYTES",
                   help="request bodies over this get 413 (default 1 MB)")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="allow this origin cross-site (repeatable; default: CORS off)")

    def _period(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", default="dotterel.duckdb")
        p.add_argument("--since", default=None, help="YYYY-MM-DD, YYYY-MM or YYYY")
        p.add_argument("--until", default=None, help="YYYY-MM-DD, YYYY-MM or YYYY")
        p.add_argument("--json", action="store_true")

    p = sub.add_parser("dyad", help="events between two countries, per period, with scores")
    p.add_argument("a", metavar="AAA")
    p.add_argument("b", metavar="BBB")
    p.add_argument("--by", default="month", choices=["day", "week", "month", "year"])
    p.add_argument("--limit", type=int, default=50, help="events listed (default 50)")
    p.add_argument("--plot", default=None, metavar="FILE", help="write the chart (.svg or .png)")
    _period(p)

    p = sub.add_parser("timeline", help="event counts per period by quad class or type")
    p.add_argument("--country", default=None, metavar="AAA")
    p.add_argument("--dyad", nargs=2, default=None, metavar=("AAA", "BBB"))
    p.add_argument("--type", dest="event_type", default=None)
    p.add_argument("--by", default="month", choices=["day", "week", "month", "year"])
    p.add_argument("--group", default="quad", choices=["quad", "type"])
    p.add_argument("--plot", default=None, metavar="FILE", help="write the chart (.svg or .png)")
    _period(p)

    p = sub.add_parser("actors", help="most frequent actors and recipients")
    p.add_argument("--country", default=None, metavar="AAA")
    p.add_argument("--limit", type=int, default=20)
    _period(p)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _configure_limits(args)
    except ValueError as exc:
        print(f"dotterel {args.cmd}: {exc}", file=sys.stderr)
        return 2
    if args.cmd == "code":
        from .pipeline import cli_code
        return cli_code(args)
    if args.cmd == "eval":
        from .evaluate import cli_eval
        return cli_eval(args)
    if args.cmd == "eval-gsr":
        from .gsr import cli_eval_gsr
        return cli_eval_gsr(args)
    if args.cmd == "run":
        from .store import cli_run
        return cli_run(args)
    if args.cmd == "spark":
        from .spark import cli_spark
        return cli_spark(args)
    if args.cmd == "events":
        from .store import cli_events
        return cli_events(args)
    if args.cmd == "export":
        from .export import cli_export
        return cli_export(args)
    if args.cmd == "serve":
        from .server import cli_serve
        return cli_serve(args)
    if args.cmd in ("dyad", "timeline", "actors"):
        from . import plot
        return {"dyad": plot.cli_dyad, "timeline": plot.cli_timeline,
                "actors": plot.cli_actors}[args.cmd](args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
