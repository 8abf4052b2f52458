"""Score a coded run against hand-annotated gold (EVENTS.md, "Scoring").

Inputs are JSON Lines in the gold format: one ``doc_meta`` line per article
and one line per event. A prediction file has the same fields (plus ``id``,
``evidence_start``/``evidence_end``, ``article_id``, which are ignored).

Matching, per document: a system event matches a gold event when the
``event_type`` is equal and the country sets agree -- for a gold CONSULT of
mode third-party or multilateral, and for any gold event whose recipient is
empty, the union of actor and recipient countries must be equal; otherwise
the actor countries and the recipient countries must each be equal (as
sets). Each gold event matches at most one system event and vice versa;
candidate pairs are taken greedily, best evidence overlap (Jaccard of the
normalised word sets of the two evidence sentences) first, ties in file
order.

Documents are keyed by the base name of ``doc`` (so ``dir/a.txt`` and
``a.txt`` are the same article). Gold documents with no predicted line count
as all missed; predicted documents absent from gold are ignored and counted
in ``docs.pred_not_in_gold``.

Public API:
    load_jsonl(path) -> list[dict]
    score(gold_records, pred_records) -> dict        (all numbers; --json)
    format_report(result) -> str                     (headline first)
    countries_match(gold_ev, sys_ev) -> bool
    evidence_overlap(a, b) -> float
    match_events(gold_evs, sys_evs) -> list[(gold_index, sys_index)]
    name_matches(gold_name, sys_name) -> bool
    cli_eval(args) -> int
"""
from __future__ import annotations

import difflib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

UNION_MODES = frozenset({"third-party", "multilateral"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
NAME_RATIO = 0.85       # whole-name similarity accepted as a transliteration
TOKEN_RATIO = 0.8       # per-token similarity inside a short-form match


# --------------------------------------------------------------------- input

def load_jsonl(path: str | Path) -> list[dict]:
    """Read a JSON Lines file; blank lines are skipped, a bad line is an error
    naming the file and line number."""
    out: list[dict] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc.msg}") from None
    return out


def doc_key(doc: Any) -> str:
    return Path(str(doc)).name if doc is not None else ""


def split_records(records: Iterable[dict]) -> tuple[dict[str, list[dict]], dict[str, dict]]:
    """Group records per document: (events by doc, doc_meta by doc)."""
    events: dict[str, list[dict]] = defaultdict(list)
    meta: dict[str, dict] = {}
    for r in records:
        key = doc_key(r.get("doc"))
        if r.get("doc_meta"):
            meta[key] = r
        elif r.get("event_type"):
            events[key].append(r)
    return events, meta


# ----------------------------------------------------------------- normalise

@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, diacritics removed (NFKD, combining marks dropped)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(fold(text)))


def evidence_overlap(a: Optional[str], b: Optional[str]) -> float:
    """Jaccard overlap of the normalised word sets of two evidence strings."""
    wa, wb = _words(a or ""), _words(b or "")
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def _countries(ents: Optional[list]) -> frozenset[str]:
    return frozenset(e["country"] for e in ents or () if isinstance(e, dict) and e.get("country"))


def countries_match(gold: dict, system: dict) -> bool:
    """The country rule of EVENTS.md "Scoring" (type equality is checked apart)."""
    g_rec = gold.get("recipient") or []
    union = (not g_rec) or (gold.get("event_type") == "CONSULT" and gold.get("mode") in UNION_MODES)
    if union:
        return (_countries(gold.get("actor")) | _countries(g_rec)) == \
            (_countries(system.get("actor")) | _countries(system.get("recipient")))
    return (_countries(gold.get("actor")) == _countries(system.get("actor"))
            and _countries(g_rec) == _countries(system.get("recipient")))


def match_events(gold_evs: list[dict], sys_evs: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of one document's events, best overlap first."""
    cands: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold_evs):
        for si, s in enumerate(sys_evs):
            if g.get("event_type") == s.get("event_type") and countries_match(g, s):
                cands.append((-evidence_overlap(g.get("evidence"), s.get("evidence")), gi, si))
    cands.sort()
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, si in cands:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        pairs.append((gi, si))
    pairs.sort()
    return pairs


# --------------------------------------------------------------------- names

@lru_cache(maxsize=65536)
def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(name).replace("_", " ")))


def _token_close(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:            # an initial: "J." ~ "Joseph"
        return a[0] == b[0]
    if min(len(a), len(b)) < 4:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= TOKEN_RATIO


@lru_cache(maxsize=65536)
def name_matches(gold_name: str, sys_name: str) -> bool:
    """True when two names denote the same entity for scoring: equal ignoring
    case, diacritics and punctuation; a close transliteration (similarity of
    the whole names >= 0.85: "Zelensky" ~ "Zelenskyy"); or a shorter form of
    the longer (every word of the shorter one close to a distinct word of the
    longer, its last word included: "Aliyev" ~ "Ilham Aliyev",
    "Sergei Lavrov" ~ "Sergey Viktorovich Lavrov")."""
    ta, tb = _name_tokens(gold_name or ""), _name_tokens(sys_name or "")
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    if difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio() >= NAME_RATIO:
        return True
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if all(len(t) == 1 for t in short):       # initials alone say too little
        return False
    free = list(long_)
    for tok in short:
        hit = next((i for i, t in enumerate(free) if _token_close(tok, t)), None)
        if hit is None:
            return False
        free.pop(hit)
    return True


def _names(ents: Optional[list]) -> list[str]:
    return [e["name"] for e in ents or () if isinstance(e, dict) and e.get("name")]


# ------------------------------------------------------------------- helpers

def _ratio(num: int, den: int) -> Optional[float]:
    return num / den if den else None


def _prf(tp: int, n_sys: int, n_gold: int) -> dict[str, Any]:
    p = _ratio(tp, n_sys)
    r = _ratio(tp, n_gold)
    f = (2 * p * r / (p + r)) if p is not None and r is not None and (p + r) else (
        0.0 if (n_sys or n_gold) else None)
    return {"tp": tp, "sys": n_sys, "gold": n_gold, "p": p, "r": r, "f1": f}


def _acc(right: int, n: int) -> dict[str, Any]:
    return {"right": right, "n": n, "acc": _ratio(right, n)}


def _loc_country(ev: dict) -> Optional[str]:
    loc = ev.get("location")
    return loc.get("country") if isinstance(loc, dict) else None


def _norm_source(s: Optional[str]) -> Optional[str]:
    if s is None:
        return None
    t = "".join(_WORD.findall(fold(s))).replace("_", "")
    return t or None


# --------------------------------------------------------------------- score

def score(gold_records: Iterable[dict], pred_records: Iterable[dict]) -> dict[str, Any]:
    """Score predictions against gold; returns a dict of every figure."""
    g_events, g_meta = split_records(gold_records)
    s_events, s_meta = split_records(pred_records)
    gold_docs = sorted(set(g_events) | set(g_meta))
    gold_set = set(gold_docs)
    pred_docs = set(s_events) | set(s_meta)

    tp = n_gold = n_sys = 0
    main_gold = main_hit = 0
    mode_right = date_right = 0
    names_total = names_found = 0
    loc_any_n = loc_any_right = loc_gold_n = loc_gold_right = loc_all_right = 0
    ctx_tp = ctx_sys = ctx_gold = 0
    mc_n = mc_right = mc_matched = 0
    per_type: dict[str, Counter] = defaultdict(Counter)
    per_doc: dict[str, dict[str, int]] = {}

    for doc in gold_docs:
        gevs = g_events.get(doc, [])
        sevs = s_events.get(doc, [])
        pairs = match_events(gevs, sevs)
        n_gold += len(gevs)
        n_sys += len(sevs)
        tp += len(pairs)
        per_doc[doc] = {"gold": len(gevs), "sys": len(sevs), "matched": len(pairs)}
        for g in gevs:
            per_type[g["event_type"]]["gold"] += 1
        for s in sevs:
            per_type[s["event_type"]]["sys"] += 1
        matched_g = {gi: si for gi, si in pairs}
        for gi, g in enumerate(gevs):
            if g.get("salience") == "main":
                main_gold += 1
                main_hit += gi in matched_g
                if g["event_type"] == "CONSULT":
                    mc_n += 1
                    if gi in matched_g:
                        mc_matched += 1
                        mc_right += sevs[matched_g[gi]].get("mode") == g.get("mode")
        for gi, si in pairs:
            g, s = gevs[gi], sevs[si]
            per_type[g["event_type"]]["matched"] += 1
            mode_right += g.get("mode") == s.get("mode")
            date_right += g.get("date") == s.get("date")
            sys_names = _names(s.get("actor")) + _names(s.get("recipient"))
            for gname in _names(g.get("actor")) + _names(g.get("recipient")):
                names_total += 1
                names_found += any(name_matches(gname, sn) for sn in sys_names)
            gl, sl = g.get("location"), s.get("location")
            same_country = _loc_country(g) == _loc_country(s)
            if gl or sl:
                loc_any_n += 1
                loc_any_right += bool(gl and sl and same_country)
            else:
                loc_all_right += 1
            if gl:
                loc_gold_n += 1
                loc_gold_right += bool(sl and same_country)
            gc, sc = set(g.get("contexts") or ()), set(s.get("contexts") or ())
            ctx_tp += len(gc & sc)
            ctx_gold += len(gc)
            ctx_sys += len(sc)
    loc_all_right += loc_any_right

    # doc-level metadata
    meta_n = len(g_meta)
    sd_right = src_right = lang_right = 0
    for doc, gm in g_meta.items():
        sm = s_meta.get(doc)
        if sm is None:
            continue
        sd_right += gm.get("story_date") == sm.get("story_date")
        src_right += _norm_source(gm.get("source")) == _norm_source(sm.get("source"))
        lang_right += (gm.get("language") or None) == (sm.get("language") or None)

    def dup_pairs(meta: dict[str, dict], docs: set[str]) -> set[frozenset]:
        out = set()
        for doc, m in meta.items():
            other = m.get("duplicate_of")
            if doc in docs and other:
                out.add(frozenset((doc, doc_key(other))))
        return out

    g_dups = dup_pairs(g_meta, gold_set)
    s_dups = dup_pairs(s_meta, gold_set)

    types_table = {}
    for t in sorted(per_type):
        c = per_type[t]
        types_table[t] = _prf(c["matched"], c["sys"], c["gold"])

    return {
        "docs": {"gold": len(gold_docs), "pred": len(pred_docs & gold_set),
                 "missing_in_pred": len(gold_set - pred_docs),
                 "pred_not_in_gold": len(pred_docs - gold_set)},
        "events": _prf(tp, n_sys, n_gold),
        "main_recall": {"matched": main_hit, "gold": main_gold, "r": _ratio(main_hit, main_gold)},
        "mode": _acc(mode_right, tp),
        "main_consult_mode": {"right": mc_right, "matched": mc_matched, "gold": mc_n,
                              "acc": _ratio(mc_right, mc_n)},
        "date": _acc(date_right, tp),
        "actor_name": {"found": names_found, "named_gold_entities": names_total,
                       "acc": _ratio(names_found, names_total)},
        "location": {
            # headline: pairs where gold or system has a location; right when
            # both have one and the countries are equal
            "gold_or_sys": _acc(loc_any_right, loc_any_n),
            # pairs where gold has a location; right when the system has one
            # in the same country
            "gold_located": _acc(loc_gold_right, loc_gold_n),
            # every matched pair; both-null counts as right
            "all_pairs": _acc(loc_all_right, tp),
        },
        "context": _prf(ctx_tp, ctx_sys, ctx_gold),
        "doc_meta": {
            "story_date": _acc(sd_right, meta_n),
            "source": _acc(src_right, meta_n),
            "language": _acc(lang_right, meta_n),
            "duplicates": {"gold_pairs": len(g_dups), "sys_pairs": len(s_dups),
                           "found": len(g_dups & s_dups)},
        },
        "per_type": types_table,
        "per_doc": per_doc,
    }


# -------------------------------------------------------------------- report

def _f(x: Optional[float]) -> str:
    return "  n/a" if x is None else f"{x:.3f}"


def format_report(res: dict[str, Any]) -> str:
    """Headline figures first (``head -n 14`` shows them), then per type."""
    d, e, m = res["docs"], res["events"], res["doc_meta"]
    loc = res["location"]
    mc = res["main_consult_mode"]
    nm = res["actor_name"]
    c = res["context"]
    dup = m["duplicates"]
    lines = [
        f"dotterel eval: {d['gold']} gold docs, {d['pred']} predicted "
        f"({d['missing_in_pred']} missing; {d['pred_not_in_gold']} predicted docs not in gold, ignored)",
        f"events       P {_f(e['p'])}  R {_f(e['r'])}  F1 {_f(e['f1'])}   "
        f"(matched {e['tp']}, gold {e['gold']}, system {e['sys']})",
        f"main recall  {_f(res['main_recall']['r'])}  "
        f"({res['main_recall']['matched']}/{res['main_recall']['gold']} main gold events)",
        f"mode         {_f(res['mode']['acc'])}  ({res['mode']['right']}/{res['mode']['n']} matched pairs); "
        f"main CONSULT right mode {mc['right']}/{mc['gold']} (matched {mc['matched']})",
        f"date         {_f(res['date']['acc'])}  ({res['date']['right']}/{res['date']['n']} matched pairs)",
        f"actor name   {_f(nm['acc'])}  ({nm['found']}/{nm['named_gold_entities']} named gold entities "
        f"found, over matched pairs)",
        f"location     {_f(loc['gold_or_sys']['acc'])}  ({loc['gold_or_sys']['right']}/"
        f"{loc['gold_or_sys']['n']} matched pairs where gold or system has a location); "
        f"gold-located {loc['gold_located']['right']}/{loc['gold_located']['n']}; "
        f"all pairs {loc['all_pairs']['right']}/{loc['all_pairs']['n']}",
        f"context      F1 {_f(c['f1'])}  P {_f(c['p'])}  R {_f(c['r'])}  "
        f"(micro over matched pairs: {c['tp']} shared, gold {c['gold']}, system {c['sys']})",
        f"story_date   {_f(m['story_date']['acc'])}  ({m['story_date']['right']}/{m['story_date']['n']} docs)",
        f"source       {_f(m['source']['acc'])}  ({m['source']['right']}/{m['source']['n']} docs)",
        f"language     {_f(m['language']['acc'])}  ({m['language']['right']}/{m['language']['n']} docs)",
        f"duplicates   {dup['found']}/{dup['gold_pairs']} gold pairs found (system pairs {dup['sys_pairs']})",
        "",
        f"{'type':<10} {'gold':>5} {'sys':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for t, row in res["per_type"].items():
        lines.append(f"{t:<10} {row['gold']:>5} {row['sys']:>5} {row['tp']:>5} "
                     f"{_f(row['p']):>6} {_f(row['r']):>6} {_f(row['f1']):>6}")
    return "\n".join(lines)


# ----------------------------------------------------------------------- cli

def _is_jsonl(paths: list[str]) -> bool:
    return all(Path(p).is_file() and Path(p).suffix.lower() in JSONL_SUFFIXES for p in paths)


def predictions(paths: list[str], kb_files: tuple[str, ...] = ()) -> list[dict]:
    """Prediction records: read from JSONL file(s), or coded from articles."""
    if _is_jsonl(paths):
        recs: list[dict] = []
        for p in paths:
            recs.extend(load_jsonl(p))
        return recs
    from .pipeline import code_files

    recs = []
    for art, evs in code_files(paths, kb_files):
        recs.append(art.meta_dict())
        recs.extend(ev.to_dict() for ev in evs)
    return recs


def cli_eval(args) -> int:
    gold = load_jsonl(args.gold)
    pred = predictions(list(args.pred), tuple(getattr(args, "kb", None) or ()))
    res = score(gold, pred)
    if getattr(args, "json", False):
        print(json.dumps(res, ensure_ascii=False, sort_keys=False))
    else:
        print(format_report(res))
    return 0


if __name__ == "__main__":  # pragma: no cover
    from .cli import main
    sys.exit(main(["eval", *sys.argv[1:]]))
