"""One demo seed per test module: seeding takes a few seconds, the checks on it are read-only. The seed runs in
an outer transaction that is rolled back when the module is done; each test's own transaction nests inside it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.models import User
from xinbao.demo.registry import SeedContext
from xinbao.demo.services import demo_seed
from xinbao.orgs.models import DirectReportingTarget, InformantChange, InformantRecord, Unit
from xinbao.reports.models import Report, Submission


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[SeedContext]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo_seed(scale="demo", seed=2026, log=lambda message: None)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def data_digest() -> str:
    """SHA-256 over every seeded row by natural keys (codes, usernames), never by database ids, so two databases
    can be compared whatever their sequences say."""
    h = hashlib.sha256()

    def feed(rows):  # type: ignore[no-untyped-def]
        for row in rows:
            h.update(repr(row).encode())
        h.update(b"|")

    feed(
        Unit.objects.order_by("code").values_list(
            "code", "name", "short_name", "level", "kind", "parent__code", "is_receiving_office",
            "is_active", "sort_order", "phone", "depth",
        )
    )  # fmt: skip
    roles: dict[str, list[str]] = {}
    for username, role in User.objects.values_list("username", "role_assignments__role"):
        roles.setdefault(username, []).append(role or "")
    feed(
        (*row, sorted(roles[row[0]]))
        for row in User.objects.order_by("username").values_list(
            "username", "full_name", "unit__code", "title", "phone", "is_active", "must_change_password"
        )
    )
    feed(
        InformantRecord.objects.order_by("unit__code", "person__username", "start_date").values_list(
            "unit__code", "person__username", "kind", "start_date", "start_reason", "end_date", "end_reason",
            "filed_by__username",
        )
    )  # fmt: skip
    feed(
        InformantChange.objects.order_by(
            "record__unit__code", "record__person__username", "record__start_date", "effective_date", "action"
        ).values_list(
            "record__unit__code", "record__person__username", "action", "effective_date", "reason", "detail"
        )
    )
    feed(
        DirectReportingTarget.objects.order_by("unit__code", "office__code").values_list(
            "unit__code", "office__code", "since", "note"
        )
    )
    feed(TOTPDevice.objects.order_by("user__username").values_list("user__username", "key", "confirmed"))
    # The items and their submissions (by unit code, title and times: ids differ between runs on PostgreSQL).
    feed(
        sorted(
            Report.objects.values_list(
                "unit__code",
                "title",
                "state",
                "report_type",
                "visibility",
                "submitted_at",
                "created_by__username",
            )
        )
    )
    feed(
        sorted(Submission.objects.values_list("report__unit__code", "report__title", "office__code", "state"))
    )
    return h.hexdigest()
