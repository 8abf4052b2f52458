"""Places: an offline gazetteer, and where a sentence's event happened.

Data (all under ``dotterel/data/``, loaded once per process):

- ``gazetteer/cities.tsv``     GeoNames cities of population >= 15,000, every
                               national capital and a few small towns in the
                               news, with Latin-script alternate names
                               (built by ``scripts/build_gazetteer.py``);
- ``gazetteer/countries.tsv``  countries with ISO3 codes and their capitals'
                               coordinates; the actor KB's country names and
                               demonyms (``kb/countries.yaml``) are added;
- ``gazetteer/us_states.tsv``  US states;
- ``gazetteer/regions.yaml``   curated regions, territories, areas and seas;
- ``venues.yaml``              venues and fixed-site events that imply a
                               place ("Kremlin" -> Moscow);
- ``gazetteer/cues.yaml``      the words that tell a venue from a topic.

Public API: :func:`lookup`, :func:`find_location`, :func:`dateline`.
Names are matched ignoring case, diacritics and punctuation ("Bogota" =
"Bogotá", "Washington, D.C." = "Washington DC"). Where a name is shared,
venues beat curated regions, which beat countries, which beat US states
("Florida"), which beat a city's own name, which beats a city's alternate
(former or foreign) name; within each the most populous wins ("New Delhi" is New Delhi,
not Delhi, whose alternates include it). Exonyms that are also another
city's own name ("Odessa") are settled in regions.yaml.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

import yaml

from .model import Location

__all__ = ["lookup", "find_location", "dateline", "norm"]

# ---------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------
# letters NFKD does not decompose
_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
                       "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ə": "e", "Ə": "e",
                       "ħ": "h", "þ": "th", "ð": "d", "ʻ": "'", "ʼ": "'", "’": "'",
                       "‘": "'", "`": "'", "´": "'"})


_TABLE = str.maketrans({".": None, "'": None, '"': None, "“": None, "”": None,
                        "-": " ", "‐": " ", "‑": " ", "–": " ", "—": " ", ",": " ",
                        "/": " ", "(": " ", ")": " ", "&": " and ", "\t": " ",
                        "\n": " "})


def norm(name: str) -> str:
    """Lookup key: lower case, no diacritics or dots, hyphens as spaces, no
    leading article; "St." is "Saint"."""
    if name.isascii():
        t = name.lower()
    else:
        t = unicodedata.normalize("NFKD", name.translate(_FOLD))
        t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = " ".join(t.translate(_TABLE).split())
    if t.startswith("the "):
        t = t[4:]
    if t.startswith("st "):
        t = "saint " + t[3:]
    return t


# ---------------------------------------------------------------------------
# the gazetteer
# ---------------------------------------------------------------------------
# tiers: a higher tier wins whatever the population
T_CITY_ALT, T_CITY, T_STATE, T_COUNTRY, T_REGION, T_VENUE = 0, 1, 2, 3, 4, 5
# how specific a place is (city-level venues and towns beat regions beat countries)
_SPEC = {T_VENUE: 3, T_CITY: 3, T_CITY_ALT: 3, T_REGION: 2, T_STATE: 2, T_COUNTRY: 1}


@dataclass(frozen=True)
class Place:
    name: str
    country: Optional[str]
    lat: Optional[float]
    lon: Optional[float]
    tier: int
    weight: float          # ranks entries of one tier (population-based)
    kind: str = "city"     # city, capital, country, region, area, sea, town, state, venue

    def location(self) -> Location:
        return Location(name=self.name, country=self.country, lat=self.lat, lon=self.lon)


@dataclass
class Gazetteer:
    index: dict[str, list[Place]]          # norm(name) -> places, best first
    capitals: dict[str, Place]             # iso3 -> capital city
    countries: dict[str, Place]            # iso3 -> country
    demonyms: dict[str, str]               # norm(demonym) -> iso3
    venue_names: dict[str, Place]          # surface form -> venue place
    venue_re: Optional[re.Pattern]
    cues: dict[str, frozenset]

    def best(self, name: str, country: Optional[str] = None) -> Optional[Place]:
        got = self.index.get(norm(name))
        if not got:
            return None
        if country:
            for p in got:
                if p.country == country:
                    return p
            return None
        return got[0]


def _data(*parts: str):
    return resources.files("dotterel").joinpath("data", *parts)


def _f(x) -> Optional[float]:
    if x is None or x == "":
        return None
    return float(x)


def _read_tsv(*parts: str) -> list[dict]:
    with _data(*parts).open("r", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE,
                                   escapechar="\\"))


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(*parts: str):
    with _data(*parts).open("r", encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader) or []


def _ascii(s: str) -> str:
    t = unicodedata.normalize("NFKD", s.translate(_FOLD))
    return "".join(c for c in t if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    index: dict[str, list[Place]] = {}

    def add(name: str, place: Place) -> None:
        k = norm(name)
        if not k:
            return
        lst = index.setdefault(k, [])
        if place not in lst:
            lst.append(place)

    # countries (GeoNames + pycountry names), then the actor KB's names
    countries: dict[str, Place] = {}
    capitals: dict[str, Place] = {}
    crows = _read_tsv("gazetteer", "countries.tsv")
    kb_countries = []
    try:
        kb_countries = _read_yaml("kb", "countries.yaml")
    except (FileNotFoundError, OSError):
        kb_countries = []
    kb_by_iso = {c.get("iso3"): c for c in kb_countries if isinstance(c, dict)}
    demonyms: dict[str, str] = {}
    for r in crows:
        iso = r["iso3"]
        kbc = kb_by_iso.get(iso) or {}
        name = kbc.get("name") or r["name"]
        p = Place(name, iso, _f(r["lat"]), _f(r["lon"]), T_COUNTRY,
                  float(r["population"] or 0), "country")
        countries[iso] = p
        names = [name, r["name"], *filter(None, r["alternates"].split("|")),
                 *(kbc.get("names") or [])]
        for n in names:
            add(n, p)
        for d in kbc.get("demonyms") or []:
            demonyms.setdefault(norm(d), iso)
    for iso, kbc in kb_by_iso.items():
        if iso and iso not in countries:          # KB codes GeoNames lacks
            p = Place(kbc["name"], iso, None, None, T_COUNTRY, 0.0, "country")
            countries[iso] = p
            for n in [kbc["name"], *(kbc.get("names") or [])]:
                add(n, p)
            for d in kbc.get("demonyms") or []:
                demonyms.setdefault(norm(d), iso)

    # cities
    for r in _read_tsv("gazetteer", "cities.tsv"):
        pop = float(r["population"] or 0)
        is_cap = r["capital"] == "C"
        prim = Place(r["name"], r["iso3"], _f(r["lat"]), _f(r["lon"]), T_CITY,
                     pop, "capital" if is_cap else "city")
        add(r["name"], prim)
        if is_cap:
            capitals.setdefault(r["iso3"], prim)
        alts = [a for a in r["alternates"].split("|") if a]
        if alts:
            # a city's own name beats another city's alternate name
            alt = Place(r["name"], r["iso3"], prim.lat, prim.lon, T_CITY_ALT, pop, prim.kind)
            for a in alts:
                add(a, alt)

    # US states (no coordinates in the source)
    for r in _read_tsv("gazetteer", "us_states.tsv"):
        add(r["name"], Place(r["name"], r["iso3"], None, None, T_STATE, 0.0, "state"))

    # curated regions
    for e in _read_yaml("gazetteer", "regions.yaml"):
        p = Place(e["name"], e.get("country"), _f(e.get("lat")), _f(e.get("lon")),
                  T_REGION, 0.0, e.get("kind") or "region")
        for n in [e["name"], *(e.get("aliases") or [])]:
            add(n, p)

    # venues
    venue_names: dict[str, Place] = {}
    for e in _read_yaml("venues.yaml"):
        country = e.get("country")
        lat, lon = _f(e.get("lat")), _f(e.get("lon"))
        if lat is None:
            got = index.get(norm(e["place"]), [])
            hit = next((p for p in sorted(got, key=lambda p: (-p.tier, -p.weight))
                        if p.country == country and p.lat is not None), None)
            if hit:
                lat, lon = hit.lat, hit.lon
        p = Place(e["place"], country, lat, lon, T_VENUE, 0.0, "venue")
        for n in e["names"]:
            add(n, p)
            venue_names[n] = p
            venue_names[_ascii(n)] = p
    venue_re = None
    if venue_names:
        alts = sorted(venue_names, key=len, reverse=True)
        venue_re = re.compile(r"(?<![\w-])(?:%s)(?![\w-])" % "|".join(
            re.escape(a).replace(r"\ ", r"\s+") for a in alts))

    for lst in index.values():
        lst.sort(key=lambda p: (-p.tier, -p.weight))

    cues = {k: frozenset(v) for k, v in (_read_yaml("gazetteer", "cues.yaml") or {}).items()}
    return Gazetteer(index, capitals, countries, demonyms, venue_names, venue_re, cues)


def _clean_name(name: str) -> str:
    t = name.strip().strip("\"“”'‘’")
    t = re.sub(r"(?:'s|’s|')$", "", t)
    return t.strip()


@lru_cache(maxsize=65536)
def _lookup_place(key: str, country: Optional[str]) -> Optional[Place]:
    return gazetteer().best(key, country)


def lookup(name: str, country: Optional[str] = None) -> Optional[Location]:
    """The place (city, region, country, venue) a name denotes, or None.

    Ambiguous names resolve to the most populous match; ``country`` (ISO3)
    restricts the choice ("Paris", "USA" -> Paris, Texas). A country name
    gives the country, located at its capital; a venue gives the city it is
    in ("Kremlin" -> Moscow, RUS)."""
    if not name:
        return None
    p = _lookup_place(_clean_name(name), country)
    return p.location() if p else None


def capital_of(iso3: str) -> Optional[Location]:
    """The capital city of a country (ISO3), or None."""
    p = gazetteer().capitals.get(iso3)
    return p.location() if p else None


def country_of_demonym(word: str) -> Optional[str]:
    """ISO3 of a demonym or country name ("Uzbek" -> UZB), or None."""
    g = gazetteer()
    iso = g.demonyms.get(norm(word))
    if iso:
        return iso
    p = g.best(word)
    return p.country if p and p.tier == T_COUNTRY else None


# ---------------------------------------------------------------------------
# where the sentence's event happened
# ---------------------------------------------------------------------------
_PLACE_LABELS = {"GPE", "LOC", "FAC", "ORG"}
# proper nouns outside any entity, or in one the NER may have mislabelled
_FALLBACK_LABELS = {"", "GPE", "LOC", "FAC", "ORG", "PERSON"}
_NOUNS = {"NOUN", "PROPN"}
_VERBS = {"VERB", "AUX"}
_CLIMB = {"appos", "conj", "npadvmod"}
_MODS = {"compound", "nmod", "amod"}
_SUBJ = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}


def _is_main(tok, sent) -> bool:
    """The sentence's main verb, a verb conjoined with it, or its clausal
    complement ("said they met in Baku")."""
    for _ in range(3):
        if tok == sent.root or tok.dep_ == "ROOT":
            return True
        if tok.dep_ not in ("conj", "xcomp", "ccomp", "advcl", "parataxis"):
            return False
        tok = tok.head
    return False


class _Scorer:
    """How firmly a noun phrase is placed as the venue of the main event:
    3 attached to the main verb (via in/at/to/during, or as what is
    visited), 2 attached to another verb or an event noun, 1 attached to
    another noun, None for subjects, recipients and topics."""

    def __init__(self, sent, cues: dict[str, frozenset], venue_tokens: set[int]):
        self.sent = sent
        self.c = cues
        self.venue_tokens = venue_tokens

    def cue(self, name: str) -> frozenset:
        return self.c.get(name, frozenset())

    def eventish(self, tok) -> bool:
        return tok.i in self.venue_tokens or tok.lemma_.lower() in self.cue("event_nouns") \
            or tok.lower_ in self.cue("event_nouns")

    def host(self, h, depth: int) -> Optional[int]:
        """Score of a place phrase whose preposition hangs on ``h``."""
        lem = h.lemma_.lower()
        if h.pos_ in _VERBS:
            return 3 if _is_main(h, self.sent) else 2
        if h.pos_ in _NOUNS:
            if lem in self.cue("topic_nouns") or h.lower_ in self.cue("topic_nouns"):
                return None
            if self.eventish(h) or lem in self.cue("motion_words"):
                if h.dep_ == "pobj" and h.head.lower_ in self.cue("topic_preps"):
                    # "talked about his visit to Washington": a topic
                    return None
                s = self.anchor(h, depth + 1) if h.dep_ in ("pobj", "dobj") else None
                if s is None:
                    s = 3 if _is_main(h.head, self.sent) and h.head.pos_ in _VERBS else 2
                return s
            if lem in self.cue("place_nouns"):
                s = self.anchor(h, depth + 1)
                return s if s is not None else 1
            # a post, not a venue: "the ambassador in Moscow"
            if lem in self.cue("post_nouns") or h.lower_ in self.cue("post_nouns"):
                return None
            # a topic when it is what is talked about ("condemned the attack in Gaza")
            if h.dep_ == "dobj" and h.head.lemma_.lower() in self.cue("about_verbs"):
                return None
            # another noun: "shelled villages in the Kharkiv region"
            return 1
        return None

    def anchor(self, a, depth: int = 0) -> Optional[int]:
        """Score of the noun ``a`` (the head of a place phrase) by its role."""
        if depth > 6:
            return None
        dep = a.dep_
        if dep == "pobj":
            prep = a.head
            p = prep.lower_
            h = prep.head
            if h == prep:
                return None
            if p == "of" and h.pos_ in _NOUNS and h.lemma_.lower() in self.cue("of_nouns"):
                return self.anchor(h, depth + 1)
            if p in self.cue("location_preps"):
                if h.pos_ in _VERBS and h.lemma_.lower() in self.cue("topic_verbs"):
                    return None
                return self.host(h, depth)
            if p == "to" and (h.lemma_.lower() in self.cue("motion_words")
                              or h.lower_ in self.cue("motion_words")):
                return self.host(h, depth)
            if p in ("during", "amid", "at") and self.eventish(a):
                return self.host(h, depth)
            if p in ("on", "at") and a.lemma_.lower() in self.cue("sideline_nouns"):
                return self.host(h, depth)
            return None
        if dep == "dobj" and a.head.lemma_.lower() in self.cue("visit_verbs"):
            v = a.head
            # "to visit Baku", "invited him to visit": not (yet) there
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
                return None
            return 3 if _is_main(v, self.sent) else 2
        return None

    def place(self, root, country_level: bool) -> Optional[tuple[int, int]]:
        """(score, climbs) for a place name whose syntactic head is ``root``."""
        t, climbs = root, 0
        for _ in range(6):
            if t.dep_ == "poss" or t.dep_ in _SUBJ:
                return None
            if t.dep_ in _CLIMB and t.head != t and t.head.pos_ in _NOUNS | {"NUM"}:
                t, climbs = t.head, climbs + 1
                continue
            if t.dep_ in _MODS and t.head != t:
                # "the Baku summit", "the capital Tashkent"; a country name
                # modifying a noun names a topic ("the Ukraine talks")
                h = t
                while h.dep_ in _MODS and h.head != h:
                    h = h.head
                if country_level:
                    return None
                if h.pos_ in _NOUNS and (self.eventish(h) or h.lemma_.lower()
                                         in self.cue("place_nouns")):
                    t, climbs = h, climbs + 1
                    if self.eventish(h) and h.dep_ not in ("pobj", "dobj"):
                        # "the Baku summit ended": the summit was in Baku
                        s = self.anchor(h)
                        if s is None:
                            s = 2 if h.head.pos_ in _VERBS and _is_main(h.head, self.sent) else 1
                        return s, climbs
                    continue
                return None
            break
        s = self.anchor(t)
        return (s, climbs) if s is not None else None


def _overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < e2 and s2 < e for s2, e2 in spans)


def _propn_span(tok):
    """The proper-noun chunk a PROPN token heads: its compound PROPN children."""
    left = tok.i
    for c in tok.lefts:
        if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < left:
            left = c.i
    return tok.doc[left:tok.i + 1]


def _strip_span(span):
    """Drop a leading determiner and a trailing possessive."""
    while len(span) > 1 and span[0].lower_ in ("the", "a", "an"):
        span = span[1:]
    while len(span) > 1 and span[-1].tag_ == "POS":
        span = span[:-1]
    return span


def _common_word_town(span, place: Place) -> bool:
    """"Republic", "Victoria", "Union": a small town named like a common
    English word is not what "the Republic" or "the Union" means."""
    if place.tier not in (T_CITY, T_CITY_ALT) or place.kind == "capital" or len(span) != 1:
        return False
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return False
    return zipf_frequency(span.text.lower(), "en") >= 4.3 and place.weight < 1_000_000


def find_location(sent, actor_spans: Iterable[tuple[int, int]] = ()) -> Optional[Location]:
    """Where the event of ``sent`` (a spaCy sentence Span) happened, when the
    sentence says so: "in Davos", "at the Kremlin", "visited Azerbaijan",
    "during a visit to Baku", "in the Uzbek capital". A place named as actor
    or recipient (``actor_spans``: document (start_char, end_char) pairs), as
    subject ("Moscow said"), or as a topic ("the situation in Ukraine",
    "exports to Armenia") is not the location. Several candidates: the most
    firmly attached to the main verb, then the most specific, then the
    first."""
    g = gazetteer()
    doc = sent.doc
    excl = [(s, e) for s, e in actor_spans if s is not None and e is not None]
    cands: list[tuple] = []
    used: set[int] = set()

    # venues ("at the Munich Security Conference", "at the Kremlin")
    venue_hits = []
    if g.venue_re is not None:
        for m in g.venue_re.finditer(sent.text):
            s, e = sent.start_char + m.start(), sent.start_char + m.end()
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            venue_hits.append((span, g.venue_names.get(m.group(0))
                               or g.venue_names.get(re.sub(r"\s+", " ", m.group(0)))))
    venue_tokens = {t.i for span, _ in venue_hits for t in span}
    sc = _Scorer(sent, g.cues, venue_tokens)

    def consider(span, place: Optional[Place], order: int) -> None:
        if place is None:
            return
        if _common_word_town(span, place):
            return
        if _overlaps(span.start_char, span.end_char, excl):
            return
        got = sc.place(span.root, place.tier == T_COUNTRY)
        if got is None:
            return
        score, climbs = got
        explicit = 0 if place.tier == T_VENUE else 1
        cands.append((score, _SPEC.get(place.tier, 1) + (0 if place.country else -1),
                      explicit, -climbs, -span.start, order, place))

    for span, place in venue_hits:
        if place is not None:
            used.update(t.i for t in span)
            consider(span, place, 0)

    # named places
    from .nlp import sent_ents
    for ent in sent_ents(sent):
        if ent.label_ not in _PLACE_LABELS or any(t.i in used for t in ent):
            continue
        span = _strip_span(ent)
        place = None
        nxt = doc[span.end] if span.end < len(doc) and span.end < sent.end else None
        if nxt is not None and nxt.lemma_.lower() in g.cues.get("place_nouns", ()):
            # "the Kharkiv region", "Idlib province": the region, not the city
            place = _lookup_place(_clean_name(doc[span.start:span.end + 1].text), None)
            if place is not None:
                span = doc[span.start:span.end + 1]
        if place is None:
            place = _lookup_place(_clean_name(span.text), None)
        if place is None and ent.label_ != "ORG":
            # "State House Nairobi": a known town inside a longer name
            toks = [t for t in span if t.pos_ == "PROPN"]
            for n in range(len(toks) - 1, 0, -1):
                for i in range(0, len(toks) - n + 1):
                    p = _lookup_place(" ".join(t.text for t in toks[i:i + n]), None)
                    if p is not None and p.tier in (T_CITY, T_CITY_ALT, T_REGION):
                        place = p
                        break
                if place is not None:
                    break
        if place is None or (ent.label_ == "ORG" and place.tier == T_COUNTRY):
            continue
        used.update(t.i for t in ent)
        consider(span, place, 1)

    # proper nouns the NER missed or mislabelled, in a place position
    for tok in sent:
        if tok.i in used or tok.pos_ != "PROPN" or tok.dep_ not in ("pobj", "dobj", "appos") \
                or tok.ent_type_ not in _FALLBACK_LABELS or tok.is_stop \
                or not tok.text[:1].isupper() or _NOT_PLACE.match(tok.text):
            continue
        span = _strip_span(_propn_span(tok))
        place = _lookup_place(_clean_name(span.text), None)
        if place is not None:
            used.update(t.i for t in span)
            consider(span, place, 2)

    # "in the Uzbek capital", "in Azerbaijan's capital", "the capital of Georgia"
    for tok in sent:
        if tok.lemma_.lower() != "capital" or tok.pos_ != "NOUN":
            continue
        if any(c.dep_ in ("appos", "compound") and c.i in used for c in tok.children):
            continue
        iso = None
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod") and c.i not in used:
                iso = country_of_demonym(_clean_name(_propn_span(c).text if c.pos_ == "PROPN"
                                                     else c.text))
            elif c.dep_ == "prep" and c.lower_ == "of":
                for o in c.children:
                    if o.dep_ == "pobj":
                        iso = country_of_demonym(_clean_name(_strip_span(
                            _propn_span(o) if o.pos_ == "PROPN" else o.doc[o.i:o.i + 1]).text))
            if iso:
                break
        cap = g.capitals.get(iso) if iso else None
        if cap is None or _overlaps(tok.idx, tok.idx + len(tok), excl):
            continue
        s = sc.anchor(tok)
        if s is not None:
            cands.append((s, _SPEC[T_CITY], 1, 0, -tok.i, 3, cap))

    if not cands:
        return None
    best = max(cands, key=lambda c: c[:6])
    return best[-1].location()


# ---------------------------------------------------------------------------
# datelines
# ---------------------------------------------------------------------------
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
           "june|july|august|september|october|november|december")
_DAYS = "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|" \
        "friday|saturday|sunday"
_DATE_SEG = re.compile(r"^(?:(?:%s)\.?,?\s*)?(?:(?:%s)\.?\s+\d{1,2}(?:st|nd|rd|th)?|"
                       r"\d{1,2}(?:st|nd|rd|th)?\s+(?:%s)\.?)(?:,?\s+\d{4})?$|^\d{4}-\d{2}-\d{2}$|"
                       r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}$|^(?:%s)\.?$"
                       % (_DAYS, _MONTHS, _MONTHS, _DAYS), re.I)
_AGENCY_SEG = re.compile(r"^[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}$")
_NOT_PLACE = re.compile(r"^(?:%s|%s)\.?$" % (_MONTHS, _DAYS), re.I)
_DASHES = "-–—"


def _split_dateline(line: str) -> Optional[tuple[str, str, int, bool]]:
    """(head, parenthetical, end, eol) where head is the text before the
    dateline's separator (a dash or colon outside parentheses, a closing
    parenthesis followed by a capitalised word, or the end of the line) and
    end is where the body starts; None when the line has no separator within
    120 characters."""
    depth = 0
    paren = ""
    pstart = -1
    n = min(len(line), 160)
    i = 0
    while i < n:
        ch = line[i]
        if ch == "\n":
            # "Baku, September 20, AZERTAC" on a line of its own
            return (line[:i], paren, i + 1, True) if depth == 0 else None
        if ch == ":" and depth == 0 and line[i + 1:i + 2] in (" ", "\t"):
            return line[:i], paren, i + 2, False
        if ch == "(":
            if depth == 0:
                pstart = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                paren = line[pstart + 1:i]
                j = i + 1
                while j < len(line) and line[j] in " \t":
                    j += 1
                if j < len(line) and line[j] in _DASHES + ":":
                    k = j
                    while k < len(line) and line[k] in _DASHES + ":":
                        k += 1
                    while k < len(line) and line[k] in " \t":
                        k += 1
                    return line[:pstart], paren, k, False
                if j < len(line) and j > i + 1 and (line[j].isupper() or line[j] in "\"“‘'"):
                    return line[:pstart], paren, j, False
                return None
        elif depth == 0 and ch in _DASHES:
            prev = line[i - 1] if i else " "
            nxt = line[i + 1] if i + 1 < len(line) else " "
            # a hyphen inside a word ("Nur-Sultan") is no separator
            if ch != "-" or prev.isspace() or nxt == "-" or nxt.isspace():
                k = i
                while k < len(line) and line[k] in _DASHES:
                    k += 1
                while k < len(line) and line[k] in " \t":
                    k += 1
                return line[:i], paren, k, False
        if i > 120 and depth == 0:
            return None
        i += 1
    return None


def dateline(text: str) -> tuple[Optional[Location], int]:
    """A dateline at the start of an article or paragraph ("BAKU, Azerbaijan,
    Sept. 20 -", "KIEV, July 12 (Xinhua) --", "WARSAW -", "Tehran, IRNA –")
    -> (its place, the length of the dateline prefix); (None, 0) if none."""
    if not text:
        return None, 0
    lead = len(text) - len(text.lstrip())
    line = text[lead:]
    got = _split_dateline(line)
    if got is None:
        return None, 0
    head, paren, end, eol = got
    segs = [s.strip() for s in head.strip().rstrip(",").split(",")]
    if not segs or not segs[0] or len(head) > 100:
        return None, 0
    first = segs[0]
    places = [p.strip() for p in first.split("/")]
    name = places[0]
    if not name or _NOT_PLACE.match(name) or not name[0].isupper() or len(name) > 40:
        return None, 0
    if not all(w[:1].isupper() or w.lower() in ("de", "del", "la", "el", "al", "of", "es",
                                                  "upon", "am", "an", "der", "sur", "du")
               for w in re.split(r"[\s-]+", name) if w):
        return None, 0
    caps = name.upper() == name and any(c.isalpha() for c in name)
    rest = [s for s in segs[1:] if s]
    country = None
    for s in rest:
        if len(s) > 40:
            return None, 0
        if _DATE_SEG.match(s):
            continue
        p = _lookup_place(_clean_name(s), None)
        if p is not None and p.tier in (T_COUNTRY, T_STATE, T_REGION) and country is None:
            country = p.country
            continue
        if _AGENCY_SEG.match(s):
            continue
        return None, 0
    if not (caps or rest or paren):
        return None, 0
    if eol and not any(_DATE_SEG.match(s) for s in rest):
        return None, 0      # a line of its own is a dateline only with a date
    place = None
    if country:
        place = _lookup_place(_clean_name(name), country)
    if place is None:
        place = _lookup_place(_clean_name(name), None)
    if place is None or place.tier == T_VENUE:
        return None, 0
    return place.location(), lead + end
