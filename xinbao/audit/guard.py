"""The SQLite side of the append-only triggers: ``xinbao_audit_guard()`` returns 1 (refuse) unless purging has been
allowed for this process. Only the test suite allows it, so that Django can flush tables between tests."""

from __future__ import annotations

from django.db.backends.signals import connection_created

ALLOW_PURGE = False


def _guard() -> int:
    return 0 if ALLOW_PURGE else 1


def register_sqlite_guard(sender, connection, **kwargs):  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite":
        connection.connection.create_function("xinbao_audit_guard", 0, _guard)


connection_created.connect(register_sqlite_guard)
