"""The events stage on sentences written for these tests: each of the 16
PLOVER types, each CONSULT mode, direction, negation and the future."""
import pytest

import dotterel


def code(text, story_date="2024-05-10"):
    return dotterel.code_text(text, story_date=story_date)


def types(evs):
    return sorted(e.event_type for e in evs)


def find(evs, etype):
    got = [e for e in evs if e.event_type == etype]
    assert got, f"no {etype} in {[(e.event_type, e.evidence) for e in evs]}"
    return got[0]


def countries(ents):
    return sorted(e.country for e in ents)


# --- one sentence per type ------------------------------------------------
TYPE_CASES = [
    ("AGREE", "Turkish President Recep Tayyip Erdogan pledged to expand trade with Azerbaijan."),
    ("CONSULT", "French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Monday."),
    ("SUPPORT", "Indian Prime Minister Narendra Modi congratulated Russian President Vladimir Putin on his re-election."),
    ("CONCEDE", "The Japanese government apologized to South Korea for the wartime forced labour."),
    ("COOPERATE", "Kazakhstan exported grain to Afghanistan through Uzbekistan."),
    ("AID", "Germany donated 50 million euros in humanitarian aid to Sudan."),
    ("RETREAT", "Russia withdrew its troops from the Kherson region."),
    ("REQUEST", "The United States urged Israel to allow more aid into Gaza."),
    ("ACCUSE", "Armenia accused Azerbaijan of shelling border villages."),
    ("REJECT", "Iran rejected the proposal of the United States."),
    ("REJECT", "Russia strongly opposed the enlargement of NATO on Monday."),
    ("THREATEN", "North Korea threatened South Korea with nuclear strikes."),
    ("PROTEST", "Georgian opposition supporters protested against the government in Tbilisi."),
    ("SANCTION", "Somalia expelled the Ethiopian ambassador on Thursday."),
    ("MOBILIZE", "China deployed warships near Taiwan on Saturday."),
    ("COERCE", "Russian police arrested an American journalist in Yekaterinburg."),
    ("ASSAULT", "Israeli aircraft bombed targets in Syria on Friday."),
]


@pytest.mark.parametrize("etype,text", TYPE_CASES,
                         ids=[f"{t}-{i}" for i, (t, _) in enumerate(TYPE_CASES)])
def test_each_type(etype, text):
    evs = code(text)
    find(evs, etype)


# --- CONSULT modes ----------------------------------------------------------
def test_consult_phone_direction():
    evs = code("On May 8, U.S. Secretary of State Antony Blinken made a phone call to "
               "Azerbaijani President Ilham Aliyev.")
    ev = find(evs, "CONSULT")
    assert ev.mode == "phone"
    assert countries(ev.actor) == ["USA"]
    assert countries(ev.recipient) == ["AZE"]
    assert ev.date == "2024-05-08"


@pytest.mark.parametrize("text", [
    "Kazakh President Kassym-Jomart Tokayev received a phone call from Turkish President "
    "Recep Tayyip Erdogan on Monday.",
    "President Kassym-Jomart Tokayev received a telephone call on Monday from Turkish "
    "President Recep Tayyip Erdogan.",
])
def test_received_a_phone_call_from(text):
    """'received' needs a person received to be an event; when its object is a
    call, the call is the event, and the caller is the actor."""
    evs = [e for e in code(text) if e.event_type == "CONSULT"]
    assert len(evs) == 1 and evs[0].mode == "phone"
    assert [a.name for a in evs[0].actor] == ["Recep Tayyip Erdoğan"]
    assert [a.name for a in evs[0].recipient] == ["Kassym-Jomart Tokayev"]


def test_welcomed_to_a_place_is_hosting():
    """'welcomed X to Ankara': the host (subject) receives the visitor; the
    place is where, not a participant. 'welcomed the move to ...' is not."""
    evs = code("Turkish President Recep Tayyip Erdogan welcomed Armenian Prime Minister "
               "Nikol Pashinyan to Ankara on Monday.")
    ev = find(evs, "CONSULT")
    assert ev.mode == "visit"
    assert [a.name for a in ev.actor] == ["Nikol Pashinyan"]
    assert [a.name for a in ev.recipient] == ["Recep Tayyip Erdoğan"]
    assert not [e for e in code("Armenia welcomed the move to resume the Geneva talks.")
                if e.event_type == "CONSULT"]


def test_consult_visit_host_is_recipient():
    evs = code("Kazakh President Kassym-Jomart Tokayev received Uzbek President Shavkat "
               "Mirziyoyev in Astana on Tuesday.")
    ev = find(evs, "CONSULT")
    assert ev.mode == "visit"
    assert countries(ev.actor) == ["UZB"]
    assert countries(ev.recipient) == ["KAZ"]
    assert ev.date == "2024-05-07"


def test_consult_third_party_sidelines():
    evs = code("Armenian Prime Minister Nikol Pashinyan met Azerbaijani President Ilham Aliyev "
               "on the sidelines of the Munich Security Conference.")
    ev = find(evs, "CONSULT")
    assert ev.mode == "third-party"
    assert countries(ev.actor) == ["ARM", "AZE"]
    assert ev.recipient == []
    assert ev.location is not None and ev.location.country == "DEU"


def test_consult_multilateral_in_igo_session():
    evs = code("NATO foreign ministers met in Brussels to discuss support for Ukraine.")
    ev = find(evs, "CONSULT")
    assert ev.mode == "multilateral"


# --- direction, negation, future, speech -------------------------------------
def test_negated_event_not_coded():
    evs = code("Azerbaijani President Ilham Aliyev did not meet Armenian Prime Minister Nikol Pashinyan.")
    assert not [e for e in evs if e.event_type == "CONSULT"]


def test_future_meeting_is_agree():
    evs = code("The foreign ministers of Armenia and Azerbaijan will meet in Almaty next week.")
    assert "CONSULT" not in types(evs)
    find(evs, "AGREE")


def test_statement_about_third_party_goes_to_that_party():
    evs = code("Azerbaijani President Ilham Aliyev said the French foreign minister told lies.")
    ev = find(evs, "ACCUSE")
    assert countries(ev.actor) == ["AZE"]
    assert countries(ev.recipient) == ["FRA"]


def test_readiness_is_agree():
    evs = code("Turkish Foreign Minister Hakan Fidan expressed Turkey's readiness to cooperate "
               "with Georgia.")
    ev = find(evs, "AGREE")
    assert countries(ev.actor) == ["TUR"]
    assert countries(ev.recipient) == ["GEO"]


def test_passive_praise_with_agent():
    evs = code("The role of Qatar in the talks was praised by Egyptian President Abdel Fattah el-Sisi.")
    ev = find(evs, "SUPPORT")
    assert countries(ev.actor) == ["EGY"]


# --- rules added while measuring on the seeds, dev set and GSR --------------
def test_refusing_to_accept_is_reject():
    evs = code("Jordan said it will not accept any more refugees from Syria.")
    find(evs, "REJECT")
    assert "AGREE" not in types(evs)


def test_call_for_is_a_request():
    evs = code("The Arab League called for sanctions against Israel on Monday.")
    find(evs, "REQUEST")


def test_arrest_without_agent_is_the_country_police():
    evs = code("A French journalist was arrested in Iran on Friday.")
    ev = find(evs, "COERCE")
    assert ev.mode == "arrest"
    assert countries(ev.actor) == ["IRN"] and ev.actor[0].sector == "COP"
    assert countries(ev.recipient) == ["FRA"]


def test_bilateral_talks_with_several_are_separate_meetings():
    evs = code("Indian Prime Minister Narendra Modi held bilateral talks with Russian President "
               "Vladimir Putin and Turkish President Recep Tayyip Erdogan in Samarkand on Friday.",
               story_date="2022-09-17")
    consults = [e for e in evs if e.event_type == "CONSULT"]
    pairs = sorted(tuple(sorted(countries(e.actor + e.recipient))) for e in consults)
    assert pairs == [("IND", "RUS"), ("IND", "TUR")]


def test_date_of_another_noun_does_not_date_the_event():
    evs = code("On the call, Blinken stressed that the meeting on April 5 is not against Azerbaijan.",
               story_date="2024-04-03")
    for e in evs:
        assert e.date != "2023-04-05" and e.date != "2024-04-05"


def test_dateline_agency_is_not_an_actor():
    evs = code("Tehran, IRNA – Iranian Foreign Ministry spokesman Esmaeil Baghaei condemned the "
               "Israeli airstrikes on Syria.", story_date="2025-05-03")
    ev = find(evs, "ACCUSE")
    assert countries(ev.actor) == ["IRN"]
    assert all(a.sector != "MED" for a in ev.actor)


def test_must_in_reported_speech_is_a_request():
    evs = code("The British foreign secretary said that Libya must hand over the suspects.",
               story_date="2024-02-01")
    ev = find(evs, "REQUEST")
    assert countries(ev.actor) == ["GBR"] and countries(ev.recipient) == ["LBY"]


def test_willing_to_withdraw_is_an_offer():
    evs = code("Syria says it is willing to withdraw its troops from Lebanon.")
    find(evs, "AGREE")
    assert "RETREAT" not in types(evs)


def test_announced_hostile_act_is_a_threat():
    evs = code("Pakistan will expel the Afghan ambassador unless Kabul hands over the suspects.")
    ev = find(evs, "THREATEN")
    assert countries(ev.actor) == ["PAK"]


def test_talked_about_attack_is_not_a_threat():
    evs = code("Armenian Prime Minister Nikol Pashinyan dismissed reports about Azerbaijan "
               "intending to attack Armenia.")
    assert "THREATEN" not in types(evs)


@pytest.mark.parametrize("text,mode", [
    ("Russian forces attacked the town of Avdiivka with artillery on Monday.", "heavy-weapons"),
    ("Russian troops fired missiles at Kharkiv on Monday.", "heavy-weapons"),
    ("Russian troops fired at Ukrainian positions near Bakhmut on Monday.", "firearms"),
    ("Israeli troops attacked Palestinian protesters with tear gas on Friday.", "crowd-control"),
    ("Russian forces attacked Ukrainian positions near Bakhmut on Monday.", None),
])
def test_assault_mode_from_the_means(text, mode):
    """An attack's PLOVER mode comes from the weapon the sentence names
    (lexicon ``assault_instruments``); 'fired at' is firearms unless a
    heavier weapon is named; no weapon named, no mode."""
    assert find(code(text), "ASSAULT").mode == mode


def test_counted_people_act_and_hunger_strike_mode():
    """'Thousands of students staged demonstrations': the counted people are
    the actor; a hunger strike is PROTEST mode 'hunger', not 'strike'."""
    ev = find(code("Thousands of students in Jakarta staged mass demonstrations on Saturday."),
              "PROTEST")
    assert ev.mode == "demo" and countries(ev.actor) == ["IDN"]
    ev = find(code("Opposition activists in Algeria began a hunger strike on Monday."), "PROTEST")
    assert ev.mode == "hunger"


def test_they_in_reported_speech_is_the_speaker():
    """'Palestinian leaders said they would boycott ...': 'they' is the
    speakers; an announced boycott is a threat (PLOVER THREATEN)."""
    ev = find(code("Palestinian leaders said they would boycott all contacts with the "
                   "United States."), "THREATEN")
    assert countries(ev.actor) == ["PSE"] and countries(ev.recipient) == ["USA"]


@pytest.mark.parametrize("text,etype", [
    ("The United States sent weapons to Ukraine on Monday.", "AID"),
    ("The United States continued to send arms to Pakistan last year.", "AID"),
    ("The United States will continue to send weapons to Ukraine.", "AGREE"),
])
def test_send_to_recipient_and_continue(text, etype):
    """'sent weapons to Ukraine' (spaCy's dative 'to') has a recipient; a past
    'continued to send' is the sending itself, a future one a promise."""
    ev = find(code(text), etype)
    assert countries(ev.actor) == ["USA"] and len(ev.recipient) == 1


def test_collective_subject_takes_the_country_of_its_clause():
    """'Farmers blocked roads across France': farmers of France (a civilian
    blockade is PROTEST obstruct); the counted people of 'hundreds of
    protesters' likewise."""
    ev = find(code("Farmers blocked roads across France on Monday."), "PROTEST")
    assert ev.mode == "obstruct" and countries(ev.actor) == ["FRA"]
    ev = find(code("Hundreds of thousands of protesters blocked streets in Belgrade on Sunday."),
              "PROTEST")
    assert countries(ev.actor) == ["SRB"]


def test_an_act_asked_for_is_not_done():
    """'pressed the ministry to tighten controls': the tightening is asked
    for, not an act, even when the asking is no event of its own."""
    evs = code("The US Congress has pressed the administration for months to tighten "
               "controls on exports bound for China.")
    assert not [e for e in evs if e.event_type == "COERCE"]

