"""issue_token / revoke_token management commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from xinbao.accounts.models import ApiToken
from xinbao.accounts.tests.factories import make_user
from xinbao.api.tests.conftest import ApiClient, assert_error
from xinbao.audit.models import AuditEvent, EventType

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_issue_token_prints_a_working_token(actors):
    code, out, err = run("issue_token", "alice", "--name", "数据同步")
    assert code == 0, err
    plain = out.strip()
    assert plain.startswith("xb_") and "\n" not in plain
    assert "alice" in err and "只显示这一次" in err
    token = ApiToken.objects.get(user=actors.alice)
    assert token.name == "数据同步" and token.digest == ApiToken.digest_of(plain)
    assert ApiClient(plain).get("/units").status_code == 200
    assert AuditEvent.objects.filter(event_type=EventType.TOKEN_ISSUE, object_id=str(token.pk)).exists()


def test_issue_token_unknown_user_exits_2(db):
    code, out, err = run("issue_token", "nobody")
    assert code == 2
    assert "用户“nobody”不存在" in err
    assert out == ""
    assert not ApiToken.objects.exists()


def test_issue_token_inactive_user_exits_2(world):
    make_user(world.township, username="gone", is_active=False)
    code, _, err = run("issue_token", "gone")
    assert code == 2
    assert "已停用" in err
    assert not ApiToken.objects.exists()


def test_revoke_token(actors):
    _, out, _ = run("issue_token", "bob")
    plain = out.strip()
    code, out, err = run("revoke_token", plain[:10])
    assert code == 0, err
    assert "已吊销" in out
    assert_error(ApiClient(plain).get("/units"), 401, "unauthorized")
    assert AuditEvent.objects.filter(event_type=EventType.TOKEN_REVOKE).exists()


def test_revoke_token_by_security_admin(actors, world):
    from xinbao.accounts.models import Role

    make_user(world.county_party_office, Role.SECURITY_ADMIN, username="sec")
    _, out, _ = run("issue_token", "bob")
    code, _, err = run("revoke_token", out.strip(), "--by", "sec")
    assert code == 0, err
    event = AuditEvent.objects.filter(event_type=EventType.TOKEN_REVOKE).latest("id")
    assert event.actor_username == "sec"


def test_revoke_token_refuses_unknown_and_ambiguous_prefixes(actors):
    code, _, err = run("revoke_token", "xb_zzzzzzz")
    assert code == 2 and "没有前缀" in err
    for i in range(2):
        ApiToken.objects.create(user=actors.alice, prefix="xb_SAME123", digest=f"{i:064d}")
    code, _, err = run("revoke_token", "xb_SAME")
    assert code == 2 and "多个令牌" in err
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    code, _, err = run("revoke_token", "xb_")
    assert code == 2 and "前缀太短" in err
