"""Load check for `dotterel serve` (a script, not a test).

Starts `dotterel serve` on a free 127.0.0.1 port (a subprocess, store coded
from examples/ unless --db is given), then runs N concurrent clients for
D seconds per phase and prints requests/s, p50/p99 latency and errors:

- events: every client asks GET /api/events with varying filters and pages
- code:   every client posts one short news paragraph to POST /api/code
- mixed:  half the clients on each

Clients only ever connect to 127.0.0.1; each waits for its answer before
asking again (closed loop), so the load is bounded by N.  An error is any
answer other than 200, or a failed or timed-out request (30 s).

    .venv/bin/python bench/load_check.py                   # 50 clients, 30 s a phase
    .venv/bin/python bench/load_check.py --clients 10 --seconds 5 --phases events
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TYPES = ["CONSULT", "AGREE", "SUPPORT", "ACCUSE", "SANCTION", "PROTEST", "ASSAULT", None]
COUNTRIES = ["USA", "AZE", "ARM", "CHN", "RUS", "KEN", "UKR", None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def paragraphs() -> list[str]:
    """Paragraphs (lines of 80-600 chars) from the bundled examples."""
    out = []
    for f in sorted((ROOT / "examples").glob("*.txt")):
        for para in f.read_text(encoding="utf-8").splitlines():
            para = " ".join(para.split())
            if 80 <= len(para) <= 600:
                out.append(para)
    return out


def events_params(rng: random.Random) -> dict:
    p = {"limit": rng.choice([10, 50, 200]), "offset": rng.choice([0, 0, 10])}
    if t := rng.choice(TYPES):
        p["type"] = t
    if c := rng.choice(COUNTRIES):
        p["country"] = c
    if rng.random() < 0.3:
        p["since"] = rng.choice(["2023", "2024-04", "2025-01-01"])
    if rng.random() < 0.2:
        p["q"] = rng.choice(["peace", "sanctions", "border", "talks"])
    return p


async def client(base: str, kind: str, stop: float, rng: random.Random, texts: list[str],
                 lat: dict[str, list[float]], errors: dict[str, int], notes: list[str]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as http:
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                if kind == "events":
                    r = await http.get("/api/events", params=events_params(rng))
                else:
                    r = await http.post("/api/code", json={"text": rng.choice(texts),
                                                           "story_date": "2025-01-15"})
                ok = r.status_code == 200
                if not ok and len(notes) < 5:
                    notes.append(f"{kind}: HTTP {r.status_code} {r.text[:120]}")
            except Exception as exc:   # timeouts, resets: counted, noted
                ok = False
                if len(notes) < 5:
                    notes.append(f"{kind}: {type(exc).__name__}: {exc}")
            dt = time.perf_counter() - t0
            if ok:
                lat[kind].append(dt)
            else:
                errors[kind] += 1


async def phase(base: str, kinds: list[str], seconds: float, texts: list[str]) -> dict:
    lat = {"events": [], "code": []}
    errors = {"events": 0, "code": 0}
    notes: list[str] = []
    t0 = time.perf_counter()
    stop = t0 + seconds
    await asyncio.gather(*(client(base, k, stop, random.Random(i), texts, lat, errors, notes)
                           for i, k in enumerate(kinds)))
    wall = time.perf_counter() - t0
    res = {}
    for k in ("events", "code"):
        n = kinds.count(k)
        if not n:
            continue
        xs = sorted(lat[k])
        res[k] = {"clients": n, "ok": len(xs), "errors": errors[k],
                  "rps": len(xs) / wall,
                  "p50_ms": 1000 * statistics.median(xs) if xs else None,
                  "p99_ms": 1000 * xs[min(len(xs) - 1, int(0.99 * len(xs)))] if xs else None}
    return {"wall_s": wall, "endpoints": res, "notes": notes}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=None, help="store to serve (default: code examples/ into a temp one)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--phases", default="events,code,mixed")
    args = ap.parse_args()
    if args.clients > 200 or args.seconds > 120:
        ap.error("bounded: at most 200 clients and 120 s a phase")

    tmp = Path(tempfile.mkdtemp(prefix="dotterel_load_"))
    db = args.db
    dotterel = str(Path(sys.executable).parent / "dotterel")
    if db is None:
        db = str(tmp / "load.duckdb")
        subprocess.run([dotterel, "run", str(ROOT / "examples"), "--db", db], check=True,
                       stderr=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    srv = subprocess.Popen([dotterel, "serve", "--db", db, "--host", "127.0.0.1",
                            "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if srv.poll() is not None or time.time() > deadline:
                print("server did not start:", srv.stderr.read() if srv.stderr else "",
                      file=sys.stderr)
                return 1
            time.sleep(0.2)
        texts = paragraphs()
        n = args.clients
        plans = {"events": ["events"] * n, "code": ["code"] * n,
                 "mixed": ["events", "code"] * (n // 2) + ["events"] * (n % 2)}
        print(f"# load check: {n} clients, {args.seconds:g} s a phase, {base}, store {db}")
        print(f"# machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPU(s), "
              f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")
        print()
        print("| phase | endpoint | clients | requests/s | p50 ms | p99 ms | ok | errors |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        all_notes = []
        for name in [p.strip() for p in args.phases.split(",") if p.strip()]:
            r = asyncio.run(phase(base, plans[name], args.seconds, texts))
            for k, v in r["endpoints"].items():
                fmt = (lambda x: "-" if x is None else f"{x:.0f}")
                print(f"| {name} | {'GET /api/events' if k == 'events' else 'POST /api/code'} "
                      f"| {v['clients']} | {v['rps']:.1f} | {fmt(v['p50_ms'])} "
                      f"| {fmt(v['p99_ms'])} | {v['ok']} | {v['errors']} |", flush=True)
            all_notes += r["notes"]
        for note in all_notes:
            print("error:", note)
    finally:
        srv.terminate()
        try:
            srv.wait(10)
        except subprocess.TimeoutExpired:
            srv.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
