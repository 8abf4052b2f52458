"""The places stage: gazetteer lookups, the location of a sentence's event,
and datelines. Every sentence here is written for these tests."""
import time
from importlib import resources

import pytest
import yaml

from dotterel import places as P

# --- lookup ----------------------------------------------------------------
LOOKUPS = [
    # (name, expected name, expected ISO3)
    ("Bogotá", "Bogotá", "COL"),
    ("Bogota", "Bogotá", "COL"),
    ("BOGOTA", "Bogotá", "COL"),
    ("Kyiv", "Kyiv", "UKR"),
    ("Kiev", "Kyiv", "UKR"),                      # former English name
    ("Tashkent", "Tashkent", "UZB"),
    ("Baku", "Baku", "AZE"),
    ("Munich", "Munich", "DEU"),
    ("München", "Munich", "DEU"),                 # alternate with a diacritic
    ("Muenchen", "Munich", "DEU"),
    ("Davos", "Davos", "CHE"),                    # a small town kept on purpose
    ("Nur-Sultan", "Astana", "KAZ"),
    ("Washington, D.C.", "Washington", "USA"),
    ("Washington DC", "Washington", "USA"),
    ("St. Petersburg", "Saint Petersburg", "RUS"),
    ("Zürich", "Zürich", "CHE"),
    ("Zurich", "Zürich", "CHE"),
    ("Kolkata", "Kolkata", "IND"),
    ("Bombay", "Mumbai", "IND"),                 # former name, no other city of that name
    ("Rangoon", "Yangon", "MMR"),
    ("New Delhi", "New Delhi", "IND"),           # not Delhi, whose alternates include it
    ("The Hague", "The Hague", "NLD"),
    ("Hague", "The Hague", "NLD"),
    # countries: the country itself, located at its capital
    ("Azerbaijan", "Azerbaijan", "AZE"),
    ("the United States", "United States", "USA"),
    ("U.S.", "United States", "USA"),
    ("Russian Federation", "Russia", "RUS"),
    ("Kosovo", None, "KOS"),
    ("Palestine", None, "PSE"),
    ("Georgia", "Georgia", "GEO"),               # the country beats the US state
    # venues give the city they are in
    ("Kremlin", "Moscow", "RUS"),
    ("the Kremlin", "Moscow", "RUS"),
    ("White House", "Washington", "USA"),
    ("Élysée Palace", "Paris", "FRA"),
    ("Elysee Palace", "Paris", "FRA"),
    ("Downing Street", "London", "GBR"),
    ("Casa de Nariño", "Bogotá", "COL"),
    ("Bogor Palace", "Bogor", "IDN"),
    ("Palais des Nations", "Geneva", "CHE"),
    ("UN headquarters", "New York City", "USA"),
    ("Zhongnanhai", "Beijing", "CHN"),
    ("Great Hall of the People", "Beijing", "CHN"),
    ("Ak Orda", "Astana", "KAZ"),
    ("Pentagon", "Arlington", "USA"),
    ("Munich Security Conference", "Munich", "DEU"),
    ("World Economic Forum", "Davos", "CHE"),
    ("Doha Forum", "Doha", "QAT"),
    ("Raisina Dialogue", "New Delhi", "IND"),
    ("Shangri-La Dialogue", "Singapore", "SGP"),
    ("UN General Assembly", "New York City", "USA"),
    # curated regions
    ("Nagorno-Karabakh", "Nagorno-Karabakh", "AZE"),
    ("Karabakh", "Nagorno-Karabakh", "AZE"),
    ("Crimea", "Crimea", "UKR"),
    ("Donbass", "Donbas", "UKR"),
    ("Gaza Strip", "Gaza Strip", "PSE"),
    ("the West Bank", "West Bank", "PSE"),
    ("Somaliland", "Somaliland", "SOM"),
    ("Xinjiang", "Xinjiang", "CHN"),
    ("Tigray", "Tigray", "ETH"),
    ("Sughd region", "Sughd", "TJK"),
    ("Batken region", "Batken region", "KGZ"),
    ("Stepanakert", "Stepanakert", "AZE"),
    ("Khankendi", "Khankendi", "AZE"),
    ("Florida", "Florida", "USA"),               # a US state, not a Cuban town
    ("New York", "New York City", "USA"),
]


@pytest.mark.parametrize("name,want_name,want_country", LOOKUPS)
def test_lookup(name, want_name, want_country):
    loc = P.lookup(name)
    assert loc is not None, name
    assert loc.country == want_country, (name, loc)
    if want_name is not None:
        assert loc.name == want_name, (name, loc)


@pytest.mark.parametrize("name", ["Kremlin", "Bogota", "Azerbaijan", "Crimea", "Davos"])
def test_lookup_has_coordinates(name):
    loc = P.lookup(name)
    assert loc.lat is not None and loc.lon is not None
    assert -90 <= loc.lat <= 90 and -180 <= loc.lon <= 180


def test_country_located_at_its_capital():
    aze, baku = P.lookup("Azerbaijan"), P.lookup("Baku")
    assert (round(aze.lat, 2), round(aze.lon, 2)) == (round(baku.lat, 2), round(baku.lon, 2))


@pytest.mark.parametrize("name,country", [
    ("Paris", "FRA"),          # not Paris, Texas
    ("Birmingham", "GBR"),     # not Birmingham, Alabama
    ("Hyderabad", "IND"),      # not Hyderabad, Pakistan
    ("Tripoli", "LBY"),        # not Tripoli, Lebanon
    ("Alexandria", "EGY"),     # not Alexandria, Virginia
    ("Odessa", "UKR"),         # the English exonym, not Odessa, Texas
    ("Córdoba", "ARG"),        # not Córdoba, Spain
])
def test_ambiguous_names_resolve_to_the_most_populous(name, country):
    assert P.lookup(name).country == country


def test_lookup_restricted_to_a_country():
    assert P.lookup("Paris", "USA").country == "USA"
    assert P.lookup("Hyderabad", "PAK").country == "PAK"
    assert P.lookup("Baku", "FRA") is None


def test_macro_regions_have_no_country():
    for name in ("South Caucasus", "Kashmir", "Black Sea", "Central Asia"):
        loc = P.lookup(name)
        assert loc is not None and loc.country is None, name


@pytest.mark.parametrize("name", ["", "Narnia", "Foo Bar Baz", "the government"])
def test_lookup_unknown(name):
    assert P.lookup(name) is None


def test_norm():
    assert P.norm("Bogotá") == P.norm("BOGOTA") == "bogota"
    assert P.norm("Washington, D.C.") == "washington dc"
    assert P.norm("St. Petersburg") == "saint petersburg"
    assert P.norm("Naxçıvan") == "naxcivan"
    assert P.norm("the Hague") == "hague"
    assert P.norm("Nur-Sultan") == "nur sultan"


def test_lookup_is_fast():
    P.lookup("Baku")                         # load once
    names = ["Baku", "Bogota", "Kremlin", "Atlantis", "Azerbaijan", "Kiev"] * 2000
    t = time.perf_counter()
    for n in names:
        P.lookup(n + "")
    assert time.perf_counter() - t < 1.0


# --- data files ------------------------------------------------------------
def _data(*parts):
    return resources.files("dotterel").joinpath("data", *parts)


def test_data_files_are_compact():
    total = sum(len(_data("gazetteer", f).read_bytes())
                for f in ("cities.tsv", "countries.tsv", "us_states.tsv", "regions.yaml"))
    assert total < 4_000_000


def test_every_venue_resolves_with_a_known_country_and_coordinates():
    g = P.gazetteer()
    venues = yaml.safe_load(_data("venues.yaml").read_text(encoding="utf-8"))
    assert len(venues) >= 30
    for v in venues:
        assert v["country"] in g.countries, v
        for n in v["names"]:
            loc = P.lookup(n)
            assert loc is not None and loc.country == v["country"], n
            if v["place"] != "Boao":
                assert loc.lat is not None, n


def test_regions_use_known_codes():
    g = P.gazetteer()
    regions = yaml.safe_load(_data("gazetteer", "regions.yaml").read_text(encoding="utf-8"))
    for r in regions:
        assert r["country"] is None or r["country"] in g.countries, r
        assert (r["lat"] is None) == (r["lon"] is None), r


def test_every_city_country_is_a_known_country():
    g = P.gazetteer()
    codes = {p.country for lst in g.index.values() for p in lst if p.tier == P.T_CITY}
    assert codes <= set(g.countries)
    assert len(g.capitals) > 190


# --- find_location ---------------------------------------------------------
@pytest.fixture(scope="module")
def nlp():
    from dotterel.kb import load_kb
    from dotterel.nlp import get_nlp
    return get_nlp(load_kb())


def where(nlp, text, actor_spans=()):
    doc = nlp(text)
    sent = next(iter(doc.sents))
    return P.find_location(sent, actor_spans)


FOUND = [
    ("The two presidents met in Davos on Wednesday.", "Davos", "CHE"),
    ("Aliyev met Blinken on the sidelines of the World Economic Forum in Davos.", "Davos", "CHE"),
    ("The foreign ministers met on the sidelines of the World Economic Forum.", "Davos", "CHE"),
    ("Scholz spoke at the Munich Security Conference on Saturday.", "Munich", "DEU"),
    ("The chancellor gave a speech in Munich.", "Munich", "DEU"),
    ("The ministers held talks in the capital Tashkent.", "Tashkent", "UZB"),
    ("Zelensky and Biden met during the NATO summit in Vilnius, Lithuania.", "Vilnius", "LTU"),
    ("Erdogan visited Azerbaijan last week.", "Azerbaijan", "AZE"),
    ("During his visit to Azerbaijan, Erdogan signed several agreements.", "Azerbaijan", "AZE"),
    ("Erdogan arrived in Baku on Monday for a two-day visit.", "Baku", "AZE"),
    ("Putin received Mirziyoyev at the Kremlin.", "Moscow", "RUS"),
    ("The talks were held in the Uzbek capital.", "Tashkent", "UZB"),
    ("The Iranian president arrived in the Tajik capital Dushanbe on Tuesday.", "Dushanbe", "TJK"),
    ("Macron hosted Scholz at the Élysée Palace.", "Paris", "FRA"),
    ("Modi spoke at the Raisina Dialogue.", "New Delhi", "IND"),
    ("Austin addressed the delegates at the Shangri-La Dialogue in Singapore.", "Singapore", "SGP"),
    ("The foreign ministers met on the sidelines of the UN General Assembly.", "New York City", "USA"),
    ("Pashinyan met with Azerbaijan's foreign minister in Brussels.", "Brussels", "BEL"),
    ("Xi hosted Putin at the Great Hall of the People.", "Beijing", "CHN"),
    ("Tokayev received the delegation at Ak Orda.", "Astana", "KAZ"),
    ("The summit in Astana was attended by leaders of five countries.", "Astana", "KAZ"),
    ("The Baku summit ended with a joint declaration.", "Baku", "AZE"),
    ("Russian troops shelled villages in the Kharkiv region.", "Kharkiv region", "UKR"),
    ("Israel carried out airstrikes in the Gaza Strip overnight.", "Gaza Strip", "PSE"),
    ("The president will travel to Paris next week.", "Paris", "FRA"),
    ("The Foreign Minister paid an official visit to Georgia.", "Georgia", "GEO"),
    ("Protesters rallied in front of parliament in Tbilisi on Tuesday.", "Tbilisi", "GEO"),
    ("Armenia and Azerbaijan signed a peace deal at the White House.", "Washington", "USA"),
    ("Macron met Xi in Guangzhou during a state visit to China.", "Guangzhou", "CHN"),
    ("The agreement was signed at the Uzbek-Kazakh summit in Tashkent on December 22.",
     "Tashkent", "UZB"),
    ("Zelensky met Trump at Mar-a-Lago in Florida.", "Palm Beach", "USA"),
    ("The leaders held talks at the Bogor Palace.", "Bogor", "IDN"),
    ("The call followed a meeting on the margins of the UN General Assembly in New York.",
     "New York City", "USA"),
    ("Armenian and Azerbaijani officials met in Washington to discuss the peace treaty.",
     "Washington", "USA"),
    ("At least seven people were detained during a rally in front of the parliament "
     "building in Tbilisi.", "Tbilisi", "GEO"),
]


@pytest.mark.parametrize("text,name,country", FOUND)
def test_find_location(nlp, text, name, country):
    loc = where(nlp, text)
    assert loc is not None, text
    assert (loc.name, loc.country) == (name, country), (text, loc)


NOT_A_LOCATION = [
    "Washington warned Moscow against further escalation.",     # actors
    "Moscow said the talks were constructive.",                 # subject GPE
    "The United States has worked closely with its allies.",    # subject GPE
    "The minister discussed the situation in Ukraine with his counterpart.",   # topic
    "They discussed peace between Azerbaijan and Armenia.",     # topic
    "The leaders discussed Syria.",                             # topic
    "Turkey increased exports to Armenia.",                     # recipient of a flow
    "Azerbaijan invested heavily in Georgia.",                  # topic
    "Blinken condemned the attack in Gaza.",                    # what is condemned
    "The ministers expressed concern over the developments in Sudan.",  # topic
    "He warned of a wider war in the Middle East.",             # topic
    "Erdogan invited Aliyev to visit Ankara.",                  # not (yet) there
    "Pashinyan met with Azerbaijan's foreign minister.",        # a country as possessor
    "The Kremlin said the meeting was useful.",                 # a venue as speaker
    "Russia's investments in Armenia grew last year.",          # topic
    "The two leaders held a phone call on Monday.",             # no place at all
    "The leaders will meet again in March.",                    # a month, not March, England
    "The two presidents talked about the minister's visit to the United States.",  # topic
    "The Russian ambassador in Washington said the claims were false.",  # a post
    "The spokesman condemned the airstrikes on several regions of Syria.",
    "The coup in Niger was condemned by its neighbours.",
    "The new rules were adopted in May by the parliament.",
]


@pytest.mark.parametrize("text", NOT_A_LOCATION)
def test_not_a_location(nlp, text):
    assert where(nlp, text) is None, text


def test_actor_spans_are_excluded(nlp):
    text = "The delegation met with Azerbaijan in Baku."
    doc = nlp(text)
    sent = next(iter(doc.sents))
    assert P.find_location(sent).name == "Baku"
    s = text.index("Baku")
    assert P.find_location(sent, [(s, s + 4)]) is None


def test_main_verb_attachment_wins(nlp):
    # the meeting's place, not the ambassador's post
    loc = where(nlp, "The ambassador in Moscow met the minister in Yerevan on Friday.")
    assert loc is not None and loc.name == "Yerevan"


def test_explicit_place_beats_a_venue_default(nlp):
    # the Forum's summer meeting is held in China, and the text says so
    loc = where(nlp, "The premier spoke at the World Economic Forum meeting in Tianjin.")
    assert loc is not None and loc.name == "Tianjin"


def test_find_location_is_fast(nlp):
    doc = nlp("Aliyev met Blinken on the sidelines of the World Economic Forum in Davos, "
              "where they discussed the situation in the South Caucasus.")
    sent = next(iter(doc.sents))
    P.find_location(sent)
    t = time.perf_counter()
    for _ in range(200):
        P.find_location(sent)
    assert (time.perf_counter() - t) / 200 < 0.005


# --- datelines -------------------------------------------------------------
DATELINES = [
    ("BAKU, Azerbaijan, Sept. 20 - The president said", "Baku", "AZE",
     "BAKU, Azerbaijan, Sept. 20 - "),
    ("KIEV, July 12 (Xinhua) -- Ukrainian officials said", "Kyiv", "UKR",
     "KIEV, July 12 (Xinhua) -- "),
    ("WARSAW - Poland said on Monday", "Warsaw", "POL", "WARSAW - "),
    ("Tehran, IRNA – Iran's foreign minister said", "Tehran", "IRN", "Tehran, IRNA – "),
    ("LONDON (Reuters) - Britain said", "London", "GBR", "LONDON (Reuters) - "),
    ("TBILISI (Example News / Agency - 02nd March, 2021) At least seven people",
     "Tbilisi", "GEO", "TBILISI (Example News / Agency - 02nd March, 2021) "),
    ("Jakarta, InfoPublik—Indonesia's minister said", "Jakarta", "IDN", "Jakarta, InfoPublik—"),
    ("NUR-SULTAN, Kazakhstan (AP) — Kazakhstan's president", "Astana", "KAZ",
     "NUR-SULTAN, Kazakhstan (AP) — "),
    ("PARIS, Texas — A man was", "Paris", "USA", "PARIS, Texas — "),
    ("  NEW DELHI: India and Japan agreed", "New Delhi", "IND", "  NEW DELHI: "),
    ("Baku, September 20, AZERTAC\nPresident Ilham Aliyev received", "Baku", "AZE",
     "Baku, September 20, AZERTAC\n"),
    ("BOGOTA, Colombia, May 3 - The government", "Bogotá", "COL", "BOGOTA, Colombia, May 3 - "),
]


@pytest.mark.parametrize("text,name,country,prefix", DATELINES)
def test_dateline(text, name, country, prefix):
    loc, n = P.dateline(text)
    assert loc is not None, text
    assert (loc.name, loc.country) == (name, country)
    assert text[:n] == prefix


@pytest.mark.parametrize("text", [
    "Moscow - Russia said on Monday",               # a title-case word and a dash: prose
    "Putin - the Russian leader - said",
    "Mon, 08 Aug 2022 - 09:22 GMT",
    "The minister said - in Baku - that",
    "Armenia - Azerbaijan talks resumed",
    "Azerbaijan, Georgia and Turkey - a trilateral meeting",
    "Russia: the talks resumed",
    "BAKU\nThe talks resumed",
    "",
    "President Aliyev received the delegation in Baku on Monday.",
])
def test_not_a_dateline(text):
    assert P.dateline(text) == (None, 0)
