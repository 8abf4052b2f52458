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


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="dotterel",
                                 description="Offline PLOVER event coder for news articles.")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("code", help="code articles into PLOVER events (JSON Lines)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-o", "--output", default=None, help="output file (default: stdout)")
    _add_kb(p)
    _add_workers(p)

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

    p = sub.add_parser("events", help="list stored events")
    p.add_argument("--db", default="dotterel.duckdb")
    p.add_argument("--type", dest="event_type", default=None)
    p.add_argument("--country", default=None, help="ISO3 of actor or recipient")
    p.add_argument("--since", default=None, help="YYYY-MM-DD")
    p.add_argument("--until", default=None, help="YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    if args.cmd == "events":
        from .store import cli_events
        return cli_events(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
