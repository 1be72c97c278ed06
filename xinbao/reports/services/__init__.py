"""Writes to items. Split by actor: authoring (informant, signer) and review (receiving office)."""

from xinbao.reports.services.authoring import (
    report_create,
    report_escalate,
    report_signoff,
    report_submit,
    report_update,
    report_withdraw,
)
from xinbao.reports.services.readers import report_reader_add, report_reader_remove
from xinbao.reports.services.reading import report_record_read
from xinbao.reports.services.review import (
    adoption_record_external,
    report_combine,
    report_forward,
    submission_adopt,
    submission_not_adopt,
    submission_return,
    submission_take_up,
)

__all__ = [
    "adoption_record_external",
    "report_combine",
    "report_create",
    "report_escalate",
    "report_forward",
    "report_reader_add",
    "report_reader_remove",
    "report_record_read",
    "report_signoff",
    "report_submit",
    "report_update",
    "report_withdraw",
    "submission_adopt",
    "submission_not_adopt",
    "submission_return",
    "submission_take_up",
]
