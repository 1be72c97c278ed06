from __future__ import annotations

import itertools

from django.utils import timezone

from xinbao.accounts.models import RoleAssignment, User
from xinbao.orgs.models import Unit

PASSWORD = "Xinbao@2026"
_seq = itertools.count(1)


def make_user(
    unit: Unit,
    *roles: str,
    username: str | None = None,
    full_name: str | None = None,
    must_change_password: bool = False,
    **extra,
) -> User:
    n = next(_seq)
    user = User(
        username=username or f"user{n}",
        full_name=full_name or f"测试{n}",
        unit=unit,
        must_change_password=must_change_password,
        password_changed_at=timezone.now(),
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    return user
