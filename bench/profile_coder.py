#!/usr/bin/env python
"""Where the coder's time goes, stage by stage.

Codes the texts (default: the shared seeds + dev articles, repeated to
``--n``) once to warm up, then once under cProfile, and attributes every
function's own time (cProfile ``tottime``) to the stage its module
belongs to:

- clean:   dotterel/clean.py (+ ftfy, langid, charset detection)
- parse:   spaCy and thinc (tokeniser, tagger, parser, NER, lemmatiser,
           the KB entity ruler), numpy
- actors:  dotterel/actors.py, dotterel/kb.py
- events:  dotterel/events.py
- resolve: dotterel/dates.py, dotterel/places.py, dotterel/contexts.py
           (+ dateutil)
- other:   the rest (pipeline glue, Python built-ins called directly)

Two paths are profiled: ``code_article`` per article (one ``nlp(text)``
call each) and ``code_articles`` (one ``nlp.pipe`` call per batch of 16),
so the effect of batching the parse shows in the same run.  Built-in
functions are attributed to the stage of their caller.

    python bench/profile_coder.py --n 200 [--top 15] [--json]
    python bench/profile_coder.py --n 200 --wall      # timers, no profiler
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STAGES = [
    ("clean", ("dotterel/clean.py", "/ftfy/", "/py3langid/", "/langid/", "charset_normalizer",
               "/wordfreq/")),
    ("parse", ("/spacy/", "/thinc/", "/numpy/", "spacy/", "thinc/", "/srsly/", "/cymem/",
               "/preshed/", "/blis/", "en_core_web_sm")),
    ("actors", ("dotterel/actors.py", "dotterel/kb.py")),
    ("events", ("dotterel/events.py",)),
    ("resolve", ("dotterel/dates.py", "dotterel/places.py", "dotterel/contexts.py",
                 "/dateutil/")),
]


def stage_of(filename: str) -> str | None:
    for stage, marks in STAGES:
        if any(m in filename for m in marks):
            return stage
    return None


def attribute(stats: pstats.Stats) -> dict[str, float]:
    """Seconds of own time per stage; built-ins go to their callers' stages."""
    out = {s: 0.0 for s, _ in STAGES}
    out["other"] = 0.0
    for (fname, _line, _func), (_cc, _nc, tt, _ct, callers) in stats.stats.items():
        st = stage_of(fname)
        if st is None and fname == "~" and callers:
            # a built-in: split its time over its callers by their call share
            tot = sum(c[3] for c in callers.values()) or 1.0
            for (cf, _cl, _cfn), c in callers.items():
                out[stage_of(cf) or "other"] += tt * (c[3] / tot)
            continue
        out[st or "other"] += tt
    return out


def profile(fn) -> tuple[float, dict[str, float], pstats.Stats]:
    pr = cProfile.Profile()
    t = time.perf_counter()
    pr.enable()
    fn()
    pr.disable()
    wall = time.perf_counter() - t
    st = pstats.Stats(pr)
    return wall, attribute(st), st


def wall_stages(texts: list[tuple[str, str]]) -> dict:
    """Wall-clock seconds per stage without a profiler (cProfile inflates
    Python-heavy stages several-fold): the stage functions and every spaCy
    component wrapped in timers, one ``code_article`` per text."""
    from collections import defaultdict

    from dotterel import actors, clean, contexts, dates, events, places
    from dotterel.kb import load_kb
    from dotterel.model import Article
    from dotterel.nlp import get_nlp
    from dotterel.pipeline import code_article

    spent: dict[str, float] = defaultdict(float)

    def timed(fn, label):
        def run(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[label] += time.perf_counter() - t
        return run

    clean.clean_article = timed(clean.clean_article, "clean")
    events.extract = timed(events.extract, "events+")
    events.find_mentions = timed(actors.find_mentions, "actors")
    dates.find_dates = timed(dates.find_dates, "resolve")
    dates.resolve = timed(dates.resolve, "resolve")
    places.find_location = timed(places.find_location, "resolve")
    contexts.contexts_for = timed(contexts.contexts_for, "resolve")
    nlp = get_nlp(load_kb())
    nlp._components = [(name, timed(proc, "spacy:" + name)) for name, proc in nlp._components]
    for n, t in texts[:5]:
        code_article(Article(doc=n, text=t))
    spent.clear()
    t0 = time.perf_counter()
    for n, t in texts:
        code_article(Article(doc=n, text=t))
    wall = time.perf_counter() - t0
    out = {k: v for k, v in spent.items() if k.startswith("spacy:")}
    out["parse (all components)"] = sum(out.values())
    out["clean"] = spent["clean"]
    out["actors"] = spent["actors"]
    out["resolve"] = spent["resolve"]
    out["events"] = spent["events+"] - spent["actors"] - spent["resolve"]
    out["other"] = wall - out["parse (all components)"] - spent["clean"] - spent["events+"]
    return {"wall_s": round(wall, 2), "articles_per_s": round(len(texts) / wall, 2),
            "stages_s": {k: round(v, 3) for k, v in out.items()},
            "stages_share": {k: round(v / wall, 3) for k, v in out.items()}}


def main(argv=None) -> int:
    from bench_code import DEFAULT_DIRS, read_texts, repeat_to
    from dotterel.model import Article
    from dotterel.pipeline import code_article, code_articles

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--top", type=int, default=0, help="also print the N costliest functions")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--wall", action="store_true",
                    help="wall-clock timers per stage and spaCy component instead of cProfile")
    args = ap.parse_args(argv)
    texts = repeat_to(read_texts(args.paths or DEFAULT_DIRS), args.n)
    if not texts:
        print("profile: no texts", file=sys.stderr)
        return 2
    if args.wall:
        res = wall_stages(texts)
        if args.json:
            print(json.dumps(res))
            return 0
        print(f"{len(texts)} articles, wall clock {res['wall_s']} s "
              f"({res['articles_per_s']} a/s, one code_article each)")
        for k, v in res["stages_s"].items():
            print(f"  {k:26s} {v:8.2f} s {100 * res['stages_share'][k]:6.1f} %")
        return 0

    def arts():
        return [Article(doc=n, text=t) for n, t in texts]

    for a in arts()[:10]:                   # load and warm up
        code_article(a)
    res = {"articles": len(texts)}
    for name, fn in (("code_article", lambda: [code_article(a) for a in arts()]),
                     ("code_articles", lambda: list(code_articles(arts(), workers=1)))):
        wall, stages, st = profile(fn)
        tot = sum(stages.values())
        res[name] = {"wall_s": round(wall, 2), "articles_per_s": round(len(texts) / wall, 1),
                     "stages_s": {k: round(v, 2) for k, v in stages.items()},
                     "stages_share": {k: round(v / tot, 3) for k, v in stages.items()}}
        if args.top and not args.json:
            print(f"--- {name}: top {args.top} by own time")
            st.sort_stats("tottime").print_stats(args.top)
    if args.json:
        print(json.dumps(res))
        return 0
    print(f"{res['articles']} articles, profiled (cProfile adds overhead; shares are what count)")
    print(f"{'stage':10s}" + "".join(f"{n:>26s}" for n in ("code_article", "code_articles")))
    for s in [s for s, _ in STAGES] + ["other"]:
        print(f"{s:10s}" + "".join(
            f"{res[n]['stages_s'][s]:>14.2f}s {100 * res[n]['stages_share'][s]:>9.1f}%"
            for n in ("code_article", "code_articles")))
    print(f"{'wall':10s}" + "".join(
        f"{res[n]['wall_s']:>14.2f}s {res[n]['articles_per_s']:>6.1f} a/s"
        for n in ("code_article", "code_articles")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
