"""The actors stage: which spans of a parsed article name actors, and who they are.

``find_mentions(doc, kb, date)`` scans each sentence for actor phrases (a
run of entity tokens and title words: "U.S. Secretary of State Antony
Blinken", "the Kazakh side", "UK companies", "the head of state"), resolves
each with the KB (``KB.resolve``) and then with the document itself:

- the first full mention with its title sets a person's country and sector;
  later short mentions ("President Aliyev", "Aliyev", "the head of state",
  "the Secretary of State", "the minister") resolve to it;
- pronouns (he/his/him, she/her) resolve to the most recent person,
  preferring the previous subject;
- group references ("both sides", "the sides", "the two ministers",
  "they") are left to the event stage, which knows the meeting.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional

import yaml
from spacy.tokens import Doc, Span, Token

from .kb import KB, norm
from .model import Entity

ENT_LABELS = {"PERSON", "GPE", "NORP", "ORG"}


@lru_cache(maxsize=1)
def words() -> dict:
    path = Path(str(resources.files("dotterel") / "data" / "actor_words.yaml"))
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass
class Mention:
    start: int                  # token index (inclusive)
    end: int                    # token index (exclusive)
    entity: Entity
    kind: str                   # person | country | org | group | title | pronoun
    head: int = -1
    members: list[Entity] = field(default_factory=list)   # for compound mentions

    def entities(self) -> list[Entity]:
        return self.members or [self.entity]


FUNCTION_WORDS = {"and", "or", "to", "in", "on", "with", "at", "by", "from", "&", ",", "-",
                  "a", "an", "as", "into", "over", "under", "within"}


def _title_tokens(kb: KB) -> set[str]:
    toks: set[str] = set()
    for key in kb.titles:
        toks.update(t for t in key.split() if t not in FUNCTION_WORDS and t.isalpha())
    toks.update(words()["title_glue"])
    return toks


class DocActors:
    """All resolved actor mentions of one document, indexed by token."""

    def __init__(self, doc: Doc, kb: KB, date: Optional[str]):
        self.doc = doc
        self.kb = kb
        self.date = date
        self.by_token: dict[int, Mention] = {}
        self.mentions: list[Mention] = []
        self.people: list[Entity] = []            # persons in order of first mention
        self.subjects: list[Entity] = []          # persons as clause subjects, in order
        self._title_words = _title_tokens(kb)
        self._scan()

    # ------------------------------------------------------------------
    def _is_run_token(self, tok: Token) -> bool:
        w = words()
        low = tok.lower_
        if tok.text == "-" and tok.i + 1 < len(tok.doc) and \
                tok.doc[tok.i + 1].lower_ in ("elect", "designate"):
            return True     # "President-elect"
        if low in ("elect", "designate") and tok.i > 0 and tok.doc[tok.i - 1].text == "-":
            return True
        if tok.text == "-" and 0 < tok.i < len(tok.doc) - 1 and not tok.whitespace_ and \
                not tok.doc[tok.i - 1].whitespace_ and tok.doc[tok.i - 1].pos_ == "PROPN" and \
                tok.doc[tok.i + 1].pos_ == "PROPN":
            return True     # "Kassym-Jomart", "el-Sisi"
        if low in FUNCTION_WORDS or tok.is_punct:
            return False
        if tok.ent_type_ in ENT_LABELS:
            return True
        if low in self._title_words or low.rstrip("s") in self._title_words:
            return True
        if low in w["group_nouns"] or low in w["sector_nouns"]:
            return True
        if tok.text in ("'s", "’s") and tok.i > 0:
            return False
        if tok.pos_ == "PROPN" and tok.is_title and low not in w["not_names"]:
            return True
        return False

    def _datelines(self) -> set[int]:
        """Tokens of datelines ("Tehran, IRNA -", "KIEV, July 12 (Xinhua) --"):
        a place and an agency heading a paragraph are not actors."""
        from . import places
        out: set[int] = set()
        text = self.doc.text
        pos = 0
        for para in text.split("\n"):
            if para.strip():
                try:
                    _loc, length = places.dateline(para)
                except Exception:
                    length = 0
                if length:
                    span = self.doc.char_span(pos, pos + length, alignment_mode="expand")
                    if span is not None:
                        out.update(t.i for t in span)
            pos += len(para) + 1
        return out

    def _scan(self) -> None:
        doc = self.doc
        i = 0
        n = len(doc)
        dateline = self._datelines()
        while i < n:
            tok = doc[i]
            if i in dateline:
                i += 1
                continue
            if not self._is_run_token(tok) or tok.lower_ in words()["title_glue"]:
                i += 1
                continue
            j = i
            while j < n and j not in dateline and (self._is_run_token(doc[j]) or
                             (doc[j].lower_ in ("the", "of") and j + 1 < n and
                              self._is_run_token(doc[j + 1]) and doc[j + 1].lower_ not in ("of",))):
                if j > i and doc[j].is_sent_start:
                    break
                j += 1
            # trim trailing glue words
            while j > i and doc[j - 1].lower_ in words()["title_glue"]:
                j -= 1
            # a title phrase, a comma, then the name: one mention
            if j < n - 1 and doc[j].text == "," and \
                    not any(t.ent_type_ == "PERSON" for t in doc[i:j]):
                k = j + 1
                while k < n and k < j + 6 and self._is_run_token(doc[k]) and not doc[k].is_sent_start:
                    k += 1
                if k > j + 1 and any(t.ent_type_ == "PERSON" for t in doc[j + 1:k]):
                    self._add_run(i if not (i > 0 and doc[i - 1].lower_ == "the") else i - 1, k,
                                  text=doc[i:j].text + " " + doc[j + 1:k].text)
                    i = k
                    continue
            start = i
            if i > 0 and doc[i - 1].lower_ == "the":
                start = i - 1
            self._add_run(start, j)
            i = max(j, i + 1)
        self._pronouns()

    def _add_run(self, start: int, end: int, text: Optional[str] = None) -> None:
        span = self.doc[start:end]
        text = (text or span.text).strip(" ,")
        if not text:
            return
        ent = self._resolve(text, span)
        if ent is None:
            return
        kind = "person" if ent.name and (any(t.ent_type_ == "PERSON" for t in span) or
                                          any(p.name == ent.name for p in self.people)) else \
            ("country" if ent.name is None else "org")
        ent.start, ent.end = span.start_char, span.end_char
        m = Mention(start, end, ent, kind, head=span.root.i)
        self.mentions.append(m)
        if ent.name and span.root.dep_ in ("nsubj", "nsubjpass"):
            self.subjects.append(ent)
        for k in range(start, end):
            self.by_token[k] = m

    def _resolve(self, text: str, span: Span) -> Optional[Entity]:
        kb = self.kb
        ent = kb.resolve(text, self.date) if hasattr(kb, "resolve") else None
        has_person = any(t.ent_type_ == "PERSON" for t in span)
        low = norm(text)
        if not has_person and ent is not None and ent.name and ent.title and \
                kb.person(ent.name) is not None and not any(
                    norm(p) in low for p in [ent.name] + list(getattr(kb.person(ent.name), "aliases", []))):
            # "the Secretary of State", "the President-elect": the office holder the
            # article itself named beats the KB's guess
            for p in reversed(self.people):
                if p.country == ent.country and _title_match(p.title, ent.title, low) and \
                        ("elect" in low) == ("elect" in norm(p.title or "")):
                    return copy.copy(p)
        if ent is not None and ent.name:
            self._remember(ent, span)
            return ent
        if not has_person and all(t.pos_ == "PROPN" for t in span if t.lower_ not in ("the",)):
            # a surname the NER labelled ORG/GPE: a person named earlier in the article
            known = self._known_person(" ".join(t.text for t in span if t.lower_ != "the"))
            if known is not None:
                return copy.copy(known)
        # a bare surname or a title seen earlier in this document
        if has_person:
            person_toks = [t.text for t in span if t.ent_type_ == "PERSON"]
            pname = " ".join(person_toks)
            known = self._known_person(pname)
            if known is not None:
                return copy.copy(known)
            if ent is not None:
                # title + country but an unknown name: keep the text's name
                ent.name = ent.name or pname
                self._remember(ent)
                return ent
            return None
        if ent is not None and ent.title and ent.country is None:
            pass
        plural = span.root.tag_ in ("NNS", "NNPS") or any(t.lower_ in ("two", "both") for t in span)
        if (ent is None or ent.country is None) and not plural:
            # "the head of state", "the Secretary of State", "the minister"
            # (not "the two leaders": that is both sides)
            by_title = self._person_by_title(low, ent)
            if by_title is not None:
                return copy.copy(by_title)
        if ent is not None and ent.title and ent.country and not ent.name:
            # "the UK minister", "the Azerbaijani leader": a known person of that country
            for p in reversed(self.people):
                if p.country == ent.country and _title_match(p.title, ent.title, low):
                    return copy.copy(p)
        return ent if (ent is not None and ent.country) else None

    def _remember(self, ent: Entity, span: Optional[Span] = None) -> None:
        if span is not None and not any(t.ent_type_ == "PERSON" for t in span) and \
                self.kb.person(ent.name or "") is None:
            return      # organisations are not people
        for p in self.people:
            if p.name == ent.name:
                if not p.title and ent.title:
                    p.title = ent.title
                return
        self.people.append(copy.copy(ent))

    def _known_person(self, name: str) -> Optional[Entity]:
        low = norm(name)
        parts = set(low.split())
        for p in reversed(self.people):
            pn = norm(p.name or "")
            if pn == low or (parts and parts <= set(pn.split())):
                return p
        return None

    def _person_by_title(self, low: str, ent: Optional[Entity]) -> Optional[Entity]:
        w = words()
        for phrase, titles in w["title_refs"].items():
            if phrase in low:
                for pool in (self.subjects[-2:], self.people):
                    for p in reversed(pool):
                        if p.title and any(t in norm(p.title) for t in titles):
                            return p
        return None

    def _pronouns(self) -> None:
        """he/she: the previous subject; him/her as object: a person other than
        the clause's own subject (binding); his/her: the clause subject first."""
        doc = self.doc
        last_subject: Optional[Entity] = None
        recent: list[Entity] = []
        for sent in doc.sents:
            sent_subject: Optional[Entity] = None
            for tok in sent:
                m = self.by_token.get(tok.i)
                if m is not None and m.entity.name and m.kind == "person":
                    if not recent or recent[-1].name != m.entity.name:
                        recent.append(m.entity)
                    if tok.dep_ in ("nsubj", "nsubjpass") and sent_subject is None:
                        sent_subject = m.entity
                    continue
                low = tok.lower_
                if low not in ("he", "him", "his", "she", "her", "himself", "herself") \
                        or tok.i in self.by_token:
                    continue
                ref: Optional[Entity] = None
                if low in ("him", "her") and tok.dep_ in ("dobj", "pobj", "dative", "iobj"):
                    clause_subj = self._clause_subject(tok)
                    for p in reversed(recent):
                        if clause_subj is None or p.name != clause_subj.name:
                            ref = p
                            break
                elif low in ("his", "her") and tok.dep_ == "poss":
                    ref = self._clause_subject(tok) or sent_subject or last_subject or \
                        (recent[-1] if recent else None)
                elif low in ("himself", "herself"):
                    ref = self._clause_subject(tok)
                else:
                    ref = last_subject or (recent[-1] if recent else None)
                    if sent_subject is not None and tok.dep_ not in ("nsubj", "nsubjpass"):
                        ref = sent_subject
                if ref is None:
                    continue
                ent = copy.copy(ref)
                ent.start, ent.end = tok.idx, tok.idx + len(tok)
                mm = Mention(tok.i, tok.i + 1, ent, "pronoun", head=tok.i)
                self.by_token[tok.i] = mm
                self.mentions.append(mm)
                if tok.dep_ in ("nsubj", "nsubjpass") and sent_subject is None:
                    sent_subject = ref
            if sent_subject is not None:
                last_subject = sent_subject

    def _clause_subject(self, tok: Token) -> Optional[Entity]:
        t = tok
        for _ in range(6):
            if t.pos_ in ("VERB", "AUX"):
                for c in t.children:
                    if c.dep_ in ("nsubj", "nsubjpass") and c.i in self.by_token:
                        m = self.by_token[c.i]
                        return m.entity if m.entity.name else None
            if t.head.i == t.i:
                break
            t = t.head
        return None

    # ------------------------------------------------------------------
    def at(self, tok: Token) -> Optional[Mention]:
        return self.by_token.get(tok.i)

    def entities_at(self, tok: Token) -> list[Entity]:
        """Entities named by the phrase headed by ``tok`` and its conjuncts."""
        out: list[Entity] = []
        for t in [tok, *_conjuncts(tok)]:
            m = self.by_token.get(t.i)
            found = [m] if m is not None else []
            if m is not None and t.tag_ in ("NNS", "NNPS"):
                # "the Uzbek and Kazakh presidents": coordinated modifiers of a plural head
                for c in t.children:
                    if c.dep_ in ("compound", "amod", "nmod") and c.i in self.by_token \
                            and self.by_token[c.i] is not m:
                        found.append(self.by_token[c.i])
                    if c.dep_ in ("compound", "amod", "nmod"):
                        for cc in _conjuncts(c):
                            if cc.i in self.by_token and self.by_token[cc.i] is not m:
                                found.append(self.by_token[cc.i])
            if m is None:
                # the head may be a generic noun whose modifiers name the actors:
                # "the Turkish and Greek sides", "Israeli police"
                for c in t.children:
                    if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i in self.by_token:
                        found.append(self.by_token[c.i])
                        for cc in _conjuncts(c):
                            if cc.i in self.by_token:
                                found.append(self.by_token[cc.i])
                        break
            for mm in found:
                for e in mm.entities():
                    if not any(_same(e, o) for o in out):
                        out.append(copy.copy(e))
        return out


def _title_match(have: Optional[str], want: Optional[str], phrase: str) -> bool:
    if not want:
        return True
    h, w = norm(have or ""), norm(want)
    return bool(h) and (w in h or h in w or ("minister" in w and "minister" in h))


def _same(a: Entity, b: Entity) -> bool:
    if a.name or b.name:
        return (a.name or "").lower() == (b.name or "").lower()
    return a.country == b.country and a.sector == b.sector


def _conjuncts(tok: Token) -> list[Token]:
    out = []
    stack = [c for c in tok.children if c.dep_ in ("conj", "appos")]
    while stack:
        c = stack.pop(0)
        out.append(c)
        stack.extend(x for x in c.children if x.dep_ in ("conj", "appos"))
    return out


def find_mentions(doc: Doc, kb: KB, date: Optional[str]) -> DocActors:
    return DocActors(doc, kb, date)
