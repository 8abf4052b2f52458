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
