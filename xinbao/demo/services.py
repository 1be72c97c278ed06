"""Loading the demo data: one transaction, one summary audit row."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.demo.catalog import SCALES
from xinbao.demo.key_accounts import DEMO_PASSWORD
from xinbao.demo.registry import SeedContext, discover
from xinbao.orgs.models import Unit


def demo_allowed() -> bool:
    """Demo accounts share a published password and published TOTP secrets: only development and test systems
    may have them."""
    return bool(settings.DEBUG or getattr(settings, "TESTING", False))


@transaction.atomic
def demo_seed(*, scale: str, seed: int, log: Callable[[str], None] = print) -> SeedContext:
    """Build the fictional province 明江省 into an empty database; the same seed always gives the same data.

    All or nothing: a failing step leaves the database as it was. One IMPORT row in the audit log records the run
    and its counts (a row per object would be 100,000 rows at province scale and say nothing more).
    """
    if not demo_allowed():
        raise NotPermitted(_("演示数据使用公开的默认密码，只能在开发模式（XINBAO_DEBUG=1）下装入"))
    if scale not in SCALES:
        raise ValidationFailed(
            _("规模“%(scale)s”无效，可选：%(choices)s")
            % {"scale": scale, "choices": pgettext("list separator", "、").join(SCALES)},
            field="scale",
        )
    existing = Unit.objects.count()
    if existing:
        raise ValidationFailed(
            _("数据库中已有 %(n)d 个单位，演示数据只能装入空数据库") % {"n": existing}, field="scale"
        )
    started = time.monotonic()
    context = SeedContext(
        scale=SCALES[scale],
        seed=seed,
        today=timezone.localdate(),
        now=timezone.now(),
        password_hash=make_password(DEMO_PASSWORD),
        log=log,
    )
    steps = discover().run(context)
    audit_record(
        event_type=EventType.IMPORT,
        object_type="demo.seed",
        object_id=str(seed),
        object_repr=f"演示数据（{context.scale.label}）",
        detail={
            "scale": scale,
            "seed": seed,
            "steps": [s.name for s in steps],
            "counts": context.counts,
            "seconds": round(time.monotonic() - started, 1),
        },
    )
    return context
