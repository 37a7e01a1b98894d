"""Recall and precision against Python substring ground truth, on both backends (the same test file runs on
SQLite and PostgreSQL). Queries of 2, 3 and 4 Chinese characters are cut from the corpus itself, plus some
that occur nowhere, plus mixed Chinese/ASCII queries."""

from __future__ import annotations

import random
import re

from gongkai.catalog.text import html_to_text
from gongkai.search import selectors
from gongkai.search.tokenizer import normalize

CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def fields(entry) -> list[str]:
    return [
        normalize(x)
        for x in (
            entry.title,
            entry.summary,
            html_to_text(entry.body),
            entry.index_number,
            entry.document_number,
            entry.topic_words,
        )
    ]


def truth(corpus, query: str) -> set[int]:
    q = normalize(query)
    return {e.pk for e in corpus if any(q in f for f in fields(e))}


def found(query: str) -> set[int]:
    page = selectors.search(q=query, page_size=1000)
    assert page.total == len(page.hits)
    return {h.entry.pk for h in page.hits}


def samples(corpus, length: int, count: int, rng: random.Random) -> list[str]:
    text = "".join(html_to_text(e.body) + e.title for e in corpus)
    out: set[str] = set()
    while len(out) < count:
        i = rng.randrange(len(text) - length)
        piece = text[i : i + length]
        if CJK_ONLY.fullmatch(piece):
            out.add(piece)
    return sorted(out)


def test_cjk_substrings_match_ground_truth_exactly(corpus):
    rng = random.Random(7)
    for length in (2, 3, 4):
        for q in samples(corpus, length, 25, rng):
            assert found(q) == truth(corpus, q), q


def test_everyday_two_character_words(corpus):
    for q in ["低保", "扶贫", "公示", "救助", "村民"]:
        assert found(q) == truth(corpus, q), q


def test_absent_words_find_nothing(corpus):
    for q in ["低扶", "保低", "公开信息", "救助临时", "量子计算"]:
        assert truth(corpus, q) == set()
        assert found(q) == set(), q


def test_single_character_is_found_everywhere_it_occurs(corpus):
    for q in ["保", "村", "镇"]:
        assert found(q) == truth(corpus, q), q


def test_mixed_chinese_and_ascii(corpus):
    for q in ["2025年", "5G基站", "5g基站", "A级景区", "a级", "PM2.5监测", "WiFi覆盖", "第3季度", "120急救", "ＧＢ"]:
        assert found(q) == truth(corpus, q), q
        assert truth(corpus, q) or q in ("ＧＢ",), q


def test_several_terms_must_all_occur(corpus):
    rng = random.Random(11)
    for a, b in zip(samples(corpus, 2, 10, rng), samples(corpus, 3, 10, rng), strict=True):
        assert found(f"{a} {b}") == truth(corpus, a) & truth(corpus, b)


def test_index_and_document_numbers_are_searchable(corpus):
    entry = corpus[5]
    assert entry.pk in found(entry.index_number)
    assert found(entry.document_number) == truth(corpus, entry.document_number)


def test_newest_first_and_relevance_orders(corpus):
    newest = selectors.search(q="通知", order="newest", page_size=1000).hits
    stamps = [(h.entry.published_at, h.entry.pk) for h in newest]
    assert stamps == sorted(stamps, reverse=True)
    ranked = selectors.search(q="通知", order="relevance", page_size=1000).hits
    assert {h.entry.pk for h in ranked} == {h.entry.pk for h in newest}
    title_hits = [h for h in ranked if "通知" in h.entry.title]
    # Title weighs more: the first results carry the word in their title.
    assert ranked[0].entry.pk in {h.entry.pk for h in title_hits}


def test_pagination_is_stable_and_complete(corpus):
    seen = []
    first = selectors.search(q="人民政府", page_size=7)
    for page in range(1, first.pages + 1):
        seen += [h.entry.pk for h in selectors.search(q="人民政府", page=page, page_size=7).hits]
    assert len(seen) == len(set(seen)) == first.total == len(truth(corpus, "人民政府"))
