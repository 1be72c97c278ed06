"""Highlighted snippets: where the query's terms occur in an item's text, shown with <mark>.

The index matches normalised text (full-width to half-width, case, traditional to simplified), so occurrences are
found in the normalised text and marked in the original — ``tokens.normalise`` keeps one character for one."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xinbao.search.tokens import Term, normalise

CONTEXT = 40


def _spans(normalised: str, terms: list[Term]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        start = normalised.find(term.text)
        while start != -1:
            spans.append((start, start + len(term.text)))
            start = normalised.find(term.text, start + len(term.text))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: list[Term]) -> SafeString:
    """The whole text with every occurrence marked (for titles)."""
    return _render(text, _spans(normalise(text), terms), 0, len(text))


def snippet(text: str, terms: list[Term], width: int = CONTEXT) -> SafeString:
    """About ``width`` characters either side of the first occurrence, with every occurrence inside marked; the
    opening of the text when the match was elsewhere (e.g. in an attachment)."""
    spans = _spans(normalise(text), terms)
    if not spans:
        end = min(len(text), width * 2)
        return mark_safe(escape(text[:end]) + ("…" if end < len(text) else ""))
    first = spans[0][0]
    start = max(0, first - width)
    end = min(len(text), spans[0][1] + width * 2)
    return _render(text, spans, start, end)


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> SafeString:
    out = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(escape(text[position:span_start]))
        out.append("<mark>" + escape(text[span_start:span_end]) + "</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # every piece of text is escaped above
