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

The read-side tables (schema 3: ``mention_dyads``, ``mention_counts``) are
then built from the generated mentions (``Store.rebuild_derived``, the
migration's backfill).  Each question is timed twice on the same data: as
the store answers it now (from those tables) and as before schema 3 (from
the mentions' country lists); the two answers must be equal.  Each query
runs once to warm up, then ``--rounds`` times; the median is reported.

    python bench/bench_store.py --n 10000000        # the issue's size
    python bench/bench_store.py --n 1000000 --json
"""
from __future__ import annotations

import argparse
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


class MentionsOnly:
    """A connection on which ``dotterel.query`` sees no read-side tables, so
    it answers from the mentions' country lists (the pre-schema-3 queries)."""

    def __init__(self, con):
        self.con = con

    def execute(self, sql, params=None):
        if "information_schema.tables" in sql:
            return self.con.execute("SELECT 0")
        return self.con.execute(sql, params or [])


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
        # the read-side tables (schema 3) from the generated mentions: the
        # same code as the migration's backfill, sorted by pair and date
        t = time.perf_counter()
        st.con.execute("BEGIN")
        st.rebuild_derived()
        st.con.execute("COMMIT")
        derive_s = time.perf_counter() - t
        print(f"bench_store: read-side tables built in {derive_s:.1f}s", file=sys.stderr)
        st.con.execute("CHECKPOINT")
        n = st.con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        con = st.con
        scan = MentionsOnly(con)     # the queries as before schema 3, same data

        def overview(c, derived: bool):
            tl = query.timeline(c, by="month")
            if derived:
                by_type = c.execute("SELECT event_type, sum(n) FROM mention_counts "
                                    "GROUP BY event_type").fetchall()
                total = c.execute("SELECT sum(n) FROM mention_counts").fetchone()[0]
            else:
                by_type = c.execute("SELECT event_type, count(*) FROM mentions "
                                    "GROUP BY event_type").fetchall()
                total = c.execute("SELECT count(*) FROM mentions").fetchone()[0]
            return tl, sorted(by_type), int(total)

        res = {"events": n, "generate_s": round(gen_s, 1), "derive_s": round(derive_s, 1),
               "dyad_rows": con.execute("SELECT count(*) FROM mention_dyads").fetchone()[0],
               "count_rows": con.execute("SELECT count(*) FROM mention_counts").fetchone()[0],
               "rounds": args.rounds,
               "threads": con.execute("SELECT current_setting('threads')").fetchone()[0]}
        cases = [
            ("dyad_timeline", lambda c, d: query.timeline(c, dyad=("USA", "CHN"))),
            ("dyad_timeline_2024", lambda c, d: query.timeline(
                c, dyad=("RUS", "UKR"), since="2024-01", until="2024-12")),
            ("overview_counts", overview)]
        if args.dyads:
            cases.append(("dyads_top50", lambda c, d: query.dyads(c, limit=50)))
        for name, fn in cases:
            after, out = timed(lambda: fn(con, True), args.rounds)
            before, out0 = timed(lambda: fn(scan, False), args.rounds)
            if out != out0:
                raise SystemExit(f"bench_store: {name}: results differ from the mention scan")
            print(f"bench_store: {name} {before * 1000:.1f} ms -> {after * 1000:.1f} ms "
                  "(results identical)", file=sys.stderr)
            res[name + "_before_ms"] = round(before * 1000, 1)
            res[name + "_ms"] = round(after * 1000, 1)
            res[name + "_speedup"] = round(before / after, 1) if after else None
    if tmp:
        tmp.cleanup()
    from bench_code import print_result     # bench/ is this script's folder
    print_result(res, args.json, 28)
    return 0


if __name__ == "__main__":
    sys.exit(main())
