"""Two processes on one database.  DuckDB lets one process open a file while
a writer has it, so ``dotterel run`` holds the file only to write each batch
and holds ``<db>.lock`` for the whole run: a second ``dotterel run`` refuses
at once with a one-line message naming the holder, exits 1, and leaves the
store intact, while readers (``dotterel events``, the server) get in between
batches.  A process holding the file itself for longer than the readers'
wait (``DOTTEREL_LOCK_WAIT``) gets a one-line refusal too."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from dotterel import cli
from dotterel.store import Store

TEXT = ("Azerbaijani President Ilham Aliyev met Armenian Prime Minister Nikol Pashinyan in "
        "Brussels on Friday.\n")
TEXT2 = ("Kazakh President Kassym-Jomart Tokayev received Uzbek Foreign Minister Bakhtiyor "
         "Saidov in Astana on Monday.\n")


def _hold(db, seconds: float, file: bool = False) -> subprocess.Popen:
    """Another process holding ``db`` as a running ``dotterel run`` does
    (its run lock), or, with ``file``, holding the database file itself open
    for writing; ready once it prints 'held'."""
    code = textwrap.dedent(f"""
        import sys, time
        from dotterel.store import Store, run_lock
        with run_lock({str(db)!r}):
            st = Store({str(db)!r}) if {file!r} else None
            print("held", flush=True)
            time.sleep({seconds})
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def test_second_writer_refuses_with_a_clear_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DOTTEREL_LOCK_WAIT", "1")
    db = tmp_path / "c.duckdb"
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT2)
    assert cli.main(["run", str(tmp_path / "a.txt"), "--db", str(db), "--workers", "1"]) == 0
    capsys.readouterr()
    holder = _hold(db, 60)
    try:
        t0 = time.perf_counter()
        rc = cli.main(["run", str(tmp_path / "b.txt"), "--db", str(db), "--workers", "1"])
        err = capsys.readouterr().err
        assert time.perf_counter() - t0 < 10, "refuses at once, does not wait or hang"
        assert rc == 1
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1, err
        assert f"is in use by another process (PID {holder.pid})" in lines[0]
        assert "one process" in lines[0] and "Traceback" not in err
        # a reader is not kept out by a run between its batches
        assert cli.main(["events", "--db", str(db)]) == 0
        assert "1 shown of" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    # a process keeping the file itself open: the reader waits DOTTEREL_LOCK_WAIT, then
    # refuses with one line naming it
    holder = _hold(db, 60, file=True)
    try:
        t0 = time.perf_counter()
        assert cli.main(["events", "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert 0.9 < time.perf_counter() - t0 < 10
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and "Traceback" not in err, err
        assert f"is in use by another process (PID {holder.pid})" in lines[0]
    finally:
        holder.kill()
        holder.wait()
    # the store is intact and the refused run, repeated, codes the new article
    with Store(db, read_only=True) as st:
        assert st.counts()["articles"] == 1
    assert cli.main(["run", str(tmp_path / "b.txt"), "--db", str(db), "--workers", "1"]) == 0
    with Store(db, read_only=True) as st:
        assert st.counts()["articles"] == 2


def test_two_runs_at_once_end_with_every_article(tmp_path):
    """Two real ``dotterel run`` processes started together on one database:
    one runs, the other refuses (or, if the first is done, runs after it);
    none crashes with a traceback, and running the refused one again stores
    everything."""
    db = tmp_path / "two.duckdb"
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "a.txt").write_text(TEXT)
    (b / "b.txt").write_text(TEXT2)
    exe = [sys.executable, "-m", "dotterel.cli", "run", "--db", str(db), "--workers", "1"]
    procs = [subprocess.Popen(exe + [str(d)], stderr=subprocess.PIPE, text=True)
             for d in (a, b)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stderr.close()
    for rc, err in results:
        assert "Traceback" not in err, err
        assert rc == 0 or (rc == 1 and "is in use by another process" in err), err
    assert any(rc == 0 for rc, _ in results)
    for (rc, _), d in zip(results, (a, b)):
        if rc:
            assert subprocess.run(exe + [str(d)], capture_output=True).returncode == 0
    with Store(db, read_only=True) as st:
        assert st.counts()["articles"] == 2
