"""Ingestion of JSON Lines, CSV, HTML and WARC: one small file each, made here."""
from __future__ import annotations

import gzip
import io
import json

import pytest

from dotterel import clean
from dotterel.cli import main
from dotterel.ingest import BadInput, iter_articles
from dotterel.model import Article

TEXT1 = ("March 1, 2024\n\nKazakh President Kassym-Jomart Tokayev received Uzbek Foreign "
         "Minister Bakhtiyor Saidov in Astana on Monday to discuss water and trade.")
TEXT2 = "The foreign ministers of Chile and Peru met in Lima on Tuesday to discuss migration."


def _split(items):
    arts = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, BadInput)]
    return arts, bad


def test_jsonl_fields_given_metadata_and_bad_lines(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join([
        json.dumps({"body": TEXT1, "uid": "kz-1", "published": "2024-05-05T08:00:00Z",
                    "outlet": "Steppe Wire", "headline": "Tokayev hosts Saidov",
                    "link": "https://example.org/kz-1"}),
        '{"body": "broken',                       # malformed JSON
        json.dumps(["not", "an", "object"]),
        json.dumps({"uid": "no-text"}),
        "",
        json.dumps({"body": TEXT2}),
    ]) + "\n", encoding="utf-8")
    items = list(iter_articles([f], fields={"text": "body", "id": "uid", "date": "published",
                                            "source": "outlet", "title": "headline",
                                            "url": "link"}))
    arts, bad = _split(items)
    assert [a.doc for a in arts] == ["kz-1", f"{f}:6"]
    assert [b.name for b in bad] == [f"{f}:2", f"{f}:3", f"{f}:4"]
    assert "malformed JSON" in bad[0].reason and "no text" in bad[2].reason
    a = clean.clean_article(arts[0])
    # given metadata wins over the dateline in the text
    assert a.story_date == "2024-05-05" and a.source == "Steppe Wire"
    assert a.headline == "Tokayev hosts Saidov" and a.url == "https://example.org/kz-1"
    assert clean.clean_article(arts[1]).story_date is None


def test_jsonl_gz_and_default_fields(tmp_path):
    f = tmp_path / "feed.jsonl.gz"
    with gzip.open(f, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": TEXT2, "id": "cl-1", "date": "June 3, 2024"}) + "\n")
    (a,) = list(iter_articles([f]))
    assert a.doc == "cl-1" and a.story_date == "2024-06-03"


def test_csv_with_bad_row(tmp_path):
    f = tmp_path / "rows.csv"
    f.write_text('id,date,source,text\n'
                 f'a1,2024-02-02,Andes Post,"{TEXT2}"\n'
                 'a2,2024-02-03,only three cells\n'
                 f'a3,,,"{TEXT1}"\n', encoding="utf-8")
    arts, bad = _split(list(iter_articles([f])))
    assert [a.doc for a in arts] == ["a1", "a3"]
    assert arts[0].story_date == "2024-02-02" and arts[0].source == "Andes Post"
    assert [b.name for b in bad] == [f"{f}:3"] and "malformed row" in bad[0].reason
    # a file without the text column is one bad input, named by its header line
    g = tmp_path / "nocol.csv"
    g.write_text("id,body\nx,hello there\n", encoding="utf-8")
    (b,) = list(iter_articles([g]))
    assert isinstance(b, BadInput) and b.name == f"{g}:1"
    # --text-field renames the column
    (c,) = list(iter_articles([g], fields={"text": "body"}))
    assert isinstance(c, Article) and c.text == "hello there"


HTML = """<!DOCTYPE html><html><head><title>Chile and Peru talk migration</title>
<meta property="og:site_name" content="Andes Post">
<meta name="date" content="2024-06-04"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Chile and Peru talk migration</h1>
<p>The foreign ministers of Chile and Peru met in Lima on Tuesday to discuss migration
across their shared border, officials said after the meeting.</p>
<p>Both governments agreed to set up a joint working group on the registration of migrants
and to share data on border crossings every month.</p></article>
<footer>Copyright 2024 Andes Post. Cookie settings. Privacy policy.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    arts, bad = _split(list(iter_articles([f, empty])))
    (a,) = arts
    assert "met in Lima on Tuesday" in a.text and "joint working group" in a.text
    assert "Cookie settings" not in a.text and "Sport" not in a.text
    assert a.story_date == "2024-06-04" and a.source == "Andes Post"
    assert a.headline == "Chile and Peru talk migration"
    assert [b.name for b in bad] == [str(empty)]


def _warc_bytes(pages):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for uri, ctype, body in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                            http_headers=http))
    return buf.getvalue()


def test_warc_records_and_damaged_tail(tmp_path):
    data = _warc_bytes([
        ("https://example.org/a", "text/html; charset=utf-8", HTML.encode()),
        ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n0000"),
        ("https://example.org/b.txt", "text/plain", TEXT1.encode()),
    ])
    f = tmp_path / "crawl.warc"
    f.write_bytes(data)
    arts, bad = _split(list(iter_articles([f])))
    assert [a.url for a in arts] == ["https://example.org/a", "https://example.org/b.txt"]
    assert "met in Lima" in arts[0].text and arts[0].source == "Andes Post"
    assert not bad
    # a damaged record after the good ones: reported with its offset, the rest kept
    g = tmp_path / "broken.warc"
    g.write_bytes(data + b"this is not a WARC record at all\r\n\r\nnor is this\r\n")
    arts2, bad2 = _split(list(iter_articles([g])))
    assert len(arts2) == 2
    assert len(bad2) == 1 and "WARC" in bad2[0].reason
    name, _, at = bad2[0].name.rpartition("@")
    # located at the end of the last good record (before its closing blank line)
    assert name == str(g) and len(data) - 8 <= int(at) <= len(data)


def test_cli_code_reads_jsonl_with_field_flags(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps({"body": TEXT1, "uid": "kz-1", "published": "2024-05-05"}) + "\n"
                 + "{oops\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["code", str(f), "--text-field", "body", "--id-field", "uid",
                 "--date-field", "published", "-o", str(out), "--workers", "1"]) == 0
    recs = [json.loads(ln) for ln in out.read_text().splitlines()]
    meta = recs[0]
    assert meta["doc_meta"] and meta["doc"] == "kz-1" and meta["story_date"] == "2024-05-05"
    assert any(r.get("event_type") == "CONSULT" for r in recs[1:])


def test_directory_with_format(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": TEXT2}) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT1, encoding="utf-8")
    # a folder gives its .txt files by default, the named format's files with fmt
    assert [a.doc for a in iter_articles([tmp_path])] == ["b.txt"]
    assert [a.doc for a in iter_articles([tmp_path], fmt="jsonl")] == [f"{tmp_path / 'a.jsonl'}:1"]


def _html_warc(n: int, gz: bool = False) -> tuple[bytes, list[int]]:
    """A WARC of ``n`` HTML response records (warcio's writer) and the byte
    offset where each record ends."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    ends = []
    for i in range(n):
        body = (f"<html><body><p>Report {i}: the trade ministers of two states met on "
                f"Friday and agreed a new customs accord.</p></body></html>").encode()
        hh = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        w.write_record(w.create_warc_record(f"http://example.org/{i}", "response",
                                            payload=io.BytesIO(body), http_headers=hh))
        ends.append(buf.tell())
    return buf.getvalue(), ends


def test_truncated_warc_record_is_reported_not_shortened(tmp_path):
    from dotterel.ingest import BadInput, iter_warc

    data, _ = _html_warc(3)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 60])          # the last record loses its end
    items = list(iter_warc(path))
    good = [x for x in items if not isinstance(x, BadInput)]
    bad = [x for x in items if isinstance(x, BadInput)]
    assert len(good) == 2
    assert len(bad) == 1 and "truncated" in bad[0].reason and "cut.warc@" in bad[0].name


@pytest.mark.parametrize("gz", [False, True])
def test_warc_cut_anywhere_in_the_last_record_is_reported(tmp_path, gz):
    """Wherever the file stops inside the last record - its WARC headers, its
    HTTP headers or its body - the cut record is reported (never read as a
    short article, never dropped without a line) and the whole ones are kept.
    A cut after the text (the closing blank lines, a gzip member's trailer)
    may read the record whole, and loses nothing."""
    from dotterel.ingest import BadInput, iter_warc

    data, ends = _html_warc(2, gz)
    whole, last = data[:ends[0]], data[ends[0]:]
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    silent = []
    for k in range(1, len(last)):
        path.write_bytes(whole + last[:k])
        items = list(iter_warc(path))
        good = [x for x in items if not isinstance(x, BadInput)]
        bad = [x for x in items if isinstance(x, BadInput)]
        assert len(good) >= 1 and "Report 0" in good[0].text, k
        complete = len(good) == 2 and "customs accord." in good[1].text
        # reported, or (a cut in the trailing bytes after the text) read whole
        if not ((len(good) == 1 and len(bad) == 1) or (complete and not bad)):
            silent.append(k)
    assert not silent, f"cut points read without a report: {silent[:10]}"
