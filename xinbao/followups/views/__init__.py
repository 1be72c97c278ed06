"""Pages of the follow-up capability: instructions and assignments (follow-up), commissions (约稿)."""

from xinbao.followups.views.commissions import (
    commission_answer,
    commission_close_view,
    commission_detail,
    commission_list,
    commission_new,
)
from xinbao.followups.views.followup import (
    assign,
    feedback_decide,
    feedback_new,
    figures,
    index,
    instruction_detail,
    instruction_new,
    instruction_scan,
    target_detail,
)

__all__ = [
    "assign",
    "commission_answer",
    "commission_close_view",
    "commission_detail",
    "commission_list",
    "commission_new",
    "feedback_decide",
    "feedback_new",
    "figures",
    "index",
    "instruction_detail",
    "instruction_new",
    "instruction_scan",
    "target_detail",
]
