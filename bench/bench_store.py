#!/usr/bin/env python
"""Store query time over many generated events.

Fills a fresh store (``store.Store``: the real schema and migrations) with
N generated mentions -- made by DuckDB SQL itself from ``range(N)``: event
types drawn from PLOVER, actor/recipient countries from 60 codes with a
skew (a few busy dyads, as in the news), dates over 2015-2024, a third
dated only to the month -- then times the read-side questions the CLI
and the web explorer ask (``dotterel.query``):

- dyad timeline: ``query.timeline(con, dyad=(A, B), by="month")``;
- overview counts: ``query.timeline(con, by="month")`` over everything,
  plus event counts per type (``GROUP BY event_type``) and the total;
- with ``--dyads``: ``query.dyads(con, limit=50)`` (the country-pair table).

Each query runs once to warm up, then ``--rounds`` times; the median is
reported.

    python bench/bench_store.py --n 10000000        # the issue's size
    python bench/bench_store.py --n 1000000 --json
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COUNTRIES = ["USA", "CHN", "RUS", "UKR", "ISR", "PSE", "IRN", "GBR", "FRA", "DEU", "IND", "PAK",
             "TUR", "SYR", "IRQ", "AFG", "JPN", "KOR", "PRK", "TWN", "SAU", "ARE", "EGY", "QAT",
             "AZE", "ARM", "GEO", "KAZ", "UZB", "KGZ", "TJK", "BLR", "POL", "HUN", "ITA", "ESP",
             "BRA", "ARG", "MEX", "VEN", "COL", "CUB", "NGA", "KEN", "ETH", "SDN", "SSD", "COD",
             "ZAF", "MLI", "NER", "BFA", "YEM", "LBN", "JOR", "PHL", "VNM", "IDN", "MMR", "THA"]


def generate(con, n: int) -> float:
    from dotterel.query import plover
    types = list(plover())
    t = time.perf_counter()
    con.execute("CREATE TEMP TABLE _c AS SELECT unnest(?::VARCHAR[]) AS code, "
                "generate_subscripts(?::VARCHAR[], 1) - 1 AS i", [COUNTRIES, COUNTRIES])
    con.execute("CREATE TEMP TABLE _t AS SELECT unnest(?::VARCHAR[]) AS t, "
                "generate_subscripts(?::VARCHAR[], 1) - 1 AS i", [types, types])
    nc, nt = len(COUNTRIES), len(types)
    # skewed country index: squaring a uniform number favours the first codes
    con.execute(f"""
        INSERT INTO mentions (id, article_id, doc, event_type, mode, actor, recipient,
            actor_countries, recipient_countries, actor_names, date, date_start, date_end,
            location, location_country, contexts, salience, evidence, evidence_start,
            evidence_end, merge_key, recipient_names, event_id)
        WITH g AS (
            SELECT r, hash(r) AS h1, hash(r + 7919) AS h2, hash(r * 31 + 1) AS h3
            FROM range({int(n)}) t(r)),
        k AS (
            SELECT r, h1, h2, h3,
                   CAST(floor(power((h1 % 10007) / 10007.0, 2) * {nc}) AS INT) AS a,
                   CAST(floor(power((h2 % 10009) / 10009.0, 2) * {nc}) AS INT) AS b,
                   CAST(h3 % {nt} AS INT) AS ti,
                   DATE '2015-01-01' + CAST(h1 % 3653 AS INT) AS d,
                   (h2 % 3 = 0) AS month_only
            FROM g)
        SELECT 'ev_' || lpad(to_hex(r), 16, '0'), 'art_' || lpad(to_hex(r // 4), 16, '0'),
               'doc' || (r // 4), t.t, NULL,
               CAST('[{{"name":null,"country":"' || ca.code || '","sector":"GOV","title":null}}]' AS JSON),
               CASE WHEN ca.code = cb.code THEN CAST('[]' AS JSON) ELSE
               CAST('[{{"name":null,"country":"' || cb.code || '","sector":"GOV","title":null}}]' AS JSON) END,
               [ca.code], CASE WHEN ca.code = cb.code THEN [] ELSE [cb.code] END, [],
               CASE WHEN month_only THEN strftime(d, '%Y-%m') ELSE strftime(d, '%Y-%m-%d') END,
               CASE WHEN month_only THEN date_trunc('month', d) ELSE d END,
               CASE WHEN month_only THEN last_day(d) ELSE d END,
               NULL, NULL, [], 'main', 'generated', 0, 9, NULL, [], NULL
        FROM k JOIN _c ca ON ca.i = k.a JOIN _c cb ON cb.i = k.b JOIN _t t ON t.i = k.ti
    """)
    return time.perf_counter() - t


def timed(fn, rounds: int) -> tuple[float, object]:
    out = fn()                                   # warm-up
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="events to generate")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--db", default=None, help="store file (default: a temporary one)")
    ap.add_argument("--dyads", action="store_true",
                    help="also time query.dyads (the country-pair table; slow at 10 M)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from dotterel import query
    from dotterel.store import Store

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory()
        args.db = os.path.join(tmp.name, "bench.duckdb")
    with Store(args.db) as st:
        gen_s = generate(st.con, args.n)
        print(f"bench_store: {args.n} events generated in {gen_s:.1f}s", file=sys.stderr)
        st.con.execute("CHECKPOINT")
        n = st.con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        con = st.con

        def overview():
            tl = query.timeline(con, by="month")
            by_type = con.execute("SELECT event_type, count(*) FROM mentions "
                                  "GROUP BY event_type").fetchall()
            total = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
            return len(tl["periods"]), len(by_type), total

        res = {"events": n, "generate_s": round(gen_s, 1), "rounds": args.rounds,
               "threads": con.execute("SELECT current_setting('threads')").fetchone()[0]}
        for name, fn in (
                ("dyad_timeline", lambda: len(query.timeline(con, dyad=("USA", "CHN"))["periods"])),
                ("dyad_timeline_2024", lambda: len(query.timeline(
                    con, dyad=("RUS", "UKR"), since="2024-01", until="2024-12")["periods"])),
                ("overview_counts", overview),
                ("dyads_top50", lambda: len(query.dyads(con, limit=50)))):
            if name == "dyads_top50" and not args.dyads:
                continue
            med, out = timed(fn, args.rounds)
            print(f"bench_store: {name} {med * 1000:.1f} ms", file=sys.stderr)
            res[name + "_ms"] = round(med * 1000, 1)
            res[name + "_result"] = out
    if tmp:
        tmp.cleanup()
    if args.json:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f"{k:28s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
