"""N-gram lexemes on PostgreSQL: a query word of 2–4 characters is one lexeme, a longer one a phrase of
4-grams, and an index written before them keeps answering exactly (with bigram phrases) until reindexed.

The pure functions are checked on both databases; the rest needs PostgreSQL."""

from __future__ import annotations

import importlib
import random
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.search import backends, pg_index, selectors
from gongkai.search.backends import NGRAM_MAX, ngram_terms
from gongkai.search.tokenizer import is_cjk_pair, phrase, tokens

from .test_pg_index import routes  # noqa: F401  (fixture)
from .test_recall import found, samples, truth

CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 40)]  # a small alphabet, so pieces repeat


@pytest.mark.parametrize("length", range(2, 14))
def test_ngram_terms_cover_a_run_exactly_with_the_fewest_pieces(length):
    rng = random.Random(length)
    for _ in range(50):
        word = "".join(rng.choice(CJK) for _ in range(length))
        terms = ngram_terms(phrase(word))
        assert all(2 <= len(t) <= NGRAM_MAX for t, _ in terms)
        # Each piece stands at its offset in the word and shares a character with the next (pieces only
        # side by side could sit in two runs of the text, split by punctuation)…
        for (piece, at), (_, after) in zip(terms, [*terms[1:], (None, length)], strict=True):
            assert word[at : at + len(piece)] == piece
            assert at < after < at + len(piece) or after == length == at + len(piece)
        # …with no more pieces than that needs.
        assert len(terms) == -(-(length - 1) // (NGRAM_MAX - 1))


def test_other_tokens_pass_through_unchanged():
    # ASCII words, the single character that closes a run inside a term, an ASCII prefix.
    assert ngram_terms(phrase("2025年度")) == [("2025", 0), ("年度", 1)]
    assert ngram_terms(phrase("信息公开gb")) == [("信息公开", 0), ("开", 3), ("gb", 4)]
    assert ngram_terms(phrase("a级")) == [("a", 0), ("级", 1)]


def _lexemes(literal: str) -> dict[str, set[str]]:
    out = {}
    for word in literal.split():
        lexeme, _, at = word.rpartition(":")
        out[lexeme.strip("'")] = set(at.split(","))
    return out


@pytest.mark.parametrize("seed", range(20))
def test_the_vector_holds_every_piece_of_each_run_at_its_start(seed):
    """Against a slow reference: each substring of 2-NGRAM_MAX characters of a CJK run, at the position of
    the bigram it starts with; nothing across punctuation, ASCII or field boundaries."""
    rng = random.Random(seed)
    bits = [*CJK[:6], "，", " ", "ab", "2025", "。"]
    fields = ["".join(rng.choice(bits) for _ in range(rng.randint(0, 60))) for _ in range(3)]
    toks = [tokens(f) for f in fields]
    got = _lexemes(backends.tsvector_literal(*toks))
    expected: dict[str, set[str]] = {}
    pos = 0
    for field_tokens, weight in zip(toks, "ABC", strict=True):
        pos += 1
        for n, tok in enumerate(field_tokens):
            pos += 1
            expected.setdefault(tok, set()).add(f"{pos}{weight}")
            if is_cjk_pair(tok):
                gram = tok
                for nxt in field_tokens[n + 1 : n + NGRAM_MAX - 1]:
                    if not is_cjk_pair(nxt):
                        break
                    gram += nxt[1]
                    expected.setdefault(gram, set()).add(f"{pos}{weight}")
    capped = {k: v for k, v in expected.items() if len(v) <= 256}
    assert {k: v for k, v in got.items() if k in capped} == capped
    assert set(got) == set(expected)
    assert "人居环境" in _lexemes(backends.tsvector_literal(tokens("人居环境整治"), [], []))
    assert "环境整" not in _lexemes(backends.tsvector_literal(tokens("人居环境，整治"), [], []))


pg = pytest.mark.postgres_only
LENGTHS = (2, 3, 4, 5, 6, 8, 9)


def _check(corpus: list[Any], seed: int = 5) -> None:
    rng = random.Random(seed)
    for length in LENGTHS:
        for q in samples(corpus, length, 8, rng):
            assert found(q) == truth(corpus, q), q
    # A word spanning two runs of the text only if they were one: 危房改造人居 is not in 危房改造。人居环境.
    for q in ("危房改造人居环境整", "危房改造人居", "人居环境整治 2025年", "耕地地力保护补贴 公示", "a级景区"):
        expected = set.intersection(*(truth(corpus, t) for t in q.split()))
        assert found(q) == expected, q


def _strip_ngrams() -> int:
    """Make every vector look as it did before n-grams (bigrams, single characters, words, facets)."""
    with connection.cursor() as cur:
        cur.execute(
            """UPDATE search_searchdocument SET tsv = ts_delete(tsv, ARRAY(
                   SELECT lexeme FROM unnest(tsv) WHERE char_length(lexeme) IN (3, 4) AND lexeme ~ '^[一-鿿]+$'))"""
        )
        return cur.rowcount


@pg
def test_short_words_are_single_lexemes_answered_by_gin(corpus, routes, monkeypatch):  # noqa: F811
    assert pg_index.ngrams()
    backend = backends.PostgresBackend()
    for word in ("低保", "河长制", "危房改造"):
        cond = backend._query([phrase(word)], [])
        assert not cond.phrase and cond.params == [f"(('{word}'))"]
    longer = backend._query([phrase("耕地地力保护")], [])
    assert longer.phrase and longer.params == ["(('耕地地力' <2> '地力保护'))"]
    _check(corpus)
    # Even with every phrase sent to RUM, a word of up to four characters never needs it…
    monkeypatch.setattr(backends, "PHRASE_RECHECK_LIMIT", 0)
    routes.clear()
    for word in [*samples(corpus, 4, 5, random.Random(9)), "低保", "河长制"]:
        assert found(word) == truth(corpus, word)
    assert routes and set(routes) == {"gin"}
    # …while a longer one is a phrase (confirmed through RUM when it is there).
    routes.clear()
    assert found("耕地地力保护") == truth(corpus, "耕地地力保护")
    assert ("rum" in routes) == (pg_index.kind() == "rum")


@pg
def test_an_index_without_ngrams_answers_the_same_until_reindexed(corpus):
    assert _strip_ngrams() > 0
    pg_index.mark_ngrams(on=False)
    assert not pg_index.ngrams()
    _check(corpus)  # bigram phrases: exact on the old vectors

    # The mark is what makes it safe: claiming n-grams the rows lack would lose matches.
    pg_index.mark_ngrams()
    word = samples(corpus, 4, 1, random.Random(3))[0]
    assert truth(corpus, word) and found(word) == set()

    pg_index.mark_ngrams(on=False)
    out = StringIO()
    call_command("reindex", stdout=out, verbosity=1)
    assert "新格式" in out.getvalue()
    assert pg_index.ngrams()
    _check(corpus)


@pg
def test_reindexing_one_unit_leaves_the_mark_alone(corpus):
    pg_index.mark_ngrams(on=False)
    call_command("reindex", "--unit", corpus[0].unit.code, verbosity=0)
    assert not pg_index.ngrams()  # other units' rows were not rewritten
    backends.PostgresBackend().clear()
    assert pg_index.ngrams()  # an empty index: every row from now on has the n-grams


@pg
def test_migration_marks_only_an_empty_index(corpus, capsys):
    migration = importlib.import_module("gongkai.search.migrations.0004_postgres_ngram_lexemes")
    editor = SimpleNamespace(connection=connection)
    pg_index.mark_ngrams(on=False)
    migration.forwards(None, editor)  # the fixture corpus is indexed
    assert not pg_index.ngrams() and "gongkai reindex" in capsys.readouterr().err
    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_searchdocument")
    migration.forwards(None, editor)
    assert pg_index.ngrams()
    migration.backwards(None, editor)
    assert not pg_index.ngrams()


@pg
def test_the_longest_chunk_of_distinct_characters_fits_a_vector(db):
    """Worst case for the vector's 1 MB limit: a whole chunk where no bigram, 3- or 4-gram repeats."""
    rng = random.Random(8)
    text = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(backends.CHUNK_TOKENS + 10))
    title = tokens("人居环境整治" * 30)
    literal = backends.tsvector_literal(title, title, tokens(text)[: backends.CHUNK_TOKENS])
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_column_size(%s::tsvector), %s::tsvector @@ %s::tsquery", [literal, literal, text[500:504]]
        )
        size, hit = cur.fetchone()
    assert size < 1_048_576 and hit


@pg
def test_a_page_of_a_dense_phrase_walks_the_key_order(corpus, routes, settings):  # noqa: F811
    """Past the count limit a phrase's newest page is read along the key (the bitmap would confirm every
    candidate first); the answers are the same either way."""
    word = "耕地地力保护补贴"
    expected = truth(corpus, word)
    assert len(expected) > 6
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 5
    routes.clear()
    page = selectors.search(q=word, order="newest", page_size=5)
    assert page.capped and routes.count("gin/walk") == 1  # only the page query walks
    newest = sorted(corpus, key=lambda e: (e.published_at, e.pk), reverse=True)
    assert [h.entry.pk for h in page.hits] == [e.pk for e in newest if e.pk in expected][:5]
    routes.clear()
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 10_000
    assert found(word) == expected and not any(r.endswith("/walk") for r in routes)  # not dense: no walk
