"""The demo seed is a list of steps that capabilities contribute.

A step is a function ``(rng, context) -> None`` registered with ``@register(order, name)``. The organisation and
people step (order 10 and 20, in ``xinbao.demo.seeds``) runs first; a later capability adds its own data by putting
a ``demo_seed.py`` module in its app, for example ``xinbao/reports/demo_seed.py``::

    from xinbao.demo.registry import register

    @register(100, "reports")
    def seed_reports(rng, context):
        informant = context.users["ap_xxy"]
        ...
        context.count("reports", n)

Every step gets its own ``random.Random`` seeded from the run's seed and the step's name, so adding or changing one
step never changes the data another step makes for the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.demo.catalog import Scale
    from xinbao.orgs.models import Unit

StepFunction = Callable[[random.Random, "SeedContext"], None]


@dataclass
class SeedContext:
    """What one seed run knows; steps read what earlier steps made and add their own."""

    scale: Scale
    seed: int
    today: date
    now: datetime
    #: One precomputed hash of the demo password shared by every demo account (hashing 20,000 passwords with
    #: argon2 one by one would take hours).
    password_hash: str
    log: Callable[[str], None] = print
    units: dict[str, Unit] = field(default_factory=dict)  # by code, in creation order
    users: dict[str, User] = field(default_factory=dict)  # by username, in creation order
    #: Named units for later steps: "province", "city", "county" (安平县), "township" (城关镇), "county_office" ...
    anchors: dict[str, Unit] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def count(self, what: str, n: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def rng_for(self, name: str) -> random.Random:
        return random.Random(f"xinbao-demo:{self.seed}:{name}")


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    function: StepFunction


class SeedRegistry:
    def __init__(self) -> None:
        self._steps: dict[str, Step] = {}

    def register(self, order: int, name: str) -> Callable[[StepFunction], StepFunction]:
        def decorator(function: StepFunction) -> StepFunction:
            existing = self._steps.get(name)
            # Re-importing the same module (autoreload, tests) registers the same function again: harmless.
            if existing is not None and existing.function.__qualname__ != function.__qualname__:
                raise ValueError(f"demo seed step {name!r} is already registered by {existing.function!r}")
            self._steps[name] = Step(order, name, function)
            return function

        return decorator

    def steps(self) -> list[Step]:
        return sorted(self._steps.values(), key=lambda s: (s.order, s.name))

    def run(self, context: SeedContext) -> list[Step]:
        steps = self.steps()
        for step in steps:
            context.log(_("· 步骤 %(order)d %(name)s") % {"order": step.order, "name": step.name})
            step.function(context.rng_for(step.name), context)
        return steps


registry = SeedRegistry()
register = registry.register


def discover() -> SeedRegistry:
    """Load the built-in steps and every installed app's ``demo_seed`` module."""
    import xinbao.demo.seeds  # noqa: F401  (registers the organisation and people steps)

    autodiscover_modules("demo_seed")
    return registry
