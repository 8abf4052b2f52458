"""Event-type accuracy on the PLOVER gold-standard records (``eval-gsr``).

The records (corpus/plover_gsr/PLOVER_GSR_CAMEO.json, a JSON array) are
single sentences labelled in PLOVER 0.5; their labels are mapped to PLOVER
0.8 with the ``old_labels`` table of data/plover.yaml (DEMAND -> REQUEST,
DISAPPROVE -> ACCUSE/disapprove, INVESTIGATE -> ACCUSE/investigate, FIGHT ->
ASSAULT). DOCUMENT records are comments and are skipped, as are records
with no text.

Each sentence is coded with ``dotterel.code_text(text, story_date=date)``,
all in this one process (the model loads once). Figures:

- ``any``:   the coder's events include the gold type (the headline);
- ``first``: the first event the coder returns has the gold type;
- ``none``:  share of sentences with no event at all;
- ``mode``:  where the gold mode is a PLOVER 0.8 mode of the gold type and
             an event of that type was found, whether one such event has it;
- per gold type: count, any/first right, none, and the types found instead.

Public API:
    plover_tables() -> dict                     (data/plover.yaml, cached)
    map_label(event, mode=None) -> (type, mode) (PLOVER 0.5 -> 0.8)
    load_gsr(path) -> list[dict]                (records with gold_type/gold_mode)
    score_gsr(records, coder=None) -> dict
    format_gsr(result, errors=0) -> str
    cli_eval_gsr(args) -> int
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from .pipeline import code_text

DATA = Path(__file__).resolve().parent / "data" / "plover.yaml"


@lru_cache(maxsize=1)
def plover_tables() -> dict[str, Any]:
    """The PLOVER 0.8 tables: ``types`` (modes, quad, score), ``contexts``,
    ``old_labels``."""
    with open(DATA, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def map_label(event: str, mode: Optional[str] = None) -> tuple[str, Optional[str]]:
    """Map a PLOVER 0.5 label (and its mode) to PLOVER 0.8 (type, mode).

    The old label's own mode (DISAPPROVE -> disapprove) wins; otherwise the
    given mode is kept when it is a PLOVER 0.8 mode of the new type, else
    None. An unknown label is returned upper-cased, unchanged."""
    tables = plover_tables()
    label = (event or "").strip().upper()
    old = tables["old_labels"].get(label)
    new_type = old["type"] if old else label
    if old and old.get("mode"):
        return new_type, old["mode"]
    modes = (tables["types"].get(new_type) or {}).get("modes") or []
    mode = (mode or "").strip() or None
    return new_type, mode if mode in modes else None


def load_gsr(path: str | Path) -> list[dict]:
    """The gold records with text, each with ``gold_type`` and ``gold_mode`` added."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON array of records")
    out = []
    for rec in data:
        if not isinstance(rec, dict) or rec.get("event") == "DOCUMENT":
            continue
        if not (rec.get("text") or "").strip():
            continue
        t, m = map_label(rec.get("event", ""), rec.get("mode"))
        out.append({**rec, "gold_type": t, "gold_mode": m})
    return out


def _ratio(a: int, b: int) -> Optional[float]:
    return a / b if b else None


def score_gsr(records: list[dict], coder: Optional[Callable] = None) -> dict[str, Any]:
    """Code every record's text and score event types against ``gold_type``.

    ``coder(text, story_date=...)`` returns events (objects with
    ``event_type`` and ``mode``, or dicts); default: ``dotterel.code_text``.
    A sentence whose coding raises counts as wrong and is listed in errors.
    """
    coder = coder or code_text
    n = any_right = first_right = none = failed = 0
    mode_n = mode_right = 0
    by_type: dict[str, Counter] = defaultdict(Counter)
    found_instead: dict[str, Counter] = defaultdict(Counter)
    errors: list[dict] = []
    t0 = time.perf_counter()
    for rec in records:
        gold = rec["gold_type"]
        n += 1
        by_type[gold]["n"] += 1
        try:
            evs = coder(rec["text"], story_date=rec.get("date") or None)
            found = [(_get(e, "event_type"), _get(e, "mode")) for e in evs]
            err = None
        except Exception as exc:  # a failing sentence is scored, not fatal
            found, err = [], f"{type(exc).__name__}: {exc}"
            failed += 1
        types = [t for t, _ in found]
        hit_any = gold in types
        hit_first = bool(types) and types[0] == gold
        any_right += hit_any
        first_right += hit_first
        by_type[gold]["any"] += hit_any
        by_type[gold]["first"] += hit_first
        if not types:
            none += 1
            by_type[gold]["none"] += 1
        if rec.get("gold_mode") and hit_any:
            mode_n += 1
            mode_right += any(t == gold and m == rec["gold_mode"] for t, m in found)
        if not hit_any:
            for t in (set(types) or {"(none)"}):
                found_instead[gold][t] += 1
            errors.append({"id": rec.get("id"), "gold": gold, "found": types,
                           "text": rec["text"], **({"error": err} if err else {})})
    secs = time.perf_counter() - t0
    table = {}
    for t in sorted(by_type):
        c = by_type[t]
        table[t] = {"n": c["n"], "any": c["any"], "first": c["first"], "none": c["none"],
                    "any_acc": _ratio(c["any"], c["n"]),
                    "found_instead": dict(found_instead[t].most_common())}
    return {
        "sentences": n,
        "any": {"right": any_right, "acc": _ratio(any_right, n)},
        "first": {"right": first_right, "acc": _ratio(first_right, n)},
        "none": {"count": none, "share": _ratio(none, n)},
        "failed": failed,
        "mode": {"right": mode_right, "n": mode_n, "acc": _ratio(mode_right, mode_n)},
        "seconds": round(secs, 3),
        "sentences_per_s": round(n / secs, 1) if secs > 0 else None,
        "per_type": table,
        "errors": errors,
    }


def _get(ev: Any, key: str) -> Any:
    return ev.get(key) if isinstance(ev, dict) else getattr(ev, key, None)


def _f(x: Optional[float]) -> str:
    return "  n/a" if x is None else f"{x:.3f}"


def format_gsr(res: dict[str, Any], errors: int = 0) -> str:
    lines = [
        f"PLOVER GSR: {res['sentences']} sentences, {res['seconds']:.1f} s incl. model load "
        f"({res['sentences_per_s']} sentences/s)",
        f"type in events  {_f(res['any']['acc'])}  ({res['any']['right']}/{res['sentences']})",
        f"first event     {_f(res['first']['acc'])}  ({res['first']['right']}/{res['sentences']})",
        f"no event        {_f(res['none']['share'])}  ({res['none']['count']}/{res['sentences']})"
        + (f"; coding failed on {res['failed']}" if res["failed"] else ""),
        f"mode            {_f(res['mode']['acc'])}  ({res['mode']['right']}/{res['mode']['n']} "
        f"type-right sentences with a PLOVER 0.8 gold mode)",
        "",
        f"{'gold type':<10} {'n':>4} {'any':>4} {'first':>5} {'none':>4} {'acc':>6}  found instead",
    ]
    for t, row in res["per_type"].items():
        inst = ", ".join(f"{k} {v}" for k, v in list(row["found_instead"].items())[:5])
        lines.append(f"{t:<10} {row['n']:>4} {row['any']:>4} {row['first']:>5} {row['none']:>4} "
                     f"{_f(row['any_acc']):>6}  {inst}")
    if errors:
        lines.append("")
        lines.append(f"first {min(errors, len(res['errors']))} misclassified sentences:")
        for e in res["errors"][:errors]:
            found = ", ".join(e["found"]) or "(none)"
            extra = f"  [{e['error']}]" if e.get("error") else ""
            lines.append(f"- {e['id']}  gold {e['gold']}  found {found}{extra}")
            lines.append(f"    {e['text']}")
    return "\n".join(lines)


def cli_eval_gsr(args) -> int:
    records = load_gsr(args.path)
    res = score_gsr(records)
    if getattr(args, "json", False):
        n = max(0, int(getattr(args, "errors", 0) or 0))
        out = {**res, "errors": res["errors"][:n]}
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(format_gsr(res, errors=int(getattr(args, "errors", 0) or 0)))
    if res["sentences"] and res["failed"] == res["sentences"]:
        first = res["errors"][0].get("error") if res["errors"] else ""
        print(f"dotterel: the coder failed on every sentence ({first})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    from .cli import main
    sys.exit(main(["eval-gsr", *sys.argv[1:]]))
