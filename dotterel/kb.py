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
people.yaml      - list of {name, aliases[], country, offices: [{office,
                   title, sector, start, end}]}; dates ISO, end null = still
                   in office. Out of office on the event date -> sector ELI.

An extension file may hold any of the top-level keys ``countries``,
``organizations``, ``titles``, ``people`` (each a list as above).
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


def norm(text: str) -> str:
    """Lower-case, strip diacritics, unify quotes and dots for lookups."""
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


@dataclass
class Title:
    title: str
    sector: str
    office: Optional[str] = None
    patterns: list[str] = field(default_factory=list)


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
        self.people: list[Person] = []
        self.person_names: dict[str, list[Person]] = {}  # norm(alias) -> people

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

    def _add_country(self, c: dict) -> None:
        iso = c["iso3"]
        prev = self.countries.get(iso)
        country = Country(iso3=iso, name=c.get("name") or (prev.name if prev else iso),
                          names=list(c.get("names") or []),
                          demonyms=list(c.get("demonyms") or []),
                          capital=c.get("capital"), capitals=list(c.get("capitals") or []))
        self.countries[iso] = country
        for n in [country.name, *country.names]:
            self.country_names[norm(n)] = iso
        for d in country.demonyms:
            self.demonyms[norm(d)] = iso
        for cap in [country.capital, *country.capitals]:
            if cap:
                self.capitals[norm(cap)] = iso

    def _add_org(self, o: dict) -> None:
        org = Org(name=o.get("name"), country=o["country"], sector=o.get("sector") or "GOV",
                  aliases=list(o.get("aliases") or []))
        for a in [org.name, *org.aliases]:
            if a:
                self.orgs[norm(a)] = org

    def _add_title(self, t: dict) -> None:
        title = Title(title=t["title"], sector=t.get("sector") or "GOV", office=t.get("office"),
                      patterns=list(t.get("patterns") or []))
        for p in [title.title, *title.patterns]:
            self.titles[norm(p)] = title

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
        keys = {norm(person.name), *(norm(a) for a in person.aliases)}
        for k in keys:
            self.person_names.setdefault(k, []).append(person)

    # ---- lookups -------------------------------------------------------
    def country(self, text: str) -> Optional[str]:
        """ISO3 for a country name or short form (not demonyms, not capitals)."""
        return self.country_names.get(norm(text))

    def demonym(self, text: str) -> Optional[str]:
        return self.demonyms.get(norm(text))

    def capital(self, text: str) -> Optional[str]:
        return self.capitals.get(norm(text))

    def org(self, text: str) -> Optional[Org]:
        return self.orgs.get(norm(text))

    def title(self, text: str) -> Optional[Title]:
        return self.titles.get(norm(text))

    def person(self, text: str, date: Optional[str] = None,
               country: Optional[str] = None) -> Optional[Person]:
        """A person by full name or alias; ambiguous aliases prefer one in
        office on ``date`` and from ``country`` when given."""
        cands = self.person_names.get(norm(text))
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        def score(p: Person) -> tuple:
            return (country is not None and p.country == country,
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


@lru_cache(maxsize=8)
def load_kb(extra: tuple[str, ...] = ()) -> KB:
    """Load the bundled KB plus user extension files (later files win)."""
    kb = KB()
    for p in _builtin_files():
        kb.add(_read(p))
    for p in extra:
        kb.add(_read(Path(p)))
    return kb
