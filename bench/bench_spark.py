#!/usr/bin/env python
"""Spark local[1] vs local[2], and Spark vs ``dotterel run``, on the same articles.

The input is generated in a temporary directory, never in the repository:
the shared seeds + dev articles and the bundled examples, repeated to
``--n`` articles, each copy made distinct by a reference line appended
(``(Ref. 00042)``) so that every article has its own content id, written
as one JSON Lines file (``id``, ``text``).

Measured, one after the other on the same file:

1. ``dotterel run FILE --db TMP --workers 1`` and ``--workers 2`` as
   subprocesses: wall time (model loading included) and the peak resident
   memory of the ``--workers 1`` process (the coder process);
2. ``dotterel.spark.run_spark`` in this process with ``local[1]`` and
   ``local[2]`` masters (``--partitions`` each, default 4): wall time of the
   job (Python workers' model loading included; the JVM start is timed
   apart);
3. equality: the events of both Spark runs and of ``dotterel run`` (its
   mentions table), compared as whole records by id; the merged events
   (mention ids, mention and article counts per event id) and the
   near-duplicate root of every article, Spark's against the store's.

    python bench/bench_spark.py --n 500 [--partitions 4] [--json]
    python bench/bench_spark.py --n 10000 --source generated --partitions 8
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DOTTEREL = str(Path(sys.executable).with_name("dotterel"))


def make_input(path: Path, n: int, source: str = "shared") -> tuple[int, float]:
    """Write ``n`` articles as JSON Lines; (distinct texts, mean words per article).

    ``shared``: the shared seeds + dev articles and the bundled examples,
    repeated (each copy is a near-duplicate of the first).  ``generated``:
    the short reports of ``scripts/fault_injection.py`` (one to three
    sentences each, every one unique)."""
    if source == "generated":
        import random
        sys.path.insert(0, str(ROOT / "scripts"))
        from fault_injection import good_text
        rnd = random.Random(11)
        texts = [(f"gen{i:06d}", good_text(i, rnd)) for i in range(n)]
    else:
        from bench_code import DEFAULT_DIRS, read_texts
        texts = read_texts(DEFAULT_DIRS + [ROOT / "examples"])
    words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            name, text = texts[i % len(texts)]
            text = text.rstrip() + f"\n\n(Ref. {i:05d})\n"
            words += len(text.split())
            fh.write(json.dumps({"id": f"{i:05d}-{name}", "text": text}) + "\n")
    return len(texts), round(words / max(n, 1), 1)


def store_merged(db: Path) -> tuple[dict, dict, dict]:
    """``dotterel run``'s merged events (mention ids and counts per event id)
    and the near-duplicate root of each article (by doc name)."""
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        mentions: dict[str, list[str]] = {}
        for mid, eid in con.execute("SELECT id, event_id FROM mentions").fetchall():
            mentions.setdefault(eid, []).append(mid)
        counts = {r[0]: tuple(r[1:]) for r in con.execute(
            "SELECT id, mention_count, article_count FROM events").fetchall()}
        dups = dict(con.execute("SELECT doc, duplicate_of FROM articles").fetchall())
    finally:
        con.close()
    return {k: sorted(v) for k, v in mentions.items()}, counts, dups


def spark_merged(out: Path) -> tuple[dict, dict, dict]:
    import pyarrow.parquet as pq
    rows = pq.read_table(str(out / "merged")).to_pylist()
    metas = pq.read_table(str(out / "doc_meta")).to_pylist()
    return ({r["id"]: sorted(r["mention_ids"]) for r in rows},
            {r["id"]: (r["mention_count"], r["article_count"]) for r in rows},
            {m["doc"]: m["duplicate_of"] for m in metas})


def run_cli(args: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    p = subprocess.run([DOTTEREL, *args], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"dotterel {' '.join(args)} failed: {p.stderr[-2000:]}")
    return wall, p.stderr.strip().splitlines()[-1]


def spark_events(out: Path) -> dict[str, dict]:
    import pyarrow.parquet as pq
    from dotterel.spark import event_record
    return {r["id"]: event_record(r) for r in pq.read_table(str(out / "events")).to_pylist()}


def store_events(db: Path) -> dict[str, dict]:
    from dotterel.store import Store
    with Store(db, read_only=True) as st:
        return {d["id"]: d for d in st.query_events(limit=None)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--source", choices=["shared", "generated"], default="shared",
                    help="shared: seeds + dev + examples repeated; generated: short unique reports")
    ap.add_argument("--skip", default="",
                    help="comma-separated steps not to run: run1, spark1")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))

    from dotterel.spark import run_spark, session

    res: dict = {"articles": args.n, "cpus": os.cpu_count(), "partitions": args.partitions}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "news.jsonl"
        res["source"] = args.source
        res["distinct_texts"], res["words_per_article"] = make_input(src, args.n, args.source)

        for w in ((2,) if "run1" in skip else (1, 2)):
            db = tmp / f"run{w}.duckdb"
            wall, line = run_cli(["run", str(src), "--db", str(db), "--workers", str(w)])
            res[f"run_w{w}_s"] = round(wall, 1)
            res[f"run_w{w}_articles_per_s"] = round(args.n / wall, 1)
            res[f"run_w{w}_summary"] = line
            if w == 1:   # only the coder process has finished so far
                res["run_w1_peak_rss_mb"] = round(
                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        ran = store_events(tmp / "run2.duckdb")
        if "run1" not in skip:
            res["run_events_w1_equal_w2"] = store_events(tmp / "run1.duckdb") == ran

        got = {}
        for k in ((2,) if "spark1" in skip else (1, 2)):
            t = time.perf_counter()
            spark = session(f"local[{k}]", conf={"spark.ui.showConsoleProgress": "false"})
            res[f"spark_local{k}_session_s"] = round(time.perf_counter() - t, 1)
            t = time.perf_counter()
            try:
                counts = run_spark(spark, str(src), str(tmp / f"spark{k}"),
                                   partitions=args.partitions)
            finally:
                spark.stop()
            wall = time.perf_counter() - t
            res[f"spark_local{k}_s"] = round(wall, 1)
            res[f"spark_local{k}_articles_per_s"] = round(args.n / wall, 1)
            res[f"spark_local{k}_counts"] = counts
            got[k] = spark_events(tmp / f"spark{k}")
        if 1 in got:
            res["spark_speedup_local2_over_local1"] = round(
                res["spark_local1_s"] / res["spark_local2_s"], 2)
            res["spark_local1_equal_local2"] = got[1] == got[2]
        res["spark_local2_over_run_w2_time"] = round(res["spark_local2_s"] / res["run_w2_s"], 2)
        res["events_run"] = len(ran)
        res["events_spark"] = len(got[2])
        res["spark_events_equal_run"] = got[2] == ran
        # the merged events (mentions and counts per event) and the
        # near-duplicate roots, Spark's against dotterel run's store
        r_m, r_c, r_d = store_merged(tmp / "run2.duckdb")
        s_m, s_c, s_d = spark_merged(tmp / "spark2")
        res["merged_run"], res["merged_spark"] = len(r_m), len(s_m)
        res["merged_mentions_equal"] = r_m == s_m
        res["merged_counts_equal"] = r_c == s_c
        res["near_duplicates_run"] = sum(v is not None for v in r_d.values())
        res["duplicate_of_equal"] = r_d == s_d
    from bench_code import print_result
    print_result(res, args.json, 36)
    return 0


if __name__ == "__main__":
    sys.exit(main())
