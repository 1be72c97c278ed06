from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from xinbao.followups.tests.factories import make_people, record
from xinbao.reports.tests.factories import make_sent_report

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def dummy_tasks(settings):
    """Tasks are recorded, not run: tests assert what was scheduled and call the task functions themselves."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    cache.clear()
    yield default_task_backend
    default_task_backend.clear()
    cache.clear()


@pytest.fixture
def frozen():
    """Tuesday 29 September 2026, 10:00 in Shanghai: the day before the 国庆 holiday week's eve."""
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(world):
    return make_people(world)


@pytest.fixture
def report(people, frozen):
    return make_sent_report(people.cast)


@pytest.fixture
def restricted_report(people, frozen):
    return make_sent_report(
        people.cast, title="城关镇某村集体资金使用存在隐患", report_type="problem", visibility="restricted"
    )


@pytest.fixture
def instruction(people, report):
    return record(people, report)
