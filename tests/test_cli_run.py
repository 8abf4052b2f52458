"""`dotterel run`: code files into the store, once each.

These tests assert what the command does with files and the store, not
which events the coder finds (that is the coder's own tests' business).
"""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from dotterel.cli import main
from dotterel.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

TEXT_A = ("The foreign minister of Norway met his Swedish counterpart in Oslo on Tuesday.\n"
          "They agreed to expand cooperation on energy and border security.\n")
TEXT_B = ("Police in the capital detained a dozen protesters on Friday after a march "
          "against higher fuel prices turned violent.\n")


def summary(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("dotterel run:")]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("run") / "demo.duckdb"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = main(["run", str(EXAMPLES), "--db", str(db)])
    return db, rc, err.getvalue()


def test_examples_corpus_is_there():
    files = sorted(EXAMPLES.glob("*.txt"))
    assert len(files) >= 12
    for f in files:
        words = len(f.read_text(encoding="utf-8").split())
        assert 80 <= words <= 250, (f.name, words)


def test_run_stores_every_example(examples_db):
    db, rc, err = examples_db
    n = len(list(EXAMPLES.glob("*.txt")))
    assert rc == 0
    line = summary(err)
    assert f"read {n} article(s): {n} coded, 0 already stored, 0 skipped" in line
    with Store(db, read_only=True) as st:
        assert st.counts()["articles"] == n
        docs = {r[0] for r in st.con.execute("SELECT doc FROM articles").fetchall()}
        written = int(re.search(r"; (\d+) event\(s\) written", line).group(1))
        assert st.counts()["mentions"] == written
    assert docs == {f.name for f in EXAMPLES.glob("*.txt")}


def test_rerun_adds_nothing(examples_db, capsys):
    db, _, _ = examples_db
    with Store(db, read_only=True) as st:
        before = st.counts()
    assert main(["run", str(EXAMPLES), "--db", str(db)]) == 0
    line = summary(capsys.readouterr().err)
    n = before["articles"]
    assert f"{n} article(s): 0 coded, {n} already stored" in line
    assert "; 0 event(s) written" in line
    with Store(db, read_only=True) as st:
        assert st.counts() == before


def test_bad_files_are_skipped_with_reasons(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "blob.txt").write_bytes(b"\x00\x01\x02" * 50)
    db = tmp_path / "x.duckdb"
    assert main(["run", str(src), "--db", str(db)]) == 0
    err = capsys.readouterr().err
    line = summary(err)
    assert "read 1 article(s): 1 coded" in line
    assert "2 skipped (" in line and "empty file: 1" in line
    assert "empty.txt" in err and "blob.txt" in err
    with Store(db, read_only=True) as st:
        assert st.counts()["articles"] == 1


def test_same_text_under_two_names_is_stored_once(tmp_path, capsys):
    (tmp_path / "one.txt").write_text(TEXT_B, encoding="utf-8")
    (tmp_path / "two.txt").write_text(TEXT_B, encoding="utf-8")
    (tmp_path / "three.txt").write_text(TEXT_A, encoding="utf-8")
    db = tmp_path / "x.duckdb"
    assert main(["run", str(tmp_path / "one.txt"), str(tmp_path / "two.txt"),
                 str(tmp_path / "three.txt"), "--db", str(db)]) == 0
    line = summary(capsys.readouterr().err)
    assert "read 3 article(s): 2 coded, 1 already stored" in line
    with Store(db, read_only=True) as st:
        assert st.counts()["articles"] == 2


def test_nothing_readable_fails(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    assert main(["run", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"),
                 "--db", str(db)]) != 0
    line = summary(capsys.readouterr().err)
    assert "read 0 article(s)" in line and "2 skipped" in line


def test_unwritable_database_is_reported(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(TEXT_A, encoding="utf-8")
    # a directory where the database file should be
    (tmp_path / "db").mkdir()
    assert main(["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "db")]) == 1
    assert "cannot open" in capsys.readouterr().err
