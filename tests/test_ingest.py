"""Ingest: every kind of bad input becomes a BadInput; good files around it
are still read, in order."""
from __future__ import annotations

import os
import sys

import pytest

from dotterel.ingest import BadInput, iter_articles, read_article
from dotterel.model import Article

PROSE = "The foreign ministers of two neighbouring states met in the capital on Monday.\n"


def _names(items):
    return [(type(i).__name__, i.doc if isinstance(i, Article) else os.path.basename(i.name))
            for i in items]


def test_good_files_in_directory_sorted_and_recursive(tmp_path):
    (tmp_path / "b.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "a.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "notes.md").write_text(PROSE, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.txt").write_text(PROSE, encoding="utf-8")
    items = list(iter_articles([tmp_path]))
    assert _names(items) == [("Article", "a.txt"), ("Article", "b.txt"), ("Article", "c.txt")]
    assert items[0].text == PROSE


def test_explicit_file_read_whatever_extension(tmp_path):
    p = tmp_path / "story.dat"
    p.write_text(PROSE, encoding="utf-8")
    (item,) = list(iter_articles([p]))
    assert isinstance(item, Article) and item.doc == "story.dat"


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\n ", "whitespace"),
    ("binary.txt", b"GIF89a\x00\x01\x02" + bytes(range(256)) * 4, "binary"),
    ("ctrl.txt", b"abc\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 50, "binary"),
    ("digits.txt", b"12 34 -- 56.78 !!! ... 2024-01-01\n", "punctuation"),
    ("data.txt", b'{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n{"a": 3}\n', "JSON Lines"),
    ("obj.txt", b'{"title": "one", "body": "two"}', "JSON"),
])
def test_bad_inputs_between_good_files(tmp_path, name, data, reason):
    (tmp_path / "a_good.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    (tmp_path / "z_good.txt").write_text(PROSE, encoding="utf-8")
    items = list(iter_articles([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Article", "BadInput", "Article"] \
        or [type(i).__name__ for i in items] == ["Article", "Article", "BadInput"]
    bad = [i for i in items if isinstance(i, BadInput)][0]
    assert os.path.basename(bad.name) == name
    assert reason.lower() in bad.reason.lower()
    assert [i.doc for i in items if isinstance(i, Article)] == ["a_good.txt", "z_good.txt"]


def test_missing_file(tmp_path):
    items = list(iter_articles([tmp_path / "gone.txt", tmp_path]))
    assert isinstance(items[0], BadInput) and "not found" in items[0].reason
    assert items[0].name.endswith("gone.txt")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text(PROSE, encoding="utf-8")
    p.chmod(0)
    try:
        item = read_article(p)
    finally:
        p.chmod(0o644)
    assert isinstance(item, BadInput) and "permission" in item.reason


def test_oversized_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(PROSE * 100, encoding="utf-8")
    (item,) = list(iter_articles([p], max_bytes=1000))
    assert isinstance(item, BadInput) and "too large" in item.reason
    (item,) = list(iter_articles([p]))
    assert isinstance(item, Article)


@pytest.mark.parametrize("encoding,text", [
    ("cp1251", "Министр иностранных дел провёл переговоры со своим коллегой в столице. "
               "Стороны обсудили вопросы двустороннего сотрудничества и региональной "
               "безопасности.\n"),
    ("latin-1", "Le président a reçu à l'Élysée le ministre des affaires étrangères. "
                "Les deux hommes ont évoqué la sécurité régionale et la coopération "
                "économique.\n"),
], ids=["cp1251-russian", "latin1-french"])
def test_single_byte_charset_fallback(tmp_path, encoding, text):
    p = tmp_path / "doc.txt"
    p.write_bytes(text.encode(encoding))
    item = read_article(p)
    assert isinstance(item, Article)
    assert item.text == text


def test_undecodable_bytes(tmp_path):
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0xff, 0xfe, 0xc3, 0x28]) * 40)
    item = read_article(p)
    assert isinstance(item, BadInput)
    assert "UTF-8" in item.reason or "binary" in item.reason


def test_utf8_bom_dropped(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + PROSE.encode())
    assert read_article(p).text == PROSE


def test_streaming_is_lazy(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(PROSE, encoding="utf-8")
    it = iter_articles([tmp_path])
    first = next(it)
    assert isinstance(first, Article) and first.doc == "0.txt"
    (tmp_path / "2.txt").unlink()   # not yet read: reported when reached
    rest = list(it)
    assert isinstance(rest[1], BadInput)


def test_json_like_prose_is_not_json(tmp_path):
    p = tmp_path / "prose.txt"
    p.write_text("{Editor's note: corrected.}\n" + PROSE * 3, encoding="utf-8")
    assert isinstance(read_article(p), Article)


@pytest.mark.parametrize("enc, text", [
    ("latin-1", "El ministro de Asuntos Exteriores se reunió el lunes con su homólogo en la "
                "capital. Ambos señalaron la importancia de la cooperación económica y de la "
                "seguridad regional, según un comunicado oficial.\n"),
    ("cp1251", "Президент подписал указ о создании новой комиссии. В её состав вошли "
               "представители правительства, парламента и гражданского общества; первое "
               "заседание состоится в среду.\n" * 3),
    ("latin-1", "Les manifestants se sont rassemblés samedi devant la préfecture. La police "
                "a interpellé douze personnes; le préfet a appelé au calme.\n" * 4),
])
def test_more_legacy_prose_still_passes(tmp_path, enc, text):
    p = tmp_path / "legacy.txt"
    p.write_bytes(text.encode(enc))
    item = read_article(p)
    assert isinstance(item, Article), item
    # (charset-normalizer may pick a sibling code page: cp1250 reads 'ñ' as 'ň')
    assert len(item.text) == len(text) and item.text[:60] == text[:60]


def _random_bytes(rng, n: int, kind: int) -> bytes:
    """Random bytes of several shapes: uniform; printable and high bytes;
    high bytes only; high bytes and spaces; the six bytes of the
    fault-injection run's 'invalid UTF-8' files; a small random alphabet."""
    high = bytes(range(0x80, 0x100))
    if kind == 0:
        return rng.randbytes(n)
    if kind == 1:
        pool = bytes(range(0x20, 0x7f)) + high + b"\n"
    elif kind == 2:
        pool = high
    elif kind == 3:
        pool = high + b" " * 24
    elif kind == 4:
        pool = bytes([0x80, 0x81, 0xfe, 0xff, 0xc3, 0xa0])
    else:
        pool = bytes(rng.sample(range(0x20, 0x100), rng.randint(3, 12)))
    return bytes(rng.choice(pool) for _ in range(n))


def test_random_bytes_are_never_articles(tmp_path):
    """200 random byte strings of 200-5000 bytes (seeded): none is read as an
    article (the fault-injection run had 2 of 83 accepted as 'non-English')."""
    import random
    rng = random.Random(20240607)
    p = tmp_path / "noise.txt"
    accepted = []
    for i in range(200):
        data = _random_bytes(rng, rng.randint(200, 5000), i % 6)
        p.write_bytes(data)
        item = read_article(p)
        if not isinstance(item, BadInput):
            accepted.append((i % 6, data[:40], item.text[:60]))
        else:
            assert item.reason
    assert not accepted, accepted[:5]


def test_noise_reason_says_why(tmp_path):
    p = tmp_path / "six.txt"
    import random
    rng = random.Random(3)
    p.write_bytes(bytes(rng.choice([0x80, 0x81, 0xfe, 0xff, 0xc3, 0xa0]) for _ in range(339)))
    item = read_article(p)
    assert isinstance(item, BadInput)
    assert "not valid UTF-8" in item.reason or "binary" in item.reason
    ascii_blob = tmp_path / "blob.txt"
    ascii_blob.write_bytes(b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123" * 20)
    item = read_article(ascii_blob)
    assert isinstance(item, BadInput) and item.reason.startswith("not text")
