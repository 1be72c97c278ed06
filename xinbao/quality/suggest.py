"""Type suggestion (PRODUCT 3.6): a multinomial naive Bayes over jieba words, small enough to explain.

Trained by ``manage.py train_type_model`` on labelled items from the demo generator (xinbao/reports/demo_seed) and
stored as word counts in type_model.json beside this file; the command measures accuracy on items written for
other units with another random seed (held out) and records it in the file. The suggestion names the words that
weighed most, so an informant sees why (e.g. 建议/为此 → 建议类).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("type_model.json")
WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


def tokens(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(60)
    return [w for w in jieba.lcut(text) if WORD.fullmatch(w)]


@dataclass
class Model:
    class_docs: dict[str, int]
    word_counts: dict[str, dict[str, int]]
    accuracy: float = 0.0
    test_size: int = 0

    @classmethod
    def train(cls, samples: list[tuple[str, str]]) -> Model:
        class_docs: Counter[str] = Counter()
        words: dict[str, Counter[str]] = {}
        for text, label in samples:
            class_docs[label] += 1
            words.setdefault(label, Counter()).update(set(tokens(text)))
        # Keep the file small: words seen at least twice in a class.
        return cls(dict(class_docs), {c: {w: n for w, n in ws.items() if n >= 2} for c, ws in words.items()})

    def _log_scores(self, words: list[str]) -> dict[str, tuple[float, list[tuple[float, str]]]]:
        total = sum(self.class_docs.values())
        vocab = {w for ws in self.word_counts.values() for w in ws}
        out = {}
        for label, n_docs in self.class_docs.items():
            counts = self.word_counts[label]
            denom = sum(counts.values()) + len(vocab)
            score = math.log(n_docs / total)
            weights = []
            for w in words:
                if w in vocab:
                    lw = math.log((counts.get(w, 0) + 1) / denom)
                    score += lw
                    weights.append((lw, w))
            out[label] = (score, weights)
        return out

    def predict(self, text: str) -> tuple[str, float, list[str]]:
        words = list(dict.fromkeys(tokens(text)))
        scores = self._log_scores(words)
        best = max(scores, key=lambda c: scores[c][0])
        top = max(s for s, _w in scores.values())
        norm = sum(math.exp(s - top) for s, _w in scores.values())
        # The words that favour the winner most over the average of the other classes.
        others = [c for c in scores if c != best]
        by_class = {c: {w: lw for lw, w in scores[c][1]} for c in others}
        gains: dict[str, float] = {}
        for lw, w in scores[best][1]:
            rest = [by_class[c].get(w, lw) for c in others]
            gains[w] = lw - (sum(rest) / len(rest) if rest else 0.0)
        reasons = [w for w, g in sorted(gains.items(), key=lambda kv: -kv[1])[:5] if g > 0]
        return best, 1 / norm, reasons

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {
            "accuracy": self.accuracy,
            "test_size": self.test_size,
            "class_docs": self.class_docs,
            "word_counts": self.word_counts,
        }
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["class_docs"], data["word_counts"], data["accuracy"], data["test_size"])


@cache
def model() -> Model | None:
    return Model.load() if MODEL_PATH.exists() else None


@dataclass(frozen=True)
class Suggestion:
    report_type: str
    label: str
    confidence: float
    reasons: tuple[str, ...]


def suggest_type(title: str, body: str) -> Suggestion | None:
    from xinbao.reports.models import ReportType

    m = model()
    if m is None or not (title.strip() or body.strip()):
        return None
    label, confidence, reasons = m.predict(f"{title}\n{body}")
    return Suggestion(label, str(ReportType(label).label), round(confidence, 3), tuple(reasons))


def demo_samples(seed: int, count: int, places: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Labelled (text, type) pairs from the demo generator, for ``count`` items written by ``places``."""
    import random
    from datetime import date, timedelta

    from xinbao.reports.demo_seed.compose import Place, compose
    from xinbao.reports.demo_seed.topics import TOPICS
    from xinbao.reports.models import ReportType

    rng = random.Random(seed)
    kinds = [t for t in ReportType.values if t != ReportType.FEEDBACK]
    topics = tuple(TOPICS)
    out = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        unit, county, loc = rng.choice(places)
        day = date(2026, 1, 5) + timedelta(days=rng.randrange(300))
        text = compose(rng, kind, Place(unit, county, loc), day, topics)
        out.append((f"{text.title}\n{text.body}", kind))
    return out


TRAIN_PLACES = [
    ("城关镇", "安平县", "城关镇"),
    ("白沙镇", "安平县", "白沙镇"),
    ("安平县教育局", "安平县", "城关镇"),
    ("安平县", "安平县", "白沙镇"),
]
TEST_PLACES = [
    ("龙泉镇", "石桥县", "龙泉镇"),
    ("石桥县卫生健康局", "石桥县", "青山乡"),
    ("石桥县", "石桥县", "青山乡"),
]
