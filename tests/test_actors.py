"""In-document actor resolution on texts written for these tests."""
import pytest

from dotterel import nlp
from dotterel.actors import find_mentions
from dotterel.kb import load_kb


@pytest.fixture(scope="module")
def kb():
    return load_kb(())


def mentions(kb, text, date="2024-04-10"):
    doc = nlp.parse(text, kb)
    acts = find_mentions(doc, kb, date)
    return doc, acts


def at(doc, acts, word, nth=0):
    toks = [t for t in doc if t.text == word]
    m = acts.at(toks[nth])
    assert m is not None, f"no mention at {word!r}"
    return m.entity


def test_full_title_sets_person_country_and_sector(kb):
    doc, acts = mentions(kb, "U.S. Secretary of State Antony Blinken arrived in Baku.")
    e = at(doc, acts, "Blinken")
    assert (e.name, e.country, e.sector, e.title) == ("Antony Blinken", "USA", "GOV", "Secretary of State")


def test_later_title_only_mention_is_the_same_person(kb):
    doc, acts = mentions(kb, "U.S. Secretary of State Antony Blinken arrived in Baku. "
                             "The Secretary of State then met the press.")
    e = at(doc, acts, "Secretary", 1)
    assert e.name == "Antony Blinken"


def test_head_of_state_refers_to_the_president_in_the_text(kb):
    doc, acts = mentions(kb, "President Ilham Aliyev received the delegation. "
                             "The head of state stressed the importance of trade.")
    assert at(doc, acts, "head").name == "Ilham Aliyev"


def test_surname_alone_after_full_mention(kb):
    doc, acts = mentions(kb, "UK Minister James Heappey visited Azerbaijan. Later Heappey flew home.")
    e = at(doc, acts, "Heappey", 1)
    assert e.name == "James Heappey" and e.country == "GBR"


def test_object_pronoun_is_not_the_clause_subject(kb):
    doc, acts = mentions(kb, "UK Minister James Heappey visited Azerbaijan. "
                             "President Ilham Aliyev received him on March 30.")
    assert at(doc, acts, "him").name == "James Heappey"


def test_subject_pronoun_is_the_previous_subject(kb):
    doc, acts = mentions(kb, "President Ilham Aliyev met the delegation. He praised the talks.")
    assert at(doc, acts, "He").name == "Ilham Aliyev"


def test_appositive_title_and_name_are_one_actor(kb):
    doc, acts = mentions(kb, "UK Minister for the Armed Forces, MP James Heappey, spoke to reporters.")
    e = at(doc, acts, "Heappey")
    assert e.country == "GBR" and e.name == "James Heappey"


def test_demonym_with_sector_noun(kb):
    doc, acts = mentions(kb, "Georgian police detained seven protesters.")
    e = at(doc, acts, "police")
    assert e.country == "GEO" and e.sector == "COP"


def test_capital_as_metonym_is_an_actor(kb):
    doc, acts = mentions(kb, "Moscow said the talks would continue.")
    e = at(doc, acts, "Moscow")
    assert e.country == "RUS" and e.name is None


def test_time_aware_office_holder(kb):
    doc, acts = mentions(kb, "The French foreign minister spoke on Monday.", date="2024-04-02")
    assert at(doc, acts, "minister").name == "Stéphane Séjourné"
    doc, acts = mentions(kb, "The French foreign minister spoke on Monday.", date="2025-03-01")
    assert at(doc, acts, "minister").name == "Jean-Noël Barrot"


def test_hyphenated_names_stay_whole(kb):
    doc, acts = mentions(kb, "Kazakh President Kassym-Jomart Tokayev opened the summit.")
    assert at(doc, acts, "Tokayev").name == "Kassym-Jomart Tokayev"


def test_president_elect_is_not_the_incumbent(kb):
    doc, acts = mentions(kb, "Mexican President-elect Andrés Manuel López Obrador spoke to reporters.",
                         date="2018-09-28")
    assert at(doc, acts, "Obrador").name == "Andrés Manuel López Obrador"
