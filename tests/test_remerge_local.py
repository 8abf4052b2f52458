"""The store re-merges only the events a batch can touch (``Store._affected``);
the merged events must equal a full re-merge of every mention, whatever the
batches - mentions chaining across the window, undated mentions placed by
their article group, near-duplicate groups spanning batches, named actors
that split a group."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dotterel.model import Article, Entity, Event
from dotterel.store import Store

PEOPLE = [Entity(name="Ilham Aliyev", country="AZE", sector="GOV"),
          Entity(name="Jeyhun Bayramov", country="AZE", sector="GOV"),
          Entity(country="AZE", sector="GOV")]
OTHERS = [Entity(name="Nikol Pashinyan", country="ARM", sector="GOV"),
          Entity(country="ARM", sector="GOV"), Entity(country="GEO", sector="GOV")]
TYPES = ["CONSULT", "AGREE", "ACCUSE"]
DAY0 = dt.date(2024, 3, 1)


def corpus(seed: int, n: int) -> list[tuple[Article, list[Event]]]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        a = Article(doc=f"r{i:03d}.txt", text=f"Report {i} of the merge test, seed {seed}.",
                    story_date=str(DAY0 + dt.timedelta(days=rnd.randrange(90))),
                    source="Test Wire", language="en")
        a.id = f"art{seed}-{i:03d}"
        a.dedup_seq = i
        # about one article in five reprints an earlier one (its group root)
        a.dedup_root = out[rnd.randrange(len(out))][0].id if out and rnd.random() < 0.2 else None
        evs = []
        for k in range(rnd.randint(0, 4)):
            day = None if rnd.random() < 0.25 else \
                str(DAY0 + dt.timedelta(days=rnd.randrange(0, 90, rnd.choice([1, 3, 9]))))
            e = Event(doc=a.doc, event_type=rnd.choice(TYPES), date=day,
                      actor=[rnd.choice(PEOPLE)], recipient=[rnd.choice(OTHERS)],
                      evidence=f"sentence {k}", evidence_start=10 * k, evidence_end=10 * k + 9)
            evs.append(e)
        out.append((a, evs))
    return out


def merged(db) -> tuple[dict, dict]:
    with Store(db, read_only=True) as s:
        events = {r[0]: r[1:] for r in s.con.execute(
            "SELECT id, mention_count, article_count, date_start, date_end, merge_key "
            "FROM events").fetchall()}
        links = dict(s.con.execute("SELECT id, event_id FROM mentions").fetchall())
    return events, links


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), cuts=st.lists(st.integers(1, 59), max_size=8))
def test_batches_equal_a_full_remerge(tmp_path_factory, seed, cuts):
    pairs = corpus(seed, 60)
    d = tmp_path_factory.mktemp("remerge")
    inc, full = d / "inc.duckdb", d / "full.duckdb"
    bounds = [0, *sorted(set(cuts)), len(pairs)]
    with Store(inc) as s:
        for a, b in zip(bounds, bounds[1:]):
            s.add_batch(pairs[a:b])
    with Store(full) as s:
        s.add_batch(pairs)
        keys = {r[0] for r in s.con.execute("SELECT DISTINCT merge_key FROM mentions").fetchall()}
        s.con.execute("BEGIN")
        s._remerge(keys)            # every mention, no locality
        s.con.execute("COMMIT")
    got, want = merged(inc), merged(full)
    assert got[1] == want[1]        # every mention in the same event
    assert got[0] == want[0]        # the same events, counts and spans
    assert all(v is not None for v in got[1].values())


def test_a_batch_far_in_time_leaves_other_events_alone(tmp_path):
    """A new mention months away from a dyad's stored mentions re-merges
    nothing of theirs (the locality the scale depends on)."""
    db = tmp_path / "s.duckdb"
    pairs = corpus(3, 40)
    with Store(db) as s:
        s.add_batch(pairs)
        n_before = s.con.execute("SELECT count(*) FROM events").fetchone()[0]
        late = Article(doc="late.txt", text="A late report.", story_date="2025-01-10",
                       source="Test Wire", language="en")
        late.id, late.dedup_seq = "late", 99
        e = Event(doc="late.txt", event_type="CONSULT", date="2025-01-10",
                  actor=[PEOPLE[0]], recipient=[OTHERS[0]], evidence="x",
                  evidence_start=0, evidence_end=1)
        s.add_batch([(late, [e])])
        s.con.execute("BEGIN")
        ids, old = s._affected(sorted({r[0] for r in s.con.execute(
            "SELECT merge_key FROM mentions").fetchall()}), {e.id})
        s.con.execute("ROLLBACK")
        assert ids == [e.id] and old == [s.con.execute(
            "SELECT event_id FROM mentions WHERE id = ?", [e.id]).fetchone()[0]]
        assert s.con.execute("SELECT count(*) FROM events").fetchone()[0] == n_before + 1
