"""Learned suggestions for drafting (issue 21): the category, 体裁, 主题词 and 内容概述 a new entry probably has,
learned from the unit's own published history. Nothing leaves the server and no text is invented.

- Features: character 1–3-grams of the title, the 内容概述 and the first ``BODY_CHARS`` characters of the body
  text (digits folded to ``0``, so years and numbers do not split the vocabulary; the title counted
  ``TITLE_WEIGHT`` times, as a draft being written often has little else yet). Measured on the demo
  world's held-out history (``bench/bench_suggest.py``): more body than the first 100 characters and a
  lighter title did not raise accuracy, and made models and training several times larger.
- Category and 体裁: multinomial naive Bayes over those counts (Laplace smoothing), top 3 with a score (the
  posterior, normalised over the classes the unit has).
- 主题词: the most frequent topic words of the ``K`` nearest published entries (cosine over the title and
  概述 n-gram vectors), else of the predicted category.
- 内容概述: the first sentence of the draft's own body (HTML stripped, at most ``SUMMARY_CHARS`` characters).

Training (``train``) is a pure function of the entries; ``retrain`` stores the result per unit in
``SuggestionModel`` (queued by ``catalog.tasks.train_suggestions`` when an entry is published); ``suggest``
only reads. A unit's history never reaches another unit's suggestions: a model is keyed by unit and trained
on that unit's entries only.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core.errors import ValidationFailed

from .models import Category, Entry, EntryStatus, Genre, SuggestionModel
from .text import html_to_text

#: Newest published entries a unit's model learns from.
HISTORY_CAP = 5000
BODY_CHARS = 100
TITLE_WEIGHT = 6
K = 5
TOP = 3
SUMMARY_CHARS = 80
#: n-grams seen once in a unit's whole history are dropped from the stored class counts (they carry
#: almost nothing and are most of the vocabulary); the vocabulary size used for smoothing keeps them.
MIN_GRAM_COUNT = 2
#: Longest title and 概述 a query may carry (an entry's title holds 200 characters).
MAX_TITLE = 200
MAX_SUMMARY = 2000
MAX_BODY = 200_000
PAYLOAD_VERSION = 1

_KEEP = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]+")
_DIGITS = re.compile(r"[0-9０-９]")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_TOPIC_SPLIT = re.compile(r"[\s,，、;；]+")


def _runs(text: str) -> list[str]:
    """The text as runs of CJK characters, letters and digits (punctuation and spaces split runs)."""
    return _KEEP.findall(_DIGITS.sub("0", (text or "").lower()))


def grams(text: str) -> Counter[str]:
    """Character 1-, 2- and 3-grams of ``text``, counted, never across punctuation or spaces."""
    out: Counter[str] = Counter()
    for run in _runs(text):
        n = len(run)
        out.update(run)
        out.update(run[i : i + 2] for i in range(n - 1))
        out.update(run[i : i + 3] for i in range(n - 2))
    return out


def features(title: str, summary: str = "", body_text: str = "") -> Counter[str]:
    """The naive-Bayes counts of an entry: its title (weighted), 概述 and the start of its body text."""
    counts = grams(summary)
    counts.update(grams(body_text[:BODY_CHARS]))
    for gram, n in grams(title).items():
        counts[gram] += n * TITLE_WEIGHT
    return counts


def _near_vector(title: str, summary: str) -> dict[str, float]:
    """The unit-length 2- and 3-gram vector of title and 概述 the nearest-entry search compares."""
    counts = Counter({g: n for g, n in grams(f"{title} {summary}").items() if len(g) > 1})
    norm = math.sqrt(sum(n * n for n in counts.values())) or 1.0
    return {g: round(n / norm, 4) for g, n in counts.items()}


def split_topic_words(value: str) -> list[str]:
    return [w for w in _TOPIC_SPLIT.split(value or "") if w]


def first_sentence(body: str, limit: int = SUMMARY_CHARS) -> str:
    """The body's first sentence as plain text (HTML stripped), at most ``limit`` characters: an extract of
    what the officer wrote, never new text. Empty when the body has no text."""
    text = html_to_text(body or "")
    text = re.sub(r"[ \t\u3000]+", " ", text).strip()
    if not text:
        return ""
    match = _SENTENCE_END.search(text)
    sentence = text[: match.end()] if match else text
    sentence = sentence.rstrip("\n;；").strip()
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence


# ---------------------------------------------------------------------------------------------- training


@dataclass
class Sample:
    """What training reads of one published entry."""

    id: int
    category_id: int
    genre: str
    title: str
    summary: str
    body: str
    topic_words: str


def _classes(rows: Iterable[tuple[str, Counter[str]]], keep: set[str]) -> dict[str, Any]:
    docs: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = {}
    for label, feats in rows:
        docs[label] += 1
        totals[label] += sum(feats.values())
        counts.setdefault(label, Counter()).update(feats)
    return {
        label: {
            "docs": docs[label],
            "total": totals[label],
            "counts": {g: n for g, n in counts[label].items() if g in keep},
        }
        for label in docs
    }


def train(samples: list[Sample]) -> dict[str, Any]:
    """The model (a JSON-able dict) of these entries; an empty history gives a model that suggests nothing."""
    feats = [features(s.title, s.summary, html_to_text(s.body)) for s in samples]
    vocabulary: Counter[str] = Counter()
    for f in feats:
        vocabulary.update(f.keys())
    keep = {g for g, n in vocabulary.items() if n >= MIN_GRAM_COUNT}
    topic_by_category: dict[str, Counter[str]] = {}
    for s in samples:
        topic_by_category.setdefault(str(s.category_id), Counter()).update(split_topic_words(s.topic_words))
    return {
        "version": PAYLOAD_VERSION,
        "vocabulary": len(vocabulary),
        "category": _classes(((str(s.category_id), f) for s, f in zip(samples, feats, strict=True)), keep),
        "genre": _classes(((s.genre, f) for s, f in zip(samples, feats, strict=True)), keep),
        "topics": {c: [w for w, _ in words.most_common(10)] for c, words in topic_by_category.items()},
        "entries": [
            {
                "id": s.id,
                "category": s.category_id,
                "topic_words": split_topic_words(s.topic_words),
                "vec": _near_vector(s.title, s.summary),
            }
            for s in samples
        ],
    }


def history(unit: Any, *, cap: int = HISTORY_CAP, before: Any = None) -> list[Sample]:
    """The unit's newest ``cap`` published entries (published before ``before`` if given), newest first."""
    qs = Entry.objects.filter(unit=unit, status=EntryStatus.PUBLISHED)
    if before is not None:
        qs = qs.filter(published_at__lt=before)
    rows = qs.order_by("-published_at", "-id").values_list(
        "id", "category_id", "genre", "title", "summary", "body", "topic_words"
    )[:cap]
    return [Sample(*row) for row in rows]


def retrain(*, unit: Any, actor: Any = None) -> SuggestionModel:
    """Train the unit's model on its published history and store it (one row per unit, replaced).

    ``actor`` is None for the background task; the model holds no personal data and is not audited.
    """
    started = time.monotonic()
    samples = history(unit)
    payload = train(samples)
    payload["seconds"] = round(time.monotonic() - started, 3)
    with transaction.atomic():
        model, _ = SuggestionModel.objects.update_or_create(
            unit=unit, defaults={"trained_at": timezone.now(), "entries": len(samples), "payload": payload}
        )
    _cache.pop(unit.pk, None)
    return model


# ---------------------------------------------------------------------------------------------- asking


@dataclass
class Choice:
    value: str
    label: str
    score: float


@dataclass
class Suggestions:
    """What the form offers as one-click choices. Empty lists: nothing to suggest (no history yet)."""

    categories: list[Choice] = field(default_factory=list)
    genres: list[Choice] = field(default_factory=list)
    topic_words: list[str] = field(default_factory=list)
    summary: str = ""
    trained_on: int = 0

    @property
    def empty(self) -> bool:
        return not (self.categories or self.genres or self.topic_words or self.summary)

    def as_dict(self) -> dict[str, Any]:
        return {
            "categories": [c.__dict__ for c in self.categories],
            "genres": [c.__dict__ for c in self.genres],
            "topic_words": self.topic_words,
            "summary": self.summary,
            "trained_on": self.trained_on,
        }


def rank(
    classes: Mapping[str, Any], vocabulary: int, query: Counter[str], allowed: set[str]
) -> list[tuple[str, float]]:
    """Naive-Bayes posteriors of the ``allowed`` classes for ``query``, best first."""
    labels = [c for c in classes if c in allowed]
    if not labels or not query:
        return []
    all_docs = sum(classes[c]["docs"] for c in labels)
    v = max(vocabulary, 1)
    logs = []
    for label in labels:
        cls = classes[label]
        counts, denominator = cls["counts"], cls["total"] + v
        score = math.log(cls["docs"] / all_docs)
        for gram, n in query.items():
            score += n * math.log((counts.get(gram, 0) + 1) / denominator)
        logs.append((label, score))
    top = max(s for _, s in logs)
    weights = [(label, math.exp(s - top)) for label, s in logs]
    total = sum(w for _, w in weights)
    return sorted(((label, w / total) for label, w in weights), key=lambda x: -x[1])


def nearest(entries: list[dict[str, Any]], vec: dict[str, float], k: int = K) -> list[tuple[float, dict[str, Any]]]:
    scored = []
    for e in entries:
        other = e["vec"]
        small, large = (vec, other) if len(vec) < len(other) else (other, vec)
        sim = sum(w * large.get(g, 0.0) for g, w in small.items())
        if sim > 0:
            scored.append((sim, e))
    scored.sort(key=lambda x: -x[0])
    return scored[:k]


def predict(
    payload: Mapping[str, Any],
    *,
    title: str,
    summary: str = "",
    body: str = "",
    categories: Mapping[int, str],
) -> Suggestions:
    """Suggestions from a trained ``payload`` for a draft. ``categories`` maps the ids the unit may still
    file under (not retired) to their labels; classes outside it are never offered."""
    out = Suggestions(trained_on=len(payload.get("entries", ())), summary=first_sentence(body))
    if not payload.get("entries") or not (title.strip() or summary.strip() or body.strip()):
        return out
    query = features(title, summary, html_to_text(body))
    vocabulary = int(payload.get("vocabulary", 0))
    allowed = {str(pk) for pk in categories}
    for label, score in rank(payload["category"], vocabulary, query, allowed)[:TOP]:
        out.categories.append(Choice(label, categories[int(label)], round(score, 3)))
    genre_labels = dict(Genre.choices)
    for label, score in rank(payload["genre"], vocabulary, query, set(genre_labels))[:TOP]:
        out.genres.append(Choice(label, str(genre_labels[label]), round(score, 3)))
    words: dict[str, float] = {}
    for sim, e in nearest(payload["entries"], _near_vector(title, summary)):
        for w in e["topic_words"]:
            words[w] = words.get(w, 0.0) + sim
    if words:
        out.topic_words = sorted(words, key=lambda w: -words[w])[:5]
    elif out.categories:
        out.topic_words = list(payload.get("topics", {}).get(out.categories[0].value, []))[:5]
    return out


#: unit id → (trained_at, payload): a worker process parses a unit's stored model once per training.
_cache: dict[int, tuple[Any, dict[str, Any]]] = {}


def stored_payload(unit: Any) -> dict[str, Any] | None:
    """The unit's stored model, or None when it was never trained. A read: never trains, never writes."""
    trained = SuggestionModel.objects.filter(unit=unit, trained_at__isnull=False)
    row = trained.values_list("trained_at", flat=True).first()
    if row is None:
        return None
    cached = _cache.get(unit.pk)
    if cached and cached[0] == row:
        return cached[1]
    model = trained.first()
    if model is None:
        return None
    if len(_cache) > 200:
        _cache.clear()
    _cache[unit.pk] = (model.trained_at, model.payload)
    return model.payload


def suggest(*, unit: Any, title: str, summary: str = "", body: str = "") -> Suggestions:
    """The suggestions for a draft in ``unit`` (a read). Without a stored model the unit's history is
    trained in memory for this answer, so a unit gets suggestions before its first background training;
    an empty unit gets empty suggestions. Overlong input raises ``ValidationFailed``."""
    errors: dict[str, list[str]] = {}
    if len(title) > MAX_TITLE:
        errors["title"] = [f"标题不能超过 {MAX_TITLE} 个字"]
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = [f"内容概述不能超过 {MAX_SUMMARY} 个字"]
    if len(body) > MAX_BODY:
        errors["body"] = [f"正文不能超过 {MAX_BODY} 个字"]
    if errors:
        raise ValidationFailed(errors)
    payload = stored_payload(unit)
    if payload is None or payload.get("version") != PAYLOAD_VERSION:
        payload = train(history(unit, cap=1000))
    return predict(payload, title=title, summary=summary, body=body, categories=category_labels(unit))


def category_labels(unit: Any) -> dict[int, str]:
    """The unit's categories still in use → their full names (上级/类别), in one query."""
    cats = list(Category.objects.filter(unit=unit))
    names = {c.pk: c.name for c in cats}
    out = {}
    for c in cats:
        if c.is_retired:
            continue
        ids = [int(p) for p in c.path.strip("/").split("/") if p]
        out[c.pk] = "/".join([*(names[i] for i in ids if i in names), c.name])
    return out
