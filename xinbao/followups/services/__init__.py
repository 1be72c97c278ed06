"""Writes of the follow-up capability: instructions, assignments and feedback, commissions, reminders."""

from xinbao.followups.services.assignments import (
    assignment_create,
    feedback_accept,
    feedback_link,
    feedback_request_more,
    feedback_submit,
)
from xinbao.followups.services.commissions import (
    commission_answer_link,
    commission_answer_submit,
    commission_close,
    commission_publish,
    flagship_target_set,
)
from xinbao.followups.services.instructions import instruction_record
from xinbao.followups.services.reminders import followups_sweep

__all__ = [
    "assignment_create",
    "commission_answer_link",
    "commission_answer_submit",
    "commission_close",
    "commission_publish",
    "feedback_accept",
    "feedback_link",
    "feedback_request_more",
    "feedback_submit",
    "flagship_target_set",
    "followups_sweep",
    "instruction_record",
]
