"""Same seed, same province; another seed, another province. Each run is rolled back to an empty database."""

from __future__ import annotations

import io
import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from xinbao.accounts.models import User
from xinbao.demo.registry import SeedContext, SeedRegistry, Step, registry
from xinbao.demo.services import demo_seed
from xinbao.demo.tests.conftest import data_digest
from xinbao.orgs.models import Unit

pytestmark = pytest.mark.django_db

# Dates in the demo data count back from today: freeze today so two runs cannot straddle midnight.
TODAY = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class Rollback(Exception):
    pass


def seeded_digest(seed: int) -> tuple[str, set[str]]:
    result: tuple[str, set[str]] = ("", set())
    try:
        with transaction.atomic():
            assert not Unit.objects.exists()
            call_command("seed_demo", "--seed", str(seed), stdout=io.StringIO())
            result = (data_digest(), set(User.objects.values_list("full_name", flat=True)))
            raise Rollback
    except Rollback:
        pass
    return result


def test_same_seed_same_data_other_seed_other_data():
    with time_machine.travel(TODAY, tick=False):
        first, names = seeded_digest(2026)
        again, _ = seeded_digest(2026)
        other, other_names = seeded_digest(7)
    assert first == again
    assert other != first
    assert len(names ^ other_names) > len(names) / 2


def test_the_global_random_state_is_left_alone():
    random.seed(99)
    expected = random.random()
    random.seed(99)
    with time_machine.travel(TODAY, tick=False):
        seeded_digest(2026)
    assert random.random() == expected


@override_settings(DEBUG=False, TESTING=False)
def test_refused_on_a_production_system():
    with pytest.raises(CommandError, match="开发模式") as excinfo:
        call_command("seed_demo", stdout=io.StringIO())
    assert excinfo.value.returncode == 2
    assert not Unit.objects.exists() and not User.objects.exists()


def test_if_empty_seeds_an_empty_database():
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert Unit.objects.filter(code="MJ").exists()
    assert "演示数据已装入" in out.getvalue()


def test_a_failing_step_leaves_nothing_behind(monkeypatch):
    def explode(rng, context):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setitem(registry._steps, "explode", Step(999, "explode", explode))
    with pytest.raises(RuntimeError):
        demo_seed(scale="demo", seed=1, log=lambda m: None)
    assert not Unit.objects.exists() and not User.objects.exists()


def test_a_later_capability_extends_the_seed_through_the_registry(monkeypatch):
    seen: dict[str, object] = {}

    def extra(rng, context: SeedContext) -> None:
        seen["informant"] = context.users["ap_xxy"].pk
        seen["township"] = context.anchors["township"].name
        seen["draw"] = rng.random()
        context.count("extra_rows", 3)

    monkeypatch.setitem(registry._steps, "extra", Step(100, "extra", extra))
    context = demo_seed(scale="demo", seed=5, log=lambda m: None)
    assert seen["informant"] == User.objects.get(username="ap_xxy").pk
    assert seen["township"] == "安平县城关镇"
    # The step's random stream depends on the seed and the step's name only.
    assert seen["draw"] == random.Random("xinbao-demo:5:extra").random()
    assert context.counts["extra_rows"] == 3


def test_registry_orders_steps_and_rejects_a_second_function_under_one_name():
    reg = SeedRegistry()
    calls: list[str] = []

    @reg.register(20, "b")
    def b(rng, context):  # type: ignore[no-untyped-def]
        calls.append("b")

    @reg.register(10, "a")
    def a(rng, context):  # type: ignore[no-untyped-def]
        calls.append("a")

    assert [s.name for s in reg.steps()] == ["a", "b"]
    reg.run(SeedContext(scale=None, seed=1, today=None, now=None, password_hash="", log=lambda m: None))  # type: ignore[arg-type]
    assert calls == ["a", "b"]
    with pytest.raises(ValueError, match="already registered"):

        @reg.register(30, "a")
        def other(rng, context):  # type: ignore[no-untyped-def]
            pass
