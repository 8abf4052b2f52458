"""dotterel export: PLOVER JSONL, POLECAT TSV, CSV and Parquet of merged events or mentions."""
from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest

from dotterel.cli import main
from dotterel.export import POLECAT_COLUMNS, export
from dotterel.model import Article, Entity, Event, Location
from dotterel.store import Store


def _ev(doc, etype="CONSULT", date="2024-03-04", actor=("Antony Blinken", "USA"),
        recip=("Wang Yi", "CHN"), start=0):
    return Event(doc=doc, event_type=etype, mode="visit" if etype == "CONSULT" else None,
                 actor=[Entity(name=actor[0], country=actor[1], sector="GOV")],
                 recipient=[Entity(name=recip[0], country=recip[1], sector="GOV")],
                 date=date, location=Location("Beijing", "CHN", 39.9, 116.4),
                 contexts=["diplomatic"], evidence=f"evidence in {doc}",
                 evidence_start=start, evidence_end=start + 15)


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "x.duckdb"
    arts = [Article(doc="a.txt", text="Blinken met Wang in Beijing. one", story_date="2024-03-04",
                    source="Wire A"),
            Article(doc="b.txt", text="Blinken met Wang in Beijing. two", story_date="2024-03-05",
                    source="Paper B"),
            Article(doc="c.txt", text="Sanctions. three", story_date="2024-03-27",
                    source="Paper B")]
    evs = [[_ev("a.txt")], [_ev("b.txt", date="2024-03-05")],
           [_ev("c.txt", etype="SANCTION", date="2024-03-27", actor=(None, "USA"),
                recip=(None, "CHN"))]]
    with Store(path) as st:
        st.add_batch(list(zip(arts, evs)))
        assert st.event_counts() == {"events": 2, "articles": 3, "mentions": 3}
    return path


def test_plover_jsonl_merged_and_mentions(db, tmp_path):
    out = tmp_path / "e.jsonl"
    assert export(str(db), "plover-jsonl", str(out)) == 2
    recs = [json.loads(ln) for ln in out.read_text().splitlines()]
    consult = next(r for r in recs if r["event_type"] == "CONSULT")
    assert consult["mention_count"] == 2 and consult["article_count"] == 2
    assert consult["first_seen"] == "2024-03-04" and consult["last_seen"] == "2024-03-05"
    assert consult["quad_class"] == "verbal_cooperation"
    assert {m["doc"] for m in consult["mentions"]} == {"a.txt", "b.txt"}
    assert {m["source"] for m in consult["mentions"]} == {"Wire A", "Paper B"}
    sanction = next(r for r in recs if r["event_type"] == "SANCTION")
    assert sanction["quad_class"] == "material_conflict" and sanction["score"] < 0
    out2 = tmp_path / "m.jsonl"
    assert export(str(db), "plover-jsonl", str(out2), mentions=True) == 3
    ms = [json.loads(ln) for ln in out2.read_text().splitlines()]
    assert {m["event_id"] for m in ms} == {r["id"] for r in recs}
    assert all(m["evidence"].startswith("evidence in") for m in ms)


def test_polecat_tsv(db, tmp_path):
    out = tmp_path / "p.tsv"
    assert main(["export", "--db", str(db), "--format", "polecat-tsv", "-o", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert list(rows[0]) == POLECAT_COLUMNS
    consult = next(r for r in rows if r["Event Type"] == "CONSULT")
    assert consult["Actor Name"] == "Antony Blinken" and consult["Actor Country"] == "USA"
    assert consult["Recipient Name"] == "Wang Yi" and consult["Recipient Country"] == "CHN"
    assert consult["Quad Code"] == "1" and consult["Mention Count"] == "2"
    assert consult["Source"] == "Paper B;Wire A" and consult["Placename"] == "Beijing"
    assert consult["Event Date"] in ("2024-03-04", "2024-03-05")
    sanction = next(r for r in rows if r["Event Type"] == "SANCTION")
    assert sanction["Quad Code"] == "4" and sanction["Actor Name"] == ""


def test_csv(db, tmp_path):
    out = tmp_path / "e.csv"
    assert export(str(db), "csv", str(out)) == 2
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    consult = next(r for r in rows if r["event_type"] == "CONSULT")
    assert consult["actor_countries"] == "USA" and consult["mention_count"] == "2"
    assert len(consult["mentions"].split(";")) == 2
    assert json.loads(consult["actor"])[0]["name"] == "Antony Blinken"
    out2 = tmp_path / "m.csv"
    assert export(str(db), "csv", str(out2), mentions=True) == 3


def test_parquet(db, tmp_path):
    out = tmp_path / "e.parquet"
    assert main(["export", "--db", str(db), "--format", "parquet", "-o", str(out)]) == 0
    tbl = pq.read_table(out).to_pylist()
    assert len(tbl) == 2
    consult = next(r for r in tbl if r["event_type"] == "CONSULT")
    assert consult["mention_count"] == 2 and len(consult["mentions"]) == 2
    assert consult["recipient_countries"] == ["CHN"]
    out2 = tmp_path / "m.parquet"
    assert export(str(db), "parquet", str(out2), mentions=True) == 3
    assert pq.read_table(out2).num_rows == 3


def test_empty_store_and_missing_db(tmp_path):
    db = tmp_path / "empty.duckdb"
    Store(db).close()
    for fmt in ("plover-jsonl", "polecat-tsv", "csv", "parquet"):
        out = tmp_path / f"o.{fmt}"
        assert export(str(db), fmt, str(out)) == 0
        assert out.exists()
    assert main(["export", "--db", str(tmp_path / "none.duckdb"), "--format", "csv",
                 "-o", str(tmp_path / "x.csv")]) == 1
