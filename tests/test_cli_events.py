"""`dotterel events`: filters and output of stored events (inserted here
through the Store API, so nothing depends on what the coder finds)."""
from __future__ import annotations

import json

import pytest

from dotterel.cli import main
from dotterel.model import Article, Entity, Event, Location
from dotterel.store import Store

LONG = ("The two presidents signed a long declaration on transit, trade, energy, "
        "border delimitation and the return of displaced people in the capital.")


def _event(a: Article, etype: str, date, actor, recipient, start, **kw) -> Event:
    return Event(doc=a.doc, event_type=etype, date=date, actor=actor, recipient=recipient,
                 evidence=kw.pop("evidence", f"A short sentence about {etype.lower()}."),
                 evidence_start=start, evidence_end=start + 10, **kw)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ev.duckdb"
    kz = Entity(name="Kassym-Jomart Tokayev", country="KAZ", sector="GOV", title="President")
    uz = Entity(name="Shavkat Mirziyoyev", country="UZB", sector="GOV", title="President")
    ru = Entity(country="RUS", sector="MIL")
    ua = Entity(country="UKR", sector="CVL")
    eu = Entity(name="Council of the European Union", country="EUR", sector="GOV")
    a = Article(doc="kz.txt", text="An article about Central Asian leaders.")
    b = Article(doc="war.txt", text="An article about a strike and the sanctions after it.")
    with Store(path) as st:
        st.add(a, [
            _event(a, "CONSULT", "2022-12-22", [uz], [kz], 0, mode="visit",
                   location=Location("Tashkent", "UZB")),
            _event(a, "SUPPORT", "2022-12-22", [kz, uz], [], 40, evidence=LONG),
        ])
        st.add(b, [
            _event(b, "ASSAULT", "2024-07-08", [ru], [ua], 0, mode="aerial"),
            _event(b, "SANCTION", "2024-06", [eu], [Entity(country="RUS", sector="GOV")], 60),
            _event(b, "ACCUSE", None, [Entity(country="UKR", sector="GOV")], [ru], 90,
                   mode="disapprove"),
        ])
    return path


def rows(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.strip()]


def test_table_lists_every_event_aligned(db, capsys):
    assert main(["events", "--db", str(db)]) == 0
    cap = capsys.readouterr()
    lines = rows(cap.out)
    head, body = lines[0], lines[1:]
    for col in ("date", "type", "mode", "actor", "recipient", "place", "evidence"):
        assert col in head
    assert len(body) == 5
    # columns line up: each type starts where the header's "type" does
    at = head.index("type")
    assert {ln[at:].split()[0] for ln in body} == {"CONSULT", "SUPPORT", "ASSAULT",
                                                  "SANCTION", "ACCUSE"}
    visit = next(ln for ln in body if "CONSULT" in ln)
    assert "Shavkat Mirziyoyev → Kassym-Jomart Tokayev" in visit
    assert "Tashkent (UZB)" in visit and "2022-12-22" in visit and "visit" in visit
    assert "RUS MIL → UKR CVL" in next(ln for ln in body if "ASSAULT" in ln)
    # the long evidence is cut to about 70 characters
    sign = next(ln for ln in body if "SUPPORT" in ln)
    ev_text = sign[head.index("evidence"):]
    assert ev_text.endswith("…") and len(ev_text) <= 70 and LONG.startswith(ev_text[:-1])
    # most recent first, the undated one last
    assert body[0].startswith("2024-07-08") and body[-1].startswith("-")
    assert "5 shown of 5 stored" in cap.err


def test_json_lines(db, capsys):
    assert main(["events", "--db", str(db), "--json"]) == 0
    recs = [json.loads(ln) for ln in rows(capsys.readouterr().out)]
    assert len(recs) == 5
    visit = next(r for r in recs if r["event_type"] == "CONSULT")
    assert visit["actor"][0]["name"] == "Shavkat Mirziyoyev"
    assert visit["location"] == {"name": "Tashkent", "country": "UZB"}
    assert visit["doc"] == "kz.txt" and visit["mode"] == "visit"


@pytest.mark.parametrize("flags,types", [
    (["--type", "consult"], {"CONSULT"}),
    (["--country", "rus"], {"ASSAULT", "SANCTION", "ACCUSE"}),
    (["--country", "KAZ"], {"CONSULT", "SUPPORT"}),
    (["--since", "2024-01-01"], {"ASSAULT", "SANCTION"}),
    (["--until", "2022-12-31"], {"CONSULT", "SUPPORT"}),
    (["--since", "2024-06-15", "--until", "2024-06-30"], {"SANCTION"}),
    (["--country", "RUS", "--since", "2024-07"], {"ASSAULT"}),
    (["--type", "REJECT"], set()),
])
def test_filters(db, capsys, flags, types):
    assert main(["events", "--db", str(db), "--json"] + flags) == 0
    recs = [json.loads(ln) for ln in rows(capsys.readouterr().out)]
    assert {r["event_type"] for r in recs} == types
    assert len(recs) == len(types)


def test_limit(db, capsys):
    assert main(["events", "--db", str(db), "--json", "--limit", "2"]) == 0
    recs = [json.loads(ln) for ln in rows(capsys.readouterr().out)]
    assert [r["date"] for r in recs] == ["2024-07-08", "2024-06"]


@pytest.mark.parametrize("flags", [["--type", "HUG"], ["--since", "last week"],
                                   ["--until", "2024-02-30"]])
def test_bad_arguments_are_refused(db, capsys, flags):
    assert main(["events", "--db", str(db)] + flags) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and "dotterel events:" in cap.err


def test_missing_database(tmp_path, capsys):
    path = tmp_path / "none.duckdb"
    assert main(["events", "--db", str(path)]) == 1
    assert "no database" in capsys.readouterr().err
    assert not path.exists()


def test_empty_database(tmp_path, capsys):
    path = tmp_path / "empty.duckdb"
    Store(path).close()
    assert main(["events", "--db", str(path)]) == 0
    cap = capsys.readouterr()
    assert cap.out == "" and "0 shown of 0 stored" in cap.err


def test_not_a_dotterel_database(tmp_path, capsys):
    path = tmp_path / "other.duckdb"
    import duckdb
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    assert main(["events", "--db", str(path)]) == 1
    assert "cannot open" in capsys.readouterr().err
