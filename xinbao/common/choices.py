"""Labels of TextChoices values, translated once per language rather than on every call.

``Model.get_FOO_display()`` rebuilds a dict of every choice (translating each lazy label) on each call; an API page
of 50 items with five labelled fields made ~1,100 gettext calls (bench/RESULTS.md, issue 3)."""

from __future__ import annotations

from functools import lru_cache

from django.db import models
from django.utils.translation import get_language


@lru_cache(maxsize=8192)
def _label(choices: type[models.Choices], value: str, language: str | None) -> str:
    # ``language`` is only part of the key: the label is translated in the language active now, which is it.
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def choice_label(choices: type[models.Choices], value: str, language: str | None = None) -> str:
    """The label of ``value`` in the active language; an unknown value is shown as it is. ``language``: the active
    language when the caller has it already (a page of rows asks once, not once per label)."""
    return _label(choices, value, language or get_language())
