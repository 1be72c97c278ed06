"""Periodic safety nets ("sweeps") that capabilities contribute, run together by ``manage.py run_sweeps``.

Deadlines fire as tasks scheduled at their exact minute (house habit 6); a sweep catches what a task missed — a queue
emptied by hand, a backup restored. A capability registers its sweep in ``xinbao/<app>/sweeps.py``::

    from xinbao.common.sweeps import register

    @register("emergencies", every_seconds=60)
    def sweep() -> str:
        ...  # returns a one-line summary for the log

Every sweep must be safe to run at any time and more than once (each alert claims its row first)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Sweep:
    name: str
    every_seconds: int
    run: Callable[[], str]


_SWEEPS: dict[str, Sweep] = {}


def register(name: str, *, every_seconds: int) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def decorator(function: Callable[[], str]) -> Callable[[], str]:
        _SWEEPS[name] = Sweep(name, every_seconds, function)
        return function

    return decorator


def all_sweeps() -> list[Sweep]:
    autodiscover_modules("sweeps")
    return sorted(_SWEEPS.values(), key=lambda s: s.name)
