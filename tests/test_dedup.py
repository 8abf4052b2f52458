"""Near-duplicate articles (MinHash/LSH) and mentions merged into events."""
from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest

from dotterel import dedup
from dotterel.model import Article, Entity, Event
from dotterel.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _words(n, seed):
    rnd = random.Random(seed)
    vocab = [f"w{i}" for i in range(5000)]
    return " ".join(rnd.choice(vocab) for _ in range(n))


def test_signature_similarity_and_roundtrip():
    a = _words(300, 1)
    b = "Another headline\n\n" + a[: len(a) * 3 // 4] + "\nAll rights reserved."
    c = _words(300, 2)
    sa, sb, sc = dedup.signature(a), dedup.signature(b), dedup.signature(c)
    assert sa.jaccard(sb) > 0.6
    assert sa.jaccard(sc) < 0.1
    assert dedup.sig_from_bytes(dedup.sig_to_bytes(sb)).jaccard(sa) == sa.jaccard(sb)
    assert dedup.signature("  ... ") is None
    # normalisation: case and punctuation do not matter
    assert dedup.signature(a.upper().replace(" ", " , ")).jaccard(sa) == 1.0


def test_index_points_to_the_earliest_of_the_group():
    base = _words(300, 3)
    idx = dedup.DuplicateIndex()
    assert idx.check_add("k1", "one.txt", dedup.signature(base))[0] is None
    assert idx.check_add("k2", "other.txt", dedup.signature(_words(300, 4)))[0] is None
    root, doc, _ = idx.check_add("k3", "three.txt", dedup.signature(base + " extra words"))
    assert (root, doc) == ("k1", "one.txt")
    # a duplicate of the duplicate still points at the first article
    _, doc4, _ = idx.check_add("k4", "four.txt", dedup.signature(base + " extra words here"))
    assert doc4 == "one.txt"


def test_mark_duplicates_keeps_given_value():
    base = _words(200, 5)
    arts = [Article(doc="a", text=base), Article(doc="b", text=base),
            Article(doc="c", text=base, duplicate_of="given"), Article(doc="d", text=_words(200, 6))]
    out = list(dedup.mark_duplicates(arts))
    assert [a.duplicate_of for a in out] == [None, "a", "given", None]


def _m(mid, art, date=None, etype="CONSULT", ac=("USA",), rc=("CHN",), an=(), rn=(), group=None):
    start, end = (date, date) if date else (None, None)
    return {"id": mid, "article_id": art, "group": group or art, "event_type": etype,
            "actor_countries": list(ac), "recipient_countries": list(rc),
            "actor_names": list(an), "recipient_names": list(rn),
            "date_start": start, "date_end": end}


def _groups(assign):
    out = {}
    for mid, eid in assign.items():
        out.setdefault(eid, set()).add(mid)
    return sorted(sorted(g) for g in out.values())


def test_merge_rule():
    ms = [
        _m("m1", "a1", "2024-03-04"),
        _m("m2", "a2", "2024-03-05"),                 # within one day: merged
        _m("m3", "a3", "2024-03-09"),                 # five days later: another event
        _m("m4", "a4", "2024-03-04", etype="AGREE"),  # another type
        _m("m5", "a5", "2024-03-04", rc=("RUS",)),     # another recipient country
        _m("m6", "a1", "2024-03-04"),                 # same article as m1: the same act
        _m("m7", "a6", "2024-03-04", an=("Antony Blinken",)),
        _m("m8", "a7", "2024-03-04", an=("Janet Yellen",)),   # names clash with m7
    ]
    g = _groups(dedup.merge_mentions(ms))
    assert ["m3"] in g and ["m4"] in g and ["m5"] in g
    # m7 and m8 name different people: never in one event
    assert not any({"m7", "m8"} <= set(x) for x in g)
    assert any({"m1", "m2", "m6"} <= set(x) for x in g)
    # the unnamed mentions do not bridge the two named ones
    assert ["m7"] in g and ["m8"] in g
    # order never matters, and ids are stable
    rnd = random.Random(0)
    for _ in range(5):
        shuffled = ms[:]
        rnd.shuffle(shuffled)
        assert dedup.merge_mentions(shuffled) == dedup.merge_mentions(ms)
    # a wider window joins m3
    assert any({"m1", "m3"} <= set(x) for x in _groups(dedup.merge_mentions(ms, window_days=5)))


def test_undated_mentions_join_only_an_unambiguous_event():
    ms = [_m("d1", "a1", "2024-03-04", group="g"), _m("d2", "a2", "2024-03-04", group="g"),
          _m("u1", "a3", None, group="g")]
    g = _groups(dedup.merge_mentions(ms))
    assert g == [["d1", "d2", "u1"]]
    # two dated events in the group: the undated mention stays apart
    ms2 = [_m("d1", "a1", "2024-03-04", group="g"), _m("d3", "a2", "2024-03-20", group="g"),
           _m("u1", "a3", None, group="g")]
    assert ["u1"] in _groups(dedup.merge_mentions(ms2))
    # another article group: apart too
    ms3 = [_m("d1", "a1", "2024-03-04", group="g"), _m("u1", "a3", None, group="h")]
    assert ["u1"] in _groups(dedup.merge_mentions(ms3))


# ---------------------------------------------------------------- the planted corpus
def _load_script():
    spec = importlib.util.spec_from_file_location("make_dup_corpus",
                                                  ROOT / "scripts" / "make_dup_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from dotterel.pipeline import code_files
    out = tmp_path_factory.mktemp("dupcorpus")
    truth = _load_script().make(out)
    coded = list(code_files([out]))
    return out, truth, coded


def test_duplicate_detection_precision_recall(corpus):
    _, truth, coded = corpus
    story = {f: v["story"] for f, v in truth["files"].items()}
    # system pairs: each article with the article it duplicates; truth pairs:
    # every two articles of the same story
    sys_pairs = {frozenset((a.doc, a.duplicate_of)) for a, _ in coded if a.duplicate_of}
    docs = sorted(story)
    gold = {frozenset((x, y)) for i, x in enumerate(docs) for y in docs[:i]
            if story[x] == story[y]}
    assert {frozenset(p) for p in truth["duplicate_pairs"]} <= gold
    tp = len(sys_pairs & gold)
    precision = tp / len(sys_pairs)
    # recall over the planted (variant, original) pairs, and group-wise
    planted = {frozenset(p) for p in truth["duplicate_pairs"]}
    recall = len(sys_pairs & planted) / len(planted)
    print(f"\nduplicates: precision {precision:.3f} recall {recall:.3f} "
          f"({tp} of {len(sys_pairs)} system pairs right, {len(planted)} planted)")
    assert precision >= 0.95 and recall >= 0.95
    for a, _ in coded:
        if truth["files"][a.doc]["variant"] == "orig":
            assert a.duplicate_of is None


def _merged(coded, keep):
    with Store(":memory:") as st:
        st.add_batch([(a, evs) for a, evs in coded if keep(a)])
        evs = st.query_merged(limit=None)
        full = [st.get_event(e["id"]) for e in evs]
        return full, st.counts()


def test_merged_events_equal_the_planted_truth(corpus):
    import copy
    _, truth, coded = corpus
    files = truth["files"]
    coded_all = copy.deepcopy(coded)
    coded_orig = copy.deepcopy([(a, e) for a, e in coded if files[a.doc]["variant"] == "orig"])
    merged_all, counts_all = _merged(coded_all, lambda a: True)
    merged_orig, counts_orig = _merged(coded_orig, lambda a: True)

    def sig(ev):
        return (ev["event_type"], tuple(ev["actor_countries"]), tuple(ev["recipient_countries"]),
                ev["date"])
    # the truth: the events of the five original stories; the reprints add
    # mentions, never events
    assert counts_all["mentions"] > counts_orig["mentions"]
    assert len(merged_all) == len(merged_orig) > 0
    assert sorted(map(sig, merged_all)) == sorted(map(sig, merged_orig))
    # each merged event stays inside one story, and has the right provenance
    for ev in merged_all:
        stories = {files[m["doc"]]["story"] for m in ev["mentions"]}
        assert len(stories) == 1, ev
        assert ev["mention_count"] == len(ev["mentions"])
        for m in ev["mentions"]:
            assert m["evidence"] and m["evidence_end"] > m["evidence_start"]
    multi = [ev for ev in merged_all if ev["mention_count"] > 1]
    print(f"\nmerged events: {len(merged_all)} (originals alone: {len(merged_orig)}), "
          f"{counts_all['mentions']} mentions, {len(multi)} events reported more than once")
    assert multi


def test_version_1_store_is_migrated_and_backfilled(tmp_path):
    import datetime as dt

    import duckdb

    from dotterel import store as store_mod
    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
    for stmt in store_mod._MIGRATIONS[0]:
        con.execute(stmt)
    con.execute("INSERT INTO schema_version VALUES (1, ?)", [dt.datetime.now()])
    text = _words(200, 9)
    for aid, doc, extra in (("art_1", "one.txt", ""), ("art_2", "two.txt", " more words")):
        con.execute("INSERT INTO articles (id, doc, text, story_date, coded_at) "
                    "VALUES (?, ?, ?, '2024-03-04', ?)", [aid, doc, text + extra, dt.datetime.now()])
        con.execute("INSERT INTO mentions (id, article_id, doc, event_type, actor, recipient, "
                    "actor_countries, recipient_countries, actor_names, date, date_start, "
                    "date_end, evidence) VALUES (?, ?, ?, 'CONSULT', '[]', "
                    "'[{\"name\": \"Wang Yi\", \"country\": \"CHN\"}]', ['USA'], ['CHN'], [], "
                    "'2024-03-04', DATE '2024-03-04', DATE '2024-03-04', 'x')",
                    ["ev_" + aid, aid, doc])
    con.close()
    with Store(path) as st:
        assert st.event_counts() == {"events": 1, "articles": 2, "mentions": 2}
        (ev,) = st.query_merged()
        assert ev["mention_count"] == 2
        dup = st.con.execute("SELECT duplicate_of FROM articles WHERE id = 'art_2'").fetchone()[0]
        assert dup == "one.txt"
        assert st.con.execute("SELECT recipient_names FROM mentions LIMIT 1").fetchone()[0] == \
            ["Wang Yi"]
        assert len(st.duplicate_index()) == 2
