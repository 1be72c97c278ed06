"""The chain proves nobody rewrote history (issue 2 item 6): tampering is named by row, the database itself refuses
UPDATE and DELETE, and audit rows live and die with the change they record."""

from __future__ import annotations

from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from xinbao.audit import guard
from xinbao.audit.models import AuditChainHead, AuditEvent, EventType
from xinbao.audit.services import audit_record, audit_verify_chain
from xinbao.common.errors import ValidationFailed
from xinbao.orgs.models import Level, Unit, UnitKind
from xinbao.orgs.services import unit_create

pytestmark = pytest.mark.django_db


@contextmanager
def triggers_off():
    """What an attacker with database access does first: switch the append-only guard off."""
    if connection.vendor == "sqlite":
        old = guard.ALLOW_PURGE
        guard.ALLOW_PURGE = True
        try:
            yield
        finally:
            guard.ALLOW_PURGE = old
    else:
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cur:
                cur.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


@contextmanager
def triggers_on():
    old = guard.ALLOW_PURGE
    guard.ALLOW_PURGE = False
    try:
        yield
    finally:
        guard.ALLOW_PURGE = old


def run_verify() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def chain(db):
    rows = [
        audit_record(event_type=EventType.CONFIG_CHANGE, object_repr=f"配置项{i}", detail={"n": i})
        for i in range(5)
    ]
    return rows


def test_intact_chain_passes(chain):
    code, out, err = run_verify()
    assert code == 0, err
    total = AuditEvent.objects.count()
    assert total >= 5
    assert out.strip() == f"完整：共校验{total}条记录"


def test_empty_log_is_complete(db):
    code, out, _ = run_verify()
    assert code == 0
    assert "完整：共校验0条记录" in out


def test_row_altered_in_database_is_named(chain):
    victim = chain[2]
    with triggers_off(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["改过的对象", victim.pk])
    code, _, err = run_verify()
    assert code == 1
    assert f"#{victim.pk}" in err
    assert "篡改" in err


def test_result_flag_flipped_is_named(chain):
    """Turning a failure into a success (or back) is the classic cover-up; it must break the digest too."""
    victim = chain[1]
    with triggers_off(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET success = %s WHERE id = %s", [False, victim.pk])
    result = audit_verify_chain()
    assert not result.ok
    assert result.broken_id == victim.pk


def test_deleted_middle_row_breaks_the_next_link(chain):
    victim, follower = chain[2], chain[3]
    with triggers_off(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    code, _, err = run_verify()
    assert code == 1
    assert f"#{follower.pk}" in err
    assert "前序摘要不符" in err


def test_deleted_last_row_is_detected_by_the_head(chain):
    last = chain[-1]
    with triggers_off(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    code, _, err = run_verify()
    assert code == 1
    assert f"#{last.pk}" in err
    assert "末尾记录被删除" in err


def test_rewritten_digest_without_the_key_is_detected(chain):
    """Recomputing a plain SM3 over the altered row does not help: the digest is keyed (HMAC-SM3)."""
    import hashlib

    from xinbao.audit.services import canonical_content

    victim = AuditEvent.objects.get(pk=chain[3].pk)
    victim.object_repr = "伪造"
    forged = hashlib.new("sm3", canonical_content(victim)).hexdigest()
    with triggers_off(), connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditevent SET object_repr = %s, hash = %s WHERE id = %s",
            ["伪造", forged, victim.pk],
        )
    result = audit_verify_chain()
    assert not result.ok
    assert result.broken_id == victim.pk


def test_database_refuses_update_and_delete(chain):
    victim = chain[0]
    with triggers_on():
        with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [victim.pk])
        with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
        with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
            AuditEvent.objects.filter(pk=victim.pk).update(object_repr="y")
    victim_now = AuditEvent.objects.get(pk=victim.pk)
    assert victim_now.object_repr == victim.object_repr
    assert audit_verify_chain().ok


def test_orm_refuses_update_and_delete(chain):
    row = AuditEvent.objects.get(pk=chain[0].pk)
    row.object_repr = "改"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    assert AuditEvent.objects.get(pk=row.pk).object_repr == chain[0].object_repr


def test_audit_row_rolls_back_with_a_failed_service(world, monkeypatch):
    """A service that fails after writing its audit row leaves neither the change nor the row."""
    import xinbao.orgs.services as org_services

    real = org_services.audit_record

    def record_then_fail(**kwargs):
        real(**kwargs)
        raise ValidationFailed("模拟：记录审计后失败")

    before_count = AuditEvent.objects.count()
    head_before = AuditChainHead.objects.get(pk=1)
    monkeypatch.setattr(org_services, "audit_record", record_then_fail)
    with pytest.raises(ValidationFailed):
        unit_create(
            actor=None,
            parent=world.county,
            code="ROLLBACK1",
            name="回滚测试局",
            level=Level.COUNTY,
            kind=UnitKind.DEPARTMENT,
        )
    assert not Unit.objects.filter(code="ROLLBACK1").exists()
    assert AuditEvent.objects.count() == before_count
    head_after = AuditChainHead.objects.get(pk=1)
    assert (head_after.last_id, head_after.last_hash, head_after.count) == (
        head_before.last_id,
        head_before.last_hash,
        head_before.count,
    )
    assert audit_verify_chain().ok


def test_audit_row_commits_with_a_successful_service(world):
    unit = unit_create(
        actor=None,
        parent=world.county,
        code="COMMIT1",
        name="提交测试局",
        level=Level.COUNTY,
        kind=UnitKind.DEPARTMENT,
    )
    row = AuditEvent.objects.order_by("-id").first()
    assert row.event_type == EventType.UNIT_CREATE
    assert row.object_id == str(unit.pk)
    assert audit_verify_chain().ok
