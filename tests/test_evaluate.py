"""The scorer of EVENTS.md "Scoring", on small gold/prediction files written here."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dotterel import evaluate as ev
from dotterel.cli import main


def ent(country, name=None, sector="GOV"):
    return {"name": name, "country": country, "sector": sector, "title": None}


def event(doc="a.txt", t="CONSULT", mode=None, actor=(), recipient=(), date=None,
          location=None, contexts=(), salience="main", evidence="", **kw):
    return {"doc": doc, "event_type": t, "mode": mode, "actor": list(actor),
            "recipient": list(recipient), "date": date, "location": location,
            "contexts": list(contexts), "salience": salience, "evidence": evidence, **kw}


def meta(doc="a.txt", story_date=None, source=None, language="en", duplicate_of=None):
    return {"doc": doc, "doc_meta": True, "story_date": story_date, "source": source,
            "language": language, "duplicate_of": duplicate_of}


def write(path: Path, recs) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs),
                    encoding="utf-8")
    return path


VISIT = event(t="CONSULT", mode="visit", actor=[ent("FRA", "Jean Dupont")],
              recipient=[ent("DEU", "Anna Schmidt")], date="2024-03-04",
              location={"name": "Berlin", "country": "DEU"}, contexts=["diplomatic"],
              evidence="French minister Jean Dupont visited Berlin on Monday for talks.")


# ------------------------------------------------------------------ matching

def test_perfect_match_scores_one_everywhere():
    gold = [meta(story_date="2024-03-05", source="Example Wire"), VISIT]
    pred = [meta(story_date="2024-03-05", source="Example Wire"), dict(VISIT, id="ev_1")]
    r = ev.score(gold, pred)
    assert r["events"]["tp"] == 1 and r["events"]["f1"] == 1.0
    assert r["main_recall"]["r"] == 1.0
    for k in ("mode", "date"):
        assert r[k]["acc"] == 1.0
    assert r["actor_name"] == {"found": 2, "named_gold_entities": 2, "acc": 1.0}
    assert r["location"]["gold_or_sys"]["acc"] == 1.0
    assert r["context"]["f1"] == 1.0
    assert r["doc_meta"]["story_date"]["acc"] == 1.0


def test_country_mismatch_or_type_mismatch_is_no_match():
    wrong_rec = dict(VISIT, recipient=[ent("AUT", "Anna Schmidt")])
    swapped = dict(VISIT, actor=VISIT["recipient"], recipient=VISIT["actor"])
    other_type = dict(VISIT, event_type="AGREE")
    for s in (wrong_rec, swapped, other_type):
        r = ev.score([VISIT], [s])
        assert r["events"]["tp"] == 0, s
        assert r["events"]["p"] == 0.0 and r["events"]["r"] == 0.0
    # an extra actor country also breaks the set equality
    more = dict(VISIT, actor=[ent("FRA"), ent("ITA")])
    assert ev.score([VISIT], [more])["events"]["tp"] == 0


def test_union_rule_for_third_party_consult():
    gold = event(t="CONSULT", mode="third-party", actor=[ent("AZE"), ent("USA")],
                 evidence="The two presidents met on the sidelines of a forum.")
    # the system split the sides into actor and recipient: union is equal
    split = event(t="CONSULT", mode="visit", actor=[ent("USA")], recipient=[ent("AZE")])
    assert ev.countries_match(gold, split)
    assert ev.score([gold], [split])["events"]["tp"] == 1
    # multilateral too
    gm = dict(gold, mode="multilateral", recipient=[ent("RUS")])
    assert ev.countries_match(gm, event(actor=[ent("RUS"), ent("AZE"), ent("USA")]))
    # a union with one country more is not equal
    assert not ev.countries_match(gold, event(actor=[ent("USA")],
                                              recipient=[ent("AZE"), ent("TUR")]))


def test_union_rule_for_empty_gold_recipient_but_not_otherwise():
    gold = event(t="SUPPORT", actor=[ent("IND"), ent("BRA")], recipient=[])
    sysev = event(t="SUPPORT", actor=[ent("IND")], recipient=[ent("BRA")])
    assert ev.countries_match(gold, sysev)
    # with a gold recipient, sides must agree separately
    gold2 = event(t="SUPPORT", actor=[ent("IND")], recipient=[ent("BRA")])
    sys2 = event(t="SUPPORT", actor=[ent("IND"), ent("BRA")], recipient=[])
    assert not ev.countries_match(gold2, sys2)
    # a visit CONSULT is directional even though it is a CONSULT
    g3 = event(t="CONSULT", mode="visit", actor=[ent("IND")], recipient=[ent("BRA")])
    assert not ev.countries_match(g3, event(actor=[ent("BRA")], recipient=[ent("IND")]))


def test_countries_are_sets():
    gold = event(t="AID", actor=[ent("JPN", "A"), ent("JPN", "B")], recipient=[ent("UKR")])
    assert ev.countries_match(gold, event(t="AID", actor=[ent("JPN")], recipient=[ent("UKR")]))


def test_greedy_one_to_one_by_evidence_overlap():
    g1 = event(t="ACCUSE", actor=[ent("CHN")], recipient=[ent("USA")],
               evidence="Beijing condemned the new tariffs announced by Washington.")
    g2 = event(t="ACCUSE", actor=[ent("CHN")], recipient=[ent("USA")],
               evidence="The spokesperson also criticised the arms sale to the island.")
    s_tariff = event(t="ACCUSE", actor=[ent("CHN")], recipient=[ent("USA")],
                     evidence="China condemned the new tariffs announced by Washington on Friday.")
    s_arms = event(t="ACCUSE", actor=[ent("CHN")], recipient=[ent("USA")],
                   evidence="The spokesperson criticised the arms sale.")
    # system order reversed on purpose: matching goes by overlap, not position
    pairs = ev.match_events([g1, g2], [s_arms, s_tariff])
    assert pairs == [(0, 1), (1, 0)]
    # one system event can serve only one gold event
    r = ev.score([g1, g2], [s_tariff])
    assert r["events"]["tp"] == 1 and r["events"]["gold"] == 2
    assert r["events"]["p"] == 1.0 and r["events"]["r"] == 0.5
    # and it goes to the gold event it overlaps most
    assert ev.match_events([g2, g1], [s_tariff]) == [(1, 0)]


def test_evidence_overlap_ignores_case_diacritics_punctuation():
    assert ev.evidence_overlap("Erdoğan met Aliyev.", "erdogan MET aliyev") == 1.0
    assert ev.evidence_overlap("a b", "c d") == 0.0
    assert ev.evidence_overlap("", "x") == 0.0
    assert 0 < ev.evidence_overlap("a b c d", "a b x y") < 1


# ---------------------------------------------------------- matched-pair figures

def test_date_null_rules():
    g_null = dict(VISIT, date=None)
    assert ev.score([g_null], [dict(VISIT, date=None)])["date"]["acc"] == 1.0
    assert ev.score([g_null], [dict(VISIT, date="2024-03-04")])["date"]["acc"] == 0.0
    assert ev.score([VISIT], [dict(VISIT, date=None)])["date"]["acc"] == 0.0
    # exact string: a partial date is not the full one
    assert ev.score([dict(VISIT, date="2024-03")], [VISIT])["date"]["acc"] == 0.0


def test_mode_accuracy_and_main_consult_mode():
    g_main = VISIT
    g_bg = dict(VISIT, salience="background", actor=[ent("ESP")],
                evidence="Earlier the Spanish king visited Berlin.")
    s1 = dict(VISIT, mode="phone")
    s2 = dict(g_bg, mode="visit")
    r = ev.score([g_main, g_bg], [s1, s2])
    assert r["mode"] == {"right": 1, "n": 2, "acc": 0.5}
    assert r["main_consult_mode"]["gold"] == 1 and r["main_consult_mode"]["right"] == 0
    r2 = ev.score([g_main, g_bg], [VISIT])
    assert r2["main_consult_mode"]["right"] == 1
    assert r2["main_recall"] == {"matched": 1, "gold": 1, "r": 1.0}
    assert r2["events"]["r"] == 0.5


@pytest.mark.parametrize("gold,system,ok", [
    ("Recep Tayyip Erdoğan", "recep tayyip erdogan", True),      # case, diacritics
    ("Ilham Aliyev", "Aliyev", True),                             # short form
    ("Aliyev", "Ilham Aliyev", True),
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky", True),          # transliteration
    ("Sergey Lavrov", "Sergei Viktorovich Lavrov", True),          # both
    ("Mohammed Shia al-Sudani", "Mohammed Shia Al Sudani", True),  # punctuation
    ("Ilham Aliyev", "Nikol Pashinyan", False),
    ("Ilham Aliyev", "Ilham Karimov", False),
    ("Donald Trump", "Donald Tusk", False),
    ("Ilham Aliyev", "", False),
])
def test_name_matching(gold, system, ok):
    assert ev.name_matches(gold, system) is ok


def test_actor_name_accuracy_counts_named_gold_entities():
    gold = event(t="SUPPORT", actor=[ent("AZE", "Ilham Aliyev")],
                 recipient=[ent("USA", "Donald Trump"), ent("USA")])   # 2 named
    # names may sit on either side of the system event
    s = event(t="SUPPORT", actor=[ent("AZE", None)], recipient=[ent("USA", "Ilham Alijev")])
    r = ev.score([gold], [s])
    assert r["events"]["tp"] == 1
    assert r["actor_name"] == {"found": 1, "named_gold_entities": 2, "acc": 0.5}


def test_location_denominators():
    loc_de = {"name": "Berlin", "country": "DEU"}
    loc_fr = {"name": "Paris", "country": "FRA"}
    base = dict(VISIT, location=None)
    g = [dict(base, location=loc_de, evidence="one a"),
         dict(base, location=loc_de, evidence="two b"),
         dict(base, location=None, evidence="three c"),
         dict(base, location=None, evidence="four d")]
    s = [dict(base, location={"name": "Munich", "country": "DEU"}, evidence="one a"),
         dict(base, location=loc_fr, evidence="two b"),
         dict(base, location=loc_fr, evidence="three c"),
         dict(base, location=None, evidence="four d")]
    r = ev.score(g, s)
    loc = r["location"]
    assert loc["gold_or_sys"] == {"right": 1, "n": 3, "acc": pytest.approx(1 / 3)}
    assert loc["gold_located"] == {"right": 1, "n": 2, "acc": 0.5}
    assert loc["all_pairs"] == {"right": 2, "n": 4, "acc": 0.5}


def test_context_micro_f1():
    g1 = dict(VISIT, contexts=["diplomatic", "economic"], evidence="x y")
    g2 = dict(VISIT, actor=[ent("ITA")], contexts=["military"], evidence="z w")
    s1 = dict(g1, contexts=["diplomatic"])
    s2 = dict(g2, contexts=["military", "territory", "economic"])
    c = ev.score([g1, g2], [s1, s2])["context"]
    assert (c["tp"], c["gold"], c["sys"]) == (2, 3, 4)
    assert c["p"] == 0.5 and c["r"] == pytest.approx(2 / 3)
    assert c["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_per_type_table_and_missing_docs():
    gold = [meta("a.txt"), VISIT,
            event(t="AGREE", actor=[ent("FRA")], recipient=[ent("DEU")], evidence="agree"),
            meta("b.txt"), event(doc="b.txt", t="ASSAULT", actor=[ent("RUS")],
                                 recipient=[ent("UKR")])]
    pred = [meta("a.txt"), VISIT,
            event(t="AGREE", actor=[ent("FRA")], recipient=[ent("ITA")], evidence="agree"),
            event(t="AID", actor=[ent("FRA")], recipient=[ent("DEU")]),
            meta("zzz.txt"), event(doc="zzz.txt", t="AID", actor=[ent("USA")])]
    r = ev.score(gold, pred)
    t = r["per_type"]
    assert t["CONSULT"] == {"tp": 1, "sys": 1, "gold": 1, "p": 1.0, "r": 1.0, "f1": 1.0}
    assert t["AGREE"]["tp"] == 0 and t["AGREE"]["gold"] == 1 and t["AGREE"]["sys"] == 1
    assert t["AID"]["gold"] == 0 and t["AID"]["sys"] == 1 and t["AID"]["r"] is None
    assert t["ASSAULT"]["sys"] == 0 and t["ASSAULT"]["r"] == 0.0
    # the doc missing from predictions is all missed; the extra one is ignored
    assert r["docs"] == {"gold": 2, "pred": 1, "missing_in_pred": 1, "pred_not_in_gold": 1}
    assert r["events"]["gold"] == 3 and r["events"]["sys"] == 3 and r["events"]["tp"] == 1
    assert r["per_doc"]["b.txt"] == {"gold": 1, "sys": 0, "matched": 0}


def test_doc_meta_accuracy_and_duplicates():
    gold = [meta("a.txt", "2024-01-02", "The Example Times", "en"),
            meta("b.txt", None, None, "fr"),
            meta("c.txt", "2024-01-03", "Wire", "en", duplicate_of="a.txt"),
            meta("d.txt", "2024-01-04", "Wire", "en")]
    pred = [meta("dir/a.txt", "2024-01-02", "the example-times", "en"),
            meta("b.txt", "2024-01-01", None, "fr"),
            meta("c.txt", "2024-01-03", "Other", "en", duplicate_of="a.txt"),
            meta("d.txt", "2024-01-04", "Wire", "de", duplicate_of="b.txt")]
    m = ev.score(gold, pred)["doc_meta"]
    assert m["story_date"] == {"right": 3, "n": 4, "acc": 0.75}
    assert m["source"] == {"right": 3, "n": 4, "acc": 0.75}
    assert m["language"] == {"right": 3, "n": 4, "acc": 0.75}
    assert m["duplicates"] == {"gold_pairs": 1, "sys_pairs": 2, "found": 1}
    # a doc with no predicted meta line counts wrong for every field
    m2 = ev.score(gold, pred[:1])["doc_meta"]
    assert m2["language"]["right"] == 1 and m2["source"]["n"] == 4


def test_empty_prediction_scores_zero_not_crash():
    r = ev.score([meta(), VISIT], [])
    assert r["events"] == {"tp": 0, "sys": 0, "gold": 1, "p": None, "r": 0.0, "f1": 0.0}
    assert r["mode"]["acc"] is None
    text = ev.format_report(r)
    assert "n/a" in text


# ------------------------------------------------------------------------ cli

def test_cli_json_and_text(tmp_path, capsys):
    gold = write(tmp_path / "gold.jsonl", [meta(source="Wire"), VISIT])
    pred = write(tmp_path / "pred.jsonl",
                 [meta(source="WIRE"), dict(VISIT, id="ev_x", evidence_start=0,
                                            evidence_end=10, article_id="h")])
    assert main(["eval", str(gold), str(pred), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["events"]["f1"] == 1.0 and out["doc_meta"]["source"]["acc"] == 1.0
    assert set(out) >= {"events", "main_recall", "mode", "date", "actor_name", "location",
                        "context", "doc_meta", "per_type", "main_consult_mode"}
    assert main(["eval", str(gold), str(pred)]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = "\n".join(lines[:14])
    for word in ("events", "main recall", "mode", "date", "actor name", "location",
                 "context", "story_date", "source", "language"):
        assert word in head, word
    assert lines[1].startswith("events") and "F1 1.000" in lines[1]
    assert any(line.startswith("CONSULT") for line in lines[14:])


def test_cli_bad_jsonl_names_the_line(tmp_path):
    gold = write(tmp_path / "gold.jsonl", [meta()])
    bad = tmp_path / "pred.jsonl"
    bad.write_text('{"doc": "a.txt", "doc_meta": true}\n{not json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"pred.jsonl:2"):
        main(["eval", str(gold), str(bad)])


def test_articles_are_coded_when_pred_is_not_jsonl(tmp_path, monkeypatch, capsys):
    """The coder itself is tested elsewhere: here a stand-in checks the wiring."""
    from dotterel import pipeline
    from dotterel.model import Article, Entity, Event

    art_dir = tmp_path / "arts"
    art_dir.mkdir()
    (art_dir / "a.txt").write_text("Some article.", encoding="utf-8")
    seen = {}

    def fake_code_files(paths, kb_files=()):
        seen["paths"], seen["kb"] = list(paths), kb_files
        art = Article(doc="a.txt", text="Some article.", language="en", source="Wire")
        e = Event(doc="a.txt", event_type="CONSULT", mode="visit",
                  actor=[Entity("Jean Dupont", "FRA")], recipient=[Entity(None, "DEU")],
                  date="2024-03-04", evidence=VISIT["evidence"])
        yield art, [e]

    monkeypatch.setattr(pipeline, "code_files", fake_code_files)
    gold = write(tmp_path / "gold.jsonl", [meta(source="Wire"), VISIT])
    assert main(["eval", str(gold), str(art_dir), "--json", "--kb", "x.yaml"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert seen == {"paths": [str(art_dir)], "kb": ("x.yaml",)}
    assert out["events"]["tp"] == 1
    assert out["actor_name"]["found"] == 1 and out["actor_name"]["named_gold_entities"] == 2
