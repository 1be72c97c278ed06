"""Dating what the services write to when the seeded event happened.

The seed replays a year of work in a few seconds through the real services (so every row, revision, credit, reach
and audit entry is exactly what the system itself writes), and each service stamps "now". While the seed runs, a
``post_save`` receiver notes, for every row a service saves, the time of the event being replayed; afterwards the
noted times are written back in bulk. Audit rows keep their real time: the audit log records when the seed ran,
and its hash chain stays intact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_save
from django.utils import timezone

from xinbao.reports.models import (
    Adoption,
    AdoptionCredit,
    Escalation,
    Report,
    ReportSource,
    ReportState,
    Revision,
    SignOff,
    Submission,
    SubmissionState,
)

STAMPED: tuple[type[models.Model], ...] = (
    Report,
    Revision,
    Submission,
    SignOff,
    Escalation,
    Adoption,
    ReportSource,
)
DECIDED = {
    SubmissionState.RETURNED,
    SubmissionState.ADOPTED,
    SubmissionState.NOT_ADOPTED,
    SubmissionState.MERGED,
}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.stamps: dict[type[models.Model], dict[int, dict[str, Any]]] = defaultdict(dict)

    def on_save(
        self, sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
    ) -> None:
        if sender not in STAMPED:
            return
        t = self.now
        row = self.stamps[sender].setdefault(instance.pk, {})
        if created:
            row["created_at"] = t
        row["updated_at"] = t
        if sender is Report:
            for name in ("submitted_at", "escalated_at"):
                if getattr(instance, name, None) is not None:
                    row.setdefault(name, t)
            if instance.state == ReportState.PENDING_SIGNOFF and getattr(instance, "pending_since", None):  # type: ignore[attr-defined]
                row["pending_since"] = t  # entered 待审签 (again)
        elif sender is Submission:
            if created or instance.state == SubmissionState.SUBMITTED:  # type: ignore[attr-defined]
                row["submitted_at"] = t  # sent, or sent again after a return
            if instance.state in DECIDED:  # type: ignore[attr-defined]
                row["decided_at"] = t
        elif sender is Adoption and created and not instance.external:  # type: ignore[attr-defined]
            row["adopted_on"] = timezone.localdate(t)

    @contextmanager
    def recording(self) -> Iterator[Clock]:
        uid = f"xinbao-demo-reports-clock-{id(self)}"
        post_save.connect(self.on_save, dispatch_uid=uid, weak=False)
        try:
            yield self
        finally:
            post_save.disconnect(dispatch_uid=uid)

    def write_back(self) -> None:
        for model, rows in self.stamps.items():
            by_fields: dict[tuple[str, ...], list[models.Model]] = defaultdict(list)
            for pk, values in rows.items():
                fields = tuple(sorted(values))
                by_fields[fields].append(model(pk=pk, **values))
            for fields, objs in by_fields.items():
                model._default_manager.bulk_update(objs, list(fields), batch_size=500)
        adoptions = list(self.stamps.get(Adoption, {}))
        AdoptionCredit.objects.filter(adoption_id__in=adoptions).update(
            created_at=Subquery(Adoption.objects.filter(pk=OuterRef("adoption_id")).values("created_at")[:1]),
            updated_at=Subquery(Adoption.objects.filter(pk=OuterRef("adoption_id")).values("created_at")[:1]),
        )
