#!/usr/bin/env python3
"""Fault injection (issue 7): bad input never costs good data.

Three parts, each printing its figures (and ``--json FILE`` keeps them):

1. ``corpus``: generate N documents from short English reports written here
   (names, places, acts and days varied programmatically, every text
   unique), with ``--bad-share`` of them bad inputs of the kinds issue 7
   lists: binary, empty, one 50 MB single-line file, invalid UTF-8, cp1251
   and latin-1 (non-English), HTML with scripts, a JSON Lines line that is
   not JSON, a CSV row with a missing column, a truncated WARC record, a
   non-English article, punctuation only.  Good reports go to ``*.txt``
   files, and a few also as records inside the JSONL / CSV / WARC files that
   carry the bad line, row and record.
2. ``ingest``: every document through ingest + clean (``iter_articles`` and
   ``clean_article``) - zero crashes, every bad input reported with file,
   position and reason, every good one read.  ``code``: ``dotterel run`` on
   a sample (``--code-sample`` good documents plus one of every bad kind)
   - zero crashes, every good document coded (the count equals the number
   of good inputs), every bad one listed with its reason.  ``full``:
   ``dotterel run --workers N`` on the whole corpus, the same checks over
   all N documents.
3. ``kill``: ``dotterel run`` on ``--kill-docs`` documents, killed with
   SIGKILL at a random point ``--kills`` times, each time run again to the
   end; the stored event-id set must equal an uninterrupted run's.

Usage::

    .venv/bin/python scripts/fault_injection.py --n 100000 --code-sample 400 \\
        --kills 20 --kill-docs 150 --out /tmp/fault --json /tmp/fault.json
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ------------------------------------------------------------------ texts
PEOPLE = [("Ilham Aliyev", "Azerbaijani President"), ("Nikol Pashinyan", "Armenian Prime Minister"),
          ("Kassym-Jomart Tokayev", "Kazakh President"), ("Shavkat Mirziyoyev", "Uzbek President"),
          ("Recep Tayyip Erdogan", "Turkish President"), ("Vladimir Putin", "Russian President"),
          ("Emmanuel Macron", "French President"), ("Olaf Scholz", "German Chancellor"),
          ("Sadyr Japarov", "Kyrgyz President"), ("Emomali Rahmon", "Tajik President"),
          ("Jeyhun Bayramov", "Azerbaijani Foreign Minister"),
          ("Ararat Mirzoyan", "Armenian Foreign Minister"),
          ("Hakan Fidan", "Turkish Foreign Minister"), ("Sergey Lavrov", "Russian Foreign Minister")]
PLACES = ["Baku", "Yerevan", "Astana", "Tashkent", "Ankara", "Moscow", "Paris", "Berlin",
          "Bishkek", "Dushanbe", "Brussels", "Geneva", "Vienna", "Abu Dhabi"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "yesterday",
        "last week", "on March {d}", "on {d} April"]
TOPICS = ["trade", "energy cooperation", "the peace process", "border security", "transport links",
          "water management", "regional stability", "investment", "education exchanges"]
TEMPLATES = [
    "{t1} {p1} met {t2} {p2} in {place} {day} to discuss {topic}.",
    "{t1} {p1} received {t2} {p2} in {place} {day}. The two sides discussed {topic}.",
    "{t1} {p1} held a phone call with {t2} {p2} {day}, discussing {topic}.",
    "{t1} {p1} praised {t2} {p2} for progress on {topic} during talks in {place} {day}.",
    "{t1} {p1} and {t2} {p2} signed an agreement on {topic} in {place} {day}.",
    "{t1} {p1} accused {t2} {p2} of blocking talks on {topic} {day}.",
    "{t1} {p1} visited {place} {day} for talks with {t2} {p2} on {topic}.",
]
FILLER = ["Officials said the meeting was constructive.", "No further details were released.",
          "The talks are expected to continue next month.",
          "Both sides stressed the importance of dialogue.", "Reporters were not allowed in."]
FOREIGN = {
    "es": "El presidente del Gobierno se reunió con el ministro de Asuntos Exteriores en Madrid "
          "el lunes para hablar de la cooperación económica y de la seguridad regional.",
    "de": "Der Bundeskanzler traf sich am Montag in Berlin mit dem Außenminister, um über die "
          "wirtschaftliche Zusammenarbeit und die regionale Sicherheit zu sprechen.",
}
RU = ("Президент России встретился с президентом Казахстана в Москве во вторник. Стороны "
      "обсудили торговлю, энергетику и региональную безопасность.")
FR = ("Le président français a reçu le chancelier allemand à Paris mercredi; ils ont discuté "
      "de l'Europe, de la défense et de l'énergie.")


def good_text(i: int, rnd: random.Random) -> str:
    (p1, t1), (p2, t2) = rnd.sample(PEOPLE, 2)
    day = rnd.choice(DAYS).format(d=rnd.randint(1, 28))
    s = rnd.choice(TEMPLATES).format(t1=t1, p1=p1, t2=t2, p2=p2, place=rnd.choice(PLACES),
                                    day=day, topic=rnd.choice(TOPICS))
    extra = " ".join(rnd.sample(FILLER, rnd.randint(0, 2)))
    # a serial makes every text (and so every content id) unique
    return f"{s} {extra}\nReport {i} of the fault-injection corpus.\n"


# ------------------------------------------------------------------ corpus
BAD_KINDS = ["binary", "empty", "huge_line", "invalid_utf8", "cp1251", "latin1", "html_script",
             "jsonl_bad_line", "csv_missing_column", "warc_truncated", "non_english", "punctuation"]
# what a run must do with each kind: 'reject' = reported with a reason and
# skipped; 'foreign' = read, stored with its language, not coded;
# 'sanitise' = read with the scripts gone and coded; the structured kinds
# reject one line/row/record and read the good ones around it.
EXPECT = {"binary": "reject", "empty": "reject", "huge_line": "reject", "invalid_utf8": "reject",
          "cp1251": "foreign", "latin1": "foreign", "html_script": "sanitise",
          "jsonl_bad_line": "reject", "csv_missing_column": "reject",
          "warc_truncated": "reject", "non_english": "foreign", "punctuation": "reject"}


def _warc_record(url: str, body: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Date: 2024-03-06T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{abs(hash(url)):032x}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def make_corpus(out: Path, n: int, bad_share: float, seed: int, huge_mb: int) -> dict:
    """Write the corpus; return its manifest (good inputs, bad inputs by kind)."""
    rnd = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    n_bad = max(len(BAD_KINDS), round(n * bad_share))
    kinds = [BAD_KINDS[i % len(BAD_KINDS)] for i in range(n_bad)]
    # one 50 MB file is enough (the "a 50 MB single-line file")
    kinds = [k if k != "huge_line" else "invalid_utf8" for k in kinds]
    kinds[BAD_KINDS.index("huge_line")] = "huge_line"
    rnd.shuffle(kinds)
    bad_at = dict(zip(sorted(rnd.sample(range(n), n_bad)), kinds))
    manifest = {"n": n, "bad": [], "good": 0, "good_in_records": 0, "foreign": 0}
    serial = 0
    for i in range(n):
        sub = out / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        kind = bad_at.get(i)
        if kind is None:
            (sub / f"doc{i:06d}.txt").write_text(good_text(serial, rnd), encoding="utf-8")
            serial += 1
            manifest["good"] += 1
            continue
        name = sub / f"bad{i:06d}_{kind}"
        if kind == "binary":
            name = name.with_suffix(".txt")
            name.write_bytes(bytes(rnd.randrange(256) for _ in range(4096)))
        elif kind == "empty":
            name = name.with_suffix(".txt")
            name.write_bytes(b"")
        elif kind == "huge_line":
            name = name.with_suffix(".txt")
            with open(name, "wb") as fh:
                chunk = b"word " * 200_000          # 1 MB, no newline
                for _ in range(huge_mb):
                    fh.write(chunk)
        elif kind == "invalid_utf8":
            name = name.with_suffix(".txt")
            name.write_bytes(bytes(rnd.choice([0x80, 0x81, 0xfe, 0xff, 0xc3, 0xa0])
                                   for _ in range(600)))
        elif kind == "cp1251":
            name = name.with_suffix(".txt")
            name.write_bytes(f"{RU} ({i})\n".encode("cp1251"))
        elif kind == "latin1":
            name = name.with_suffix(".txt")
            name.write_bytes(f"{FR} ({i})\n".encode("latin-1"))
        elif kind == "non_english":
            name = name.with_suffix(".txt")
            name.write_text(f"{rnd.choice(list(FOREIGN.values()))} ({i})\n", encoding="utf-8")
        elif kind == "punctuation":
            name = name.with_suffix(".txt")
            name.write_text("".join(rnd.choice("!?.,;:-()[]*&%$#@") for _ in range(500)) + "\n")
        elif kind == "html_script":
            name = name.with_suffix(".html")
            body = good_text(serial, rnd)
            serial += 1
            name.write_text("<html><head><title>Talks</title><script>alert('x')</script></head>"
                            f"<body><article><p>{body}</p><img src=x onerror=\"alert(1)\">"
                            "<a href=\"javascript:alert(1)\">more</a></article></body></html>",
                            encoding="utf-8")
            manifest["good"] += 1            # a valid page: coded, scripts gone
        elif kind == "jsonl_bad_line":
            name = name.with_suffix(".jsonl")
            lines = [json.dumps({"id": f"j{i}-{k}", "text": good_text(serial + k, rnd)})
                     for k in range(3)]
            serial += 3
            lines.insert(1, "{this is not json")
            name.write_text("\n".join(lines) + "\n", encoding="utf-8")
            manifest["good_in_records"] += 3
        elif kind == "csv_missing_column":
            name = name.with_suffix(".csv")
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(["id", "text", "date"])
            for k in range(3):
                w.writerow([f"c{i}-{k}", good_text(serial + k, rnd), "2024-03-06"])
            serial += 3
            w.writerow([f"c{i}-short"])                   # the missing columns
            name.write_text(buf.getvalue(), encoding="utf-8")
            manifest["good_in_records"] += 3
        elif kind == "warc_truncated":
            name = name.with_suffix(".warc")
            good = _warc_record(f"http://example.org/{i}/a", good_text(serial, rnd).encode())
            serial += 1
            cut = _warc_record(f"http://example.org/{i}/b", good_text(serial, rnd).encode())
            serial += 1
            name.write_bytes(good + cut[: len(cut) // 2])
            manifest["good_in_records"] += 1
        manifest["foreign"] += EXPECT[kind] == "foreign"
        manifest["bad"].append({"path": str(name), "kind": kind})
    return manifest


def _all_paths(out: Path, manifest: dict) -> list[str]:
    """The inputs as a run is given them: the folders (their *.txt) plus the
    structured and HTML files named one by one."""
    extra = [b["path"] for b in manifest["bad"] if not b["path"].endswith(".txt")]
    return [str(d) for d in sorted(out.iterdir()) if d.is_dir()] + extra


# ------------------------------------------------------------------ part 2a
def ingest_and_clean(out: Path, manifest: dict) -> dict:
    from dotterel.clean import clean_article
    from dotterel.ingest import BadInput, iter_articles
    from dotterel.model import Article

    t0 = time.perf_counter()
    n_art = n_bad = n_crash = n_en = 0
    reasons: Counter[str] = Counter()
    listed = []
    try:
        for item in iter_articles(_all_paths(out, manifest)):
            if isinstance(item, BadInput):
                n_bad += 1
                reasons[item.reason.split(" (")[0]] += 1
                listed.append(f"{item.name}: {item.reason}")
                continue
            try:
                clean_article(item)
            except Exception as exc:   # counted: the goal is zero
                n_crash += 1
                listed.append(f"{item.doc}: CRASH {type(exc).__name__}: {exc}")
                continue
            n_art += 1
            n_en += item.language == "en"
    except Exception as exc:
        n_crash += 1
        listed.append(f"iter_articles CRASH {type(exc).__name__}: {exc}")
    secs = time.perf_counter() - t0
    expected_good = manifest["good"] + manifest["good_in_records"]
    return {"documents": manifest["n"], "seconds": round(secs, 1),
            "docs_per_s": round((n_art + n_bad) / secs, 1), "articles_read": n_art,
            "english_read": n_en, "expected_english": expected_good,
            "bad_reported": n_bad, "crashes": n_crash, "reasons": dict(reasons),
            "bad_listed_sample": listed[:40]}


# ------------------------------------------------------------------ part 2b
def run_cli(paths: list[str], db: Path, extra: list[str] = (),
            workers_set: bool = False) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "dotterel.cli", "run", *paths, "--db", str(db),
           *([] if workers_set else ["--workers", "1"]), *extra]
    return subprocess.run(cmd, capture_output=True, text=True)


def code_sample(out: Path, manifest: dict, n_good: int, work: Path) -> dict:
    """``dotterel run`` on n_good good .txt documents plus one of every bad kind."""
    from dotterel.store import Store

    sample = work / "sample"
    if sample.exists():
        shutil.rmtree(sample)
    sample.mkdir(parents=True)
    goods = sorted(out.glob("d*/doc*.txt"))[:n_good]
    for p in goods:
        shutil.copy(p, sample / p.name)
    picked, seen = [], set()
    for b in manifest["bad"]:
        if b["kind"] not in seen:
            seen.add(b["kind"])
            picked.append(b)
    named = []
    expected = len(goods)
    for b in picked:
        src = Path(b["path"])
        if src.suffix == ".txt":
            shutil.copy(src, sample / src.name)
        else:
            named.append(str(src))
        expected += {"html_script": 1, "jsonl_bad_line": 3, "csv_missing_column": 3,
                     "warc_truncated": 1}.get(b["kind"], 0)
    db = work / "sample.duckdb"
    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    p = run_cli([str(sample), *named], db)
    secs = time.perf_counter() - t0
    skipped = [ln for ln in p.stderr.splitlines() if ln.startswith("dotterel: skipped")]
    with Store(db, read_only=True) as st:
        langs = Counter(r[0] for r in st.con.execute("SELECT language FROM articles").fetchall())
        n_events = st.counts()["mentions"]
        html_texts = [r[0] for r in st.con.execute(
            "SELECT text FROM articles WHERE doc LIKE '%html%'").fetchall()]
    coded_en = langs.get("en", 0)
    return {"good_inputs": expected, "english_coded": coded_en,
            "all_good_coded": coded_en == expected, "stored_by_language": dict(langs),
            "events": n_events, "exit_code": p.returncode,
            "traceback": "Traceback" in p.stderr, "seconds": round(secs, 1),
            "html_scripts_gone": all("alert" not in t for t in html_texts) and bool(html_texts),
            "bad_listed": skipped, "summary": p.stderr.strip().splitlines()[-1:]}


# ------------------------------------------------------------------ part 2c
def code_all(out: Path, manifest: dict, work: Path, workers: int, batch: int) -> dict:
    """``dotterel run`` on the whole corpus, bad inputs included: every good
    document must end up coded in the store, every bad one on a stderr line."""
    from dotterel.store import Store

    db = work / "full.duckdb"
    for f in (db, db.with_name(db.name + ".wal")):
        f.unlink(missing_ok=True)
    t0 = time.perf_counter()
    p = run_cli(_all_paths(out, manifest), db,
                ["--workers", str(workers), "--batch", str(batch)], workers_set=True)
    secs = time.perf_counter() - t0
    skipped = [ln for ln in p.stderr.splitlines() if ln.startswith("dotterel: skipped")]
    with Store(db, read_only=True) as st:
        langs = Counter(r[0] for r in st.con.execute("SELECT language FROM articles").fetchall())
        counts = st.counts()
        n_coded_en = st.con.execute(
            "SELECT count(DISTINCT article_id) FROM mentions").fetchone()[0]
    expected = manifest["good"] + manifest["good_in_records"]
    rejected = sum(EXPECT[b["kind"]] == "reject" for b in manifest["bad"])
    reasons = Counter(ln.split(": ", 2)[-1].split(" (")[0] for ln in skipped)
    return {"inputs": manifest["n"], "good_inputs": expected,
            "english_stored": langs.get("en", 0), "all_good_coded": langs.get("en", 0) == expected,
            "articles_with_events": n_coded_en, "foreign_stored": sum(
                v for k, v in langs.items() if k != "en"), "foreign_planted": manifest["foreign"],
            "bad_planted_rejectable": rejected, "skipped_lines": len(skipped),
            "skip_reasons": dict(reasons), "mentions": counts["mentions"],
            "exit_code": p.returncode, "traceback": "Traceback" in p.stderr,
            "seconds": round(secs, 1), "articles_per_s": round(expected / secs, 1),
            "workers": workers, "summary": p.stderr.strip().splitlines()[-1:]}


# ------------------------------------------------------------------ part 3
def kill_loop(out: Path, n_docs: int, kills: int, work: Path, seed: int,
              batch: int, budget_s: float) -> dict:
    from dotterel.store import Store

    rnd = random.Random(seed)
    src = work / "killdocs"
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    for p in sorted(out.glob("d*/doc*.txt"))[:n_docs]:
        shutil.copy(p, src / p.name)

    def ids(db: Path) -> tuple[set, int, int]:
        with Store(db, read_only=True) as st:
            rows = [r[0] for r in st.con.execute("SELECT id FROM mentions").fetchall()]
            n_art = st.counts()["articles"]
        return set(rows), len(rows), n_art

    ref = work / "ref.duckdb"
    ref.unlink(missing_ok=True)
    t0 = time.perf_counter()
    p = run_cli([str(src)], ref, ["--batch", str(batch)])
    t_ref = time.perf_counter() - t0
    assert p.returncode == 0, p.stderr[-2000:]
    ref_ids, ref_rows, ref_arts = ids(ref)
    results = []
    start = time.perf_counter()
    for k in range(kills):
        if time.perf_counter() - start > budget_s:
            break
        db = work / f"kill{k}.duckdb"
        db.unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-m", "dotterel.cli", "run", str(src),
                                 "--db", str(db), "--workers", "1", "--batch", str(batch)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # kill after the first committed batch, at a random point of the rest
        # (a kill during model loading would test nothing)
        for line in proc.stderr:
            if line.startswith("dotterel: committed"):
                break
        at = rnd.uniform(0, max(0.1, t_ref * 0.3))
        time.sleep(at)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        partial = ids(db)[2] if db.exists() else 0
        p2 = run_cli([str(src)], db, ["--batch", str(batch)])
        got, rows, arts = ids(db)
        results.append({"kill_at_s": round(at, 2), "killed": killed,
                        "articles_before_rerun": partial, "rerun_rc": p2.returncode,
                        "identical": got == ref_ids and rows == ref_rows and arts == ref_arts,
                        "duplicates": rows - len(got), "missing": len(ref_ids - got),
                        "extra": len(got - ref_ids)})
        db.unlink(missing_ok=True)
    return {"documents": n_docs, "batch": batch, "reference_events": len(ref_ids),
            "reference_articles": ref_arts, "reference_seconds": round(t_ref, 1),
            "runs": len(results), "killed_midway": sum(r["killed"] for r in results),
            "identical": sum(r["identical"] for r in results), "detail": results}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="documents to generate")
    ap.add_argument("--bad-share", type=float, default=0.01)
    ap.add_argument("--huge-mb", type=int, default=50, help="size of the one-line file")
    ap.add_argument("--code-sample", type=int, default=400,
                    help="good documents `dotterel run` codes in part 2b")
    ap.add_argument("--full-workers", type=int, default=2,
                    help="`dotterel run --workers` for part 'full' (the whole corpus coded)")
    ap.add_argument("--full-batch", type=int, default=1000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--kill-docs", type=int, default=150)
    ap.add_argument("--kill-batch", type=int, default=10)
    ap.add_argument("--kill-budget", type=float, default=600, help="seconds for part 3")
    ap.add_argument("--out", type=Path, default=Path("/tmp/dotterel_fault"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--parts", default="ingest,code,kill",
                    help="comma-separated: ingest, code (a sample), full (all), kill")
    args = ap.parse_args(argv)
    parts = set(args.parts.split(","))
    work = args.out / "work"
    corpus = args.out / "corpus"
    t0 = time.perf_counter()
    manifest = make_corpus(corpus, args.n, args.bad_share, args.seed, args.huge_mb)
    work.mkdir(parents=True, exist_ok=True)
    report = {"corpus": {"documents": args.n, "bad": len(manifest["bad"]),
                         "bad_by_kind": dict(Counter(b["kind"] for b in manifest["bad"])),
                         "good_txt_or_html": manifest["good"],
                         "good_records_beside_bad_lines": manifest["good_in_records"],
                         "seconds": round(time.perf_counter() - t0, 1)}}
    print(json.dumps(report["corpus"]), flush=True)
    if "ingest" in parts:
        report["ingest_clean"] = ingest_and_clean(corpus, manifest)
        print(json.dumps({k: v for k, v in report["ingest_clean"].items()
                          if k != "bad_listed_sample"}), flush=True)
    if "code" in parts:
        report["code"] = code_sample(corpus, manifest, args.code_sample, work)
        print(json.dumps({k: v for k, v in report["code"].items() if k != "bad_listed"}),
              flush=True)
        for ln in report["code"]["bad_listed"]:
            print("  " + ln)
    if "full" in parts:
        report["full"] = code_all(corpus, manifest, work, args.full_workers, args.full_batch)
        print(json.dumps(report["full"]), flush=True)
    if "kill" in parts:
        report["kill"] = kill_loop(corpus, args.kill_docs, args.kills, work, args.seed,
                                   args.kill_batch, args.kill_budget)
        print(json.dumps({k: v for k, v in report["kill"].items() if k != "detail"}),
              flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    ok = (report.get("ingest_clean", {}).get("crashes", 0) == 0
          and report.get("code", {}).get("all_good_coded", True)
          and report.get("full", {}).get("all_good_coded", True)
          and report.get("kill", {}).get("identical", 0) == report.get("kill", {}).get("runs", 0))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
