"""The HTTP API (dotterel.server) on a small store built from articles and
events written here: every endpoint, its filters, paging, bad parameters
(422), an oversized body (413), the /api/code timeout (504) and the
hardening headers."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from dotterel.model import Article, Entity, Event, Location  # noqa: E402
from dotterel.server import create_app  # noqa: E402
from dotterel.store import Store  # noqa: E402

WEB = Path(__file__).resolve().parents[1] / "dotterel" / "web"

# (doc, story_date, text, [(type, mode, actors, recipients, date, place, contexts, evidence)])
ARTICLES = [
    ("aze_usa.txt", "2025-08-09",
     "Aliyev meets Trump\n\nAzerbaijani President Ilham Aliyev met US President Donald Trump "
     "at the White House in Washington on Friday. Aliyev and Armenian Prime Minister Nikol "
     "Pashinyan signed a joint declaration on peace.",
     [("CONSULT", "visit", [("Ilham Aliyev", "AZE", "GOV")], [("Donald Trump", "USA", "GOV")],
       "2025-08-08", ("Washington", "USA"), ["diplomatic"],
       "Azerbaijani President Ilham Aliyev met US President Donald Trump at the White House "
       "in Washington on Friday."),
      ("AGREE", None, [("Ilham Aliyev", "AZE", "GOV"), ("Nikol Pashinyan", "ARM", "GOV")], [],
       "2025-08-08", None, ["diplomatic", "territory"],
       "Aliyev and Armenian Prime Minister Nikol Pashinyan signed a joint declaration on "
       "peace.")]),
    ("aze_arm.txt", "2025-09-03",
     "Baku accuses Yerevan\n\nAzerbaijan's foreign ministry accused Armenia on Tuesday of "
     "violating the ceasefire near Tavush. Observers called the 100% claim unverified.",
     [("ACCUSE", "allege", [(None, "AZE", "GOV")], [(None, "ARM", "GOV")], "2025-09-02", None,
       ["military"], "Azerbaijan's foreign ministry accused Armenia on Tuesday of violating "
       "the ceasefire near Tavush.")]),
    ("usa_rus.txt", "2025-09-20",
     "New sanctions\n\nThe United States Treasury imposed sanctions on Russian banks on "
     "Friday, officials said in Washington.",
     [("SANCTION", None, [(None, "USA", "GOV")], [(None, "RUS", "BUS")], "2025-09-19",
       ("Washington", "USA"), ["economic"],
       "The United States Treasury imposed sanctions on Russian banks on Friday, officials "
       "said in Washington.")]),
    ("ken.txt", "2025-10-03",
     "Nairobi protests\n\nThousands of protesters marched in Nairobi against the finance bill "
     "on Thursday. A zebracorn mural was painted on the wall of parliament.",
     [("PROTEST", "demo", [(None, "KEN", "CVL")], [(None, "KEN", "GOV")], "2025-10", 
       ("Nairobi", "KEN"), ["economic"],
       "Thousands of protesters marched in Nairobi against the finance bill on Thursday.")]),
]


def _events(doc: str, text: str, specs) -> list[Event]:
    out = []
    for etype, mode, acts, recs, date, place, ctx, evidence in specs:
        start = text.index(evidence)
        out.append(Event(
            doc=doc, event_type=etype, mode=mode,
            actor=[Entity(name=n, country=c, sector=s) for n, c, s in acts],
            recipient=[Entity(name=n, country=c, sector=s) for n, c, s in recs],
            date=date, location=Location(*place) if place else None, contexts=ctx,
            evidence=evidence, evidence_start=start, evidence_end=start + len(evidence)))
    return out


def build_store(path: Path, extra: list[tuple[str, str, str, list]] = ()) -> Path:
    """A store holding ARTICLES (+ extra) and their hand-made events."""
    with Store(path) as st:
        for doc, story_date, text, specs in list(ARTICLES) + list(extra):
            art = Article(doc=doc, text=text, story_date=story_date,
                          headline=text.split("\n")[0], source="Test Wire", language="en")
            st.add(art, _events(doc, text, specs))
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("api") / "api.duckdb")


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def _get(client, path, **params):
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _types(resp) -> list[str]:
    return sorted(e["event_type"] for e in resp["events"])


# ------------------------------------------------------------------ /api/events
def test_events_all_most_recent_first(client):
    r = _get(client, "/api/events")
    assert r["total"] == 5 and len(r["events"]) == 5
    dates = [e["date"] for e in r["events"]]
    assert dates[0] == "2025-10" and dates[-1] == "2025-08-08"
    keys = set(r["events"][0])
    assert {"id", "doc", "event_type", "mode", "actor", "recipient", "date", "location",
            "contexts", "salience", "evidence", "evidence_start", "evidence_end",
            "article_id"} <= keys


@pytest.mark.parametrize("params, expected", [
    ({"type": "consult"}, ["CONSULT"]),
    ({"mode": "allege"}, ["ACCUSE"]),
    ({"country": "aze"}, ["ACCUSE", "AGREE", "CONSULT"]),
    ({"actor_country": "USA"}, ["SANCTION"]),
    ({"recipient_country": "USA"}, ["CONSULT"]),
    ({"country": "ARM"}, ["ACCUSE", "AGREE"]),
    ({"dyad": "AZE,USA"}, ["CONSULT"]),
    ({"dyad": "ARM-AZE"}, ["ACCUSE", "AGREE"]),
    ({"sector": "BUS"}, ["SANCTION"]),
    ({"sector": "cvl"}, ["PROTEST"]),
    ({"context": "economic"}, ["PROTEST", "SANCTION"]),
    ({"since": "2025-09"}, ["ACCUSE", "PROTEST", "SANCTION"]),
    ({"until": "2025-09-02"}, ["ACCUSE", "AGREE", "CONSULT"]),
    ({"since": "2025-10-15", "until": "2025-10-20"}, ["PROTEST"]),   # month-dated overlaps
    ({"since": "2026"}, []),
    ({"q": "ceasefire"}, ["ACCUSE"]),            # in the evidence
    ({"q": "ZEBRACORN"}, ["PROTEST"]),           # only in the article text, any case
    ({"q": "100%"}, ["ACCUSE"]),                 # % is literal, not a wildcard
    ({"q": "1_0"}, []),                          # _ is literal too
    ({"q": "Washington", "type": "SANCTION"}, ["SANCTION"]),
])
def test_events_filters(client, params, expected):
    assert _types(_get(client, "/api/events", **params)) == expected


def test_events_paging(client):
    whole = _get(client, "/api/events", limit=500)["events"]
    pages = [_get(client, "/api/events", limit=2, offset=o) for o in (0, 2, 4, 6)]
    assert all(p["total"] == 5 for p in pages)
    assert [len(p["events"]) for p in pages] == [2, 2, 1, 0]
    assert [e["id"] for p in pages for e in p["events"]] == [e["id"] for e in whole]


@pytest.mark.parametrize("params, word", [
    ({"limit": 501}, "limit"),
    ({"limit": -1}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"offset": -5}, "offset"),
    ({"type": "HUG"}, "type"),
    ({"since": "2025-13"}, "since"),
    ({"until": "yesterday"}, "until"),
    ({"country": "A'B"}, "country"),
    ({"country": "USA' OR 1=1 --"}, "country"),
    ({"actor_country": "US"}, "actor_country"),
    ({"dyad": "AZE"}, "dyad"),
    ({"sector": "GOV;DROP"}, "sector"),
    ({"q": "x" * 201}, "q"),
])
def test_events_bad_parameters_422(client, params, word):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422, r.text
    assert word in r.json()["detail"]


# ------------------------------------------------------------------ /api/events/{id}
def test_event_detail_with_mentions_and_offsets(client):
    ev = _get(client, "/api/events", type="ACCUSE")["events"][0]
    d = _get(client, f"/api/events/{ev['id']}")
    assert d["event"]["id"] == ev["id"]
    assert len(d["mentions"]) >= 1 and ev["id"] in [m["id"] for m in d["mentions"]]
    art = _get(client, f"/api/articles/{ev['article_id']}")
    for m in d["mentions"]:
        assert art["text"][m["evidence_start"]:m["evidence_end"]] == m["evidence"]
        assert m["headline"] == "Baku accuses Yerevan"
    # a merged event is reachable by its own id too, with the same mentions
    if d["merged"]:
        d2 = _get(client, f"/api/events/{d['event_id']}")
        assert [m["id"] for m in d2["mentions"]] == [m["id"] for m in d["mentions"]]


def test_event_detail_not_found_and_bad_id(client):
    assert client.get("/api/events/ev_0000000000000000").status_code == 404
    assert client.get("/api/events/no%20such%3Bid").status_code == 422
    assert client.get("/api/articles/art_nope").status_code == 404
    assert client.get("/api/articles/" + "a" * 300).status_code == 422


def test_article_text_and_events(client):
    ev = _get(client, "/api/events", q="zebracorn")["events"][0]
    art = _get(client, f"/api/articles/{ev['article_id']}")
    assert art["headline"] == "Nairobi protests" and "zebracorn" in art["text"]
    assert [e["event_type"] for e in art["events"]] == ["PROTEST"]
    art2 = _get(client, f"/api/articles/{_get(client, '/api/events', type='AGREE')['events'][0]['article_id']}")
    assert [e["event_type"] for e in art2["events"]] == ["CONSULT", "AGREE"]   # text order


# ------------------------------------------------------------------ /api/dyads
def test_dyads_counts_quads_and_mean_score(client):
    dy = {(d["a"], d["b"]): d for d in _get(client, "/api/dyads")["dyads"]}
    # pairs of distinct countries taking part; KEN-KEN (protest at home) is no dyad
    assert set(dy) == {("ARM", "AZE"), ("AZE", "USA"), ("RUS", "USA")}
    arm_aze = dy[("ARM", "AZE")]
    assert arm_aze["events"] == 2
    assert arm_aze["quads"] == {"verbal_cooperation": 1, "material_cooperation": 0,
                                "verbal_conflict": 1, "material_conflict": 0}
    assert arm_aze["mean_score"] == pytest.approx((4.0 + -2.0) / 2)     # AGREE, ACCUSE
    assert dy[("RUS", "USA")]["quads"]["material_conflict"] == 1
    assert dy[("RUS", "USA")]["mean_score"] == pytest.approx(-5.6)


def test_dyads_period_and_country(client):
    dy = _get(client, "/api/dyads", since="2025-09", until="2025-09-30")["dyads"]
    assert {(d["a"], d["b"]) for d in dy} == {("ARM", "AZE"), ("RUS", "USA")}
    assert dy[0]["events"] == 1
    only = _get(client, "/api/dyads", country="USA")["dyads"]
    assert {(d["a"], d["b"]) for d in only} == {("AZE", "USA"), ("RUS", "USA")}
    assert client.get("/api/dyads", params={"since": "soon"}).status_code == 422
    assert client.get("/api/dyads", params={"limit": 0}).status_code == 422


# ------------------------------------------------------------------ /api/timeline
def test_timeline_by_month_quads(client):
    tl = _get(client, "/api/timeline", by="month")
    assert [p["period"] for p in tl["periods"]] == ["2025-08-01", "2025-09-01", "2025-10-01"]
    sep = tl["periods"][1]
    assert sep["events"] == 2
    assert sep["counts"]["verbal_conflict"] == 1 and sep["counts"]["material_conflict"] == 1
    assert sep["mean_score"] == pytest.approx((-2.0 - 5.6) / 2)


def test_timeline_country_dyad_type_week(client):
    tl = _get(client, "/api/timeline", country="AZE", by="day", group="type")
    assert tl["series"] == ["AGREE", "CONSULT", "ACCUSE"]   # PLOVER order
    assert [(p["period"], p["events"]) for p in tl["periods"]] == [("2025-08-08", 2),
                                                                 ("2025-09-02", 1)]
    wk = _get(client, "/api/timeline", dyad="AZE,ARM", by="week")
    assert [p["period"] for p in wk["periods"]] == ["2025-08-04", "2025-09-01"]   # Mondays
    assert _get(client, "/api/timeline", type="SANCTION", by="year")["periods"][0]["events"] == 1


@pytest.mark.parametrize("params", [{"by": "hour"}, {"group": "colour"}, {"dyad": "AZE,US"},
                                    {"country": "1234"}, {"since": "2025-02-30"},
                                    {"type": "NOPE"}])
def test_timeline_bad_parameters_422(client, params):
    r = client.get("/api/timeline", params=params)
    assert r.status_code == 422 and r.json()["detail"]


# ------------------------------------------------------------------ /api/actors, /api/stats
def test_actors(client):
    acts = _get(client, "/api/actors", country="AZE")["actors"]
    assert acts[0]["name"] == "Ilham Aliyev" and acts[0]["events"] == 2
    assert all(a["country"] == "AZE" for a in acts)
    usa = {(a["name"], a["as_actor"], a["as_recipient"])
           for a in _get(client, "/api/actors", country="USA")["actors"]}
    assert ("Donald Trump", 0, 1) in usa and (None, 1, 0) in usa


def test_stats(client):
    s = _get(client, "/api/stats")
    assert s["articles"] == 4 and s["mentions"] == 5 and "CONSULT" in s["plover"]


# ------------------------------------------------------------------ POST /api/code
def test_code_returns_cli_schema(client):
    r = client.post("/api/code", json={
        "text": "Kazakh President Kassym-Jomart Tokayev received Uzbek Foreign Minister "
                "Bakhtiyor Saidov in Astana on Monday.", "story_date": "2024-03-06"})
    assert r.status_code == 200, r.text
    events = r.json()["events"]
    assert events, "the coder found no event"
    ev = events[0]
    assert list(ev) == ["id", "doc", "event_type", "mode", "actor", "recipient", "date",
                        "location", "contexts", "salience", "evidence", "evidence_start",
                        "evidence_end", "article_id"]
    assert ev["event_type"] == "CONSULT" and ev["date"] == "2024-03-04"


@pytest.mark.parametrize("body", [{}, {"text": 5}, {"text": "x", "story_date": "March 5"},
                                  {"text": "x", "story_date": "2024-02-30"}])
def test_code_bad_body_422(client, body):
    r = client.post("/api/code", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]


def test_code_not_json_422(client):
    r = client.post("/api/code", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_oversized_body_413(client):
    big = json.dumps({"text": "word " * 210_000})          # about 1.05 MB
    r = client.post("/api/code", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "limit" in r.json()["detail"]


def test_oversized_chunked_body_413(db):
    def chunks():                                          # no Content-Length: counted as read
        for _ in range(40):
            yield b"x" * 1024
    with TestClient(create_app(db, max_body=10_000)) as c:
        r = c.post("/api/code", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        ok = c.post("/api/code", json={"text": "y" * 100, "story_date": "2024-01-01"})
        assert ok.status_code == 200


def test_code_timeout_504(db, monkeypatch):
    import dotterel.pipeline as pipeline

    def slow(text, story_date=None, **kw):
        time.sleep(1.0)
        return []
    monkeypatch.setattr(pipeline, "code_text", slow)
    with TestClient(create_app(db, code_timeout=0.1)) as c:
        t0 = time.perf_counter()
        r = c.post("/api/code", json={"text": "anything"})
        assert r.status_code == 504 and "0.1 s" in r.json()["detail"]
        assert time.perf_counter() - t0 < 0.9


# ------------------------------------------------------------------ hardening
def test_security_headers_and_no_cors(client):
    r = client.get("/api/events", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/").headers["content-security-policy"] == csp


def test_cors_only_when_asked(db):
    with TestClient(create_app(db, cors_origins=["http://lab.example"])) as c:
        r = c.get("/api/stats", headers={"Origin": "http://lab.example"})
        assert r.headers["access-control-allow-origin"] == "http://lab.example"
        r = c.get("/api/stats", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in r.headers


def test_store_is_read_only(db, client):
    import duckdb
    st = client.app.state.dotterel["open"]()          # as each request opens it
    try:
        assert st.read_only
        with pytest.raises(duckdb.Error):
            st.con.cursor().execute("DELETE FROM mentions")
        with Store(db, read_only=True) as other:      # others may read beside it
            assert other.counts()["articles"] == 4
    finally:
        st.close()
    # between requests the server holds nothing: a writer can open the store
    with Store(db, wait=0) as w:
        assert w.counts()["articles"] == 4
    assert client.post("/api/events").status_code == 405


def test_missing_store_fails_at_startup(tmp_path):
    with pytest.raises(FileNotFoundError):
        with TestClient(create_app(tmp_path / "none.duckdb")):
            pass


def test_openapi_lists_every_endpoint(client):
    paths = set(_get(client, "/openapi.json")["paths"])
    assert {"/api/code", "/api/events", "/api/events/{event_id}", "/api/articles/{article_id}",
            "/api/dyads", "/api/timeline", "/api/actors", "/api/stats"} <= paths


def test_static_files_and_no_traversal(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/vendor/chart.umd.js").status_code == 200
    for bad in ("/static/../server.py", "/static/%2e%2e/server.py", "/static/..%2fserver.py"):
        r = client.get(bad)
        assert r.status_code == 404 and "create_app" not in r.text


def test_explorer_ships_everything_and_never_writes_html():
    html = (WEB / "index.html").read_text()
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert srcs and all(s.startswith(("/static/", "#")) for s in srcs), srcs
    js = (WEB / "app.js").read_text()
    # data reaches the page as text only (the browser test checks it at run time)
    assert not re.search(r"\.(?:inner|outer)HTML\s*[+]?=|insertAdjacentHTML\(|document\.write", js)
    assert (WEB / "vendor" / "chart.umd.js").stat().st_size > 100_000
