"""Issue 4: a progress bar on long runs (articles/s, ETA) on stderr, shown
with --progress or when stderr is a terminal, never in a pipe by default."""
from __future__ import annotations

from dotterel import cli
from dotterel.store import _count_inputs

TEXTS = ["Azerbaijani President Ilham Aliyev met Armenian Prime Minister Nikol Pashinyan in "
         "Brussels on Friday.\n",
         "Kazakh President Kassym-Jomart Tokayev received Uzbek Foreign Minister Bakhtiyor "
         "Saidov in Astana on Monday.\n",
         "French President Emmanuel Macron called German Chancellor Olaf Scholz on Tuesday.\n"]


def _corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i, t in enumerate(TEXTS):
        (d / f"a{i}.txt").write_text(t)
    return d


def test_progress_flag_writes_a_bar(tmp_path, capsys):
    d = _corpus(tmp_path)
    assert cli.main(["run", str(d), "--db", str(tmp_path / "p.duckdb"), "--workers", "1",
                     "--progress"]) == 0
    err = capsys.readouterr().err
    assert "dotterel run: " in err and "3/3" in err, err      # total known: ETA shown
    assert "article/s" in err
    assert err.rstrip().splitlines()[-1].startswith("dotterel run: read 3 article(s)")


def test_no_bar_by_default_when_not_a_terminal(tmp_path, capsys):
    d = _corpus(tmp_path)
    assert cli.main(["run", str(d), "--db", str(tmp_path / "q.duckdb"), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "article/s" not in err and "\r" not in err and "3/3" not in err, err
    assert err.rstrip().splitlines()[-1].startswith("dotterel run: read 3 article(s)")


def test_total_is_known_for_plain_files_only(tmp_path):
    d = _corpus(tmp_path)
    (d / ".hidden").write_text("x")
    assert _count_inputs([str(d)]) == 3
    assert _count_inputs([str(d / "a0.txt"), str(d)]) == 4
    (d / "more.jsonl").write_text("{}\n")
    assert _count_inputs([str(d)]) is None         # one file, many articles: rate only
    assert _count_inputs(["-"]) is None
