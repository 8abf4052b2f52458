"""Coding many articles: ``pipeline.code_articles`` (batched parse, process
pool) gives every article exactly the events ``code_article`` gives it, in
input order, and ``dotterel run --workers N`` stores the same whatever N."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import duckdb
import pytest

from dotterel.cli import main
from dotterel.ingest import BadInput, iter_articles
from dotterel.pipeline import code_article, code_articles

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def articles():
    return [a for a in iter_articles([EXAMPLES]) if not isinstance(a, BadInput)]


@pytest.fixture(scope="module")
def reference():
    return [(a.doc, [e.to_dict() for e in code_article(a)]) for a in articles()]


def test_batched_parse_matches_code_article(reference):
    got = [(a.doc, [e.to_dict() for e in evs])
           for a, evs in code_articles(articles(), workers=1, batch_size=5)]
    assert got == reference
    assert sum(len(e) for _, e in reference) > 0


def test_pool_matches_code_article_in_order(reference):
    # batches of 3 over 2 workers: several batches in flight, results in order
    got = [(a.doc, [e.to_dict() for e in evs])
           for a, evs in code_articles(articles(), workers=2, batch_size=3)]
    assert got == reference


def test_failed_article_is_reported_and_skipped(monkeypatch, reference):
    from dotterel import events
    real = events.extract
    bad = reference[2][0]

    def extract(doc, article, kb):
        if article.doc == bad:
            raise ValueError("boom")
        return real(doc, article, kb)

    monkeypatch.setattr(events, "extract", extract)
    errors = []
    got = [(a.doc, [e.to_dict() for e in evs])
           for a, evs in code_articles(articles(), batch_size=4,
                                       on_error=lambda n, r: errors.append((n, r)))]
    assert errors == [(bad, "coding failed: ValueError: boom")]
    assert got == [r for r in reference if r[0] != bad]


def _dump(db: Path):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (con.execute("SELECT * EXCLUDE (coded_at) FROM articles ORDER BY id").fetchall(),
                con.execute("SELECT * FROM mentions ORDER BY id").fetchall())
    finally:
        con.close()


def test_run_with_two_workers_stores_what_one_does(tmp_path, monkeypatch):
    import dotterel.pipeline as pl
    monkeypatch.setattr(pl, "_BATCH", 4)    # 16 examples: 4 batches over 2 workers
    dbs = {}
    for n in (1, 2):
        dbs[n] = tmp_path / f"w{n}.duckdb"
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            assert main(["run", str(EXAMPLES), "--db", str(dbs[n]), "--workers", str(n)]) == 0
        assert "16 coded" in err.getvalue()
    one, two = _dump(dbs[1]), _dump(dbs[2])
    assert len(one[0]) == 16 and len(one[1]) > 0
    assert one == two
