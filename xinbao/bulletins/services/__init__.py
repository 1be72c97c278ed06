"""Writes to bulletins: series, composing an issue, distribution, sign-off (签发) and publication (印发)."""

from xinbao.bulletins.services.compose import (
    entry_add,
    entry_move,
    entry_remove,
    entry_reorder,
    entry_update,
    issue_create,
    issue_discard,
    issue_update,
)
from xinbao.bulletins.services.distribution import (
    issue_reader_add,
    issue_reader_remove,
    issue_readers_set,
    issue_recipients_set,
)
from xinbao.bulletins.services.publish import issue_publish, issue_sign
from xinbao.bulletins.services.series import series_create, series_update

__all__ = [
    "entry_add",
    "entry_move",
    "entry_remove",
    "entry_reorder",
    "entry_update",
    "issue_create",
    "issue_discard",
    "issue_publish",
    "issue_reader_add",
    "issue_reader_remove",
    "issue_readers_set",
    "issue_recipients_set",
    "issue_sign",
    "issue_update",
    "series_create",
    "series_update",
]
