"""The read-side tables (``mention_dyads``, ``mention_counts``) stay equal
to what the mentions say after a run, a re-run, a merge recomputation, a
duplicate mention id and a migration from version 2; and the queries that
read them (``query.timeline`` / ``query.dyads``) give what a scan of the
mentions' country lists gives."""
from __future__ import annotations

import datetime as dt

import duckdb

from dotterel import query as Q
from dotterel import store as store_mod
from dotterel.model import Article, Entity, Event
from dotterel.store import SCHEMA_VERSION, Store

AZE = Entity(name="Ilham Aliyev", country="AZE", sector="GOV")
ARM = Entity(country="ARM", sector="GOV")
USA = Entity(country="USA", sector="GOV")
FRA = Entity(country="FRA", sector="MIL")
RUS = Entity(country="RUS", sector="GOV")
NOBODY = Entity(name="a crowd", sector="CVL")


def art(n: int, words: str = "") -> Article:
    text = (f"Article {n} {words}: " + " ".join(f"w{n}_{i}" for i in range(60)))
    return Article(doc=f"a{n}.txt", text=text, story_date="2024-05-02", source=f"Wire {n % 2}")


def ev(a: Article, etype: str, date, actor, recipient=(), start: int = 0) -> Event:
    return Event(doc=a.doc, event_type=etype, date=date, actor=list(actor),
                 recipient=list(recipient), evidence=f"{etype} {start}", evidence_start=start,
                 evidence_end=start + 9)


def expected(con):
    """Dyads and counts recomputed from the mentions table."""
    dy = con.execute(
        "SELECT m.id, a, b, m.event_type, m.date_start, m.date_end FROM mentions m, "
        "unnest(list_distinct(list_concat(coalesce(m.actor_countries, []), "
        "coalesce(m.recipient_countries, [])))) t1(a), "
        "unnest(list_distinct(list_concat(coalesce(m.actor_countries, []), "
        "coalesce(m.recipient_countries, [])))) t2(b) WHERE a < b ORDER BY ALL").fetchall()
    cn = con.execute("SELECT event_type, date_start, date_end, count(*) FROM mentions "
                     "GROUP BY ALL ORDER BY ALL").fetchall()
    return dy, cn


def stored(con):
    dy = con.execute("SELECT mention_id, a, b, event_type, date_start, date_end "
                     "FROM mention_dyads ORDER BY ALL").fetchall()
    cn = con.execute("SELECT event_type, date_start, date_end, sum(n) FROM mention_counts "
                     "GROUP BY ALL ORDER BY ALL").fetchall()
    return dy, cn


def assert_in_step(st: Store) -> None:
    dy, cn = stored(st.con)
    assert (dy, cn) == expected(st.con)
    # one counts row per (type, dates): updated in place, not appended
    rows = st.con.execute("SELECT count(*) FROM mention_counts").fetchone()[0]
    assert rows == len(cn)


def batch1():
    a1, a2 = art(1), art(2)
    return [
        (a1, [ev(a1, "CONSULT", "2024-05-01", [AZE], [ARM]),
              ev(a1, "AGREE", "2024-05", [AZE, ARM, USA], [], 30),   # three pairs
              ev(a1, "PROTEST", "2024-05-03", [NOBODY], [], 60),     # no country: no pair
              ev(a1, "ACCUSE", None, [FRA], [FRA], 90)]),             # one country, undated
        (a2, [ev(a2, "CONSULT", "2024-05-02", [ARM], [AZE]),
              ev(a2, "ACCUSE", "2023-11-20", [USA], [FRA, RUS], 10)]),   # 3 pairs
    ]


def test_tables_follow_run_rerun_and_merge(tmp_path):
    db = tmp_path / "d.duckdb"
    with Store(db) as st:
        st.add_batch(batch1())
        assert_in_step(st)
        assert st.con.execute("SELECT count(*) FROM mention_dyads").fetchone()[0] == 8  # 1+3+0+0+1+3
        # re-run: the same articles again add nothing anywhere
        before = stored(st.con)
        assert st.add_batch(batch1()) == (0, 0)
        assert stored(st.con) == before
        n_events = st.event_counts()["events"]
        # a third article with the same AZE-ARM consultation: its merge key's
        # events are recomputed; the read-side tables grow by its mention
        a3 = art(3, "another wire")
        st.add(a3, [ev(a3, "CONSULT", "2024-05-01", [AZE], [ARM])])
        assert st.event_counts()["events"] == n_events
        # AZE->ARM now 2 mentions (a1, a3), ARM->AZE (a2) its own event
        assert sorted(e["mention_count"] for e in st.query_merged(event_type="CONSULT")) \
            == [1, 2]
        assert_in_step(st)
        cnt = st.con.execute("SELECT n FROM mention_counts WHERE event_type = 'CONSULT' AND "
                             "date_start = DATE '2024-05-01'").fetchone()[0]
        assert cnt == 2
    # reopened (later run): still in step, and a mention id clash counts once
    with Store(db) as st:
        a4 = art(4)
        e = ev(a4, "THREATEN", "2024-06-01", [RUS], [USA])
        st.add(a4, [e])
        a5 = art(5)
        again = ev(a5, "THREATEN", "2024-06-01", [RUS], [USA])
        again.id = e.id                       # the very same event id: kept once
        st.add(a5, [again])
        assert_in_step(st)
        assert st.con.execute("SELECT count(*) FROM mention_dyads WHERE mention_id = ?",
                              [e.id]).fetchone()[0] == 1


def test_queries_match_the_mention_scan(tmp_path):
    with Store(tmp_path / "q.duckdb") as st:
        st.add_batch(batch1())
        a3 = art(3)
        st.add(a3, [ev(a3, "CONSULT", "2024-07-09", [AZE], [ARM]),
                    ev(a3, "AID", "2025-01", [USA], [ARM], 20)])
        con = st.con
        assert Q.has_derived_tables(con)

        class NoDerived:
            def execute(self, sql, params=None):
                if "information_schema.tables" in sql:
                    return con.execute("SELECT 0")
                return con.execute(sql, params or [])
        slow = NoDerived()
        for kw in ({}, {"by": "day"}, {"by": "year", "group": "type"},
                   {"dyad": ("ARM", "AZE")}, {"dyad": ("aze", "arm"), "by": "week"},
                   {"dyad": ("AZE", "USA"), "since": "2024-05-02", "until": "2024-12"},
                   {"event_type": "consult"}, {"since": "2024-05-02"},
                   {"until": "2024-05-01"}, {"dyad": ("FRA", "FRA")},
                   {"country": "AZE", "dyad": ("AZE", "ARM")}):
            assert Q.timeline(con, **kw) == Q.timeline(slow, **kw), kw
        tl = Q.timeline(con, dyad=("ARM", "AZE"))
        assert [p["events"] for p in tl["periods"]] == [3, 1]     # 2024-05 (AGREE too), 07
        for kw in ({}, {"country": "arm"}, {"since": "2024"}, {"until": "2023-12-31"},
                   {"event_type": "ACCUSE"}, {"limit": 2}):
            assert Q.dyads(con, **kw) == Q.dyads(slow, **kw), kw
        top = Q.dyads(con)[0]
        assert (top["a"], top["b"], top["events"]) == ("ARM", "AZE", 4)


def test_version_2_store_is_backfilled(tmp_path):
    path = tmp_path / "v2.duckdb"
    with Store(path) as st:
        st.add_batch(batch1())
        want = expected(st.con)
    con = duckdb.connect(str(path))            # back to version 2, derived tables gone
    con.execute("DROP TABLE mention_dyads")
    con.execute("DROP TABLE mention_counts")
    con.execute("DELETE FROM schema_version WHERE version > 2")
    con.close()
    with Store(path) as st:
        assert st.con.execute("SELECT max(version) FROM schema_version").fetchone()[0] \
            == SCHEMA_VERSION
        assert stored(st.con) == want
        assert_in_step(st)
        a9 = art(9)
        st.add(a9, [ev(a9, "CONSULT", "2024-05-01", [AZE], [ARM])])
        assert_in_step(st)
    assert store_mod._MIGRATIONS[2]      # version 3 is the read-side tables' migration
    assert dt.date(2024, 5, 1) in {r[4] for r in want[0]}
