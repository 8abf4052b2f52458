"""`dotterel dyad | timeline | actors` (tables, --json, --plot) and
`dotterel serve` argument handling, on the hand-made store of test_api."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from dotterel.cli import main
from test_api import build_store

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return str(build_store(tmp_path_factory.mktemp("cli") / "cli.duckdb"))


def test_dyad_table(db, capsys):
    assert main(["dyad", "aze", "arm", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("AZE-ARM: 2 event(s), mean PLOVER score +1.00")
    assert "verbal coop 1" in out and "verbal conflict 1" in out
    lines = out.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("month"))
    assert lines[head + 1].split() == ["2025-08", "1", "1", "0", "0", "0", "+4.00"]
    assert lines[head + 2].split() == ["2025-09", "1", "0", "0", "1", "0", "-2.00"]
    assert "ACCUSE" in out and "Ilham Aliyev" in out


def test_dyad_json_and_since(db, capsys):
    assert main(["dyad", "AZE", "ARM", "--db", db, "--since", "2025-09", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["summary"]["events"] == 1 and d["summary"]["mean_score"] == -2.0
    assert [e["event_type"] for e in d["events"]] == ["ACCUSE"]
    assert [p["period"] for p in d["timeline"]["periods"]] == ["2025-09-01"]


def test_dyad_without_events(db, capsys):
    assert main(["dyad", "KEN", "USA", "--db", db]) == 0
    assert "KEN-USA: no events" in capsys.readouterr().out


def test_timeline_table_json_svg(db, capsys, tmp_path):
    svg = tmp_path / "aze.svg"
    assert main(["timeline", "--country", "AZE", "--by", "month", "--db", db,
                 "--plot", str(svg)]) == 0
    out = capsys.readouterr().out
    assert "AZE: events per month by quad" in out
    assert [ln.split()[:2] for ln in out.splitlines()[2:]] == [["2025-08", "2"], ["2025-09", "1"]]
    root = ET.parse(svg).getroot()                              # well-formed SVG
    texts = [t.text for t in root.iter(SVG + "text")]
    assert "Events" in texts and "Month" in texts               # axis titles
    assert {"verbal cooperation", "verbal conflict"} <= set(texts)   # legend
    bars = [r for r in root.iter(SVG + "rect") if r.find(SVG + "title") is not None]
    assert sorted(r.find(SVG + "title").text for r in bars) == [
        "verbal_conflict: 1", "verbal_cooperation: 2"]
    assert main(["timeline", "--dyad", "AZE", "ARM", "--group", "type", "--json", "--db", db]) == 0
    tl = json.loads(capsys.readouterr().out)
    assert tl["series"] == ["AGREE", "ACCUSE"] and len(tl["periods"]) == 2


def test_dyad_plot_svg_has_score_line(db, tmp_path, capsys):
    svg = tmp_path / "d.svg"
    assert main(["dyad", "AZE", "ARM", "--db", db, "--plot", str(svg)]) == 0
    root = ET.parse(svg).getroot()
    assert root.find(f".//{SVG}polyline") is not None
    assert "Mean PLOVER score" in [t.text for t in root.iter(SVG + "text")]


def test_plot_png(db, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "t.png"
    assert main(["timeline", "--db", db, "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_actors(db, capsys):
    assert main(["actors", "--country", "AZE", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["actor", "country", "sector"]
    assert lines[1].split() == ["Ilham", "Aliyev", "AZE", "GOV", "2", "2", "0"]
    assert main(["actors", "--db", db, "--json", "--limit", "3"]) == 0
    rows = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert len(rows) == 3 and rows[0]["events"] >= rows[-1]["events"]


@pytest.mark.parametrize("argv, msg", [
    (["dyad", "AZ", "USA"], "ISO3"),
    (["timeline", "--country", "AZE", "--since", "2025-13"], "--since"),
    (["timeline", "--plot", "x.pdf"], ".svg or .png"),
])
def test_bad_arguments(db, capsys, argv, msg):
    with pytest.raises(SystemExit) if argv[1] == "AZ" else _nothing():
        code = main(argv + ["--db", db])
        assert code != 0
    assert msg in capsys.readouterr().err


def test_missing_store(tmp_path, capsys):
    for argv in (["dyad", "AZE", "USA"], ["timeline"], ["actors"], ["serve"]):
        assert main(argv + ["--db", str(tmp_path / "none.duckdb")]) == 1
        assert "no database" in capsys.readouterr().err


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
