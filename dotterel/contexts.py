"""The context stage of "resolve": PLOVER contexts of an event from its words.

The lexicon is ``dotterel/data/contexts.yaml`` (context -> keywords, optional
regex patterns, phrases to ignore, the event types the keywords count for,
and event types that always carry the context).  Each context compiles to one
whole-word regex, loaded once per process.

    >>> contexts_for("The two ministers discussed border delimitation.", "CONSULT")
    ['diplomatic', 'territory']
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["contexts_for", "contexts_eval", "load_contexts", "PLOVER_CONTEXTS"]

DATA = Path(__file__).resolve().parent / "data" / "contexts.yaml"

# The PLOVER 0.8 context list (EVENTS.md): the YAML may only use these names.
PLOVER_CONTEXTS = frozenset("""
military intelligence executive legislative election political_institutions
pro_democracy pro_autocracy economic legal reparations human_rights
rights_freedoms repression human_security gender lgbt religion_ethnicity
inequality diplomatic territory peacekeeping health asylum migration disasters
natural_resource environment technology terrorism cbrn cyber misinformation
crime corruption illegal_drugs trafficking
""".split())


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern
    types: frozenset | None


@dataclass(frozen=True)
class _Context:
    name: str
    rules: tuple
    blank: re.Pattern | None
    always_for: frozenset


@dataclass(frozen=True)
class _Lexicon:
    contexts: tuple
    paragraph_types: frozenset


_SEP = r"[\s\-‐–]+"       # a space or hyphen inside a phrase
_STAR = r"[\w\-]*"        # a trailing * in a phrase
_APOS = "['’]"


def _phrase_units(phrase: str) -> tuple:
    """A lexicon phrase as regex units (one per character, separator or '*')."""
    phrase = phrase.strip().lower()
    star = phrase.endswith("*")
    if star:
        phrase = phrase[:-1]
    units: list[str] = []
    for i, part in enumerate(p for p in re.split(r"[\s\-]+", phrase) if p):
        if i:
            units.append(_SEP)
        units += [_APOS if ch in "'’" else re.escape(ch) for ch in part]
    if star:
        units.append(_STAR)
    return tuple(units)


def _trie_regex(seqs) -> str:
    """One regex for many unit sequences, factored as a trie (fast alternation)."""
    trie: dict = {}
    for seq in seqs:
        node = trie
        for u in seq:
            node = node.setdefault(u, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [u + emit(child) for u, child in node.items() if u != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            # longer matches first, then the shorter phrase ending here
            body = "(?:" + body + ")?"
        return body

    return emit(trie)


def _compile(phrases, patterns=()) -> re.Pattern | None:
    seqs = {_phrase_units(str(p)) for p in phrases or () if str(p).strip()}
    seqs.discard(())
    alts = []
    if seqs:
        # whole words: look-arounds rather than \b, which fails next to '$' or '-'
        alts.append(r"(?<!\w)" + _trie_regex(seqs) + r"(?!\w)")
    alts += [f"(?:{p})" for p in patterns or ()]
    if not alts:
        return None
    # texts are lower-cased before matching, so no re.I (which is slower)
    return re.compile("|".join(alts))


def load_contexts(path: str | Path | None = None) -> _Lexicon:
    """Parse a contexts YAML file (the packaged one by default)."""
    if path is None:
        return _default_lexicon()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_lexicon() -> _Lexicon:
    return _load(DATA)


def _load(path: Path) -> _Lexicon:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for name, spec in (raw.get("contexts") or {}).items():
        if name not in PLOVER_CONTEXTS:
            raise ValueError(f"{path}: {name!r} is not a PLOVER context")
        spec = spec or {}
        rules = []
        for block in [spec, *(spec.get("rules") or ())]:
            rx = _compile([str(k) for k in block.get("keywords") or ()], block.get("patterns") or ())
            if rx is None:
                continue
            types = block.get("types")
            rules.append(_Rule(rx, frozenset(t.upper() for t in types) if types else None))
        out.append(_Context(
            name=name,
            rules=tuple(rules),
            blank=_compile([str(k) for k in spec.get("not") or ()]),
            always_for=frozenset(t.upper() for t in spec.get("always_for") or ()),
        ))
    return _Lexicon(tuple(out), frozenset(t.upper() for t in raw.get("paragraph_types") or ()))


def _matches(ctx: _Context, texts: list[str], etype: str | None) -> bool:
    rules = [r for r in ctx.rules if r.types is None or etype is None or etype in r.types]
    if not rules:
        return False
    for text in texts:
        if not text:
            continue
        if ctx.blank is not None:
            text = ctx.blank.sub(" ", text)
        if any(r.regex.search(text) for r in rules):
            return True
    return False


def contexts_for(sentence: str, event_type: str | None = None,
                 paragraph: str | None = None, *, lexicon: _Lexicon | None = None) -> list[str]:
    """PLOVER contexts of an event stated in ``sentence`` (sorted, unique).

    ``event_type`` (a PLOVER type) gates type-dependent keywords and type
    defaults; ``paragraph`` adds the keywords of the surrounding paragraph
    for the types listed in the lexicon's ``paragraph_types`` (a meeting is
    about what the paragraph says was discussed).
    """
    lex = lexicon or _default_lexicon()
    etype = event_type.upper() if event_type else None
    texts = [(sentence or "").lower()]
    if paragraph and etype in lex.paragraph_types:
        texts.append(paragraph.lower())
    found = set()
    for ctx in lex.contexts:
        if etype and etype in ctx.always_for:
            found.add(ctx.name)
            continue
        if _matches(ctx, texts, etype):
            found.add(ctx.name)
    return sorted(found)


def contexts_eval(gold_jsonl_path: str | Path, *, lexicon: _Lexicon | None = None) -> dict:
    """Micro precision / recall / F1 of contexts_for against a gold file.

    Each gold event (a line without ``doc_meta``) is coded from its
    ``evidence`` and ``event_type``; the result also has per-context counts.
    """
    tp = fp = fn = 0
    per: dict[str, dict[str, int]] = {}
    n = 0
    with open(gold_jsonl_path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            if rec.get("doc_meta") or "evidence" not in rec:
                continue
            n += 1
            gold = set(rec.get("contexts") or ())
            pred = set(contexts_for(rec.get("evidence") or "", rec.get("event_type"), lexicon=lexicon))
            for c in gold | pred:
                d = per.setdefault(c, {"tp": 0, "fp": 0, "fn": 0})
                if c in gold and c in pred:
                    d["tp"] += 1
                elif c in pred:
                    d["fp"] += 1
                else:
                    d["fn"] += 1
            tp += len(gold & pred)
            fp += len(pred - gold)
            fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"events": n, "tp": tp, "fp": fp, "fn": fn,
            "precision": p, "recall": r, "f1": f,
            "per_context": dict(sorted(per.items()))}


if __name__ == "__main__":  # python -m dotterel.contexts GOLD.jsonl ...
    import sys
    for arg in sys.argv[1:]:
        res = contexts_eval(arg)
        print(f"{arg}: events={res['events']} P={res['precision']:.3f} "
              f"R={res['recall']:.3f} F1={res['f1']:.3f}")
        for c, d in res["per_context"].items():
            print(f"  {c:24s} tp={d['tp']:3d} fp={d['fp']:3d} fn={d['fn']:3d}")
