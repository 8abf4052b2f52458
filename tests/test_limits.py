"""Per-document limits (dotterel/limits.py) and the bad inputs of issue 7:
no input makes ``dotterel code``/``run`` crash or hang, each bad one is
reported with its reason, every good one is coded."""
from __future__ import annotations

import json
import signal
import time

import pytest

import dotterel
from dotterel import cli, limits
from dotterel.limits import DocumentTimeout, Limits, time_limit, truncate_article
from dotterel.model import Article
from dotterel.clean import clean_article

GOOD = [
    "Kazakh President Kassym-Jomart Tokayev received Uzbek Foreign Minister Bakhtiyor "
    "Saidov in Astana on Monday.\n",
    "Russian President Vladimir Putin held a phone call with Turkish President Recep Tayyip "
    "Erdogan on Tuesday, the Kremlin said.\n",
    "Azerbaijani President Ilham Aliyev met Armenian Prime Minister Nikol Pashinyan in "
    "Brussels on Friday.\n",
]


@pytest.fixture(autouse=True)
def _restore_limits():
    saved = limits.current()
    yield
    limits.configure(max_bytes=saved.max_bytes, max_chars=saved.max_chars,
                     timeout_s=saved.timeout_s)


# ------------------------------------------------------------------ timer
@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM timer here")
def test_time_limit_interrupts_and_is_not_swallowed():
    t0 = time.perf_counter()
    with pytest.raises(DocumentTimeout, match="timed out after 0.2 s"):
        with time_limit(0.2):
            try:
                while True:
                    pass
            except Exception:       # the coder's own handlers must not eat it
                pytest.fail("DocumentTimeout was caught as an Exception")
    assert time.perf_counter() - t0 < 2
    # the timer is off afterwards, the handler restored
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler,
                                                None, signal.SIG_IGN)


def test_time_limit_off_and_fast_body():
    with time_limit(0):
        pass
    with time_limit(None):
        pass
    with time_limit(5):
        x = sum(range(1000))
    assert x == 499500


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM timer here")
def test_time_limit_puts_back_an_outer_alarm():
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with time_limit(5):
            pass
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.5
        time.sleep(0.7)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_limits_validate():
    with pytest.raises(ValueError):
        Limits(max_chars=0)
    with pytest.raises(ValueError):
        Limits(timeout_s=-1)
    assert limits.configure(max_chars=123).max_chars == 123


# ------------------------------------------------------------------ size
def test_truncate_cuts_at_a_line_and_keeps_the_mapping():
    body = "".join(GOOD) * 30
    a = clean_article(Article(doc="long.txt", text=body))
    n = len(a.clean)
    note = truncate_article(a, 1000)
    assert note and "of %d characters" % n in note
    assert len(a.clean) <= 1000 and a.clean.endswith("\n")
    assert len(a.offsets) == len(a.clean)
    assert all(s < len(a.clean) and e <= len(a.clean) for s, e in a.skip_ranges)
    assert truncate_article(a, 1000) is None      # fits now


def test_truncate_hard_cut_without_breaks():
    a = clean_article(Article(doc="x.txt", text="word" * 5000))
    truncate_article(a, 777)
    assert len(a.clean) == 777 == len(a.offsets)


def test_code_text_honours_max_chars_and_evidence_stays_verbatim():
    text = "".join(GOOD) + ("Filler words about nothing in particular here. " * 3000) + GOOD[2]
    dotterel.code_text(GOOD[0])      # model loaded before the clock starts
    limits.configure(max_chars=600)
    t0 = time.perf_counter()
    evs = dotterel.code_text(text, story_date="2024-03-06")
    assert time.perf_counter() - t0 < 20
    assert evs, "the events in the kept part are coded"
    for e in evs:
        assert e.evidence == text[e.evidence_start:e.evidence_end]
        assert e.evidence_end <= 700
    assert not any("Brussels" in e.evidence and e.evidence_start > 1000 for e in evs)


# ------------------------------------------------------------------ time
@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM timer here")
def test_a_slow_document_times_out_and_the_others_are_coded(monkeypatch):
    from dotterel import events, pipeline
    real = events.extract

    def slow_for_one(doc, art, kb):
        if art.doc == "slow.txt":
            while True:
                time.sleep(0.01)
        return real(doc, art, kb)

    monkeypatch.setattr(events, "extract", slow_for_one)
    arts = [Article(doc=f"g{i}.txt", text=t) for i, t in enumerate(GOOD[:2])]
    arts.insert(1, Article(doc="slow.txt", text=GOOD[2]))
    t0 = time.perf_counter()
    out = pipeline.code_batch(arts, limits=Limits(timeout_s=0.5))
    assert time.perf_counter() - t0 < 10
    res = {a.doc: r for a, r in out}
    assert isinstance(res["slow.txt"], str) and "timed out after 0.5 s" in res["slow.txt"]
    assert isinstance(res["g0.txt"], list) and res["g0.txt"]
    assert isinstance(res["g1.txt"], list) and res["g1.txt"]


# ------------------------------------------------------------------ bad inputs
def _bad_folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i, t in enumerate(GOOD):
        (d / f"good{i}.txt").write_text(t, encoding="utf-8")
    with open(d / "huge_one_line.txt", "wb") as fh:       # 50 MB, one line
        chunk = b"word " * 200_000
        for _ in range(50):
            fh.write(chunk)
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "empty.txt").write_bytes(b"")
    (d / "punct.txt").write_text("!?.,;:-- ... ??? !!! ((( ))) ***\n" * 20)
    (d / "bad_utf8.txt").write_bytes(b"\xff\xfe\xfa\x80\x81" * 50 + b"\xc3\x28\xa0\xa1" * 30)
    (d / "cp1251.txt").write_bytes(
        ("Президент России встретился с президентом Казахстана в Москве во вторник. "
         "Стороны обсудили торговлю и безопасность.\n").encode("cp1251"))
    (d / "latin1.txt").write_bytes(
        ("Le président français a reçu le chancelier allemand à Paris mercredi; ils ont "
         "discuté de l'Europe et de la défense.\n").encode("latin-1"))
    (d / "mixed.txt").write_bytes(GOOD[0].encode("utf-8") + "Déjà vu à Zürich.\n".encode(
        "latin-1") + "Привет.\n".encode("cp1251"))
    (d / "script.html").write_text(
        "<html><head><script>alert('x')</script></head><body><article><h1>Talks</h1>"
        f"<p>{GOOD[1]}</p><img src=x onerror=alert(1)><a href='javascript:alert(1)'>x</a>"
        "</article></body></html>", encoding="utf-8")
    return d


def test_run_survives_bad_inputs_and_codes_every_good_one(tmp_path, capsys):
    d = _bad_folder(tmp_path)
    db = tmp_path / "t.duckdb"
    paths = sorted(str(p) for p in d.iterdir())
    t0 = time.perf_counter()
    rc = cli.main(["run", *paths, "--db", str(db), "--workers", "1", "--timeout", "30"])
    assert time.perf_counter() - t0 < 60
    err = capsys.readouterr().err
    assert rc == 0
    for name, why in [("huge_one_line.txt", "too large"), ("binary.txt", "binary"),
                      ("empty.txt", "empty"), ("punct.txt", "no words"),
                      ("bad_utf8.txt", "not valid UTF-8")]:
        line = next((ln for ln in err.splitlines() if name in ln), "")
        assert why in line, (name, err)
    from dotterel.store import Store
    with Store(db, read_only=True) as st:
        docs = {r[0] for r in st.con.execute("SELECT doc FROM articles").fetchall()}
        langs = dict(st.con.execute("SELECT doc, language FROM articles").fetchall())
        texts = dict(st.con.execute("SELECT doc, text FROM articles").fetchall())
    assert {"good0.txt", "good1.txt", "good2.txt", "cp1251.txt", "latin1.txt", "mixed.txt",
            "script.html"} <= docs
    assert "alert" not in texts["script.html"] and "Putin" in texts["script.html"]
    assert langs["cp1251.txt"] == "ru" and langs["latin1.txt"] == "fr"


def test_code_reports_truncation_and_limit_flags(tmp_path, capsys):
    f = tmp_path / "long.txt"
    f.write_text(GOOD[0] + "Filler words about nothing in particular here.\n" * 400)
    out = tmp_path / "o.jsonl"
    rc = cli.main(["code", str(f), "-o", str(out), "--workers", "1", "--max-chars", "500",
                   "--max-bytes", "100000"])
    err = capsys.readouterr().err
    assert rc == 0
    assert "long.txt: truncated: coded the first" in err and "--max-chars" in err
    recs = [json.loads(ln) for ln in out.read_text().splitlines()]
    assert any(not r.get("doc_meta") for r in recs)
    rc = cli.main(["code", str(f), "-o", str(out), "--workers", "1", "--max-bytes", "100"])
    assert rc == 1 and "too large" in capsys.readouterr().err
    assert cli.main(["code", str(f), "--max-chars", "0"]) == 2
