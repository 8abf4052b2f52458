"""The nouns of Dotterel: plain dataclasses shared by every stage.

Article  - one input document, cleaned, with its story metadata.
Entity   - an actor or recipient as EVENTS.md defines it.
Location - where an event happened.
Event    - one coded event as one article states it (DESIGN.md calls it a
           Mention; merged cross-article events live in the store).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class Entity:
    name: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None
    title: Optional[str] = None
    kb_id: Optional[str] = None
    # character span of the mention in the cleaned article text (not exported)
    start: Optional[int] = None
    end: Optional[int] = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country,
                "sector": self.sector, "title": self.title}

    def key(self) -> tuple:
        """Identity used when merging events: a person by name, else country+sector."""
        if self.name:
            return ("N", self.name.lower())
        return ("C", self.country, self.sector)


@dataclass
class Location:
    name: str
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "country": self.country}
        if self.lat is not None and self.lon is not None:
            d["lat"] = round(self.lat, 4)
            d["lon"] = round(self.lon, 4)
        return d


@dataclass
class Article:
    doc: str
    text: str                      # raw text as read
    clean: str = ""                # cleaned text the parser sees
    offsets: list[int] = field(default_factory=list)  # clean index -> raw index
    story_date: Optional[str] = None
    source: Optional[str] = None
    language: Optional[str] = None
    headline: Optional[str] = None
    url: Optional[str] = None
    duplicate_of: Optional[str] = None
    id: str = ""

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the cleaned text to the raw text, covering
        replaced raw text whole (an entity residue such as ``rdquo;`` that
        became one character maps back to all of it)."""
        offs, raw = self.offsets, self.text
        if not offs:
            return start, end
        start = max(0, min(start, len(offs) - 1))
        end = max(start + 1, min(end, len(offs)))
        rs = offs[start]
        # past the last clean character: the raw end (or where a truncated
        # article's kept text ends, limits.truncate_article)
        re_ = offs[end] if end < len(offs) else (getattr(self, "raw_end", None) or len(raw))
        re_ = max(re_, offs[end - 1] + 1)
        while re_ > offs[end - 1] + 1 and raw[re_ - 1].isspace():
            re_ -= 1
        return rs, re_

    def meta_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"doc": self.doc, "doc_meta": True,
                             "story_date": self.story_date, "source": self.source,
                             "language": self.language, "duplicate_of": self.duplicate_of,
                             "article_id": self.id}
        if self.headline:
            d["headline"] = self.headline
        if self.url:
            d["url"] = self.url
        return d


def _ent_sig(ents: list[Entity]) -> list:
    return sorted([e.name or "", e.country or "", e.sector or ""] for e in ents)


@dataclass
class Event:
    doc: str
    event_type: str
    mode: Optional[str] = None
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    date: Optional[str] = None
    location: Optional[Location] = None
    contexts: list[str] = field(default_factory=list)
    salience: str = "main"
    evidence: str = ""
    evidence_start: int = 0     # offsets in the raw article text
    evidence_end: int = 0
    article_id: str = ""
    id: str = ""
    # internal: which trigger produced the event (for debugging / explain)
    trigger: Optional[str] = None
    sent_index: int = -1

    def make_id(self) -> str:
        payload = json.dumps([self.article_id or self.doc, self.event_type, self.mode,
                              _ent_sig(self.actor), _ent_sig(self.recipient), self.date,
                              self.evidence_start], sort_keys=True)
        self.id = "ev_" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]
        return self.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc": self.doc,
            "event_type": self.event_type,
            "mode": self.mode,
            "actor": [a.to_dict() for a in self.actor],
            "recipient": [r.to_dict() for r in self.recipient],
            "date": self.date,
            "location": self.location.to_dict() if self.location else None,
            "contexts": list(self.contexts),
            "salience": self.salience,
            "evidence": self.evidence,
            "evidence_start": self.evidence_start,
            "evidence_end": self.evidence_end,
            "article_id": self.article_id,
        }
