"""The DuckDB store on its own: Articles and Events built here by hand."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from dotterel.model import Article, Entity, Event, Location
from dotterel.store import SCHEMA_VERSION, Store, date_range


def art(n: int, text: str | None = None, **kw) -> Article:
    text = text or f"Article number {n}: the foreign ministers of two states met in a capital."
    a = Article(doc=f"a{n}.txt", text=text, story_date=kw.pop("story_date", "2024-05-02"),
                source="Test Wire", language="en", **kw)
    return a


def ev(a: Article, etype: str, date: str | None, actor: list[Entity],
       recipient: list[Entity] | None = None, start: int = 0, **kw) -> Event:
    return Event(doc=a.doc, event_type=etype, date=date, actor=actor,
                 recipient=recipient or [], evidence=f"{etype} sentence {start}.",
                 evidence_start=start, evidence_end=start + 20, **kw)


AZE = Entity(name="Ilham Aliyev", country="AZE", sector="GOV", title="President")
ARM = Entity(country="ARM", sector="GOV")
USA = Entity(name="Antony Blinken", country="USA", sector="GOV", title="Secretary of State")
FRA = Entity(country="FRA", sector="MIL")


@pytest.fixture
def db(tmp_path):
    return tmp_path / "t.duckdb"


def filled(db) -> Store:
    """A store with five events over three articles."""
    st = Store(db)
    a1, a2, a3 = art(1), art(2), art(3)
    st.add(a1, [
        ev(a1, "CONSULT", "2024-05-01", [AZE], [ARM], 0, mode="visit",
           location=Location("Baku", "AZE", 40.4093, 49.8671), contexts=["diplomatic"]),
        ev(a1, "AGREE", "2024-05", [AZE, ARM], [], 40),
    ])
    st.add(a2, [
        ev(a2, "ACCUSE", "2023-11-20", [USA], [FRA], 0, mode="disapprove"),
        ev(a2, "ACCUSE", None, [FRA], [USA], 50, mode="allege"),
    ])
    st.add(a3, [ev(a3, "CONSULT", "2024", [USA], [AZE], 0, mode="phone")])
    return st


def test_round_trip_keeps_every_field(db):
    with filled(db) as st:
        got = [e for e in st.query_events(event_type="CONSULT") if e["mode"] == "visit"]
    assert len(got) == 1
    e = got[0]
    assert e["actor"] == [AZE.to_dict()]
    assert e["recipient"] == [ARM.to_dict()]
    assert e["location"] == {"name": "Baku", "country": "AZE", "lat": 40.4093, "lon": 49.8671}
    assert e["contexts"] == ["diplomatic"]
    assert e["date"] == "2024-05-01"
    assert e["doc"] == "a1.txt" and e["salience"] == "main"
    assert e["evidence"] == "CONSULT sentence 0." and (e["evidence_start"], e["evidence_end"]) == (0, 20)
    assert e["id"].startswith("ev_") and e["article_id"].startswith("art_")
    # the same keys as the coder's own JSON lines
    assert set(e) == set(Event(doc="x", event_type="AGREE").to_dict())


def test_ids_are_filled_and_flat_columns_written(db):
    a = art(7)
    e = ev(a, "CONSULT", "2024-02", [AZE, USA], [ARM], 3)
    with Store(db) as st:
        assert st.add(a, [e]) == (1, 1)
        assert a.id.startswith("art_") and e.id.startswith("ev_") and e.article_id == a.id
        row = st.con.execute(
            "SELECT actor_countries, recipient_countries, actor_names, date_start, date_end "
            "FROM mentions").fetchone()
    assert row == (["AZE", "USA"], ["ARM"], ["Ilham Aliyev", "Antony Blinken"],
                   dt.date(2024, 2, 1), dt.date(2024, 2, 29))


def test_readding_an_article_adds_nothing(db):
    with filled(db) as st:
        before = st.counts()
        a1 = art(1)   # same text -> same content id
        assert st.add(a1, [ev(a1, "SANCTION", "2024-05-03", [USA], [AZE], 99)]) == (0, 0)
        assert st.counts() == before == {"articles": 3, "mentions": 5}
        assert st.has_article(a1.id) and not st.has_article("art_0000000000000000")


def test_batch_with_repeats_stores_each_article_and_event_once(db):
    a, same = art(1), art(1)
    b = art(2)
    e = ev(a, "AGREE", "2024-05-01", [AZE], [ARM], 5)
    twin = ev(a, "AGREE", "2024-05-01", [AZE], [ARM], 5)   # identical -> same id
    with Store(db) as st:
        added = st.add_batch([(a, [e, twin]), (same, [ev(same, "REJECT", None, [ARM])]),
                              (b, [])])
        assert added == (2, 1)
        assert st.counts() == {"articles": 2, "mentions": 1}


def test_failed_batch_is_rolled_back(db):
    a, b = art(1), art(2)
    bad = Event(doc=b.doc, event_type=None)   # violates NOT NULL event_type
    with Store(db) as st:
        with pytest.raises(duckdb.Error):
            st.add_batch([(a, [ev(a, "AGREE", None, [AZE])]), (b, [bad])])
        assert st.counts() == {"articles": 0, "mentions": 0}
        assert st.add(a, []) == (1, 0)   # the store is still usable


def test_filters(db):
    with filled(db) as st:
        q = st.query_events
        assert len(q()) == 5
        assert {e["event_type"] for e in q(event_type="accuse")} == {"ACCUSE"}
        assert len(q(event_type="ASSAULT")) == 0
        # a country filter matches actor or recipient, not location
        assert len(q(country="fra")) == 2
        assert len(q(country="ARM")) == 2
        assert len(q(country="AZE")) == 3
        # partial dates cover a range: "2024-05" and "2024" overlap May 20
        may20 = q(since="2024-05-20", until="2024-05-20")
        assert sorted(e["date"] for e in may20) == ["2024", "2024-05"]
        # undated events are left out of any date window
        assert all(e["date"] for e in q(since="1900"))
        assert [e["date"] for e in q(until="2023-12")] == ["2023-11-20"]
        assert len(q(since="2024-05-02")) == 2   # "2024-05" and "2024"
        assert len(q(event_type="CONSULT", country="USA", since="2024-06")) == 1
        assert len(q(limit=2)) == 2
        assert len(q(limit=None)) == 5


def test_order_is_most_recent_first_undated_last(db):
    with filled(db) as st:
        dates = [e["date"] for e in st.query_events()]
    assert dates[-1] is None
    assert dates[:-1] == ["2024-05-01", "2024-05", "2024", "2023-11-20"]


def test_user_input_is_never_sql(db):
    with filled(db) as st:
        assert st.query_events(country="AZE') OR TRUE --") == []
        assert st.query_events(event_type="x'; DROP TABLE mentions; --") == []
        assert st.counts()["mentions"] == 5
        with pytest.raises(ValueError):
            st.query_events(since="2024-05-01' OR '1'='1")


def test_schema_version_and_reopen(db):
    with filled(db) as st:
        pass
    with Store(db) as st:   # reopening neither migrates again nor loses rows
        assert st.counts() == {"articles": 3, "mentions": 5}
        rows = st.con.execute("SELECT version FROM schema_version").fetchall()
    assert rows == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
    with Store(db, read_only=True) as st:
        assert len(st.query_events()) == 5
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_version VALUES (?, ?)", [SCHEMA_VERSION + 1, dt.datetime.now()])
    con.close()
    with pytest.raises(RuntimeError, match="newer|upgrade"):
        Store(db)


def test_read_only_store_needs_a_database(tmp_path):
    with pytest.raises(FileNotFoundError):
        Store(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()


def test_many_articles_in_one_batch(db):
    pairs = []
    for n in range(600):
        a = art(n)
        pairs.append((a, [ev(a, "CONSULT", f"2024-{n % 12 + 1:02d}-01", [AZE], [ARM], k)
                          for k in range(3)]))
    with Store(db) as st:
        assert st.add_batch(pairs) == (600, 1800)
        assert st.add_batch(pairs) == (0, 0)
        assert st.counts() == {"articles": 600, "mentions": 1800}
        assert len(st.query_events(since="2024-12", limit=None)) == 150


@pytest.mark.parametrize("value,expected", [
    ("2024-05-01", (dt.date(2024, 5, 1), dt.date(2024, 5, 1))),
    ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("2023-02", (dt.date(2023, 2, 1), dt.date(2023, 2, 28))),
    ("2023", (dt.date(2023, 1, 1), dt.date(2023, 12, 31))),
    ("2024-13", (None, None)),
    ("2023-02-29", (None, None)),
    ("May 2024", (None, None)),
    ("", (None, None)),
    (None, (None, None)),
])
def test_date_range(value, expected):
    assert date_range(value) == expected
