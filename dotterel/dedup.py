"""Dedup: near-duplicate articles (MinHash/LSH) and mentions merged into events.

Two jobs, both on plain data (no SQL here; ``store`` persists the results):

1. **Near-duplicate articles.**  An article's text is normalised (lower
   case, letters and digits only, whitespace collapsed) and cut into word
   5-shingles (hashed to 32 bits, see ``_shingle_hashes``); a MinHash
   signature of the shingle set (``datasketch``,
   128 permutations) goes into an LSH index (``datasketch.MinHashLSH``).
   A new article whose estimated Jaccard similarity with an earlier one
   reaches ``threshold`` (default 0.5) is a duplicate of the *earliest*
   article of that earlier one's group (``duplicate_of`` names its doc).
   Exact copies, reprints with another headline, added boilerplate or a
   dropped paragraph score well above 0.5; distinct stories on the same
   pair of countries share few 5-word runs and score near 0.
   ``DuplicateIndex`` holds the index in memory (a 512-byte signature per article plus the index);
   signatures serialise to bytes (``sig_to_bytes``) so a store can keep
   them and rebuild the index in a later run.

2. **Merged events** (GDELT's Events + Mentions model).  ``merge_mentions``
   groups mentions (one event as one article states it) into events.  Two
   mentions are linked when they have

   - the same event type, the same set of actor countries and the same set
     of recipient countries (``merge_key``);
   - compatible named actors: on each side, when both name people or
     bodies, at least one name is shared (a side naming nobody is
     compatible with any); and
   - dates within ``window_days`` (default 1) of each other: the gap
     between the day ranges they cover (``2024-03`` covers the month) is at
     most the window.

   This links mentions across articles, and also two mentions of one
   article (a headline and its body stating the same act).  Events are the
   connected components of that relation, split where named actors clash
   (``_split_names``), so the result depends only on the set of mentions,
   never on their order: re-running, or a run killed and resumed, yields
   the same events.  An undated mention joins a dated event only when
   exactly one event of its key (with compatible names) holds a mention
   from the same article group (the article and its near-duplicates);
   otherwise it joins the undated mentions of its key in its article group
   (names permitting), or stands alone.

   A merged event's id is ``"me_" + sha1(key, earliest mention id)``, the
   earliest mention being the one with the first date (then smallest id).
"""
from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Optional

import numpy as np

__all__ = ["normalise", "shingles", "signature", "sig_to_bytes", "sig_from_bytes",
           "DuplicateIndex", "merge_key", "merge_mentions", "NUM_PERM", "SHINGLE",
           "THRESHOLD", "WINDOW_DAYS", "mark_duplicates", "summarise_event"]

NUM_PERM = 128
_SCHEME = "affine32"      # datasketch 2 hashing scheme: 32-bit values
SHINGLE = 5
THRESHOLD = 0.5
WINDOW_DAYS = 1

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


# ---------------------------------------------------------------- documents
def normalise(text: str) -> list[str]:
    """The words of ``text``: lower case, letters and digits only."""
    return _WORD.findall((text or "").lower())


_MASK32 = np.uint64(0xFFFFFFFF)
_MULT = np.uint64(0x9E3779B97F4A7C15)


def _shingle_hashes(words: list[str], k: int) -> list[int]:
    """32-bit hashes of the word k-shingles, stable across processes: each
    word is hashed once (CRC-32), a shingle combines its k word hashes
    (multiply-xor, vectorised), so a document costs one C call per word."""
    wh = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words),
                     dtype=np.uint64, count=len(words))
    if len(words) <= k:
        acc = np.zeros(1, dtype=np.uint64)
        for x in wh:
            acc = (acc * _MULT) ^ x
    else:
        n = len(words) - k + 1
        acc = np.zeros(n, dtype=np.uint64)
        for j in range(k):
            acc = (acc * _MULT) ^ wh[j:j + n]
    acc ^= acc >> np.uint64(29)
    acc *= _MULT
    acc ^= acc >> np.uint64(32)
    return np.unique(acc & _MASK32).tolist()


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """The word k-shingles of the normalised text (one shingle for a text
    shorter than k words; none for a text with no words)."""
    words = normalise(text)
    if not words:
        return set()
    if len(words) <= k:
        return {" ".join(words)}
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


@functools.lru_cache(maxsize=4)
def _template(num_perm: int):
    from datasketch import MinHash
    return MinHash(num_perm=num_perm, hashfunc=int, scheme=_SCHEME)


def signature(text: str, num_perm: int = NUM_PERM, k: int = SHINGLE):
    """A ``datasketch.MinHash`` of the text's word k-shingles (None for no
    words)."""
    from datasketch import MinHash
    words = normalise(text)
    if not words:
        return None
    m = MinHash(num_perm=num_perm, hashfunc=int, scheme=_SCHEME,
                permutations=_template(num_perm).permutations)
    m.update_batch(_shingle_hashes(words, k))
    return m


def sig_to_bytes(m) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()


def sig_from_bytes(data: bytes):
    from datasketch import MinHash
    hv = np.frombuffer(data, dtype=np.uint32).copy()
    return MinHash(num_perm=len(hv), hashfunc=int, hashvalues=hv, scheme=_SCHEME,
                   permutations=_template(len(hv)).permutations)


class DuplicateIndex:
    """An in-memory LSH index of article signatures, in arrival order.

    ``check_add(key, doc, sig)`` returns the doc name of the earliest
    article of the group ``sig`` duplicates (or None), then indexes it.
    ``add_known(key, doc, sig, seq, root)`` indexes an article stored
    earlier (``root`` = its group's first article key, or None for itself).
    """

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        from datasketch import MinHashLSH
        self.threshold = threshold
        self.num_perm = num_perm
        # the LSH bands are tuned below the verification threshold so that
        # pairs just above it are still found (candidates are verified)
        self.lsh = MinHashLSH(threshold=max(0.1, threshold - 0.2), num_perm=num_perm)
        self.sigs: dict[str, Any] = {}
        self.seq: dict[str, int] = {}
        self.root: dict[str, str] = {}     # key -> key of its group's first article
        self.doc: dict[str, str] = {}
        self.next_seq = 0

    def __len__(self) -> int:
        return len(self.seq)

    def add_known(self, key: str, doc: str, sig, seq: int, root: Optional[str] = None) -> None:
        if key in self.seq:
            return
        self.seq[key] = seq
        self.doc[key] = doc
        self.root[key] = root or key
        self.next_seq = max(self.next_seq, seq + 1)
        if sig is not None:
            # the hash values alone (512 bytes), not the MinHash object
            self.sigs[key] = np.asarray(sig.hashvalues, dtype=np.uint32).tobytes()
            self.lsh.insert(key, sig, check_duplication=False)

    def find(self, sig) -> Optional[str]:
        """Key of the earliest group root among indexed articles similar to ``sig``."""
        if sig is None:
            return None
        best: Optional[str] = None
        mine = np.asarray(sig.hashvalues, dtype=np.uint32)
        for cand in self.lsh.query(sig):
            # estimated Jaccard: the share of equal hash values (MinHash.jaccard)
            other = np.frombuffer(self.sigs[cand], dtype=np.uint32)
            if np.count_nonzero(other == mine) / len(mine) < self.threshold:
                continue
            root = self.root[cand]
            if best is None or self.seq[root] < self.seq[best]:
                best = root
        return best

    def check_add(self, key: str, doc: str, sig) -> tuple[Optional[str], Optional[str], int]:
        """Index a new article; returns (root key, root doc, seq) where root
        is None when the article starts its own group.  A key seen before
        returns what it returned then."""
        if key in self.seq:
            r = self.root[key]
            return (None, None, self.seq[key]) if r == key else (r, self.doc[r], self.seq[key])
        root = self.find(sig)
        seq = self.next_seq
        self.add_known(key, doc, sig, seq, root)
        return (root, self.doc[root] if root else None, seq)


# ---------------------------------------------------------------- events
def merge_key(event_type: str, actor_countries: Iterable[str],
              recipient_countries: Iterable[str]) -> str:
    """The exact-match part of the merge rule, as one string."""
    return json.dumps([event_type, sorted(set(actor_countries or [])),
                       sorted(set(recipient_countries or []))], separators=(",", ":"))


def _to_date(v) -> Optional[_dt.date]:
    if v is None or isinstance(v, _dt.date):
        return v
    try:
        return _dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


@dataclass
class _M:
    """The fields of a mention the merge rule reads."""
    id: str
    article: str
    group: str
    key: str
    actor_names: frozenset
    recipient_names: frozenset
    start: Optional[_dt.date]
    end: Optional[_dt.date]


def _names(v) -> frozenset:
    return frozenset(n.strip().lower() for n in (v or []) if n and n.strip())


def _names_ok(a: frozenset, b: frozenset) -> bool:
    return not a or not b or bool(a & b)


def _compatible(x: _M, y: _M) -> bool:
    return (_names_ok(x.actor_names, y.actor_names)
            and _names_ok(x.recipient_names, y.recipient_names))


def _gap(x: _M, y: _M) -> int:
    if x.end < y.start:
        return (y.start - x.end).days
    if y.end < x.start:
        return (x.start - y.end).days
    return 0


def merge_mentions(mentions: Iterable[dict], window_days: int = WINDOW_DAYS) -> dict[str, str]:
    """Group mentions into events; returns {mention id: merged event id}.

    Each mention is a dict with ``id``, ``article_id``, ``group`` (the
    article group: its duplicate root's id, else the article id),
    ``event_type``, ``actor_countries``, ``recipient_countries``,
    ``actor_names``, ``recipient_names`` (names of named recipients) and
    ``date_start`` / ``date_end`` (dates or ISO strings, None when undated).
    """
    by_key: dict[str, list[_M]] = {}
    for d in mentions:
        key = merge_key(d["event_type"], d.get("actor_countries") or [],
                        d.get("recipient_countries") or [])
        start, end = _to_date(d.get("date_start")), _to_date(d.get("date_end"))
        if start is None or end is None:
            start = end = None
        m = _M(d["id"], d.get("article_id") or "", d.get("group") or d.get("article_id") or "",
               key, _names(d.get("actor_names")), _names(d.get("recipient_names")), start, end)
        by_key.setdefault(key, []).append(m)
    out: dict[str, str] = {}
    for key in sorted(by_key):
        out.update(_merge_one_key(key, by_key[key], window_days))
    return out


def _components(items: list[_M], linked) -> list[list[_M]]:
    """Connected components of ``items`` under ``linked(a, b)`` (pairwise)."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i):
            if linked(items[i], items[j]):
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    out: dict[int, list[_M]] = {}
    for i, m in enumerate(items):
        out.setdefault(find(i), []).append(m)
    return list(out.values())


def _split_names(members: list[_M]) -> list[list[_M]]:
    """Split a group whose named actors clash (A-B and A-C both fine when
    B names nobody, but B and C naming different people are two events):
    the named mentions cluster by compatibility; the unnamed ones join the
    one named cluster there is, else stay a cluster of their own."""
    named = [m for m in members if m.actor_names or m.recipient_names]
    unnamed = [m for m in members if not (m.actor_names or m.recipient_names)]
    clusters = _components(named, _compatible)
    if len(clusters) <= 1:
        return [members]
    return clusters + ([unnamed] if unnamed else [])


def _merge_one_key(key: str, ms: list[_M], window: int) -> dict[str, str]:
    ms = sorted(ms, key=lambda m: m.id)
    parent = {m.id: m.id for m in ms}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra

    dated = sorted((m for m in ms if m.start is not None), key=lambda m: (m.start, m.id))
    # dated mentions: sweep by start date; link those within the window
    active: list[_M] = []
    for m in dated:
        active = [a for a in active if (m.start - a.end).days <= window]
        for a in active:
            if _gap(a, m) <= window and _compatible(a, m):
                union(a.id, m.id)
        active.append(m)
    comps: dict[str, list[_M]] = {}
    for m in dated:
        comps.setdefault(find(m.id), []).append(m)
    clusters: list[list[_M]] = []
    for members in comps.values():
        clusters.extend(_split_names(members))
    # undated mentions: the one dated event of their article group, if unique
    cluster_of: dict[str, int] = {m.id: i for i, c in enumerate(clusters) for m in c}
    by_group: dict[str, list[_M]] = {}
    for m in dated:
        by_group.setdefault(m.group, []).append(m)
    loose: dict[str, list[_M]] = {}
    joins: list[tuple[int, _M]] = []
    for m in (m for m in ms if m.start is None):
        cands = {cluster_of[c.id] for c in by_group.get(m.group, []) if _compatible(c, m)}
        if len(cands) == 1:
            joins.append((next(iter(cands)), m))
        else:
            loose.setdefault(m.group, []).append(m)
    for i, m in joins:
        clusters[i].append(m)
    for group in sorted(loose):
        clusters.extend(_split_names(loose[group]))
    out: dict[str, str] = {}
    far = _dt.date.max
    for members in clusters:
        first = min(members, key=lambda m: (m.start or far, m.id))
        eid = "me_" + hashlib.sha1(json.dumps([key, first.id]).encode("utf-8")).hexdigest()[:16]
        for m in members:
            out[m.id] = eid
    return out


def summarise_event(event_id: str, rows: list[dict], types: dict[str, dict]) -> dict[str, Any]:
    """The merged record of one event from its mention rows (as the store
    reads them: parsed JSON, ``story_date`` / ``source`` of the article).

    Mode, date and location: the most frequent among the mentions (ties go
    to the earliest mention); actors/recipients: the entities of all
    mentions, one per identity; contexts: the union; first/last seen: the
    earliest and latest story date (else mention date) of its articles.
    """
    far = _dt.date.max
    rows = sorted(rows, key=lambda r: (_to_date(r.get("date_start")) or far, r["id"]))

    def most(values: list) -> Any:
        vals = [v for v in values if v not in (None, "", [])]
        if not vals:
            return None
        counts = Counter(json.dumps(v, sort_keys=True) for v in vals)
        best = max(counts.values())
        for v in vals:          # earliest among the most frequent
            if counts[json.dumps(v, sort_keys=True)] == best:
                return v
        return None

    def ents(side: str) -> list[dict]:
        seen: dict[tuple, dict] = {}
        for r in rows:
            for e in r.get(side) or []:
                k = ("N", e["name"].lower()) if e.get("name") else ("C", e.get("country"),
                                                                    e.get("sector"))
                if k not in seen:
                    seen[k] = e
        # a bare country-sector entity is dropped when a named one covers it
        named = {(e.get("country"), e.get("sector")) for e in seen.values() if e.get("name")}
        return [e for k, e in seen.items()
                if k[0] == "N" or (k[1], k[2]) not in named]

    starts = [_to_date(r.get("date_start")) for r in rows if r.get("date_start")]
    ends = [_to_date(r.get("date_end")) for r in rows if r.get("date_end")]
    seen_dates = sorted(d for d in (_to_date(r.get("story_date")) or _to_date(r.get("date_start"))
                                    for r in rows) if d)
    actor, recipient = ents("actor"), ents("recipient")
    etype = rows[0]["event_type"]
    info = types.get(etype) or {}
    return {
        "id": event_id, "event_type": etype, "mode": most([r.get("mode") for r in rows]),
        "actor": actor, "recipient": recipient,
        "actor_countries": sorted({c for r in rows for c in (r.get("actor_countries") or [])}),
        "recipient_countries": sorted({c for r in rows
                                       for c in (r.get("recipient_countries") or [])}),
        "actor_names": sorted({e["name"] for e in actor if e.get("name")}),
        "date": most([r.get("date") for r in rows]),
        "date_start": min(starts) if starts else None, "date_end": max(ends) if ends else None,
        "first_seen": seen_dates[0] if seen_dates else None,
        "last_seen": seen_dates[-1] if seen_dates else None,
        "location": most([r.get("location") for r in rows]),
        "contexts": sorted({c for r in rows for c in (r.get("contexts") or [])}),
        "mention_count": len(rows),
        "article_count": len({r["article_id"] for r in rows}),
        "source_count": len({r.get("source") for r in rows if r.get("source")}),
        "quad_class": info.get("quad"), "score": info.get("score"),
    }


def mark_duplicates(articles: Iterable, threshold: float = THRESHOLD) -> Iterator:
    """Pass articles through, in order, filling ``duplicate_of`` (the doc of
    the first article of its near-duplicate group) where it is not given.
    The LSH index grows with the stream (a 512-byte signature per article);
    nothing else is kept."""
    index = DuplicateIndex(threshold)
    for i, art in enumerate(articles):
        if art.text:
            _, root_doc, _ = index.check_add(str(i), art.doc, signature(art.text))
            if root_doc and not art.duplicate_of:
                art.duplicate_of = root_doc
        yield art
