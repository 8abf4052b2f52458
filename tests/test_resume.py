"""Kill-and-resume: a `dotterel run` killed after its first commit and run again
ends with exactly the store of an uninterrupted run (ids, counts, duplicates)."""
from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from pathlib import Path

from dotterel.cli import main
from dotterel.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _make_corpus(out: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_dup_corpus",
                                                  ROOT / "scripts" / "make_dup_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.make(out)


def _cmd(corpus, db):
    return [sys.executable, "-m", "dotterel.cli", "run", str(corpus), "--db", str(db),
            "--batch", "2", "--workers", "1"]


def _snapshot(db):
    with Store(db, read_only=True) as st:
        con = st.con
        return {
            "articles": con.execute("SELECT id, doc, seq, dup_root, duplicate_of FROM articles "
                                    "ORDER BY id").fetchall(),
            "mentions": con.execute("SELECT id, article_id, event_id FROM mentions "
                                    "ORDER BY id").fetchall(),
            "events": con.execute("SELECT id, event_type, date, mention_count, article_count "
                                  "FROM events ORDER BY id").fetchall(),
        }


def test_killed_run_resumes_to_the_same_store(tmp_path):
    corpus = tmp_path / "corpus"
    _make_corpus(corpus)
    for f in corpus.glob("s[45]_*.txt"):      # a smaller corpus keeps the test quick
        f.unlink()
    n_files = len(list(corpus.glob("*.txt")))

    full = tmp_path / "full.duckdb"
    # the uninterrupted run, in this process (the model may be loaded already)
    assert main(_cmd(corpus, full)[3:]) == 0

    db = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(_cmd(corpus, db), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True)
    killed = False
    try:
        for line in proc.stderr:
            if line.startswith("dotterel: committed"):
                proc.send_signal(signal.SIGKILL)
                killed = True
                break
    finally:
        proc.wait(timeout=60)
        proc.stderr.close()
    assert killed and proc.returncode == -signal.SIGKILL
    partial = _snapshot(db)
    # the first batch is there, not the whole corpus
    assert 0 < len(partial["articles"]) < n_files - 2

    again = subprocess.run(_cmd(corpus, db), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    n_full = len(_snapshot(full)["articles"])
    assert f"{n_full - len(partial['articles'])} coded" in again.stderr.splitlines()[-1]

    a, b = _snapshot(db), _snapshot(full)
    assert a == b
    assert len(a["events"]) < len(a["mentions"])          # reprints merged
    assert any(r[4] for r in a["articles"])               # duplicates marked
