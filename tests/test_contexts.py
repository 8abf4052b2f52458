"""Tests for dotterel.contexts: PLOVER contexts from an event's words."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from dotterel.contexts import DATA, PLOVER_CONTEXTS, contexts_eval, contexts_for, load_contexts

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

# (sentence, event type, contexts that must be present)
POSITIVE = [
    ("The two countries agreed to cooperate on climate change ahead of COP30.", "AGREE",
     {"environment"}),
    ("The ministers signed a deal on renewable energy and green technologies.", "SUPPORT",
     {"environment"}),
    ("The commissions met to continue the delimitation of the state border.", "CONSULT",
     {"territory", "diplomatic"}),
    ("He stressed respect for the territorial integrity of the neighbouring state.", "REQUEST",
     {"territory"}),
    ("The sides agreed to boost bilateral trade and investment.", "AGREE", {"economic"}),
    ("A new transport corridor will link the two ports.", "AGREE", {"economic"}),
    ("The government approved exports of crude oil and natural gas.", "COOPERATE",
     {"natural_resource"}),
    ("The ministry announced joint military exercises with allied troops.", "COOPERATE",
     {"military"}),
    ("The council condemned the human rights abuses in the province.", "ACCUSE",
     {"human_rights"}),
    ("The envoy praised the democratic reforms of the new government.", "SUPPORT",
     {"pro_democracy"}),
    ("Observers said the presidential election was marred by ballot stuffing.", "ACCUSE",
     {"election"}),
    ("The agency pledged support for refugees and displaced families.", "AGREE",
     {"migration"}),
    ("Hundreds of asylum seekers were turned away at the crossing.", "COERCE",
     {"asylum", "migration"}),
    ("The donors delivered humanitarian relief to ease food insecurity.", "AID",
     {"human_security"}),
    ("The minister accused the group of plotting a terrorist bombing.", "ACCUSE",
     {"terrorism"}),
    ("Inspectors demanded access to the nuclear enrichment site.", "REQUEST", {"cbrn"}),
    ("The ministry blamed state hackers for a cyberattack on its servers.", "ACCUSE",
     {"cyber"}),
    ("Prosecutors charged the governor with corruption and bribery.", "ACCUSE",
     {"corruption", "legal"}),
    ("Police seized cocaine in a crackdown on drug trafficking.", "COERCE",
     {"illegal_drugs"}),
    ("The company filed a lawsuit at the supreme court.", "ACCUSE", {"legal"}),
    ("Riot police launched a crackdown on opposition protesters.", "COERCE",
     {"repression"}),
    ("Floods and a powerful earthquake struck the coast.", "AID", {"disasters"}),
    ("The hospital received vaccines to fight the epidemic.", "AID", {"health"}),
    ("Peacekeepers of the UN mission withdrew from the town.", "RETREAT",
     {"peacekeeping"}),
    ("The court convicted the journalist over his reporting.", "SANCTION", {"legal"}),
    ("The junta detained two journalists and shut down a newspaper.", "COERCE",
     {"rights_freedoms"}),
    ("The spy agency was accused of espionage.", "ACCUSE", {"intelligence"}),
    ("The bill on same-sex unions was welcomed by gay rights groups.", "SUPPORT", {"lgbt"}),
    ("The statement condemned attacks on women and girls.", "ACCUSE", {"gender"}),
    ("Leaders of the ethnic minority asked for the reopening of the mosque.", "REQUEST",
     {"religion_ethnicity"}),
    ("The army seized power in a coup and suspended the constitution.", "COERCE",
     {"pro_autocracy", "political_institutions"}),
    ("The bloc condemned the coup and demanded a return to civilian rule.", "ACCUSE",
     {"pro_democracy"}),
    ("The state media spread disinformation about the vote.", "ACCUSE",
     {"misinformation", "election"}),
]


@pytest.mark.parametrize("sentence,etype,expected", POSITIVE)
def test_contexts_found(sentence, etype, expected):
    got = contexts_for(sentence, etype)
    assert expected <= set(got), got


NEGATIVE = [
    # words that look like a context but are not
    ("Police fired tear gas at the crowd.", "ASSAULT", "natural_resource"),
    ("The Democratic Republic of the Congo hosted the talks.", "CONSULT", "pro_democracy"),
    ("The ministers welcomed the new nuclear power plant project.", "SUPPORT", "cbrn"),
    ("The President-elect thanked his counterpart for the call.", "SUPPORT", "election"),
    ("The agreement covers artificial intelligence research.", "AGREE", "intelligence"),
    ("Relations have not been this warm since the Cold War.", "SUPPORT", "military"),
    ("The minister welcomed the delegation with open arms.", "CONSULT", "military"),
    ("The governments complained of a trade war over steel.", "ACCUSE", "military"),
    ("He warned against illegal fishing near the coast.", "THREATEN", "legal"),
    ("The company sold electricity to its neighbours.", "COOPERATE", "election"),
    ("The crowd marched peacefully.", "PROTEST", "repression"),  # not state action
    ("Protesters were arrested at the rally.", "PROTEST", "repression"),  # type gate
]


@pytest.mark.parametrize("sentence,etype,absent", NEGATIVE)
def test_contexts_not_found(sentence, etype, absent):
    assert absent not in contexts_for(sentence, etype)


def test_no_context_for_a_plain_sentence():
    assert contexts_for("The weather was mild and the streets were quiet.", "AID") == []


def test_consult_is_always_diplomatic():
    assert "diplomatic" in contexts_for("The two leaders met in Geneva.", "CONSULT")


def test_diplomatic_depends_on_type_and_words():
    s = "He praised the strong relations between the two countries."
    assert "diplomatic" in contexts_for(s, "SUPPORT")
    assert "diplomatic" not in contexts_for(s, "ASSAULT")
    assert "diplomatic" not in contexts_for("He praised the weather.", "SUPPORT")


def test_coup_context_depends_on_type():
    s = "The coup was the third in the region."
    assert "pro_democracy" in contexts_for(s, "ACCUSE")
    assert "pro_autocracy" not in contexts_for(s, "ACCUSE")
    assert "pro_autocracy" in contexts_for(s, "SUPPORT")


def test_unknown_type_counts_all_keywords():
    got = contexts_for("Riot police launched a crackdown on protesters.")
    assert "repression" in got


def test_paragraph_counts_for_meetings_only():
    sent = "The foreign ministers met in Vienna."
    para = sent + " They discussed gas supplies and the pipeline."
    assert "natural_resource" in contexts_for(sent, "CONSULT", para)
    assert "natural_resource" not in contexts_for(sent, "CONSULT")
    assert "natural_resource" not in contexts_for(sent, "ACCUSE", para)


def test_output_sorted_unique_and_plover():
    got = contexts_for("Border troops clashed; the border and troops again, trade too.",
                       "ASSAULT")
    assert got == sorted(set(got))
    assert set(got) <= PLOVER_CONTEXTS


def test_whole_words_only():
    # "war" inside "warm", "arms" inside "harms", "oil" inside "toil"
    assert contexts_for("The warm toil harms nobody.", "SUPPORT") == []


def test_lexicon_uses_only_plover_names_and_loads(tmp_path):
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert set(raw["contexts"]) <= PLOVER_CONTEXTS
    bad = tmp_path / "bad.yaml"
    bad.write_text("contexts:\n  weather: {keywords: [rain]}\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_contexts(bad)
    own = tmp_path / "own.yaml"
    own.write_text("contexts:\n  health: {keywords: [clinic*]}\n", encoding="utf-8")
    lex = load_contexts(own)
    assert contexts_for("They opened clinics.", "AID", lexicon=lex) == ["health"]


def test_contexts_eval_on_a_small_file(tmp_path):
    gold = tmp_path / "g.jsonl"
    rows = [
        {"doc": "a", "doc_meta": True},
        {"doc": "a", "event_type": "CONSULT", "contexts": ["diplomatic", "economic"],
         "evidence": "The ministers met to discuss trade."},
        {"doc": "a", "event_type": "ASSAULT", "contexts": ["health"],
         "evidence": "Troops shelled the town."},
    ]
    gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    res = contexts_eval(gold)
    # predicted: {diplomatic, economic} and {military}; gold misses health
    assert (res["events"], res["tp"], res["fp"], res["fn"]) == (2, 2, 1, 1)
    assert res["precision"] == pytest.approx(2 / 3)
    assert res["recall"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("rel", ["seeds.gold.jsonl", "dev/gold.jsonl"])
def test_contexts_eval_on_shared_gold(rel):
    path = CORPUS / rel
    if not path.exists():
        pytest.skip(f"shared corpus not available at {path}")
    res = contexts_eval(path)
    assert res["events"] > 0
    for k in ("precision", "recall", "f1"):
        assert 0.0 <= res[k] <= 1.0
    # a working lexicon finds most gold contexts, far above chance
    assert res["f1"] > 0.5
