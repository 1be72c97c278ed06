"""Run by test_numbering.py in a subprocess: publish issues from several threads at once on a *file* SQLite
database configured as in production (IMMEDIATE transactions, busy timeout), and print the numbers as JSON.

The pytest SQLite database is in memory with a shared cache, where a second writer fails at once instead of
waiting, so the production behaviour can only be observed on a file."""

from __future__ import annotations

import json
import os
import sys
import threading

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 4


def main() -> None:
    call_command("migrate", verbosity=0)
    from xinbao.accounts.models import Role
    from xinbao.accounts.tests.factories import make_user
    from xinbao.bulletins.models import Issue, IssueState
    from xinbao.bulletins.services import issue_publish
    from xinbao.bulletins.tests.factories import make_issue, make_series
    from xinbao.orgs.tests.factories import build_world
    from xinbao.reports.tests.factories import make_cast

    world = build_world()
    cast = make_cast(world)
    series = make_series(world, cast)
    editors = [cast.county_editor, make_user(world.county_party_office, Role.EDITOR, full_name="李强")]
    issues = [make_issue(world, cast, series, sign=True) for _ in range(THREADS)]
    connections.close_all()
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def run(i: int) -> None:
        try:
            stale = Issue.objects.get(pk=issues[i].pk)
            barrier.wait(timeout=10)
            issue_publish(actor=editors[i % 2], issue=stale)
        except Exception as exc:  # reported to the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    numbers = sorted(Issue.objects.filter(state=IssueState.PUBLISHED).values_list("number", "total_number"))
    print(json.dumps({"numbers": numbers, "errors": errors}))


if __name__ == "__main__":
    main()
