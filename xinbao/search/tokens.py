"""How Chinese text becomes search tokens, the same on SQLite and PostgreSQL (issue 7 item 5).

Chinese has no spaces between words and either database's tokenizers split it badly (FTS5's unicode61 keeps a whole
run of Han characters as one token; PostgreSQL's parsers do the same). Word segmentation (jieba) would make recall
depend on the dictionary — "消防演练" indexed as one word is not found by "演练". Overlapping character bigrams
find every substring of two or more characters: "冬季消防" is indexed as 冬季 季消 消防, and the query "消防" is the
one-token phrase 消防, "季消防" the phrase 季消 消防. Both databases then only need "these tokens, in this order",
which FTS5 phrases and PostgreSQL's ``<->`` both express, so the same query finds the same items on both.

Letters and digits form words of their own (lower-cased), searched as prefixes ("g20" finds "g20峰会"
"2026" finds "20261126"). A single Han character is searched as a prefix of the
bigrams (消*), and every run also indexes its last character alone so that a one-character query finds it at the
end of a run too. Text is normalised first: full-width letters and digits to half-width (NFKC), case folded, and
traditional characters to simplified where the converter is installed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[0-9a-z]+")
_IS_HAN = re.compile(rf"[{_HAN}]")
#: A query is at most this many characters: a search box, not a document.
QUERY_MAX = 50
#: PostgreSQL keeps word positions up to 16,383 in a tsvector (later ones are clamped and phrases would stop
#: matching there); both backends index at most this many tokens of an item (title, body, then attachments'
#: text) so they always agree. That is about 8,000 Chinese characters, longer than nearly every item.
MAX_TOKENS = 16383


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    try:
        from opencc import OpenCC
    except ImportError:  # pragma: no cover - the converter is a declared dependency
        return None
    return OpenCC("t2s")


def normalise_char(char: str) -> str:
    """One character in, one character out, so positions in the normalised text are positions in the original
    (snippets highlight the original text)."""
    folded = unicodedata.normalize("NFKC", char).casefold()
    return folded[:1] if folded else char


@lru_cache(maxsize=1)
def _t2s_changes() -> frozenset[str] | None:
    """Every character the t2s conversion may change: those its character table maps elsewhere, and those of its
    phrase table that differ in the simplified phrase. A text with none of them comes out of the converter as it
    went in, so it need not go through it — the pure-Python converter costs ~1 ms a paragraph, and snippets and
    indexing normalise every text they see (about 95 % of items have no such character). None when the
    dictionaries cannot be read: then every text is converted."""
    try:
        import opencc

        folder = Path(opencc.__file__).parent / "dictionary"
        changes: set[str] = set()
        for name in ("TSCharacters.txt", "TSPhrases.txt"):
            for line in (folder / name).read_text(encoding="utf-8").splitlines():
                source, _tab, targets = line.partition("\t")
                target = targets.split(" ")[0]
                if len(source) != len(target):
                    changes.update(source)
                else:
                    changes.update(a for a, b in zip(source, target, strict=True) if a != b)
    except (
        ImportError,
        OSError,
        UnicodeDecodeError,
    ):  # pragma: no cover - the package ships its dictionaries
        return None
    return frozenset(changes)


def _fold(text: str) -> str:
    # Fast path: a text already in NFKC and case-folded (most Chinese text) maps to itself character by character.
    if unicodedata.is_normalized("NFKC", text) and text.casefold() == text:
        return text
    return "".join(normalise_char(c) for c in text)


def normalise(text: str) -> str:
    text = _fold(text)
    converter = _t2s()
    if converter is not None and _IS_HAN.search(text):
        changes = _t2s_changes()
        if changes is not None and changes.isdisjoint(text):
            return text
        converted = converter.convert(text)
        if len(converted) == len(text):  # t2s is character for character; keep positions if it ever is not
            text = converted
    return text


def _run_tokens(run: str) -> list[str]:
    if not _IS_HAN.match(run):
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def token_list(text: str) -> list[str]:
    return [token for run in _RUN.findall(normalise(text)) for token in _run_tokens(run)]


def index_fields(*texts: str) -> list[str]:
    """Each text as space-separated tokens, all of them together at most MAX_TOKENS (earlier texts first)."""
    budget = MAX_TOKENS - len(texts)  # the PostgreSQL index leaves a position between fields
    out = []
    for text in texts:
        tokens = token_list(text)[:budget]
        budget -= len(tokens)
        out.append(" ".join(tokens))
    return out


@dataclass(frozen=True)
class Term:
    """One run of the query: ``tokens`` must occur in this order; ``prefix`` for a single Han character."""

    text: str
    tokens: tuple[str, ...]
    prefix: bool = False


def query_terms(query: str) -> list[Term]:
    """The query's runs, each a phrase; all of them must match (AND). Punctuation only separates runs."""
    terms: list[Term] = []
    seen: set[str] = set()
    for run in _RUN.findall(normalise(query[:QUERY_MAX])):
        if run in seen:
            continue
        seen.add(run)
        if _IS_HAN.match(run):
            if len(run) == 1:
                terms.append(Term(run, (run,), prefix=True))
            else:
                terms.append(Term(run, tuple(run[i : i + 2] for i in range(len(run) - 1))))
        else:
            terms.append(Term(run, (run,), prefix=True))
    return terms
