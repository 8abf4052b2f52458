"""PLOVER GSR evaluation: label mapping, scoring logic, and an end-to-end run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dotterel import gsr
from dotterel.cli import main

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
GSR_FILE = SHARED / "plover_gsr" / "PLOVER_GSR_CAMEO.json"


# ------------------------------------------------------------------- tables

def test_plover_tables_are_complete():
    t = gsr.plover_tables()
    assert len(t["types"]) == 16
    quads = {v["quad"] for v in t["types"].values()}
    assert quads == {"verbal_cooperation", "material_cooperation",
                     "verbal_conflict", "material_conflict"}
    for name, v in t["types"].items():
        assert -10 <= v["score"] <= 10, name
        assert (v["score"] > 0) == v["quad"].endswith("cooperation"), name
    assert t["types"]["CONSULT"]["modes"] == ["visit", "third-party", "multilateral", "phone"]
    assert "diplomatic" in t["contexts"] and len(t["contexts"]) == 37
    for old, new in t["old_labels"].items():
        assert new["type"] in t["types"], old
        if new.get("mode"):
            assert new["mode"] in t["types"][new["type"]]["modes"], old


@pytest.mark.parametrize("old,mode,expect", [
    ("DEMAND", None, ("REQUEST", None)),
    ("DISAPPROVE", None, ("ACCUSE", "disapprove")),
    ("INVESTIGATE", "", ("ACCUSE", "investigate")),
    ("FIGHT", "heavy-weapons", ("ASSAULT", "heavy-weapons")),   # 0.8 mode kept
    ("FIGHT", "assassinate", ("ASSAULT", None)),                # 0.5-only mode dropped
    ("PROTEST", "strike-hun", ("PROTEST", None)),
    ("CONSULT", "phone", ("CONSULT", "phone")),
    ("agree", None, ("AGREE", None)),
])
def test_map_label(old, mode, expect):
    assert gsr.map_label(old, mode) == expect


# ------------------------------------------------------------------ scoring

def _write_gsr(path: Path) -> Path:
    recs = [
        {"id": "DOC-1", "event": "DOCUMENT", "eventText": "comment record"},
        {"id": "R1", "event": "DEMAND", "date": "2001-02-03",
         "text": "The union demanded higher wages from the ministry."},
        {"id": "R2", "event": "FIGHT", "mode": "firearms",
         "text": "Rebels fired on an army convoy near the border."},
        {"id": "R3", "event": "DISAPPROVE",
         "text": "The minister criticised the neighbouring government."},
        {"id": "R4", "event": "AGREE", "text": "Both leaders agreed to meet again."},
        {"id": "R5", "event": "AGREE", "text": "   "},            # no text: skipped
    ]
    path.write_text(json.dumps(recs), encoding="utf-8")
    return path


def _fake_coder(text, story_date=None):
    """A stand-in coder: a few keywords, so the scoring can be checked by hand."""
    out = []
    if "demanded" in text:
        out.append({"event_type": "REQUEST", "mode": None})
    if "fired" in text:
        out += [{"event_type": "COERCE", "mode": None},
                {"event_type": "ASSAULT", "mode": "firearms"}]
    if "criticised" in text:
        out.append({"event_type": "ACCUSE", "mode": "allege"})
    if story_date == "2001-02-03":        # the record's date is passed through
        out[0]["seen_date"] = True
    return out


def test_load_gsr_maps_and_skips(tmp_path):
    recs = gsr.load_gsr(_write_gsr(tmp_path / "g.json"))
    assert [r["id"] for r in recs] == ["R1", "R2", "R3", "R4"]
    assert [r["gold_type"] for r in recs] == ["REQUEST", "ASSAULT", "ACCUSE", "AGREE"]
    assert recs[2]["gold_mode"] == "disapprove"


def test_score_gsr_with_a_stand_in_coder(tmp_path, monkeypatch):
    monkeypatch.setattr(gsr, "code_text", _fake_coder)
    res = gsr.score_gsr(gsr.load_gsr(_write_gsr(tmp_path / "g.json")))
    assert res["sentences"] == 4
    assert res["any"] == {"right": 3, "acc": 0.75}          # R1, R2, R3
    assert res["first"] == {"right": 2, "acc": 0.5}         # R2's first is COERCE
    assert res["none"] == {"count": 1, "share": 0.25}       # R4
    # gold modes: R2 firearms (found), R3 disapprove (coder said allege)
    assert res["mode"] == {"right": 1, "n": 2, "acc": 0.5}
    pt = res["per_type"]
    assert pt["ASSAULT"]["any"] == 1 and pt["ASSAULT"]["first"] == 0
    assert pt["AGREE"] == {"n": 1, "any": 0, "first": 0, "none": 1, "any_acc": 0.0,
                           "found_instead": {"(none)": 1}}
    assert [e["id"] for e in res["errors"]] == ["R4"]


def test_coder_failure_is_scored_not_fatal(tmp_path, capsys):
    def boom(text, story_date=None):
        if "wages" in text:
            raise RuntimeError("bad sentence")
        return [{"event_type": "AGREE"}]

    res = gsr.score_gsr(gsr.load_gsr(_write_gsr(tmp_path / "g.json")), coder=boom)
    assert res["failed"] == 1 and res["any"]["right"] == 1
    err = next(e for e in res["errors"] if e["id"] == "R1")
    assert "bad sentence" in err["error"]
    text = gsr.format_gsr(res, errors=2)
    assert "first 2 misclassified" in text and "R1" in text


def test_cli_eval_gsr_text_and_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(gsr, "code_text", _fake_coder)
    path = _write_gsr(tmp_path / "g.json")
    assert main(["eval-gsr", str(path), "--errors", "1"]) == 0
    out = capsys.readouterr().out
    assert "type in events  0.750" in out and "Both leaders agreed" in out
    assert main(["eval-gsr", str(path), "--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert js["any"]["acc"] == 0.75 and js["errors"] == []


def test_cli_eval_gsr_fails_when_coder_fails_everywhere(tmp_path, monkeypatch):
    def broken(text, story_date=None):
        raise ImportError("no coder")

    monkeypatch.setattr(gsr, "code_text", broken)
    assert main(["eval-gsr", str(_write_gsr(tmp_path / "g.json"))]) == 1


# --------------------------------------------------------------- end to end

def test_real_gsr_file_runs_end_to_end():
    if not GSR_FILE.exists():
        pytest.skip(f"shared corpus absent: {GSR_FILE} (lives in ../shared beside the checkout)")
    recs = gsr.load_gsr(GSR_FILE)
    assert len(recs) > 300
    assert {r["gold_type"] for r in recs} <= set(gsr.plover_tables()["types"])
    res = gsr.score_gsr(recs)
    if res["failed"] == res["sentences"]:
        pytest.fail("the coder failed on every sentence: " + res["errors"][0].get("error", ""))
    assert 0.0 <= res["any"]["acc"] <= 1.0
    assert 0.0 <= res["first"]["acc"] <= res["any"]["acc"]
