"""The whole flow through the public API and `dotterel code`, on texts
written for these tests."""
import json

import dotterel
from dotterel.cli import main

ARTICLE = (" date 2024-03-12 (MENAFN- Trend) Turkish Foreign Minister Hakan Fidan made a "
           "phonecall to Azerbaijani Foreign Minister Jeyhun Bayramov on March 11, Trend reports.\n\n"
           "Fidan conveyed his congratulations on theagreement reached with Armenia, quot;a historic "
           "steprdquo; for the region.\n")


def test_code_text_returns_events_with_verbatim_evidence():
    evs = dotterel.code_text(ARTICLE)
    assert evs, "no events"
    for ev in evs:
        assert ARTICLE[ev.evidence_start:ev.evidence_end] == ev.evidence
        assert ev.id.startswith("ev_")
    call = [e for e in evs if e.event_type == "CONSULT"][0]
    assert call.mode == "phone"
    assert call.date == "2024-03-11"
    assert [a.country for a in call.actor] == ["TUR"]
    assert [r.country for r in call.recipient] == ["AZE"]


def test_ids_are_stable_across_runs():
    a = [e.id for e in dotterel.code_text(ARTICLE)]
    b = [e.id for e in dotterel.code_text(ARTICLE)]
    assert a == b and len(set(a)) == len(a)


def test_code_files_and_cli_output(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["code", str(tmp_path), "-o", str(out)]) == 0
    rows = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    meta = rows[0]
    assert meta["doc_meta"] is True and meta["doc"] == "a.txt"
    assert meta["story_date"] == "2024-03-12" and meta["source"] == "Trend"
    assert meta["language"] == "en" and meta["duplicate_of"] is None
    evs = rows[1:]
    assert evs
    for field in ("doc", "event_type", "mode", "actor", "recipient", "date", "location",
                  "contexts", "salience", "evidence", "id", "evidence_start", "evidence_end"):
        assert field in evs[0]


def test_bad_files_reported_and_good_ones_coded(tmp_path, capsys):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 ".encode("latin-1") * 3 + b"\xff\xfe\x00")
    out = tmp_path / "out.jsonl"
    rc = main(["code", str(tmp_path), "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 0
    assert "empty.txt" in err and "binary.txt" in err
    docs = [json.loads(l)["doc"] for l in out.read_text().splitlines() if '"doc_meta"' in l]
    assert "good.txt" in docs


def test_nothing_codable_exits_nonzero(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    assert main(["code", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "o.jsonl")]) != 0
    assert "empty.txt" in capsys.readouterr().err


def test_non_english_article_has_meta_and_no_events():
    text = ("Der Bundeskanzler traf am Montag den französischen Präsidenten in Berlin. "
            "Beide sprachen über die Lage in der Ukraine und die Zusammenarbeit in Europa.")
    assert dotterel.code_text(text, story_date="2024-05-06") == []
