"""The one Chinese tokenizer both search backends are fed with.

Text is NFKC-normalised (full-width letters and digits become ASCII) and lower-cased, then cut into runs:

* a run of CJK characters becomes overlapping bigrams plus its last character alone
  (``信息公开`` → ``信息 息公 公开 开``). The bigrams give exact substring recall for any query of two or
  more characters; the trailing single character lets a one-character query match as a prefix
  (``开*`` finds every ``开``: each one starts a bigram or ends a run);
* a run of other letters and digits is one token (``2025``, ``gb``, ``t``);
* everything else (punctuation, spaces, emoji) separates runs.

A query term is tokenised the same way and searched as a phrase (adjacent positions), so ``信息公开`` matches
exactly the texts that contain that substring, with no false positives from scattered bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"([{_CJK}]+)|((?:(?![{_CJK}])[^\W_])+)")
_CJK_PAIR = re.compile(rf"[{_CJK}]{{2}}")

#: Longest accepted query (characters) and most terms; longer input is refused with a clear message.
MAX_QUERY_CHARS = 100
MAX_TERMS = 10


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _runs(text: str) -> Iterator[tuple[bool, str, int, int]]:
    """(is_cjk, run, start, end) over the normalised text."""
    for m in _RUN.finditer(text):
        yield m.group(1) is not None, m.group(), m.start(), m.end()


def tokens(text: str) -> list[str]:
    """Index tokens of ``text``, in order (positions matter: phrases are adjacency)."""
    out: list[str] = []
    for is_cjk, run, _, _ in _runs(normalize(text)):
        if is_cjk:
            out.extend(map(str.__add__, run, run[1:]))
            out.append(run[-1])
        else:
            out.append(run)
    return out


def is_cjk_pair(token: str) -> bool:
    """A bigram of a CJK run (not a two-letter ASCII word, not a run's trailing single character)."""
    return _CJK_PAIR.fullmatch(token) is not None


@dataclass(frozen=True)
class Phrase:
    """Tokens that must stand at consecutive positions; ``prefix`` marks the last one as a prefix."""

    tokens: tuple[str, ...]
    prefix: bool


def phrase(term: str) -> Phrase | None:
    """The phrase a query term becomes, or None when it holds nothing searchable (only punctuation, emoji).

    Adjacent runs inside one term (``2025年``, ``A级``) stay one phrase. The last run is matched as
    narrowly as substring semantics need: a CJK run of two or more characters without its trailing single
    (it may sit in the middle of a longer run of the text), a single CJK character or an ASCII word as a
    prefix (``gov`` finds ``government``; ASCII is matched from the start of a word).
    """
    runs = list(_runs(normalize(term)))
    if not runs:
        return None
    toks: list[str] = []
    prefix = False
    for n, (is_cjk, run, _, _) in enumerate(runs):
        last = n == len(runs) - 1
        if is_cjk and len(run) >= 2:
            toks.extend(run[i : i + 2] for i in range(len(run) - 1))
            if not last:
                toks.append(run[-1])
        else:
            toks.append(run)
            prefix = last
    return Phrase(tuple(toks), prefix)


def terms(query: str) -> list[str]:
    """Whitespace-separated terms of a query (full-width spaces included), each kept if searchable."""
    return [t for t in normalize(query).split() if phrase(t) is not None]


def highlight_terms(query: str) -> list[str]:
    """The normalised runs a snippet should mark (longest first, so ``信息公开`` wins over ``信息``)."""
    found = {run for t in terms(query) for _, run, _, _ in _runs(t)}
    return sorted(found, key=len, reverse=True)
