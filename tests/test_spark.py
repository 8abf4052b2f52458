"""The Spark backend (``dotterel spark``, ``spark.run_spark``) in local mode: its events are the
very records and ids ``dotterel code`` prints for the same input, its
doc_meta the same article metadata, and its merged events what the
single-machine merge (``dedup.merge_mentions``) makes of those events.

Skips only when Java is missing (pyspark is installed by ``make test``)."""
from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

if shutil.which("java") is None:
    pytest.skip("no java on PATH: the Spark backend needs Java 17", allow_module_level=True)
import pyspark  # noqa: E402,F401  (make test installs it: missing is an error, not a skip)

from dotterel.cli import main  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# a few examples, plus files `dotterel code` skips (empty, binary, JSON data)
PICK = ["ex01_aliyev_pashinyan_washington.txt", "ex03_eu_14th_sanctions_package.txt",
        "ex06_biden_xi_phone_call.txt", "ex08_navalny_detained_moscow.txt",
        "ex09_us_uk_strikes_houthis.txt"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    (root / "sub").mkdir()
    for i, name in enumerate(PICK):
        dest = root / ("sub" if i % 2 else ".") / name
        shutil.copy(EXAMPLES / name, dest)
    (root / "empty.txt").write_text("")
    (root / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (root / "data.txt").write_text('{"a": 1}\n{"b": 2}\n{"c": 3}\n')
    (root / "notes.md").write_text("Not a .txt file, not read.")
    return root


@pytest.fixture(scope="module")
def coded(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("code") / "coded.jsonl"
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["code", str(corpus), "-o", str(out), "--workers", "1"]) == 0
    lines = [json.loads(ln) for ln in out.read_text().splitlines()]
    return [d for d in lines if d.get("doc_meta")], [d for d in lines if not d.get("doc_meta")]


@pytest.fixture(scope="module")
def spark():
    # one session for the module: its Python workers load the model once
    from dotterel.spark import session
    sp = session("local[2]", conf={"spark.ui.showConsoleProgress": "false"})
    yield sp
    sp.stop()


@pytest.fixture(scope="module")
def spark_out(spark, corpus, tmp_path_factory):
    from dotterel.spark import run_spark
    out = tmp_path_factory.mktemp("spark") / "out"
    counts = run_spark(spark, str(corpus), str(out), partitions=2)
    assert counts["articles"] == len(PICK)
    return out


def _rows(path: Path) -> list[dict]:
    import pyarrow.parquet as pq
    return pq.read_table(str(path)).to_pylist()


def test_events_equal_dotterel_code(spark_out, coded):
    from dotterel.spark import event_record

    _, code_events = coded
    rows = sorted(_rows(spark_out / "events"), key=lambda r: (r["seq"], r["idx"]))
    got = [event_record(r) for r in rows]
    assert len(code_events) >= 10
    # same records with the same ids; per article in the same order
    assert sorted(got, key=lambda d: d["id"]) == sorted(code_events, key=lambda d: d["id"])
    for doc in PICK:
        assert [d for d in got if d["doc"] == doc] == [d for d in code_events if d["doc"] == doc]


def test_doc_meta_equal_dotterel_code(spark_out, coded):
    metas, _ = coded
    rows = _rows(spark_out / "doc_meta")
    assert sorted(r["doc"] for r in rows) == sorted(PICK)      # bad files skipped
    by_doc = {r["doc"]: r for r in rows}
    for m in metas:
        r = by_doc[m["doc"]]
        for k in ("article_id", "story_date", "source", "language", "headline"):
            assert r[k] == m.get(k), (m["doc"], k)


def test_merged_equal_single_machine_merge(spark_out, coded):
    dedup = pytest.importorskip("dotterel.dedup")
    from dotterel.spark import mention_fields

    metas, code_events = coded
    meta = {m["article_id"]: m for m in metas}
    ms = [mention_fields(e, meta[e["article_id"]]) for e in code_events]
    want: dict[str, list[str]] = {}
    for mid, eid in dedup.merge_mentions(ms).items():
        want.setdefault(eid, []).append(mid)
    rows = _rows(spark_out / "merged")
    got = {r["id"]: sorted(r["mention_ids"]) for r in rows}
    assert got == {k: sorted(v) for k, v in want.items()}
    assert sum(r["mention_count"] for r in rows) == len(code_events)
    months = {p.name for p in (spark_out / "merged").iterdir() if p.is_dir()}
    assert months and all(m.startswith("month=") for m in months)
    for r in rows:     # partitioned by the month of the merged event's first day
        want_month = str(r["date_start"])[:7] if r["date_start"] else "undated"
        assert r["month"] == want_month


def test_jsonl_input_keeps_given_metadata(spark, tmp_path):
    from dotterel.spark import run_spark

    text = (EXAMPLES / PICK[2]).read_text(encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "call-1", "text": text, "date": "2024-04-03",
                               "source": "Example Wire"}) + "\n"
                   + json.dumps({"id": "no-text", "date": "2024-04-03"}) + "\n")
    counts = run_spark(spark, str(src), str(tmp_path / "out"), merged=False)
    assert counts["articles"] == 1 and counts["events"] > 0
    meta = _rows(tmp_path / "out" / "doc_meta")[0]
    assert (meta["doc"], meta["story_date"], meta["source"]) == \
        ("call-1", "2024-04-03", "Example Wire")
    assert {r["doc"] for r in _rows(tmp_path / "out" / "events")} == {"call-1"}


# ------------------------------------------------------------ near-duplicates
ROOT = Path(__file__).resolve().parents[1]
# generated stories (scripts/make_dup_corpus.py): s1 in four variants (an
# exact copy among them: same content id), s2 in two, s3 alone
DUPS = ["s1_a_orig.txt", "s1_b_copy.txt", "s1_c_reprint.txt", "s1_d_boiler.txt",
        "s2_a_orig.txt", "s2_b_reprint.txt", "s3_a_orig.txt"]


@pytest.fixture(scope="module")
def dup_corpus(tmp_path_factory):
    import subprocess
    import sys
    gen = tmp_path_factory.mktemp("gen")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_dup_corpus.py"), str(gen)],
                   check=True, capture_output=True)
    root = tmp_path_factory.mktemp("dups")
    for name in DUPS:
        shutil.copy(gen / name, root / name)
    return root


def test_near_duplicates_equal_single_machine(spark, dup_corpus, tmp_path):
    """duplicate_of equals ``dotterel code``'s, events equal too, and the
    merged events equal ``dotterel run``'s store (same mentions per event)."""
    import duckdb

    from dotterel.spark import event_record, run_spark

    out = tmp_path / "code.jsonl"
    db = tmp_path / "run.duckdb"
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["code", str(dup_corpus), "-o", str(out), "--workers", "1"]) == 0
        assert main(["run", str(dup_corpus), "--db", str(db), "--workers", "1"]) == 0
    lines = [json.loads(ln) for ln in out.read_text().splitlines()]
    metas = {d["doc"]: d for d in lines if d.get("doc_meta")}
    code_events = [d for d in lines if not d.get("doc_meta")]
    # the planted duplicates are found on the single machine
    assert metas["s1_b_copy.txt"]["duplicate_of"] == "s1_a_orig.txt"
    assert metas["s2_b_reprint.txt"]["duplicate_of"] == "s2_a_orig.txt"
    assert metas["s3_a_orig.txt"]["duplicate_of"] is None

    sp = tmp_path / "spark"
    counts = run_spark(spark, str(dup_corpus), str(sp), partitions=3)
    assert counts["articles"] == len(DUPS)
    rows = {r["doc"]: r for r in _rows(sp / "doc_meta")}
    assert {d: r["duplicate_of"] for d, r in rows.items()} == \
        {d: m["duplicate_of"] for d, m in metas.items()}
    got = sorted((event_record(r) for r in _rows(sp / "events")), key=lambda d: d["id"])
    assert got == sorted(code_events, key=lambda d: d["id"])

    con = duckdb.connect(str(db), read_only=True)
    want: dict[str, list[str]] = {}
    for mid, eid in con.execute("SELECT id, event_id FROM mentions").fetchall():
        want.setdefault(eid, []).append(mid)
    counts_run = {r[0]: r[1:] for r in con.execute(
        "SELECT id, mention_count, article_count FROM events").fetchall()}
    con.close()
    merged = _rows(sp / "merged")
    assert {r["id"]: sorted(r["mention_ids"]) for r in merged} == \
        {k: sorted(v) for k, v in want.items()}
    assert {r["id"]: (r["mention_count"], r["article_count"]) for r in merged} == counts_run
    # merged across the duplicates: some event has mentions of several articles
    assert any(r["article_count"] > 1 for r in merged)


def _words(block: int, n: int = 60) -> str:
    return " ".join(f"w{block}x{i}" for i in range(n))


def test_roots_follow_duplicate_index(spark):
    """Similarity that is not transitive: A~B, B~C, C~D but not A~C, B~D;
    input order A, C, B, D.  DuplicateIndex gives B the root A (the earliest
    root among its similar articles) and D the root C (its one similar
    article's root), not the connected component's first article."""
    from dotterel import dedup
    from dotterel.model import Article
    from dotterel.spark import assign_roots, duplicate_pairs

    texts = {"A": [1, 2, 3, 4], "B": [2, 3, 4, 5], "C": [3, 4, 5, 6], "D": [4, 5, 6, 7],
             "E": [20, 21, 22, 23]}
    order = ["A", "C", "B", "D", "E", "A"]          # the last: an exact copy of A
    arts = [Article(doc=f"{k}{i}", text=" ".join(_words(b) for b in texts[k]))
            for i, k in enumerate(order)]
    want = {a.doc: a.duplicate_of for a in dedup.mark_duplicates(arts)}
    rows = [(i, a.doc, a.doc[0], {}, [], dedup.sig_to_bytes(dedup.signature(a.text)))
            for i, a in enumerate(arts)]
    pairs = duplicate_pairs(spark.sparkContext.parallelize(rows, 3), 3)
    roots = assign_roots(pairs)
    got = {a.doc: arts[roots[i]].doc if i in roots else None for i, a in enumerate(arts)}
    assert got == want
    assert want == {"A0": None, "C1": None, "B2": "A0", "D3": "C1", "E4": None, "A5": "A0"}


# ------------------------------------------------------------ rejected inputs
def test_rejected_lists_what_dotterel_code_skips(spark_out, corpus):
    """The files ``dotterel code`` skips (empty, binary, JSON data) are rows of
    OUTPUT/rejected with ``dotterel code``'s reasons; the good ones are coded."""
    from dotterel.ingest import iter_articles

    want = {Path(b.name).name: b.reason for b in iter_articles([corpus])
            if not hasattr(b, "text")}
    assert set(want) == {"empty.txt", "blob.txt", "data.txt"}
    rows = _rows(spark_out / "rejected")
    assert {Path(r["name"].split(":", 1)[-1]).name: r["reason"] for r in rows} == want
    assert "empty file" in want["empty.txt"] and "binary" in want["blob.txt"]
    assert all(r["name"].endswith(Path(r["name"]).name) and r["seq"] is not None for r in rows)
    assert sorted(r["doc"] for r in _rows(spark_out / "doc_meta")) == sorted(PICK)


def test_jsonl_rejects_malformed_lines(spark, tmp_path):
    from dotterel.spark import run_spark

    src = tmp_path / "feed.jsonl"
    src.write_text(json.dumps({"id": "ok-1", "text": WARC_TEXTS[0]}) + "\n"
                   + '{"id": "broken", "text": "unterminated\n'
                   + json.dumps({"id": "empty", "text": "  "}) + "\n", encoding="utf-8")
    counts = run_spark(spark, str(src), str(tmp_path / "out"), merged=False)
    assert counts["articles"] == 1 and counts["rejected"] == 2
    rows = sorted(_rows(tmp_path / "out" / "rejected"), key=lambda r: r["seq"])
    assert [r["reason"].split(" (")[0] for r in rows] == ["malformed JSON", "no text in field 'text'"]
    assert rows[0]["name"] == f"record-2 (file:{src})"


# ------------------------------------------------------------------- WARC
# invented short reports (real public diplomatic events, our own wording)
WARC_TEXTS = [
    "PARIS, May 6, 2024 - Chinese President Xi Jinping met French President Emmanuel "
    "Macron at the Elysee Palace on Monday. The two leaders discussed trade, the war in "
    "Ukraine and the Middle East, and agreed to keep up regular talks.",
    "TOKYO, March 19, 2024 - Japanese Prime Minister Fumio Kishida held a telephone call "
    "with Indian Prime Minister Narendra Modi on Tuesday. They agreed to strengthen "
    "defence and economic cooperation between Japan and India.",
    "BRUSSELS, June 24, 2024 - European Union foreign ministers adopted a new package "
    "of sanctions against Russia on Monday, targeting its liquefied natural gas trade.",
]


def _warc(path: Path, pages, cut: int = 0) -> Path:
    """A WARC file of ``(uri, content type, text)`` responses (HTML bodies
    wrap the text in a page); ``cut``: bytes taken off its end."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=path.name.endswith(".gz"))
    for uri, ctype, text in pages:
        body = (f"<html><head><title>News</title></head><body><article><p>{text}</p>"
                f"</article></body></html>" if "html" in ctype else text).encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                            http_headers=http))
    data = buf.getvalue()
    path.write_bytes(data[: len(data) - cut] if cut else data)
    return path


def _code(args: list[str], tmp_path: Path):
    """``dotterel code`` output (metas, events) and its ``skipped`` lines."""
    out = tmp_path / "code.jsonl"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["code", *args, "-o", str(out), "--workers", "1"]) == 0
    lines = [json.loads(ln) for ln in out.read_text().splitlines()]
    skipped = [ln.split(": ", 2)[1:] for ln in err.getvalue().splitlines()
               if ln.startswith("dotterel: skipped ")]
    return ([d for d in lines if d.get("doc_meta")],
            [d for d in lines if not d.get("doc_meta")], skipped)


def test_warc_file_equals_dotterel_code(spark, tmp_path):
    from dotterel.spark import event_record, run_spark

    reprint = WARC_TEXTS[0].replace("on Monday", "on Monday, officials said")
    f = _warc(tmp_path / "crawl.warc", [
        ("https://example.org/xi-macron", "text/html; charset=utf-8", WARC_TEXTS[0]),
        ("https://example.org/logo.png", "image/png", "\x89PNG"),
        ("https://example.org/kishida-modi.txt", "text/plain", WARC_TEXTS[1]),
        ("https://example.net/xi-macron", "text/plain", reprint),
    ])
    metas, code_events, skipped = _code([str(f)], tmp_path)
    # numbered among the file's response records (the image is #2)
    assert [m["doc"] for m in metas] == ["crawl.warc#1", "crawl.warc#3", "crawl.warc#4"]
    assert metas[2]["duplicate_of"] == "crawl.warc#1" and not skipped
    counts = run_spark(spark, str(f), str(tmp_path / "out"), partitions=2)
    assert counts["articles"] == 3 and counts["rejected"] == 0
    got = [event_record(r) for r in _rows(tmp_path / "out" / "events")]
    assert len(code_events) >= 2
    assert sorted(got, key=lambda d: d["id"]) == sorted(code_events, key=lambda d: d["id"])
    rows = sorted(_rows(tmp_path / "out" / "doc_meta"), key=lambda r: r["seq"])
    for r, m in zip(rows, metas, strict=True):
        for k in ("doc", "article_id", "story_date", "url", "duplicate_of"):
            assert r[k] == m.get(k), (m["doc"], k)


def test_warc_directory_reports_truncated_record(spark, tmp_path):
    """A directory of WARC files (read in path order, as ``dotterel code
    --format warc`` reads it): the record cut at the end of one file is a
    row of OUTPUT/rejected with the reason ``dotterel code`` gives, and the
    whole records are coded, near-duplicates across files found."""
    from dotterel.spark import run_spark

    root = tmp_path / "crawl"
    (root / "b").mkdir(parents=True)
    _warc(root / "a.warc.gz", [("https://example.org/1", "text/plain", WARC_TEXTS[0]),
                               ("https://example.org/2", "text/plain", WARC_TEXTS[2])])
    _warc(root / "b" / "CUT.WARC", [           # upper case: read all the same
        ("https://example.net/1", "text/plain", WARC_TEXTS[0] + " Talks will resume."),
        ("https://example.net/2", "text/plain", WARC_TEXTS[1])], cut=40)
    metas, code_events, skipped = _code(["--format", "warc", str(root)], tmp_path)
    assert [m["doc"] for m in metas] == ["a.warc.gz#1", "a.warc.gz#2", "CUT.WARC#1"]
    assert metas[2]["duplicate_of"] == "a.warc.gz#1"
    assert len(skipped) == 1 and "truncated" in skipped[0][1]

    counts = run_spark(spark, str(root), str(tmp_path / "out"), partitions=2)
    assert (counts["articles"], counts["rejected"]) == (3, 1)
    rej = _rows(tmp_path / "out" / "rejected")
    name, reason = skipped[0]
    assert [r["reason"] for r in rej] == [reason]
    # named by the file's URI as Spark lists it, at the same offset
    assert rej[0]["name"].endswith(name.rpartition("/")[2]) and rej[0]["seq"] == 3
    rows = sorted(_rows(tmp_path / "out" / "doc_meta"), key=lambda r: r["seq"])
    assert [(r["doc"], r["seq"], r["duplicate_of"]) for r in rows] == \
        [(m["doc"], i, m["duplicate_of"]) for i, m in enumerate(metas)]
    assert counts["events"] == len(code_events)
