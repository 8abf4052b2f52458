"""The actor knowledge base: countries, organisations, offices and people.

Everything here is data under ``dotterel/data/kb/`` (YAML), loaded once per
process through :func:`load_kb`.  Users extend it with their own YAML files
of the same schema (``dotterel code --kb my_actors.yaml``); see docs/KB.md.

Files and schema
----------------
countries.yaml   - list of {iso3, name, names[], demonyms[], capital, capitals[]}
                   ``names``: every form that names the country itself (short
                   forms such as "U.S.", long forms such as "the Russian
                   Federation"); ``demonyms``: adjectival/people forms
                   ("Azerbaijani", "Azeri"); ``capital`` + ``capitals``:
                   seats of government used as metonyms ("Moscow said").
organizations.yaml - list of {name, aliases[], country, sector}
                   country is ISO3 or a PLOVER code (UNO, EUR, IGO, NGO, ISM,
                   IMG, MNC); ``name`` may be null for generic bodies.
titles.yaml      - list of {title, patterns[], sector, office}
                   ``patterns`` are lower-case surface forms ("foreign
                   minister", "minister of foreign affairs", "top diplomat");
                   ``office`` is a key shared with people.yaml offices
                   (head_of_state, head_of_government, foreign_minister, ...).
                   ``country`` (optional) ties an office to one body
                   (the High Representative is EUR); ``generic: true`` marks titles that say only the rank
                   ("head of state", "leader", "minister"); a person found
                   through one gets the title of the office they hold.
people.yaml      - list of {name, aliases[], country, offices: [{office,
                   title, sector, start, end, country}]}; dates ISO, end null
                   = still in office. Out of office on the event date -> sector
                   ELI. An office's own country (UNO, EUR) overrides the person's.
sectors.yaml     - list of {sector, patterns[]}: collective nouns that make a
                   country-level actor of a sector ("companies" -> BUS,
                   "refugees" -> REF, "police" -> COP).
organizations may carry ``periods: [{start, end, sector}]`` where a body's
sector changed over time (the Taliban: REB, then GOV from 2021-08-15).

An extension file may hold any of the top-level keys ``countries``,
``organizations``, ``titles``, ``people``, ``sectors`` (each a list as above).

:meth:`KB.resolve` turns one noun phrase as news writes it ("U.S. Secretary
of State Antony Blinken", "the Kremlin", "Kazakh side", "UK companies") into
an :class:`~dotterel.model.Entity`, aware of who held which office when.
"""
from __future__ import annotations

import datetime as _dt
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional

import yaml

from .model import Entity


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Lower-case, strip diacritics, unify quotes and dots for lookups
    (cached: the same names are looked up again and again)."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.replace("’", "'").replace("‘", "'").lower().strip()
    if t.startswith("the "):
        t = t[4:]
    return " ".join(t.split())


@dataclass
class Country:
    iso3: str
    name: str
    names: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capital: Optional[str] = None
    capitals: list[str] = field(default_factory=list)


@dataclass
class Org:
    name: Optional[str]
    country: str
    sector: str = "GOV"
    aliases: list[str] = field(default_factory=list)
    periods: list[dict] = field(default_factory=list)

    def sector_on(self, date: Optional[str]) -> str:
        """The sector on ``date``; periods (if any) override the default."""
        for p in self.periods:
            o = Office("", "", p.get("sector") or self.sector, _iso(p.get("start")), _iso(p.get("end")))
            if o.active(date) if date else o.end is None:
                return o.sector
        return self.sector


@dataclass
class Title:
    title: str
    sector: str
    office: Optional[str] = None
    patterns: list[str] = field(default_factory=list)
    generic: bool = False
    country: Optional[str] = None


@dataclass
class Office:
    office: str
    title: str
    sector: str
    start: Optional[str] = None
    end: Optional[str] = None
    country: Optional[str] = None

    def active(self, date: Optional[str]) -> bool:
        """In office at some point of ``date`` (a day, month or year)."""
        if not date:
            return self.end is None
        lo, hi = _pad(date, start=True), _pad(date, start=False)
        if self.start and _pad(self.start, start=True) > hi:
            return False
        if self.end and _pad(self.end, start=False) < lo:
            return False
        return True


@dataclass
class Person:
    name: str
    country: str
    aliases: list[str] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)

    def office_on(self, date: Optional[str]) -> Optional[Office]:
        """The office held on ``date`` (latest-starting if several)."""
        held = [o for o in self.offices if o.active(date)]
        if not held:
            return None
        return sorted(held, key=lambda o: o.start or "")[-1]

    def sector_on(self, date: Optional[str]) -> str:
        o = self.office_on(date)
        if o:
            return o.sector
        return "ELI" if self.offices else "UNK"


def _pad(date: str, start: bool) -> str:
    """Complete a partial ISO date to its first (start) or last day."""
    if len(date) == 4:
        return date + ("-01-01" if start else "-12-31")
    if len(date) == 7:
        return date + ("-01" if start else "-31")
    return date


class KB:
    """Lookup tables over the loaded YAML."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.country_names: dict[str, str] = {}    # norm(name) -> iso3
        self.demonyms: dict[str, str] = {}         # norm(demonym) -> iso3
        self.capitals: dict[str, str] = {}         # norm(capital) -> iso3
        self.orgs: dict[str, Org] = {}             # norm(alias) -> Org
        self.titles: dict[str, Title] = {}         # norm(pattern) -> Title
        self.sectors: dict[str, str] = {}          # norm(collective noun) -> sector
        self.people: list[Person] = []
        self.person_names: dict[str, list[Person]] = {}  # norm(alias) -> people
        # keys whose every written form is an acronym ("US", "WHO", "IS"):
        # they only match text written in capitals, never "us", "who", "is"
        self._acronyms: set[str] = set()
        self._plain: set[str] = set()
        self._maxlen = 1

    # ---- loading -------------------------------------------------------
    def add(self, data: dict) -> None:
        for c in data.get("countries") or []:
            self._add_country(c)
        for o in data.get("organizations") or []:
            self._add_org(o)
        for t in data.get("titles") or []:
            self._add_title(t)
        for p in data.get("people") or []:
            self._add_person(p)
        for sct in data.get("sectors") or []:
            self._add_sector(sct)

    def _key(self, form: str) -> str:
        k = norm(form)
        letters = [c for c in form if c.isalpha()]
        if letters and len(letters) <= 5 and all(c.isupper() for c in letters):
            if k not in self._plain:
                self._acronyms.add(k)
        else:
            self._plain.add(k)
            self._acronyms.discard(k)
        self._maxlen = max(self._maxlen, len(k.split()))
        return k

    def _add_country(self, c: dict) -> None:
        iso = c["iso3"]
        prev = self.countries.get(iso)
        country = Country(iso3=iso, name=c.get("name") or (prev.name if prev else iso),
                          names=list(c.get("names") or []),
                          demonyms=list(c.get("demonyms") or []),
                          capital=c.get("capital"), capitals=list(c.get("capitals") or []))
        self.countries[iso] = country
        for n in [country.name, *country.names]:
            self.country_names[self._key(n)] = iso
        for d in country.demonyms:
            self.demonyms[self._key(d)] = iso
            if not d.endswith(("s", "sh", "ch", "ese", "i")) or d.endswith(("ani", "ali", "aqi", "eli", "udi", "ati", "ari", "eni", "ini", "ri")):
                plural = norm(d) + "s"
                self.demonyms.setdefault(plural, iso)
        for cap in [country.capital, *country.capitals]:
            if cap:
                self.capitals[self._key(cap)] = iso

    def _add_org(self, o: dict) -> None:
        org = Org(name=o.get("name"), country=o["country"], sector=o.get("sector") or "GOV",
                  aliases=list(o.get("aliases") or []), periods=list(o.get("periods") or []))
        for a in [org.name, *org.aliases]:
            if a:
                self.orgs[self._key(a)] = org

    def _add_title(self, t: dict) -> None:
        title = Title(title=t["title"], sector=t.get("sector") or "GOV", office=t.get("office"),
                      patterns=list(t.get("patterns") or []), generic=bool(t.get("generic")),
                      country=t.get("country"))
        for p in [title.title, *title.patterns]:
            k = norm(p)
            self.titles[k] = title
            self._maxlen = max(self._maxlen, len(k.split()))

    def _add_sector(self, s: dict) -> None:
        sector = s["sector"]
        for p in s.get("patterns") or []:
            k = norm(p)
            self.sectors[k] = sector
            if not k.endswith("s"):
                self.sectors.setdefault(k + "s", sector)
            self._maxlen = max(self._maxlen, len(k.split()))

    def _add_person(self, p: dict) -> None:
        offices = []
        for o in p.get("offices") or []:
            offices.append(Office(office=o.get("office") or "", title=o.get("title") or "",
                                  sector=o.get("sector") or "GOV",
                                  start=_iso(o.get("start")), end=_iso(o.get("end")),
                                  country=o.get("country") or p["country"]))
        person = Person(name=p["name"], country=p["country"],
                        aliases=list(p.get("aliases") or []), offices=offices)
        self.people.append(person)
        keys = {self._key(person.name), *(self._key(a) for a in person.aliases)}
        for k in keys:
            self.person_names.setdefault(k, []).append(person)

    # ---- lookups -------------------------------------------------------
    def _ok(self, text: str, key: str) -> bool:
        """An acronym key matches only text written in capitals."""
        if key in self._acronyms:
            letters = [c for c in text if c.isalpha()]
            return bool(letters) and all(c.isupper() for c in letters)
        return True

    def _get(self, table: dict, text: str):
        k = norm(text)
        v = table.get(k)
        if v is not None and not self._ok(text, k):
            return None
        return v

    def country(self, text: str) -> Optional[str]:
        """ISO3 for a country name or short form (not demonyms, not capitals)."""
        return self._get(self.country_names, text)

    def demonym(self, text: str) -> Optional[str]:
        return self._get(self.demonyms, text)

    def capital(self, text: str) -> Optional[str]:
        return self._get(self.capitals, text)

    def org(self, text: str) -> Optional[Org]:
        return self._get(self.orgs, text)

    def title(self, text: str) -> Optional[Title]:
        return self.titles.get(norm(text))

    def sector(self, text: str) -> Optional[str]:
        """Sector of a collective noun ("companies" -> BUS), else None."""
        return self.sectors.get(norm(text))

    def person(self, text: str, date: Optional[str] = None,
               country: Optional[str] = None) -> Optional[Person]:
        """A person by full name or alias; ambiguous aliases prefer one in
        office on ``date`` and from ``country`` when given."""
        cands = self._get(self.person_names, text)
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        def score(p: Person) -> tuple:
            return (country is not None and (p.country == country or
                                             any(o.country == country for o in p.offices)),
                    p.office_on(date) is not None)
        return sorted(cands, key=score)[-1]

    def office_holder(self, country: str, office: str,
                      date: Optional[str]) -> Optional[Person]:
        """Who held ``office`` (e.g. foreign_minister) of ``country`` on ``date``."""
        best = None
        for p in self.people:
            for o in p.offices:
                if o.office == office and (o.country or p.country) == country and o.active(date):
                    if best is None or (o.start or "") > (best[1].start or ""):
                        best = (p, o)
        return best[0] if best else None

    def title_holder(self, country: str, title: Title,
                     date: Optional[str]) -> Optional[tuple[Person, Office]]:
        """Who held the office a title names in ``country`` on ``date``: a
        holder of that very title first ("President" in Iran is not the
        head of state), else a holder of the title's office key."""
        exact, by_office = None, None
        want = title.title
        for p, o in self._offices_of(country):
            if o.active(date):
                if self.canonical_title(o.title) == want:
                    if exact is None or (o.start or "") > (exact[1].start or ""):
                        exact = (p, o)
                elif title.office and o.office == title.office:
                    if by_office is None or (o.start or "") > (by_office[1].start or ""):
                        by_office = (p, o)
        return exact or by_office

    def _offices_of(self, country: str) -> list[tuple[Person, Office]]:
        idx = self.__dict__.get("_office_idx")
        if idx is None or idx[0] != len(self.people):
            table: dict[str, list[tuple[Person, Office]]] = {}
            for p in self.people:
                for o in p.offices:
                    table.setdefault(o.country or p.country, []).append((p, o))
            idx = (len(self.people), table)
            self._office_idx = idx
        return idx[1].get(country, [])

    def canonical_title(self, text: Optional[str]) -> Optional[str]:
        """The titles.yaml title for a written office title, else the text."""
        if not text:
            return text
        t = self.titles.get(norm(text))
        return t.title if t else text

    def country_name(self, iso3: str) -> str:
        c = self.countries.get(iso3)
        return c.name if c else iso3

    def surface_forms(self) -> Iterable[tuple[str, str]]:
        """(text, label) pairs for the spaCy entity ruler."""
        for n in self.country_names:
            yield n, "GPE"
        for d in self.demonyms:
            yield d, "NORP"
        for a, o in self.orgs.items():
            yield a, "ORG"
        for k in self.person_names:
            yield k, "PERSON"

    # ---- resolving one mention ----------------------------------------
    def resolve(self, text: str, date: Optional[str] = None) -> Optional[Entity]:
        """Resolve one noun phrase as news writes it into an Entity.

        "U.S. Secretary of State Antony Blinken", "the Prime Minister of
        Armenia", "Azerbaijani Foreign Minister" (-> who held it on
        ``date``), "Moscow" / "the Kremlin" (-> RUS GOV), "UK companies"
        (-> GBR BUS), "NATO" (-> IGO).  None when nothing in the phrase ties
        it to a country or a non-state code.
        """
        segs = self._segments(text)
        if not segs:
            return None
        country = None
        title: Optional[Title] = None
        sector_noun = None
        person_seg = None
        org: Optional[Org] = None
        name_words: list[str] = []
        for kind, val, surface in segs:
            if kind == "person" and person_seg is None:
                person_seg = (val, surface)
            elif kind == "org" and org is None:
                org = val
            elif kind in ("country", "capital", "demonym") and country is None:
                country = val
            elif kind == "title" and title is None:
                title = val
            elif kind == "sector" and sector_noun is None:
                sector_noun = val
            elif kind == "word":
                name_words.append(surface)
        if country is None and org is not None and org.country:
            org_country = org.country
        else:
            org_country = None
        where = country or org_country or (title.country if title is not None else None)

        if person_seg is not None:
            p = self.person(person_seg[1], date, where)
            if p is not None and (where is None or p.country == where or
                                  any(o.country == where for o in p.offices) or
                                  len(person_seg[1].split()) > 1):
                return self._person_entity(p, date, title)
            # a surname shared with someone of another country: the text's name
            name_words = [person_seg[1], *name_words]

        name = _name_from(name_words)
        if title is not None and where is not None:
            if name:
                p = self.person(name, date, where)
                if p is not None:
                    return self._person_entity(p, date, title)
                return Entity(name=name, country=where, sector=title.sector, title=title.title)
            held = self.title_holder(where, title, date) if (title.office or not title.generic) else None
            if held is not None:
                return self._person_entity(held[0], date, title, held[1])
            return Entity(name=None, country=where, sector=title.sector, title=title.title)
        if org is not None:
            sector = org.sector_on(date)
            if org.name is None and sector_noun and sector_noun != "GOV":
                sector = sector_noun
            return Entity(name=org.name, country=org.country, sector=sector)
        if country is not None:
            return Entity(name=None, country=country, sector=sector_noun or "GOV")
        return None

    def _person_entity(self, p: Person, date: Optional[str], text_title: Optional[Title],
                       office: Optional[Office] = None) -> Entity:
        o = office or p.office_on(date)
        if o is None:
            # out of office on the date: an elite, titled as the text titles them
            sector = "ELI" if p.offices else (text_title.sector if text_title else "UNK")
            return Entity(name=p.name, country=p.country, sector=sector,
                          title=text_title.title if text_title else None)
        if text_title is not None and not text_title.generic:
            t = text_title.title
        else:
            t = self.canonical_title(o.title)
        return Entity(name=p.name, country=o.country or p.country, sector=o.sector, title=t)

    def _segments(self, text: str) -> list[tuple[str, object, str]]:
        """Greedy longest-match segmentation of a phrase into KB pieces:
        (kind, value, surface) with kinds person, org, country, capital,
        demonym, title, sector, and 'word' for anything unknown."""
        toks = _tokens(text)
        out: list[tuple[str, object, str]] = []
        i, n = 0, len(toks)
        while i < n:
            if toks[i].lower() in _GLUE:
                i += 1
                continue
            hit = None
            for j in range(min(n, i + self._maxlen), i, -1):
                surface = " ".join(toks[i:j])
                hit = self._lookup(surface)
                if hit is not None:
                    out.append((hit[0], hit[1], surface))
                    i = j
                    break
            if hit is None:
                out.append(("word", None, toks[i]))
                i += 1
        return out

    def _lookup(self, surface: str) -> Optional[tuple[str, object]]:
        k = norm(surface)
        if not k:
            return None
        proper = any(c.isupper() for c in surface) and self._ok(surface, k)
        if proper:
            if k in self.person_names:
                return ("person", self.person_names[k])
            if k in self.orgs:
                return ("org", self.orgs[k])
            if k in self.country_names:
                return ("country", self.country_names[k])
            if k in self.capitals:
                return ("capital", self.capitals[k])
            if k in self.demonyms:
                return ("demonym", self.demonyms[k])
        if k in self.titles:
            return ("title", self.titles[k])
        if k in self.sectors:
            return ("sector", self.sectors[k])
        return None


_GLUE = {"the", "of", "'s", "’s", ",", "and", "for", "a", "an", "former", "ex-", "then",
         "late", "new", "incumbent", "outgoing", "acting", "interim"}


def _tokens(text: str) -> list[str]:
    """Words of a phrase, with possessive 's and commas split off."""
    out: list[str] = []
    for w in text.replace("’", "'").split():
        tail = []
        while w.endswith((",", ";", ":")):
            tail.insert(0, w[-1])
            w = w[:-1]
        if w.endswith("'s") and len(w) > 2:
            out.extend([w[:-2], "'s"])
        elif w.endswith("s'") and len(w) > 2:
            out.extend([w[:-1], "'s"])
        elif w:
            out.append(w)
        out.extend(tail)
    return out


def _name_from(words: list[str]) -> Optional[str]:
    """A person's name from the unknown words of a phrase: capitalised
    words and name particles (al-, bin, de, von), at least one capital."""
    parts = [w for w in words if w[:1].isupper() or w.lower() in _PARTICLES
             or w.lower().startswith(("al-", "el-"))]
    if not parts or not any(w[:1].isupper() for w in parts):
        return None
    while parts and parts[0].lower() in _PARTICLES:
        parts.pop(0)
    return " ".join(parts) or None


_PARTICLES = {"al", "bin", "bint", "ibn", "de", "da", "di", "del", "van", "von", "der", "la", "le", "du"}


def _iso(v) -> Optional[str]:
    if v is None:
        return None
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()[:10]
    return str(v)


def _builtin_files() -> list[Path]:
    root = resources.files("dotterel") / "data" / "kb"
    return sorted(Path(str(root)).glob("*.yaml"))


def _read(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if isinstance(data, list):
        # a bare list: file name says what it holds (countries.yaml, ...)
        return {path.stem: data}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping or a list at top level")
    return data


def load_kb(extra: tuple[str, ...] = ()) -> KB:
    """Load the bundled KB plus user extension files (later files win);
    one KB per process and list of files (``load_kb()`` is ``load_kb(())``,
    so callers share it and the spaCy pipeline built on it)."""
    return _load_kb(tuple(str(p) for p in extra))


@lru_cache(maxsize=8)
def _load_kb(extra: tuple[str, ...]) -> KB:
    kb = KB()
    for p in _builtin_files():
        kb.add(_read(p))
    for p in extra:
        kb.add(_read(Path(p)))
    return kb
