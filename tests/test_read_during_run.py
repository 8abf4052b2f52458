"""Issue 7: the server and ``dotterel events`` read a store while a
``dotterel run`` writes it, without errors.

The run (a subprocess, committing every 2 articles) holds the database file
only while it writes a batch; the API (TestClient on the same file) and
``dotterel events`` open it per request and wait for a batch being written,
so every answer during the run is a 200 / exit 0, the counts they see only
grow, and at the end they equal what the run reports."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time

from fastapi.testclient import TestClient

from dotterel import cli
from dotterel.server import create_app
from dotterel.store import Store

PAIRS = [("Azerbaijani President Ilham Aliyev", "Armenian Prime Minister Nikol Pashinyan",
          "Brussels"),
         ("Kazakh President Kassym-Jomart Tokayev", "Uzbek President Shavkat Mirziyoyev",
          "Astana"),
         ("French President Emmanuel Macron", "German Chancellor Olaf Scholz", "Paris"),
         ("Japanese Prime Minister Fumio Kishida", "Indian Prime Minister Narendra Modi",
          "Tokyo"),
         ("Turkish President Recep Tayyip Erdogan", "Georgian Prime Minister Irakli Kobakhidze",
          "Ankara")]
VERBS = ["met", "held talks with", "hosted", "received"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _write_corpus(folder, n=20):
    folder.mkdir()
    for i in range(n):
        a, b, city = PAIRS[i % len(PAIRS)]
        verb, day = VERBS[i % len(VERBS)], DAYS[(i // len(PAIRS)) % len(DAYS)]
        c, d, city2 = PAIRS[(i + 2) % len(PAIRS)]
        text = (f"{city}, March {i + 1}, 2024\n\n{a} {verb} {b} in {city} on {day}, "
                f"the {i + 1}th meeting this year, officials said.\n\n"
                f"The two leaders discussed trade, energy and regional security "
                f"(session {i}). They signed an agreement on transport links and pledged "
                f"to expand cooperation in agriculture.\n\n"
                f"Separately, {c} called {d} on {day} to discuss the situation in the "
                f"region, and {d} accused the opposition of spreading false reports.\n\n"
                f"Police arrested {i + 3} protesters in {city2} on Saturday after a rally "
                f"against rising prices, local media reported.\n")
        (folder / f"a{i:02d}.txt").write_text(text)


def test_reads_during_a_run_never_fail(tmp_path, capsys):
    corpus, db = tmp_path / "corpus", tmp_path / "live.duckdb"
    _write_corpus(corpus)
    Store(db).close()     # an empty store, so the readers are up before the run starts
    errors: list[str] = []
    seen_articles: list[int] = []
    n_requests = n_events_calls = 0
    lines: list[str] = []

    def read_all(client) -> None:
        nonlocal n_requests, n_events_calls
        for url in ("/api/stats", "/api/events?limit=5", "/api/stats", "/api/dyads",
                    "/api/stats", "/api/timeline", "/api/stats", "/api/actors"):
            r = client.get(url)
            n_requests += 1
            if r.status_code != 200:
                errors.append(f"{url}: {r.status_code} {r.text[:200]}")
            elif url == "/api/stats":
                seen_articles.append(r.json()["articles"])
        rc = cli.main(["events", "--db", str(db), "--json", "--limit", "3"])
        out = capsys.readouterr()
        n_events_calls += 1
        if rc != 0 or "Traceback" in out.err:
            errors.append(f"dotterel events: rc {rc}: {out.err[-300:]}")
        else:
            assert all(json.loads(ln)["id"] for ln in out.out.splitlines())

    with TestClient(create_app(db)) as client:
        read_all(client)    # warm: imports and first queries done before the run
        proc = subprocess.Popen([sys.executable, "-m", "dotterel.cli", "run", str(corpus),
                                 "--db", str(db), "--batch", "2", "--workers", "1"],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                read_all(client)
            read_all(client)
            final = client.get("/api/stats").json()
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=60)
            reader.join(timeout=10)
    assert proc.returncode == 0, "".join(lines)
    assert not errors, errors[:5]
    summary = lines[-1]
    m = re.search(r"now holds (\d+) article\(s\), (\d+) event mention\(s\)", summary)
    assert m, summary
    assert final["articles"] == int(m.group(1)) == 20
    assert final["mentions"] == int(m.group(2)) > 0
    # the reads really happened while the run was writing, and never went backwards
    assert n_requests >= 20 and n_events_calls >= 4
    assert seen_articles == sorted(seen_articles)
    # (whether a read lands between two batch commits depends on timing, so
    # seeing a partly written store is not asserted; zero errors is)
    with Store(db, read_only=True) as st:
        assert st.counts() == {"articles": final["articles"], "mentions": final["mentions"]}
