"""Clean: crawl noise, story metadata and the offset contract."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from dotterel.clean import (article_id, clean_article, detect_language, raw_span,
                            read_source, split_glued)
from dotterel.model import Article

from clean_checks import check_offsets, squash

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def clean(text: str, **meta) -> Article:
    return clean_article(Article(doc="t.txt", text=text, **meta))


# ------------------------------------------------------------ story date
def test_leading_date_token_read_and_removed():
    a = clean(" date 2021-06-14 The two ministers met in the capital on Monday.\n")
    assert a.story_date == "2021-06-14"
    assert "date" not in a.clean and a.clean.startswith("The two ministers")
    check_offsets(a)
    assert a.text[a.offsets[0]] == "T"


def test_given_metadata_wins():
    a = clean(" date 2021-06-14 (MENAFN- Trend) The talks began.\n",
              story_date="2020-01-01", source="Given", language="fr")
    assert (a.story_date, a.source, a.language) == ("2020-01-01", "Given", "fr")


def test_header_dateline_beats_page_chrome():
    text = ("Wednesday, 05 March 2025 10:12 GMT\n\nLeaders Hold Talks On Border Issues\n\n"
            "By A. Writer, 12 February 2019\n\n"
            "The presidents of two neighbouring countries held talks on the border dispute "
            "and agreed to meet again next month.\n")
    a = clean(text)
    assert a.story_date == "2019-02-12"
    assert a.headline == "Leaders Hold Talks On Border Issues"
    assert "2025" not in a.clean   # date-only chrome line blanked
    check_offsets(a)


def test_no_date_no_story_date():
    a = clean("Officials met at 16:04 to discuss the plan.\nThey agreed to continue.\n")
    assert a.story_date is None


def test_invalid_date_token_gives_none():
    assert clean(" date 2021-13-40 Some text here about talks.\n").story_date is None


# ----------------------------------------------------------------- source
@pytest.mark.parametrize("text,source", [
    ("(MENAFN- Trend) The minister received the envoy.\n", "Trend"),
    ("(MENAFN- AzerNews) The minister received the envoy, Azernews reports.\n", "AzerNews"),
    ("(MENAFN- Gulf Daily) The minister received the envoy, Kazinform reports.\n", "Kazinform"),
    ("The minister spoke to his counterpart, Caliber.Az reports via state media.\n", "Caliber.Az"),
    ("ROME, May 3 (Xinhua) -- The two prime ministers met on Friday.\n", "Xinhua"),
    ("Baku, APA – The minister met the ambassador on Tuesday.\n", "APA"),
    ("The minister met the ambassador.\n\nThey discussed trade.\n\nNews.Az\n", "News.Az"),
    ("The minister met the ambassador.\nSource: Reuters (Reporting by A. Reporter)\n", "Reuters"),
    ("(MENAFN- Kuwait News Agency (KUNA)) The Amir received a call.\n", "Kuwait News Agency"),
    ("LONDON (Some Wire / Anadolu - 3rd May, 2021) The talks began today.\n", "Anadolu"),
])
def test_source(text, source):
    assert clean(text).source == source


@pytest.mark.parametrize("text", [
    "The ambassador told Russia's RIA Novosti news agency that he would not attend.\n",
    "The minister met the envoy, according to Reuters.\n",
    "Reuters reported on Monday that the two leaders held talks.\n",
    "Kyrgyzstan reports heavy fighting along the border.\n",
    "The foreign ministry has reported that the talks went well.\n",
])
def test_cited_outlet_is_not_the_source(text):
    assert read_source(text) is None


def test_menafn_alone_is_not_preferred_over_named_outlet():
    assert read_source("(MENAFN- MENAFN) Talks took place, Trend reports.\n") == "Trend"


# ---------------------------------------------------------- entities
def test_entity_residue_replaced_and_mapped():
    text = "He said quot;we agreedquot; and rsquo;tis done amp; settled#39;s fine&mdash;yes.\n"
    a = clean(text)
    assert "quot;" not in a.clean and "amp;" not in a.clean and "#39;" not in a.clean
    assert '"we agreed"' in a.clean or "“we agreed”" in a.clean
    assert " & settled's fine—yes" in a.clean or " & settled's fine" in a.clean
    check_offsets(a)
    i = a.clean.index('"')
    assert a.text[a.offsets[i]:a.offsets[i] + 5] == "quot;"


def test_entity_inside_word_left_alone():
    # "ampersand;" is a word followed by a semicolon, not an entity residue
    a = clean("The sign is an ampersand; the letters follow.\n")
    assert "ampersand;" in a.clean


def test_mojibake_fixed_with_offsets():
    a = clean("The minister\u00e2\u20ac\u2122s visit was cancelled.\n")
    assert "minister's" in a.clean or "minister’s" in a.clean
    check_offsets(a)


# ------------------------------------------------------------- glued words
@pytest.mark.parametrize("glued,fixed", [
    ("He made a phonecall to the president.", "phone call"),
    ("They welcomed theagreement on borders.", "the agreement"),
    ("Talks between Armeniaand Georgia resumed.", "Armenia and"),
    ("She wants tocontinue the dialogue.", "to continue"),
    ("The envoy met AntonyBlinken yesterday.", "Antony Blinken"),
    ("Security in the SouthCaucasus improved.", "South Caucasus"),
    ("They marked thecommencement of work.", "the commencement"),
    ("The trilateralmeeting was held on April5 in the city.", "trilateral meeting was held on April 5"),
])
def test_glued_words_split(glued, fixed):
    a = clean(glued + "\n")
    assert fixed in a.clean
    check_offsets(a)
    # the inserted space maps to the following raw character
    i = a.clean.index(fixed) + fixed.index(" ")
    assert a.text[a.offsets[i]] == a.clean[i + 1]


@pytest.mark.parametrize("word", [
    "Zangezur", "Mirziyoyev", "Berdimuhamedov", "delimitation", "Azerbaijan", "Tashkent",
    "McDonald", "DeSantis", "iPhone", "LinkedIn", "YouTube", "AzerNews", "outlast",
    "overreach", "forgo", "peacekeeping", "ceasefire", "Nakhchivan", "Pashinyan",
])
def test_words_and_names_not_split(word):
    assert split_glued(word) == ()
    assert word in clean(f"He spoke of {word} today.\n").clean


def test_urls_not_split():
    a = clean("Read more at www.examplenewsagency.com/theagreementpage today.\n")
    assert "examplenewsagency.com/theagreementpage" in a.clean


# ------------------------------------------- clock times, headline, repeats
def test_clock_line_blanked_one_to_one():
    text = "The leaders met on Friday in the capital.\n16:04\nThey discussed trade.\n"
    a = clean(text)
    assert "16:04" not in a.clean
    check_offsets(a)
    assert len(a.clean) == len(a.text)


def test_headline_detected_and_broken():
    text = ("Presidents discuss regional peace in the capital\n"
            "The presidents of two countries met on Monday and discussed peace in the region "
            "and the economy.\n")
    a = clean(text)
    assert a.headline == "Presidents discuss regional peace in the capital"
    assert a.clean.startswith(a.headline + "\n\n")
    check_offsets(a)


def test_no_headline_for_sentence_lead():
    a = clean("The presidents met on Monday in the capital and talked about trade.\n\n"
              "They agreed to meet again.\n")
    assert a.headline is None


def test_repeated_paragraph_recorded_not_removed():
    lead = "The foreign ministers of the two countries met in the capital to discuss trade and security."
    text = f"{lead}\n\nThey agreed to meet again next year.\n\n{lead}\n"
    a = clean(text)
    assert a.clean.count(lead) == 2
    assert len(a.skip_ranges) == 1
    s, e = a.skip_ranges[0]
    assert a.clean[s:e] == lead and s > a.clean.index(lead)


def test_restated_lead_after_clock_time():
    text = ("Minister Anna Berg met Minister Jonas Holm in Oslo on 4 March to discuss trade.\n\n"
            "They also talked about energy and fisheries.\n"
            "09:12\n"
            "Norwegian Minister Jonas Holm held talks with Minister Anna Berg in Oslo on March 4.\n")
    a = clean(text)
    assert len(a.skip_ranges) == 1
    s, e = a.skip_ranges[0]
    assert a.clean[s:e].startswith("Norwegian Minister")


def test_distinct_paragraphs_not_repeats():
    text = ("The minister met the ambassador of Chile on Monday in the capital city.\n"
            "The minister met the ambassador of Peru on Tuesday in the port city.\n")
    assert clean(text).skip_ranges == []


# ---------------------------------------------------------- language, id
def test_language():
    assert clean("The prime minister met the president to discuss the border.\n").language == "en"
    assert clean("विदेश मंत्री ने शनिवार को प्रधानमंत्री से मुलाकात की और द्विपक्षीय संबंधों पर चर्चा की।\n"
                 ).language == "hi"
    assert clean("Der Außenminister traf seinen Amtskollegen am Montag in der Hauptstadt.\n"
                 ).language == "de"
    assert detect_language("12 34 --") is None


def test_article_id_normalised():
    a = clean("The  Minister met\nthe envoy.\n")
    assert a.id == article_id("the minister met the envoy.")
    assert a.id.startswith("art_") and len(a.id) == 20


# ------------------------------------------------------- offsets round trip
_ENTITY_START = ("quot;", "amp;", "rsquo;", "&", "#")


def _char_ok(a: Article, i: int) -> bool:
    """Clean char i is the raw char at offsets[i], or whitespace (inserted or
    blanked), or the replacement of an entity / mojibake starting there."""
    c, r = a.clean[i], a.text[a.offsets[i]]
    if c == r or c.isspace():
        return True
    if a.text.startswith(_ENTITY_START, a.offsets[i]):
        return True
    return c in "'\"" and r in "’‘“”"   # ftfy straightens quotes


def test_offsets_round_trip_random_spans():
    text = (" date 2024-04-28 (MENAFN- Trend) The envoy made a phonecall to theagreement "
            "partners, quot;welcomingquot; the plan.\r\n\r\n16:04\r\nArmeniaand Georgia "
            "signed amp; ratified it; rsquo;twas fine. It’s “done”.\n")
    a = clean(text)
    check_offsets(a)
    assert all(_char_ok(a, i) for i in range(len(a.clean)))
    rng = random.Random(7)
    plain = a.clean.replace('"', "").replace("&", "").replace("'", "")
    for _ in range(300):
        s = rng.randrange(len(a.clean))
        e = rng.randrange(s + 1, len(a.clean) + 1)
        # a span edge on an inserted space maps onto its neighbour: trim
        while s < e and a.clean[s].isspace():
            s += 1
        while e > s and a.clean[e - 1].isspace():
            e -= 1
        if s == e:
            continue
        rs, re_ = raw_span(a, s, e)
        raw = a.text[rs:re_]
        assert (rs, re_)[0] == a.raw_span(s, e)[0]
        for ent in ("quot;", "amp;", "rsquo;", "’", "“", "”", "16:04"):
            raw = raw.replace(ent, "")
        cl = a.clean[s:e].replace('"', "").replace("&", "").replace("'", "")
        assert squash(raw) == squash(cl), (a.clean[s:e], a.text[rs:re_])
    assert plain


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_clean_never_raises_and_offsets_valid(text):
    a = clean(text)
    check_offsets(a)
    assert a.language is None or len(a.language) == 2
    if a.clean:
        assert a.text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(
    [" date 2020-02-02 ", "quot;", "rsquo;", "&amp;", "#39;", "\r\n", "\n", "16:04", "theagreement",
     "Armeniaand", "IlhamAliyev", "The talks", ", Trend reports.", "\u00e2\u20ac\u2122", " ",
     "(MENAFN- AzerNews)", "word", "Headline Words Here Now"]), max_size=40))
def test_noise_mixtures_keep_offsets(parts):
    a = clean("".join(parts))
    check_offsets(a)


# ------------------------------------------------------ shared corpus check
def _gold_meta():
    out = {}
    for f in (CORPUS / "seeds.gold.jsonl", CORPUS / "dev" / "gold.jsonl"):
        for line in f.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if d.get("doc_meta"):
                out[d["doc"]] = d
    return out


def test_corpus_metadata_accuracy():
    if not (CORPUS / "seeds.gold.jsonl").exists():
        pytest.skip("shared corpus not present at " + str(CORPUS))
    from dotterel.ingest import iter_articles
    gold = _gold_meta()
    hits = {"story_date": 0, "source": 0, "language": 0}
    n = 0
    for item in iter_articles([CORPUS / "seeds", CORPUS / "dev" / "articles"]):
        if not isinstance(item, Article) or item.doc not in gold:
            continue
        clean_article(item)
        check_offsets(item)
        n += 1
        for k in hits:
            hits[k] += getattr(item, k) == gold[item.doc][k]
    assert n >= 30
    # floor well below what the cleaner reaches, so the check can fail
    assert hits["language"] / n >= 0.95
    assert hits["story_date"] / n >= 0.85
    assert hits["source"] / n >= 0.8


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_ascii_fast_path_agrees_with_ftfy(text):
    """The cleaner skips ftfy on ASCII text without control characters;
    ftfy itself must leave such text (and fix any other) the same way."""
    import ftfy
    from dotterel.clean import _ftfy
    got, offs = _ftfy(text, list(range(len(text))))
    assert got == ftfy.fix_text(text, unescape_html=False, fix_line_breaks=False)
    assert len(offs) == len(got)
