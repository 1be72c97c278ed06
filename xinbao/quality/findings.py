"""What a check reports about a text: where (field and character range), what, how to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

BLOCK = "block"
WARN = "warn"
INFO = "info"


@dataclass(frozen=True)
class TextFinding:
    kind: str  # secrecy, miswriting, sensitive, punctuation, date, number, length, reuse, type
    level: str
    field: str  # title or body
    start: int  # character range in that field, [start, end); -1 when the finding is about the whole field
    end: int
    message: str
    excerpt: str = ""
    suggestion: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def excerpt(text: str, start: int, end: int, around: int = 8) -> str:
    return text[max(0, start - around) : end + around].replace("\n", " ")
