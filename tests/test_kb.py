"""The actor KB: bundled data loads whole and consistent, lookups, office
holders over time, and a user extension file."""
from pathlib import Path

import pytest
import yaml

from dotterel.kb import KB, load_kb, norm

HERE = Path(__file__).resolve().parent
USER = HERE / "data" / "user_kb_example.yaml"
DATA = HERE.parent / "dotterel" / "data" / "kb"
SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "PTY", "OPP", "REB", "BUS", "MNC", "CVL",
           "JRN", "MED", "EDU", "REL", "ELI", "REF", "LAB", "AGR", "SOC", "PRM", "UAF", "UNK", "PRE"}
NONSTATE = {"UNO", "EUR", "IGO", "NGO", "ISM", "IMG", "MNC"}


@pytest.fixture(scope="module")
def kb() -> KB:
    return load_kb()


def test_every_iso_country_and_kosovo(kb):
    assert len(kb.countries) >= 249
    for iso in ("AZE", "ARM", "GEO", "KAZ", "UZB", "KGZ", "TJK", "TKM", "USA", "KOS", "PSE", "TWN"):
        assert iso in kb.countries
    assert kb.country_name("GBR") == "United Kingdom"


def test_codes_and_sectors_are_valid(kb):
    codes = set(kb.countries) | NONSTATE
    for org in kb.orgs.values():
        assert org.country in codes, org
        assert org.sector in SECTORS, org
    for p in kb.people:
        assert p.country in codes, p.name
        for o in p.offices:
            assert o.sector in SECTORS and o.country in codes, p.name
            assert o.start, p.name
            if o.end:
                assert o.start <= o.end, p.name
    for t in kb.titles.values():
        assert t.sector in SECTORS, t
    assert set(kb.sectors.values()) <= SECTORS


def test_no_overlapping_terms_of_one_office(kb):
    """Two people never hold the same head-of-state/government or minister
    office of one country on the same day (a data-entry check)."""
    for office in ("head_of_state", "foreign_minister", "defence_minister"):
        by_country: dict = {}
        for p in kb.people:
            for o in p.offices:
                if o.office == office:
                    by_country.setdefault(o.country, []).append((o.start, o.end or "9999", p.name))
        for terms in by_country.values():
            terms.sort()
            for a, b in zip(terms, terms[1:]):
                if a[2] != b[2]:
                    assert a[1][:7] <= b[0][:7] or a[1] <= b[0], (office, a, b)


def test_lookups(kb):
    assert kb.country("the Republic of Azerbaijan") == "AZE"
    assert kb.country("U.S.") == "USA"
    assert kb.country("us") is None          # acronyms need capitals
    assert kb.country("US") == "USA"
    assert kb.demonym("Azeri") == "AZE"
    assert kb.demonym("Kazakhstani") == "KAZ"
    assert kb.capital("Kiev") == kb.capital("Kyiv") == "UKR"
    assert kb.org("who") is None and kb.org("WHO").country == "UNO"
    assert kb.org("Kremlin").country == "RUS"
    assert kb.title("top diplomat").office == "foreign_minister"
    assert kb.title("Col-Gen").sector == "MIL"
    assert kb.sector("companies") == "BUS"
    assert norm("The  Kremlin’s") == "kremlin's"


def test_office_holder(kb):
    assert kb.office_holder("AZE", "foreign_minister", "2022-03-30").name == "Jeyhun Bayramov"
    assert kb.office_holder("USA", "head_of_state", "2019-06").name == "Donald Trump"
    assert kb.office_holder("USA", "head_of_state", "2022").name == "Joe Biden"
    assert kb.office_holder("GBR", "head_of_government", "2022-10-01").name == "Liz Truss"
    assert kb.office_holder("EUR", "high_representative", "2021-01-01").name == "Josep Borrell"
    assert kb.office_holder("UNO", "secretary_general", "2020").name == "António Guterres"
    assert kb.office_holder("ARM", "foreign_minister", "1990-01-01") is None


def test_person_terms_and_sectors(kb):
    trump = kb.person("Trump")
    assert trump.sector_on("2018-01-01") == "GOV"
    assert trump.sector_on("2023-01-01") == "ELI"
    assert kb.person("Zelensky").name == "Volodymyr Zelenskyy"
    assert kb.person("Araqchi").name == "Abbas Araghchi"
    assert kb.person("Lavrov").office_on("2020").title == "Foreign Minister"


def test_org_periods(kb):
    taliban = kb.org("Taliban")
    assert taliban.sector_on("2020-01-01") == "REB"
    assert taliban.sector_on("2021-09-01") == "GOV"


def test_bundled_files_parse_as_lists():
    for f in DATA.glob("*.yaml"):
        assert isinstance(yaml.safe_load(f.read_text(encoding="utf-8")), list), f


def test_user_extension_file(kb):
    assert kb.resolve("Chadian Foreign Minister", "2032-01-01").name is None   # not bundled
    assert kb.resolve("Tchalla-Oumar", "2032-01-01") is None
    ext = load_kb((str(USER),))
    assert ext is not kb and ext is load_kb((str(USER),))   # cached per file tuple
    ent = ext.resolve("Chadian Foreign Minister", "2032-01-01")
    assert (ent.name, ent.country, ent.sector) == ("Amina Tchalla-Oumar", "TCD", "GOV")
    ent = ext.resolve("Tchalla-Oumar", "2035-01-01")
    assert (ent.name, ent.sector) == ("Amina Tchalla-Oumar", "ELI")
    ent = ext.resolve("the LCFU", None)
    assert (ent.name, ent.country, ent.sector) == ("Lake Chad Fishers' Union", "TCD", "LAB")
    ent = ext.resolve("Chadian harbour master", None)
    assert (ent.country, ent.sector, ent.title) == ("TCD", "COP", "Harbour Master")
    # the bundled KB is still there
    assert ext.resolve("Azerbaijani Foreign Minister", "2022-03-30").name == "Jeyhun Bayramov"


def test_resolve_is_fast(kb):
    import time
    phrases = ["U.S. Secretary of State Antony Blinken", "the Kazakh side", "Moscow",
               "the French Minister of Foreign Affairs", "UK companies"] * 200
    t = time.perf_counter()
    for p in phrases:
        kb.resolve(p, "2024-04-02")
    per = (time.perf_counter() - t) / len(phrases)
    assert per < 0.005, per
