"""The events stage: PLOVER events from a parsed, actor-resolved article.

For each sentence, triggers from ``data/lexicon.yaml`` (verbs, and nouns
under light verbs) give the type and mode; the dependency parse gives the
arguments (subject, object, prepositional objects, passive agents,
possessors); the actor stage ties them to entities. Then the document-level
passes run:

1. the main meeting or call of the article (the first CONSULT of the lead)
   gives the counterpart of verbal acts without an explicit recipient and
   the members of group references ("both sides", "the sides", "they");
2. resolve: dates (``dates``), places (``places``), contexts (``contexts``)
   and salience (main news vs background);
3. one event per act: mentions of the same act are merged (EVENTS.md rule 7).
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional

import yaml
from spacy.tokens import Doc, Span, Token

from .actors import DocActors, find_mentions
from .kb import KB, norm
from .model import Article, Entity, Event, Location

GROUP_REFS = {"sides", "parties", "presidents", "leaders", "ministers", "countries",
              "counterparts", "delegations", "they", "their", "both", "two", "heads"}


@lru_cache(maxsize=1)
def lexicon() -> dict:
    path = Path(str(resources.files("dotterel") / "data" / "lexicon.yaml"))
    with open(path, encoding="utf-8") as fh:
        lex = yaml.safe_load(fh)
    for key in ("light_verbs", "speech_verbs", "denial_adjectives", "future_markers", "readiness_adjectives",
                "future_agree_types", "hypothetical_markers", "intent_verbs"):
        lex[key] = set(lex.get(key) or [])
    return lex


@dataclass
class Raw:
    """An event as found in one sentence, before document-level passes."""
    type: str
    mode: Optional[str]
    trigger: Token
    sent: Span
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    group_actor: bool = False       # "both sides", "they": the meeting's participants
    symmetric: bool = False         # meet-like: participants, not direction
    future: bool = False
    speaker: Optional[list[Entity]] = None
    topic_between: list[Entity] = field(default_factory=list)
    passive: bool = False
    entry: dict = field(default_factory=dict)


def entry_requires_future(r: "Raw") -> bool:
    return bool(r.entry.get("requires_future"))


# ----------------------------------------------------------------------
# helpers on the parse

def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _is_negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    # "failed to", "refused to" etc. are not negation of the inner act here
    head = tok.head
    if tok.dep_ in ("xcomp",) and any(c.dep_ == "neg" for c in head.children):
        return True
    return False


def _aux_words(tok: Token) -> set[str]:
    out = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    t = tok
    # climb xcomp/conj chains: "will continue to support"
    hops = 0
    while t.dep_ in ("xcomp", "conj") and hops < 3:
        t = t.head
        out |= {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")}
        out.add(t.lemma_.lower())
        hops += 1
    return out


def _subject(tok: Token) -> tuple[Optional[Token], bool]:
    """The subject of the clause of ``tok`` and whether the clause is passive."""
    t = tok
    for _ in range(5):
        subj = _children(t, "nsubj", "csubj")
        if subj:
            return subj[0], False
        subjp = _children(t, "nsubjpass")
        if subjp:
            return subjp[0], True
        if t.dep_ in ("xcomp", "conj", "advcl", "acl", "pcomp", "ccomp") and t.head.i != t.i:
            if t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PROPN"):
                return t.head, False
            t = t.head
            continue
        if t.dep_ == "relcl":
            return t.head, False
        break
    return None, False


def _agent(tok: Token) -> Optional[Token]:
    for c in tok.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _prep_objects(tok: Token, preps: set[str], depth: int = 2) -> list[Token]:
    out = []
    for c in tok.children:
        # "sent weapons to Ukraine": spaCy labels that 'to' dative
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            out.extend(p for p in c.children if p.dep_ == "pobj")
        elif depth > 1 and c.dep_ in ("dobj", "attr", "xcomp", "acomp", "advcl") and c.pos_ != "VERB":
            out.extend(_prep_objects(c, preps, depth - 1))
        elif depth > 1 and c.dep_ == "prep" and c.lower_ in ("in", "of"):
            # "500 million euros in aid to Ukraine"
            for p in c.children:
                if p.dep_ == "pobj" and p.lemma_.lower() in AID_NOUNS:
                    out.extend(_prep_objects(p, preps, depth - 1))
    return out


def _subtree_tokens(tok: Token, stop: set[int]) -> list[Token]:
    out = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.i in stop or c.dep_ in ("ccomp", "relcl", "advcl", "parataxis"):
                continue
            stack.append(c)
    return sorted(out, key=lambda x: x.i)


def _under_noun(tok: Token) -> bool:
    """Is the act only talked about ("accusations about X intending to attack")?"""
    t = tok
    while t.head.i != t.i:
        if t.dep_ in ("acl", "pcomp", "pobj", "relcl") and t.head.pos_ in ("NOUN", "PROPN", "ADP"):
            return True
        t = t.head
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp"):
            return False
    return False


def _separate_meetings(tok: Token) -> bool:
    """"bilateral talks / separate meetings with A, B and C"."""
    words = {c.lower_ for c in tok.children} | {tok.lower_}
    if tok.pos_ == "VERB":
        words |= {c.lower_ for c in tok.children if c.dep_ == "advmod"}
        for c in tok.children:
            if c.dep_ == "dobj":
                words |= {x.lower_ for x in c.children}
    return bool(words & {"bilateral", "separate", "separately", "individual"})


def _under_trigger(tok: Token, trig_ids: set[int], clausal: bool = False) -> bool:
    """Is ``tok`` inside another trigger's complement? Coordination ("the
    export of oil and the delivery of grain") does not count.  With
    ``clausal``, only a complement clause or an infinitive counts ("pressed
    the administration for months to tighten controls": the tightening is
    asked for, not done)."""
    t = tok
    only_conj = True
    in_clause = False
    while t.head.i != t.i:
        if t.dep_ != "conj":
            only_conj = False
        in_clause = in_clause or t.dep_ in ("xcomp", "ccomp") or \
            (t.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children))
        t = t.head
        if t.i in trig_ids:
            return in_clause if clausal else not only_conj
    return False


def _between_countries(toks: list[Token], actors: DocActors) -> list[Entity]:
    """Entities in a "between X and Y" phrase among ``toks``."""
    out: list[Entity] = []
    for t in toks:
        if t.lower_ == "between" and t.dep_ == "prep":
            for p in t.children:
                if p.dep_ == "pobj":
                    out.extend(actors.entities_at(p))
    return out


# ----------------------------------------------------------------------
# quotes and speakers

def _quote_ranges(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[“\"]([^“”\"]{3,}?)[”\"]", text, flags=re.S):
        out.append((m.start(), m.end()))
    # an opening curly quote never closed in the article: up to the paragraph end
    return out


def _speech_subject(sent: Span, actors: DocActors) -> list[Entity]:
    lex = lexicon()
    for tok in sent:
        if tok.lemma_.lower() in lex["speech_verbs"] and tok.pos_ in ("VERB", "AUX"):
            subj, _ = _subject(tok)
            if subj is not None:
                ents = actors.entities_at(subj)
                if ents:
                    return ents
    return []


# ----------------------------------------------------------------------
# the main pass

PLACE_LABELS = {"GPE", "LOC", "FAC"}
QUANTITY_HEADS = {"thousands", "hundreds", "dozens", "scores", "tens", "millions", "hundred",
                  "thousand", "dozen", "group", "crowd", "crowds", "number", "lot", "lots"}


def _instrument_mode(sent: Span, lex: dict) -> Optional[str]:
    """The ASSAULT mode the sentence's means of attack give (lexicon
    ``assault_instruments``, in order), or None."""
    words = [t.lower_ for t in sent]
    lemmas = [t.lemma_.lower() for t in sent]
    for spec in lex.get("assault_instruments") or ():
        for w in spec["words"]:
            parts = str(w).lower().split()
            n = len(parts)
            for i in range(len(words) - n + 1):
                if words[i:i + n] == parts or (n == 1 and lemmas[i] == parts[0]):
                    return spec["mode"]
    return None


def _place_prep(tok: Token, preps: list[str]) -> bool:
    """Whether ``tok`` has a prepositional phrase (one of ``preps``) naming a
    place: "welcomed him to Ankara"."""
    return any(c.dep_ == "prep" and c.lower_ in preps and
               any(o.dep_ == "pobj" and o.ent_type_ in PLACE_LABELS for o in c.children)
               for c in tok.children)


class Extractor:
    def __init__(self, doc: Doc, article: Article, kb: KB):
        self.doc = doc
        self.article = article
        self.kb = kb
        self.lex = lexicon()
        self.actors = find_mentions(doc, kb, article.story_date or _year_of(doc.text))
        self.quotes = _quote_ranges(doc.text)
        self.quote_speakers: dict[tuple[int, int], list[Entity]] = {}
        self._find_quote_speakers()
        skip = getattr(article, "skip_ranges", None) or []
        self.skip = [tuple(r) for r in skip]
        self.dateline_country = _dateline_country(doc.text)

    # -- quotes ---------------------------------------------------------
    def _find_quote_speakers(self) -> None:
        doc = self.doc
        if not self.quotes:
            return
        # the speech verbs of each sentence, found in one pass over the
        # document (not once per quote: a long article has dozens of quotes)
        verbs = set(self.lex["speech_verbs"]) | {"greet"}
        by_sent: dict[int, list[Token]] = {}
        for sent in doc.sents:
            found = [tok for tok in sent if tok.lemma_.lower() in verbs]
            if found:
                by_sent[sent.start] = found
        for (qs, qe) in self.quotes:
            speaker: list[Entity] = []
            # the sentence that opens the quote, then the one that closes it
            for ch in (qs, max(qs, qe - 1)):
                span = doc.char_span(ch, ch + 1, alignment_mode="expand")
                if span is None:
                    continue
                sent = span[0].sent
                # speech verb outside the quote
                for tok in by_sent.get(sent.start, ()):
                    if qs <= tok.idx < qe:
                        continue
                    subj, _ = _subject(tok)
                    if subj is not None and not (qs <= subj.idx < qe):
                        speaker = self.actors.entities_at(subj)
                        if speaker:
                            break
                if speaker:
                    break
            if speaker:
                self.quote_speakers[(qs, qe)] = speaker

    def _in_quote(self, tok: Token) -> Optional[tuple[int, int]]:
        for (qs, qe) in self.quotes:
            if qs <= tok.idx < qe:
                return (qs, qe)
        return None

    # -- argument resolution -------------------------------------------
    def _ents(self, tok: Optional[Token]) -> tuple[list[Entity], bool]:
        """Entities for an argument token; second value: a group reference."""
        if tok is None:
            return [], False
        arg = tok          # the argument as the clause has it ("hundreds")
        for _ in range(3):
            # "thousands of students", "hundreds of thousands of people": the
            # people counted
            if not ((tok.lower_ in QUANTITY_HEADS or (tok.like_num and tok.pos_ == "NUM"))
                    and not self.actors.entities_at(tok)):
                break
            counted = _prep_objects(tok, {"of"}, 1)
            if not counted:
                break
            tok = counted[0]
        low = tok.lower_
        if low in GROUP_REFS or (low in ("sides", "parties") ) or \
                any(c.lower_ in ("both", "two") for c in tok.children) and tok.tag_ in ("NNS", "NNPS"):
            ents = self.actors.entities_at(tok)
            # "the presidents of Azerbaijan and Russia" -> a list
            pobj = _prep_objects(tok, {"of"}, 1)
            if pobj:
                ents = self.actors.entities_at(pobj[0]) or ents
            if not ents and low in ("they", "their"):
                sp = self._speaker_for(tok)
                if sp:
                    return list(sp), False
            return ents, not ents
        if low in ("latter", "former"):
            named = []
            for m in self.actors.mentions:
                if m.end <= tok.i and m.start >= tok.sent.start and m.entity.name and \
                        not any(_same_ent(m.entity, x) for x in named):
                    named.append(m.entity)
            if len(named) >= 2:
                return [copy.copy(named[-1] if low == "latter" else named[0])], False
            return [], False
        q = self._in_quote(tok)
        if q is not None and low in ("i", "we", "me", "us", "our", "my"):
            return list(self.quote_speakers.get(q, [])), False
        if low in ("we", "i", "us") and q is None:
            return [], False
        if low in ("it", "they") and tok.i not in self.actors.by_token:
            # "Hungary said it will support": the speaker's own side
            sp = self._speaker_for(tok.head if tok.dep_ in ("nsubj", "nsubjpass") else tok)
            if sp:
                return list(sp), False
        ents = self.actors.entities_at(tok)
        if not ents and tok.dep_ in ("poss",):
            ents = self.actors.entities_at(tok)
        if not ents and tok.pos_ in ("NOUN", "PROPN"):
            # "opposition groups in Zimbabwe", "officials of the Interior Ministry of X"
            for o in _prep_objects(tok, {"in", "of", "from", "throughout", "across"}, 1):
                for e in self.actors.entities_at(o):
                    if e.name is None and e.country:
                        sector = None
                        if hasattr(self.kb, "sector"):
                            try:
                                sector = self.kb.sector(tok.lower_)
                            except Exception:
                                sector = None
                        ents = [Entity(country=e.country, sector=sector or "UNK",
                                       start=tok.idx, end=tok.idx + len(tok))]
                        break
                if ents:
                    return ents, False
            if not ents and arg.dep_ == "nsubj" and self.kb.sector(tok.lower_):
                # "farmers blocked roads across France": a collective subject
                # of the country where its clause happens
                for o in _prep_objects(arg.head, {"in", "across", "throughout"}, 2):
                    for e in self.actors.entities_at(o):
                        if e.name is None and e.country and e.country not in NONSTATE:
                            return [Entity(country=e.country, sector=self.kb.sector(tok.lower_),
                                           start=tok.idx, end=tok.idx + len(tok))], False
        if not ents:
            # "the United States' readiness": possessor; "his country's": possessor's country
            for c in tok.children:
                if c.dep_ == "poss":
                    inner, g = self._ents(c)
                    if inner:
                        if tok.lower_ in ("country", "nation", "government", "side"):
                            return [Entity(country=inner[0].country, sector="GOV")], False
                        return inner, g
        return ents, False

    def _recipient_tokens(self, trig: Token, entry: dict) -> list[Token]:
        roles = entry.get("roles", "directed")
        out: list[Token] = []
        objs = _children(trig, "dobj", "dative", "attr")
        if roles in ("visit", "call", "directed", "host", "meet"):
            out.extend(objs)
        preps = {"with", "to"} if roles in ("call", "meet") else \
            {"to", "in", "at"} if roles == "visit" else {"with", "to", "against", "toward", "towards", "on", "for", "of"}
        if entry.get("preps"):
            preps = set(entry["preps"])
        out.extend(_prep_objects(trig, preps))
        if trig.pos_ in ("NOUN", "PROPN") and trig.head.lemma_.lower() in self.lex["light_verbs"]:
            # "expressed gratitude to Biden": the 'to' may hang from the light verb
            out.extend(_prep_objects(trig.head, {"to", "with", "toward", "towards"}, 1))
        # "demanded that the US cancel ...", "urged Israel to ...": the one asked to act
        for c in trig.children:
            if c.dep_ in ("ccomp",) and c.pos_ in ("VERB", "AUX"):
                out.extend(_children(c, "nsubj"))
        # "expressed readiness to cooperate with Azerbaijan": look into the complement
        for c in trig.children:
            if c.dep_ in ("acl", "xcomp", "relcl") and c.pos_ in ("VERB", "AUX"):
                out.extend(_children(c, "dobj"))
                out.extend(_prep_objects(c, {"with", "to", "for", "toward", "towards"}))
                for cc in c.children:
                    if cc.dep_ in ("xcomp", "conj") and cc.pos_ == "VERB":
                        out.extend(_children(cc, "dobj"))
                        out.extend(_prep_objects(cc, {"with", "to", "for"}))
        return out

    def _actor_token(self, trig: Token, is_noun: bool) -> tuple[Optional[Token], bool, Optional[Token]]:
        """(actor token, passive, governing verb) for a trigger."""
        if is_noun:
            by = _prep_objects(trig, {"by"}, 1)
            if by and self.actors.at(by[0]) is not None:
                return by[0], False, trig.head
            poss = _children(trig, "poss")
            head = trig.head
            verb = head
            # climb from a noun to its verb: "expressed readiness", "held talks",
            # "made a phone call", "extended congratulations on"
            hops = 0
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and hops < 3:
                verb = verb.head
                hops += 1
            if poss:
                p = poss[0]
                if p.lower_ == "their":
                    return p, False, verb
                if p.lower_ in ("his", "her", "its", "our", "my"):
                    subj, passive = _subject(verb) if verb.pos_ in ("VERB", "AUX") else (None, False)
                    if subj is not None:
                        return subj, passive, verb
                return p, False, verb
            if verb.pos_ in ("VERB", "AUX"):
                subj, passive = _subject(verb)
                if passive:
                    ag = _agent(verb)
                    return ag, True, verb
                return subj, False, verb
            return None, False, None
        ag = _agent(trig)
        if ag is not None:
            # "the statement signed by X", "was praised by X"
            return ag, True, trig
        subj, passive = _subject(trig)
        if passive:
            return None, True, trig
        return subj, False, trig

    # -- triggers -------------------------------------------------------
    def _entry(self, tok: Token) -> tuple[Optional[dict], bool]:
        lex = self.lex
        lemma = tok.lemma_.lower()
        low = tok.lower_
        if tok.pos_ == "VERB":
            e = lex["verbs"].get(lemma)
            if e and e.get("variants"):
                # "call for / call on" (REQUEST), "call off" (CONCEDE)
                for c in tok.children:
                    if c.dep_ in ("prep", "prt") and c.lower_ in e["variants"]:
                        v = lex["verbs"].get(e["variants"][c.lower_])
                        if v and v.get("requires_place_prep") and \
                                not _place_prep(tok, v["requires_place_prep"]):
                            continue    # "welcomed the move to ...": not a place
                        return v, False
            return (e, False) if e else (None, False)
        if tok.pos_ in ("NOUN", "PROPN"):
            e = lex["nouns"].get(low) or lex["nouns"].get(lemma)
            if e is None and low == "conference" and any(c.lower_ == "press" for c in tok.children):
                e = lex["nouns"].get("press conference")
            return (e, True) if e else (None, False)
        return None, False

    def raw_events(self) -> list[Raw]:
        out: list[Raw] = []
        for sent in self.doc.sents:
            if self._skipped(sent):
                continue
            found: list[tuple[Token, dict, bool]] = []
            for tok in sent:
                entry, is_noun = self._entry(tok)
                if entry is None:
                    continue
                if entry.get("type") == "AGREE" and not is_noun and \
                        any(c.dep_ == "neg" for c in tok.children):
                    # "will not accept", "did not agree": a refusal
                    entry = dict(entry, type="REJECT", mode=None, objects=None, object_types=None)
                    found.append((tok, entry, is_noun))
                    continue
                if not self._entry_ok(tok, entry, is_noun):
                    continue
                found.append((tok, entry, is_noun))
            # one event per clause chain: a trigger inside another trigger's
            # complement, without a subject of its own, belongs to the outer one
            # - when the outer one is an event ("received a phone call from X":
            # 'received' needs a person received, so the call is the event)
            built = {t.i: self._build(t, e, n, sent) for t, e, n in found}
            trig_ids = {i for i, r in built.items() if r is not None and
                        not (entry_requires_future(r) and not r.future)}
            # an outer verb that is no event still owns its clausal complement
            # ("pressed X to tighten controls"), unless it only counts in the
            # future ("continued to send": the sending happened)
            failed = {t.i for t, e, n in found if built[t.i] is None and
                      not e.get("requires_future")}
            kept = []
            for tok, entry, is_noun in found:
                own_subj = bool(_children(tok, "nsubj", "nsubjpass", "agent")) or \
                    (is_noun and bool(_children(tok, "poss"))) or \
                    (is_noun and tok.dep_ == "pobj" and tok.head.lower_ in FRAME_PREPS and
                     any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children))
                if not own_subj and (_under_trigger(tok, trig_ids) or
                                     _under_trigger(tok, failed, clausal=True)):
                    continue
                kept.append((tok, entry, is_noun))
            for tok, entry, is_noun in kept:
                r = built[tok.i]
                if r is not None and r.type == "CONSULT" and _separate_meetings(tok) and \
                        len(r.actor) == 1 and len(r.recipient) > 1:
                    # "held bilateral talks with A, B and C": one meeting each
                    for rec in r.recipient:
                        rr = copy.copy(r)
                        rr.recipient = [rec]
                        out.append(rr)
                    continue
                if r is not None:
                    out.append(r)
                    acc = self._reported_accusation(r)
                    if acc is not None:
                        out.append(acc)
            out.extend(self._denials(sent))
            if not kept:
                out.extend(self._modal_requests(sent))
            if not any(e.get("type") == "AGREE" for _, e, _ in kept):
                out.extend(self._readiness(sent))
        return out

    def _skipped(self, sent: Span) -> bool:
        for (s, e) in self.skip:
            if s <= sent.start_char and sent.end_char <= e + 1:
                return True
        return False

    def _entry_ok(self, tok: Token, entry: dict, is_noun: bool) -> bool:
        if _is_negated(tok):
            return False
        if entry.get("requires_light_verb"):
            head = tok.head
            if head.lemma_.lower() not in self.lex["light_verbs"]:
                if not (tok.dep_ == "pobj" and head.lower_ in ("during", "at", "in", "after")) and \
                        not (tok.dep_ == "pobj" and head.lower_ == "with" and
                             head.head.lemma_.lower() in self.lex["light_verbs"]):
                    return False
        objs = entry.get("objects")
        if objs:
            toks = [c for c in tok.subtree if c.i != tok.i]
            if tok.dep_ in ("acl", "relcl"):
                toks.append(tok.head)    # "the statement signed by ..."
            words = {c.lower_ for c in toks} | {c.lemma_.lower() for c in toks}
            if not (words & set(objs)):
                return False
        if entry.get("objects_money"):
            if not any(c.ent_type_ == "MONEY" or c.like_num for c in tok.subtree):
                return False
        if entry.get("requires_multi_party"):
            subj = _children(tok, "nsubj")
            multi = bool(subj) and any(c.dep_ == "conj" for c in subj[0].children)
            withp = any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children)
            if not (multi or withp):
                return False
        if entry.get("requires_possessor_or_light_verb"):
            ok = any(c.dep_ == "poss" for c in tok.children) or \
                tok.head.lemma_.lower() in self.lex["light_verbs"] or \
                (tok.dep_ == "pobj" and tok.head.lower_ in ("during", "after", "before", "of", "on")) or \
                any(c.dep_ == "prep" and c.lower_ in ("to",) for c in tok.children)
            if not ok:
                return False
        if entry.get("not_under") and tok.dep_ == "pobj" and tok.head.lower_ in entry["not_under"]:
            return False    # "in protest of": the reason for another act
        if entry.get("requires_particle"):
            if not any(c.dep_ == "prt" and c.lower_ in entry["requires_particle"] for c in tok.children):
                return False
        if entry.get("requires_adj"):
            if not any(c.lower_ in entry["requires_adj"] for c in tok.children):
                return False
        if entry.get("requires_adv"):
            if not any(c.lower_ in entry["requires_adv"] for c in tok.children):
                return False
        if entry.get("preps_required"):
            if not any(c.dep_ == "prep" and c.lower_ in entry["preps_required"] for c in tok.children):
                return False
        if entry.get("not_with_prep"):
            if any(c.dep_ == "prep" and c.lower_ in entry["not_with_prep"] for c in tok.children):
                return False
        if entry.get("requires_complement"):
            if not any(c.dep_ in ("acl", "prep") for c in tok.children):
                return False
        if entry.get("requires_with"):
            if not any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children):
                return False
        if any(c.lower_ in self.lex["hypothetical_markers"] and c.dep_ in ("mark",) for c in tok.children):
            return False
        return True

    def _build(self, tok: Token, entry: dict, is_noun: bool, sent: Span) -> Optional[Raw]:
        etype = entry["type"]
        mode = entry.get("mode")
        if entry.get("object_types"):
            # the object decides: "lifted a curfew" (CONCEDE) vs "lifted a blockade" (RETREAT)
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "pobj", "attr")]
            if tok.dep_ in ("acl", "relcl"):
                objs.append(tok.head)
            for o in objs:
                ot = entry["object_types"].get(o.lemma_.lower()) or entry["object_types"].get(o.lower_)
                if ot:
                    etype, mode = (ot[0], ot[1] if len(ot) > 1 else None) if isinstance(ot, list) else (ot, None)
                    break
        for c in tok.children:
            # "hunger strike": a modifier that names the mode
            if c.dep_ in ("compound", "amod") and c.lower_ in (entry.get("modifier_modes") or {}):
                mode = entry["modifier_modes"][c.lower_]
        roles = entry.get("roles", "directed")
        a_tok, passive, verb = self._actor_token(tok, is_noun)
        if passive and a_tok is None and tok.lower_ in self.lex["readiness_adjectives"]:
            # "Vietnam is committed to ...": a stated commitment
            subj = _children(tok, "nsubjpass")
            a_tok, passive = (subj[0] if subj else None), False
        if passive and a_tok is None and etype == "COERCE" and not is_noun:
            # "X was arrested in Lebanon": the authorities of that country
            where = None
            for o in _prep_objects(tok, {"in"}, 1):
                ents = self.actors.entities_at(o)
                if ents and ents[0].name is None and ents[0].country not in NONSTATE:
                    where = ents[0]
            if where is None and self.dateline_country:
                where = Entity(country=self.dateline_country)
            if where is None:
                return None
            victims = []
            for sj in _children(tok, "nsubjpass"):
                victims, _ = self._ents(sj)
            return Raw(type=etype, mode=mode, trigger=tok, sent=sent,
                       actor=[Entity(country=where.country, sector="COP")], recipient=victims,
                       entry=entry)
        if passive and not entry.get("passive_ok") and a_tok is None and not is_noun:
            return None
        actor, group = self._ents(a_tok)
        poss_recipient: list[Entity] = []
        if entry.get("poss_is_recipient") and is_noun:
            # "Azerbaijan's invitation to join": the possessor is invited
            if any(c.dep_ == "poss" for c in tok.children) and a_tok is not None and \
                    a_tok.dep_ == "poss":
                poss_recipient, actor, group = actor, [], False
        if not actor and not group and a_tok is None and not passive:
            actor = self._nearest_left(tok, sent)
        if not actor and not group and a_tok is not None and not poss_recipient and \
                a_tok.lower_ not in ("we", "i", "you"):
            actor = self._sole_country(a_tok, sent) or self._dateline_actor(a_tok) or \
                self._nearest_left(tok, sent)
        speaker = None
        # reported speech: "X said (that) CLAUSE" - a country subject of the
        # speaker's own side is the speaker; "we"/"I" in a quote likewise
        sp = self._speaker_for(tok)
        if sp:
            speaker = sp
            if actor and all(a.name is None for a in actor) and \
                    any(a.country == s.country for a in actor for s in sp) and len(actor) == 1:
                actor = copy.deepcopy(sp)
            if not actor and not group and a_tok is not None and a_tok.lower_ in ("we", "i"):
                actor = copy.deepcopy(sp)
        rtoks = self._recipient_tokens(tok, entry)
        if entry.get("requires_place_prep"):
            # "welcomed X to Ankara": the place is where, not whom
            rtoks = [t for t in rtoks if not (t.dep_ == "pobj" and t.ent_type_ in PLACE_LABELS
                                              and t.head.lower_ in entry["requires_place_prep"])]
        recipient: list[Entity] = list(poss_recipient)
        if is_noun and verb is not None and verb.lemma_.lower() in ("receive", "get", "accept"):
            # "X received a phone call / an invitation from Y": Y acts on X
            frm = _prep_objects(tok, {"from"}) + _prep_objects(verb, {"from"}, 1)
            if frm:
                sender: list[Entity] = []
                for f in frm:
                    sender.extend(self.actors.entities_at(f))
                if sender:
                    recipient = actor + recipient
                    actor = sender
                    rtoks = []
        for rt in rtoks:
            ents, g = self._ents(rt)
            for e in ents:
                if not any(_same_ent(e, x) for x in recipient):
                    recipient.append(e)
        if passive and roles == "directed":
            # "X was praised (by Y)": the passive subject is the recipient
            subj = _children(tok, "nsubjpass")
            if subj:
                rec, _ = self._ents(subj[0])
                if not rec:
                    for o in _prep_objects(subj[0], {"of"}, 1):
                        rec.extend(self.actors.entities_at(o))
                recipient = rec + [x for x in recipient if not any(_same_ent(x, y) for y in rec)]
        if roles == "host":
            # "President X received him": the object visits, the subject hosts
            if not recipient:
                return None
            actor, recipient = recipient, actor
        if entry.get("subject_is_recipient"):
            # "the French minister told lies": the speaker accuses the subject
            if not sp:
                return None
            actor, recipient = copy.deepcopy(sp), actor
        if entry.get("requires_object_actor") and roles != "host" and not recipient:
            return None
        # actors may not be their own recipients
        recipient = [r for r in recipient if not any(_same_ent(r, a) for a in actor)]
        future = self._is_future(tok, verb)
        # "X must/should do Z" said by someone else: a demand, not the act
        auxes = {c.lower_ for c in tok.children if c.dep_ == "aux"}
        if auxes & {"must", "should"} and sp and actor and not (_countries(sp) & _countries(actor)):
            return Raw(type="REQUEST", mode=None, trigger=tok, sent=sent, actor=copy.deepcopy(sp),
                       recipient=actor, entry={"type": "REQUEST"})
        # "is willing / ready to withdraw": an offer, not the act
        if any(a.lower_ in self.lex["readiness_adjectives"] for a in tok.ancestors
               if a.i < tok.i and a.i >= sent.start and tok.head.i == a.i):
            if etype in THREAT_MODES:
                etype, mode, future = "THREATEN", THREAT_MODES[etype], False
            else:
                etype, mode, future = "AGREE", None, False
        r = Raw(type=etype, mode=mode, trigger=tok, sent=sent, actor=actor, recipient=recipient,
                group_actor=group or (a_tok is not None and a_tok.lower_ == "they"),
                symmetric=roles == "meet", future=future, speaker=speaker, passive=passive,
                entry=entry)
        r.topic_between = _between_countries(_subtree_tokens(tok, set()), self.actors)
        if a_tok is None and not actor and sp:
            # an act stated inside someone's words with no subject of its own
            r.actor = copy.deepcopy(sp)
        if roles == "meet" and etype == "CONSULT" and len(r.actor) >= 1 and not r.recipient:
            pass
        return r

    def _reported_accusation(self, r: Raw) -> Optional[Raw]:
        """"X said Y's forces shelled Z": X alleges it (ACCUSE allege, X -> Y)."""
        if r.type not in HOSTILE or not r.speaker or not r.actor or r.future:
            return None
        if _countries(r.speaker) & _countries(r.actor):
            return None
        if self._in_quote(r.trigger) is not None:
            return None
        return Raw(type="ACCUSE", mode="allege", trigger=r.trigger, sent=r.sent,
                   actor=copy.deepcopy(r.speaker), recipient=copy.deepcopy(r.actor),
                   entry={"type": "ACCUSE"})

    def _dateline_actor(self, a_tok: Token) -> list[Entity]:
        """"The police", "the Foreign Ministry spokesperson" under a "TEHRAN -"
        dateline: that country's authorities."""
        if not self.dateline_country:
            return []
        words = {t.lower_ for t in a_tok.subtree} | {a_tok.lemma_.lower()}
        if not (words & STATE_BODY_WORDS):
            return []
        sector = "GOV"
        if hasattr(self.kb, "sector"):
            try:
                sector = self.kb.sector(a_tok.lower_) or "GOV"
            except Exception:
                pass
        named = [t.text for t in a_tok.subtree if t.ent_type_ == "PERSON"]
        return [Entity(name=" ".join(named) or None, country=self.dateline_country, sector=sector,
                       start=a_tok.idx, end=a_tok.idx + len(a_tok))]

    def _sole_country(self, a_tok: Token, sent: Span) -> list[Entity]:
        """An actor phrase the KB cannot place ("President Museveni", "Leaders of
        the Azadliq coalition") in a sentence naming exactly one country: that
        country, outside the phrase's own clause objects."""
        subtree = {t.i for t in a_tok.subtree}
        # the act's own objects name its target, not its actor
        verb = a_tok.head
        target = {t.i for c in verb.children if c.i not in subtree and c.dep_ in
                  ("dobj", "dative", "attr", "prep", "xcomp", "ccomp") for t in c.subtree}
        subtree |= target
        named = [t for t in a_tok.subtree if t.ent_type_ == "PERSON"]
        countries = {}
        for m in self.actors.mentions:
            if m.start < sent.start or m.end > sent.end or m.start in subtree:
                continue
            for e in m.entities():
                if e.country and e.name is None and e.country not in NONSTATE:
                    countries.setdefault(e.country, e)
        if len(countries) != 1:
            return []
        (iso, _), = countries.items()
        sector = "GOV" if named else "UNK"
        if hasattr(self.kb, "sector"):
            try:
                sector = self.kb.sector(a_tok.lower_) or sector
            except Exception:
                pass
        name = " ".join(t.text for t in named) or None
        return [Entity(name=name, country=iso, sector=sector,
                       start=a_tok.idx, end=a_tok.idx + len(a_tok))]

    def _nearest_left(self, tok: Token, sent: Span) -> list[Entity]:
        """When the parse gives no subject: the closest actor named before the
        trigger in the same sentence (a fallback for broken parses)."""
        for t in reversed(sent[: tok.i - sent.start]):
            if t.text in (";", ":") or t.lower_ in ("that", "which", "who"):
                break
            m = self.actors.at(t)
            if m is not None and t.dep_ not in ("pobj",):
                return [copy.copy(e) for e in m.entities()]
        return []

    def _speaker_for(self, tok: Token) -> Optional[list[Entity]]:
        q = self._in_quote(tok)
        if q is not None and q in self.quote_speakers:
            return self.quote_speakers[q]
        # climb to a speech verb whose ccomp contains tok
        t = tok
        hops = 0
        # from an argument ("the minister", "they") up to its clause's verb
        while t.pos_ in ("NOUN", "PROPN", "ADJ", "PRON") and t.head.i != t.i and hops < 3:
            t = t.head
            hops += 1
        for _ in range(6):
            if t.dep_ in ("ccomp", "xcomp", "advcl", "conj") and t.head.i != t.i:
                h = t.head
                if h.lemma_.lower() in self.lex["speech_verbs"] and t.dep_ == "ccomp":
                    subj, _ = _subject(h)
                    if subj is not None:
                        ents, _ = self._ents(subj)
                        if ents:
                            return ents
                t = h
            else:
                break
        return None

    def _is_future(self, tok: Token, verb: Optional[Token]) -> bool:
        words = _aux_words(tok)
        if verb is not None and verb.i != tok.i:
            words |= _aux_words(verb)
        if words & self.lex["future_markers"]:
            return True
        if words & self.lex["intent_verbs"]:
            return True
        if any(c.dep_ == "advcl" and any(m.lower_ in ("unless", "if") for m in c.children)
               for c in tok.children):
            return True     # "will withdraw unless ...", "would boycott if ..."
        # "look forward to", "soon"
        return False

    def _modal_requests(self, sent: Span) -> list[Raw]:
        """"X said Y must/should do Z": X asks Y (REQUEST)."""
        out = []
        for tok in sent:
            if tok.lower_ in ("must", "should") and tok.dep_ == "aux":
                verb = tok.head
                if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in self.lex["speech_verbs"] | {"declare", "reiterate", "remind"}:
                    continue
                if any(c.dep_ == "neg" for c in verb.children) and False:
                    continue
                sp = self._speaker_for(verb)
                subj = _children(verb, "nsubj", "nsubjpass")
                rec = self.actors.entities_at(subj[0]) if subj else []
                if sp and rec and not (_countries(sp) & _countries(rec) and len(_countries(rec)) == 1
                                       and all(r.name is None for r in rec)):
                    out.append(Raw(type="REQUEST", mode=None, trigger=verb, sent=sent,
                                   actor=copy.deepcopy(sp), recipient=rec, entry={"type": "REQUEST"}))
        return out

    def _readiness(self, sent: Span) -> list[Raw]:
        """"X is ready / willing / prepared / committed to ...": AGREE."""
        out = []
        for tok in sent:
            if tok.lower_ in self.lex["readiness_adjectives"] and tok.dep_ in ("acomp", "amod", "xcomp") \
                    and any(c.dep_ in ("xcomp", "prep") for c in tok.children):
                head = tok.head
                subj, _ = _subject(head) if tok.dep_ != "amod" else (head, False)
                actor, group = self._ents(subj)
                sp = self._speaker_for(head)
                if sp and actor and all(a.name is None for a in actor) and \
                        _countries(sp) & _countries(actor):
                    actor = copy.deepcopy(sp)
                if not actor:
                    continue
                rec: list[Entity] = []
                for c in tok.children:
                    if c.dep_ == "xcomp":
                        for o in _children(c, "dobj") + _prep_objects(c, {"with", "to", "for"}):
                            rec.extend(self.actors.entities_at(o))
                    if c.dep_ == "prep":
                        for o in _children(c, "pobj"):
                            rec.extend(self.actors.entities_at(o))
                rec = [x for x in rec if not any(_same_ent(x, a) for a in actor)]
                out.append(Raw(type="AGREE", mode=None, trigger=tok, sent=sent, actor=actor,
                               recipient=rec, group_actor=group, entry={"type": "AGREE"}))
        return out

    def _denials(self, sent: Span) -> list[Raw]:
        """'... are completely baseless' / 'is not against X' as REJECT by the speaker."""
        out = []
        for tok in sent:
            if tok.lower_ in self.lex["denial_adjectives"] and tok.dep_ in ("acomp", "amod", "attr"):
                sp = self._speaker_for(tok) or _speech_subject(sent, self.actors)
                if sp:
                    # denying what others said: addressed to the accusers, not the listener
                    out.append(Raw(type="REJECT", mode=None, trigger=tok, sent=sent,
                                   actor=copy.deepcopy(sp), recipient=[],
                                   entry={"type": "REJECT", "no_counterpart": True}))
            if tok.lower_ == "against" and any(c.dep_ == "neg" for c in tok.head.children) \
                    and tok.head.lemma_ == "be":
                sp = self._speaker_for(tok.head)
                if sp:
                    rec = []
                    for p in tok.children:
                        if p.dep_ == "pobj":
                            rec = self.actors.entities_at(p)
                    out.append(Raw(type="REJECT", mode=None, trigger=tok, sent=sent,
                                   actor=copy.deepcopy(sp), recipient=rec))
        return out


def _dateline_country(text: str) -> Optional[str]:
    """The country of the article's dateline ("TBILISI, March 2 -"), if any."""
    from . import places
    for para in text.split("\n")[:4]:
        if para.strip():
            try:
                loc, length = places.dateline(para)
            except Exception:
                return None
            if length and loc is not None:
                return loc.country
    return None


def _year_of(text: str) -> Optional[str]:
    """The year an undated article is about, for choosing office holders."""
    from . import dates as date_mod
    try:
        y = date_mod.year_hint(text, None)
    except Exception:
        return None
    return str(y) if y else None


def _same_ent(a: Entity, b: Entity) -> bool:
    if a.name and b.name:
        return norm(a.name) == norm(b.name)
    if a.name or b.name:
        return False
    return a.country == b.country


def _countries(ents: list[Entity]) -> frozenset:
    return frozenset(e.country for e in ents if e.country)


# ----------------------------------------------------------------------
# document-level passes

def extract(doc: Doc, article: Article, kb: KB) -> list[Event]:
    ex = Extractor(doc, article, kb)
    raws = ex.raw_events()
    return _finish(raws, ex, article, kb)


def _finish(raws: list[Raw], ex: Extractor, article: Article, kb: KB) -> list[Event]:
    from . import contexts as ctx_mod
    from . import dates as date_mod
    from . import places as place_mod

    text = ex.doc.text
    hint = None
    try:
        hint = date_mod.year_hint(text, article.story_date)
    except Exception:
        hint = None

    lead_end = _lead_end(text)
    dates_cache: dict[int, list] = {}
    processes = _processes(ex)
    phone_doc = bool(re.search(r"\b(tele)?phone\b|\bcall\b|\bcalled\b", text[:lead_end * 3 + 400], re.I))
    main: Optional[Raw] = None
    main_ev: Optional[Event] = None
    events: list[Event] = []
    participants: list[Entity] = []
    main_date: Optional[str] = None
    main_loc: Optional[Location] = None
    main_sent_ids: set[int] = set()

    for r in raws:
        # group actors ("both sides", "they") are the current meeting's participants
        if not r.actor and r.recipient and participants and not r.group_actor:
            # "was highlighted", "Azerbaijan's invitation": the other side acts
            r.actor = [copy.copy(p) for p in participants
                       if not any(x.country == p.country for x in r.recipient)]
        if (r.group_actor or not r.actor) and participants and r.type != "CONSULT":
            r.actor = copy.deepcopy(participants)
            r.symmetric = True
        if r.type == "CONSULT" and r.group_actor and not r.actor and participants:
            r.actor = copy.deepcopy(participants)
        if not r.actor:
            continue
        if r.future and r.type in ex.lex["future_agree_types"]:
            r.type, r.mode = "AGREE", None
        elif r.future and r.type in THREAT_MODES and not _under_noun(r.trigger):
            # an announced or conditional hostile act is a threat (PLOVER THREATEN)
            r.type, r.mode = "THREATEN", THREAT_MODES[r.type]
        elif r.future and r.type not in ("AGREE", "THREATEN", "REQUEST", "REJECT", "ACCUSE"):
            continue
        if entry_requires_future(r) and not r.future:
            continue
        if r.entry.get("civilian_type") and r.actor and \
                all(a.sector not in STATE_SECTORS for a in r.actor):
            r.type, r.mode = r.entry["civilian_type"], r.entry.get("civilian_mode")
        if r.entry.get("solo_type") and len(_countries(r.actor + r.recipient)) < 2:
            # exercises with no partner are a show of force, not cooperation
            r.type, r.mode = r.entry["solo_type"], r.entry.get("solo_mode")
        ev = Event(doc=article.doc, event_type=r.type, mode=r.mode)
        if ev.event_type == "ASSAULT" and (ev.mode is None or r.entry.get("instrument_first")):
            ev.mode = _instrument_mode(r.sent, ex.lex) or ev.mode
        sent = r.sent
        s0, s1 = article.raw_span(sent.start_char, sent.end_char) if article.offsets else \
            (sent.start_char, sent.end_char)
        src = article.text if article.offsets else ex.doc.text
        while s1 > s0 and src[s1 - 1].isspace():
            s1 -= 1
        while s0 < s1 and src[s0].isspace():
            s0 += 1
        ev.evidence = src[s0:s1]     # verbatim: text[evidence_start:evidence_end]
        ev.evidence_start, ev.evidence_end = s0, s1
        ev.trigger = r.trigger.lemma_.lower()
        ev.sent_index = sent.start

        actor = r.actor
        recipient = r.recipient
        if r.symmetric or (r.type == "CONSULT" and r.mode in (None,)):
            allp = actor + [x for x in recipient if not any(_same_ent(x, a) for a in actor)]
            actor, recipient = allp, []
        # verbal acts by a meeting participant with no recipient go to the counterpart
        if not recipient and r.type == "AGREE" and processes:
            # a commitment to a peace process is directed at its parties
            recipient = _process_parties(actor, sent, processes)
        if not recipient and participants and r.type not in ("CONSULT",) and not r.symmetric \
                and not r.entry.get("no_counterpart"):
            if any(_same_ent(a, p) or (a.country == p.country) for a in actor for p in participants):
                counter = [p for p in participants
                           if not any(_same_ent(a, p) or a.country == p.country for a in actor)]
                if r.topic_between and r.type == "AGREE":
                    own = {a.country for a in actor}
                    counter = [copy.copy(t) for t in r.topic_between if t.country not in own]
                recipient = copy.deepcopy(counter)
        elif not recipient and r.topic_between and r.type == "AGREE":
            own = {a.country for a in actor}
            recipient = [copy.copy(t) for t in r.topic_between if t.country not in own]
        # a country recipient that is the counterpart's country is the counterpart
        if participants:
            recipient = [_upgrade(x, participants) for x in recipient]
            actor = [_upgrade(x, participants) for x in actor]
        ev.actor = _dedup(actor)
        ev.recipient = [x for x in _dedup(recipient) if not any(_same_ent(x, a) for a in ev.actor)]
        if r.type != "CONSULT" and ev.recipient and len(_countries(ev.actor)) > 1 and \
                not r.symmetric:
            # "X and Y congratulated Z": each congratulated Z (a compound actor
            # acting on someone is several acts; a reciprocal one has no recipient)
            split_actors = ev.actor[1:]
            ev.actor = ev.actor[:1]
        else:
            split_actors = []
        if r.type == "CONSULT" and all(p.country in NONSTATE for p in ev.actor + ev.recipient) \
                and ev.actor and r.trigger.lemma_ in ("meet", "gather", "convene", "hold", "meeting", "summit"):
            # "NATO foreign ministers met": a session of the alliance itself
            ev.mode = "multilateral"
        elif r.type == "CONSULT" and len(_countries(ev.actor + ev.recipient)) < 2 and \
                len(ev.actor + ev.recipient) < 2:
            continue
        if r.type in ("SUPPORT",) and not ev.recipient and len(ev.actor) == 1 and \
                not r.entry.get("no_recipient_ok"):
            # praise needs someone praised
            continue

        # dates
        date = None
        if sent.start not in dates_cache:
            try:
                dates_cache[sent.start] = date_mod.find_dates(sent)
            except Exception:
                dates_cache[sent.start] = []
        found = dates_cache[sent.start]
        for (expr, cs, ce) in found:
            if _date_attached(ex.doc, cs, ce, r.trigger):
                try:
                    date = date_mod.resolve(expr, article.story_date, year_hint=hint,
                                            future=r.future)
                except Exception:
                    date = None
                if date:
                    break

        if date is None:
            date = _anniversary_date(sent, r.trigger)

        # mode of meetings
        loc = None
        try:
            spans = [(e.start, e.end) for e in ev.actor + ev.recipient if e.start is not None]
            loc = place_mod.find_location(sent, spans)
        except Exception:
            loc = None
        if r.type == "CONSULT" and ev.mode != "multilateral":
            _consult_mode(ev, r, loc, sent)
            if ev.mode is None and loc is None and phone_doc and r.trigger.lemma_ in ("speak", "talk") \
                    and r.actor and r.recipient:
                # "X spoke with Y" in a readout of a call: X called Y
                ev.mode, ev.actor, ev.recipient = "phone", _dedup(r.actor), _dedup(r.recipient)

        is_main_consult = False
        if r.type == "CONSULT" and main is None and not r.future:
            main = r
            main_ev = ev
            is_main_consult = True
            participants = copy.deepcopy(ev.actor + ev.recipient)
            main_date = date or (article.story_date if not _past_marker(sent, r.trigger) else None)
            main_loc = loc if ev.mode != "phone" else None
            main_sent_ids.add(sent.start)
        elif r.type == "CONSULT" and main is not None and _same_parts(ev.actor + ev.recipient, participants):
            main_sent_ids.add(sent.start)
            if date is None:
                date = main_date
            if loc is None:
                loc = main_loc

        # salience: acts of the main meeting's participants, in the meeting
        in_main = bool(participants) and not _past_marker(sent, r.trigger) and \
            all(any(_same_ent(a, p) or a.country == p.country for p in participants) for a in ev.actor)
        in_lead = sent.start_char < lead_end and not r.future and not _past_marker(sent, r.trigger)
        if is_main_consult or (in_main and (date is None or date == main_date)) or \
                (main is None and in_lead):
            ev.salience = "main"
            if date is None:
                date = main_date
            if r.type != "CONSULT" and ev.event_type not in ("COOPERATE", "AID"):
                # a statement made in the meeting happened where the meeting did
                loc = main_loc
        else:
            ev.salience = "background"
        if date is None and ev.salience == "main" and not participants:
            date = article.story_date
        ev.date = date
        ev.location = loc
        try:
            para = _paragraph(text, sent.start_char)
            ev.contexts = ctx_mod.contexts_for(sent.text, ev.event_type, para)
        except Exception:
            ev.contexts = []
        events.append(ev)
        for a in split_actors:
            twin = copy.copy(ev)
            twin.actor = [a]
            twin.contexts = list(ev.contexts)
            events.append(twin)
    if main_ev is not None:
        _main_pass(main_ev, events)
    return merge(events)


def _main_pass(main_ev: Event, events: list[Event]) -> None:
    """What later sentences say about the main meeting: who visited whom, and when."""
    parts = main_ev.actor + main_ev.recipient
    names = {norm(p.name) for p in parts if p.name}
    for ev in events:
        if ev is main_ev or ev.event_type != "CONSULT":
            continue
        ev_names = {norm(p.name) for p in ev.actor + ev.recipient if p.name}
        if not (names & ev_names):
            continue
        if main_ev.date is None and ev.date:
            main_ev.date = ev.date
        if main_ev.mode not in ("phone", "visit") and ev.mode == "visit" and ev.actor:
            guest = {norm(a.name) for a in ev.actor if a.name}
            host_c = ev.location.country if ev.location else \
                (ev.recipient[0].country if ev.recipient else None)
            if guest & names and host_c and any(p.country == host_c for p in parts):
                main_ev.actor = [p for p in parts if p.country != host_c]
                main_ev.recipient = [p for p in parts if p.country == host_c]
                main_ev.mode = "visit"
                if main_ev.location is None and ev.location is not None:
                    main_ev.location = ev.location
    # a participant known to be visiting a country visits whoever he meets there
    visits = {}
    for ev in events:
        if ev.event_type == "CONSULT" and ev.mode == "visit":
            for a in ev.actor:
                host_c = ev.location.country if ev.location else \
                    (ev.recipient[0].country if ev.recipient else None)
                if a.name and host_c:
                    visits.setdefault(norm(a.name), (host_c, ev.location))
    for ev in events:
        if ev.event_type != "CONSULT" or ev.mode is not None:
            continue
        parts_ev = ev.actor + ev.recipient
        for p in parts_ev:
            v = visits.get(norm(p.name)) if p.name else None
            if v and any(q.country == v[0] for q in parts_ev) and p.country != v[0]:
                ev.actor = [q for q in parts_ev if q.country != v[0]]
                ev.recipient = [q for q in parts_ev if q.country == v[0]]
                ev.mode = "visit"
                ev.location = ev.location or v[1]
                break
    for ev in events:
        if ev.salience == "main" and ev is not main_ev:
            if ev.date is None:
                ev.date = main_ev.date
            if ev.location is None and main_ev.mode != "phone" and \
                    ev.event_type not in ("COOPERATE", "AID"):
                ev.location = main_ev.location


def _upgrade(e: Entity, participants: list[Entity]) -> Entity:
    if e.name is None and e.sector in (None, "GOV"):
        same = [p for p in participants if p.country == e.country and p.name]
        if len(same) == 1:
            return copy.copy(same[0])
    return e


def _dedup(ents: list[Entity]) -> list[Entity]:
    out: list[Entity] = []
    for e in ents:
        if any(_same_ent(e, o) for o in out):
            continue
        # a bare country next to a person of that country adds nothing
        if e.name is None and any(o.country == e.country and o.name for o in out):
            continue
        out = [o for o in out if not (o.name is None and e.name and o.country == e.country)]
        out.append(e)
    return out


def _same_parts(a: list[Entity], b: list[Entity]) -> bool:
    return bool(a) and _countries(a) == _countries(b)


PAST_MARKERS = {"earlier", "previous", "previously", "ago", "last", "former", "recalled",
                "recalling", "had"}


ANNIVERSARY = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\s+anniversary\b", re.I)


def _anniversary_date(sent: Span, trig: Token) -> Optional[str]:
    """"2022 marks the 30th anniversary of X" dates X to 1992."""
    if not any(a.lower_ == "anniversary" for a in trig.ancestors):
        return None
    m = ANNIVERSARY.search(sent.text)
    years = re.findall(r"\b(19\d\d|20\d\d)\b", sent.text)
    if not m or not years:
        return None
    return str(int(years[0]) - int(m.group(1)))


def _past_marker(sent: Span, trig: Optional[Token] = None) -> bool:
    """An act the sentence places before the reported news ("his earlier
    meeting", "had met", "three years ago"), judged on the trigger's own
    clause when a trigger is given."""
    chain = {trig.i, *(a.i for a in trig.ancestors)} if trig is not None else None
    if trig is not None and any(a.lemma_.lower() in ("recall", "remind", "anniversary")
                                for a in trig.ancestors):
        return True     # "recalling that X was the initiator", "the anniversary of X"
    for t in sent:
        if t.lower_ in ("earlier", "previous", "previously", "ago", "last") or \
                (t.lower_ == "had" and t.dep_ == "aux"):
            if t.lower_ == "last" and t.head.lower_ not in ("year", "month", "week", "time"):
                continue
            if chain is None:
                return True
            h = t.head if t.lower_ != "had" else t.head
            if h.i in chain or (h.head.i in chain and h.dep_ in ("npadvmod", "pobj", "prep")):
                return True
    return False


def _date_attached(doc: Doc, cs: int, ce: int, trig: Token) -> bool:
    """Rule 10: a date dates the event whose clause it hangs from."""
    span = doc.char_span(cs, ce, alignment_mode="expand")
    if span is None:
        return False
    t = span.root
    trig_chain = {trig.i, *(a.i for a in trig.ancestors)}
    for a in [t, *t.ancestors]:
        if a.i == trig.i:
            return True
        if a.i != t.i and a.i not in trig_chain and a.pos_ in ("NOUN", "PROPN") \
                and a.i not in {x.i for x in span}:
            # "the meeting on April 5", "a press conference held ... on April 2":
            # the date belongs to that noun, not to this event (rule 10)
            return False
        if a.i in trig_chain and a.i != trig.i:
            break
    # the trigger is a noun under a verb: the date may hang from that verb
    h = trig
    for _ in range(3):
        if h.head.i == h.i:
            break
        h = h.head
        if h in t.ancestors:
            return True
    # a date at the root of a sentence with a single event
    return trig.sent.root in t.ancestors and trig.sent.root == trig.head


def _consult_mode(ev: Event, r: Raw, loc: Optional[Location], sent: Span) -> None:
    low = sent.text.lower()
    if ev.mode == "phone" or any(w in low for w in ("phone", "telephone")):
        ev.mode = "phone"
        if len(ev.actor) > 1 and not ev.recipient and r.recipient:
            pass
        return
    parts = ev.actor + ev.recipient
    if "sidelines" in low or "margins" in low:
        if loc is not None and loc.country and any(p.country == loc.country for p in parts) \
                and len(_countries(parts)) == 2:
            host = [p for p in parts if p.country == loc.country]
            guest = [p for p in parts if p.country != loc.country]
            ev.actor, ev.recipient, ev.mode = guest, host, "visit"
            return
        ev.actor, ev.recipient, ev.mode = _dedup(parts), [], "third-party"
        return
    if loc is not None and loc.country:
        host = [p for p in parts if p.country == loc.country]
        guest = [p for p in parts if p.country != loc.country]
        if host and guest:
            ev.actor, ev.recipient, ev.mode = guest, host, "visit"
            return
        if not host:
            ev.actor, ev.recipient, ev.mode = _dedup(parts), [], "third-party"
            return
    if ev.mode == "visit":
        return
    if any(w in low for w in ("summit", "forum", "conference", "assembly")):
        ev.actor, ev.recipient, ev.mode = _dedup(parts), [], "third-party"
        return
    if ev.recipient and r.type == "CONSULT" and ev.mode is None:
        return


PROCESS_WORDS = {"peace", "normalization", "normalisation", "negotiations", "treaty", "settlement",
                 "reconciliation", "ceasefire", "truce", "talks", "dialogue", "delimitation",
                 "demarcation"}


def _processes(ex: "Extractor") -> list[list[Entity]]:
    """Pairs of parties to a process the article names: "peace between X and Y",
    "normalization of relations between X and Y"."""
    out: list[list[Entity]] = []
    for tok in ex.doc:
        if tok.lower_ != "between" or tok.dep_ != "prep":
            continue
        head = tok.head
        words = {head.lower_} | {a.lower_ for a in head.ancestors} | {c.lower_ for c in head.children}
        if not (words & PROCESS_WORDS):
            continue
        parties: list[Entity] = []
        for p in tok.children:
            if p.dep_ == "pobj":
                parties.extend(ex.actors.entities_at(p))
        countries = {e.country for e in parties}
        if len(countries) >= 2 and all(e.name is None for e in parties):
            if not any({e.country for e in pr} == countries for pr in out):
                out.append(parties)
    return out


def _process_parties(actor: list[Entity], sent: Span, processes: list[list[Entity]]) -> list[Entity]:
    text = sent.text.lower()
    prev = sent.doc[sent.start - 1].sent.text.lower() if sent.start > 0 else ""
    if not any(w in text or (w in prev and "\n" not in sent.doc.text[sent.doc[sent.start - 1].idx:sent.start_char])
               for w in PROCESS_WORDS):
        return []
    own = {a.country for a in actor}
    for parties in processes:
        countries = {e.country for e in parties}
        if own & countries:
            return [copy.copy(e) for e in parties if e.country not in own]
    if len(processes) == 1:
        return [copy.copy(e) for e in processes[0]]
    return []


def _lead_end(text: str) -> int:
    """End of the lead: the headline (if any) and the first paragraph of 12+ words."""
    pos = 0
    for para in text.split("\n"):
        end = pos + len(para) + 1
        if len(para.split()) >= 12:
            return end
        pos = end
    return len(text)


def _paragraph(text: str, pos: int) -> str:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return text[s:e if e >= 0 else len(text)]


# ----------------------------------------------------------------------
# one event per act

def _sig(ev: Event) -> tuple:
    def k(ents):
        return frozenset((norm(e.name) if e.name else "") + "|" + (e.country or "") for e in ents)
    if ev.event_type == "CONSULT" or not ev.recipient:
        return (ev.event_type, k(ev.actor + ev.recipient) if ev.event_type == "CONSULT" else k(ev.actor),
                frozenset() if ev.event_type == "CONSULT" else k(ev.recipient))
    return (ev.event_type, k(ev.actor), k(ev.recipient))


def _side(ents: list[Entity]) -> frozenset:
    # a country's government and, say, its companies are different recipients
    return frozenset((e.country, "GOV" if e.sector in (None, "GOV", "ELI", "MIL", "LEG") else e.sector)
                     for e in ents)


def _csig(ev: Event) -> tuple:
    return (ev.event_type, frozenset(e.country for e in ev.actor + ev.recipient)) \
        if ev.event_type == "CONSULT" else \
        (ev.event_type, _side(ev.actor), _side(ev.recipient))


NONSTATE = {"IGO", "UNO", "EUR"}
# a future or conditional hostile act is THREATEN with this mode
THREAT_MODES = {"ASSAULT": "violence", "COERCE": "restrict", "SANCTION": "relations",
                "MOBILIZE": "violence", "PROTEST": None}
# "during a visit to Kyiv", "on the sidelines of talks": a frame event of its own
AID_NOUNS = {"aid", "assistance", "support", "funding", "help", "loan", "grant", "relief", "weapons",
             "arms", "equipment"}
FRAME_PREPS = {"during", "after", "before", "following", "ahead"}
STATE_BODY_WORDS = {"police", "ministry", "spokesperson", "spokesman", "spokeswoman", "government",
                    "authorities", "officials", "army", "military", "forces", "president", "minister",
                    "cabinet", "parliament", "court", "prosecutor", "prosecutors", "troops"}
STATE_SECTORS = {"GOV", "MIL", "COP", "SPY", "JUD", "LEG", "ELI", None}
HOSTILE = {"ASSAULT", "COERCE", "MOBILIZE", "SANCTION", "THREATEN"}
MATERIAL = {"COOPERATE", "AID", "RETREAT", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "PROTEST"}


def _names_compatible(a: list[Entity], b: list[Entity]) -> bool:
    na = {norm(e.name) for e in a if e.name}
    nb = {norm(e.name) for e in b if e.name}
    return not na or not nb or na <= nb or nb <= na


def merge(events: list[Event]) -> list[Event]:
    """Merge mentions of the same act within one article (EVENTS.md rule 7)."""
    out: list[Event] = []
    for ev in events:
        twin = None
        for o in out:
            if _csig(o) != _csig(ev):
                continue
            if ev.event_type in MATERIAL and o.trigger != ev.trigger:
                continue    # two material acts are two events (rule 7 is about statements)
            if not (_names_compatible(o.actor, ev.actor) and
                    _names_compatible(o.recipient, ev.recipient) and
                    _names_compatible(o.actor + o.recipient, ev.actor + ev.recipient)):
                continue
            if o.date and ev.date and o.date != ev.date:
                continue
            if o.salience != ev.salience and not (o.date and o.date == ev.date):
                continue
            twin = o
            break
        if twin is None:
            out.append(ev)
            continue
        for c in ev.contexts:
            if c not in twin.contexts:
                twin.contexts.append(c)
        twin.date = twin.date or ev.date
        twin.location = twin.location or ev.location
        if twin.mode is None and ev.mode:
            twin.mode = ev.mode
            if twin.event_type == "CONSULT":
                twin.actor, twin.recipient = ev.actor, ev.recipient
        # keep the richer entities (names over bare countries)
        for attr in ("actor", "recipient"):
            a, b = getattr(twin, attr), getattr(ev, attr)
            if not any(e.name for e in a) and any(e.name for e in b) and \
                    _countries(a) == _countries(b):
                setattr(twin, attr, b)
    for ev in out:
        ev.contexts = sorted(set(ev.contexts))
    return out
