"""What a ledger entry's rule key (``adoption.city``, ``emergency.late``, ``caps.unit_year``…) means, in words an
office reads on the score page, the dashboard and the exports. The keys themselves stay in the ledger (they are
stable identifiers the rebuild digest covers); this is only their display."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.followups.models import LeaderRank

_ADOPTERS = {
    "township": gettext_lazy("乡镇（街道）采用"),
    "county": gettext_lazy("县级采用"),
    "city": gettext_lazy("市级采用"),
    "province": gettext_lazy("省级采用"),
    "central_gov": gettext_lazy("国办采用"),
    "central_party": gettext_lazy("中办采用"),
}

_FIXED = {
    "instruction.first": gettext_lazy("首条批示"),
    "instruction.further": gettext_lazy("续批"),
    "instruction.feedback_late": gettext_lazy("批示反馈逾期"),
    "commission.answered": gettext_lazy("约稿按时报送"),
    "commission.late": gettext_lazy("约稿逾期报送"),
    "commission.missed": gettext_lazy("约稿未报送"),
    "emergency.timely": gettext_lazy("紧急信息按时报送"),
    "emergency.late": gettext_lazy("紧急信息迟报"),
    "emergency.missed": gettext_lazy("紧急信息漏报"),
    "emergency.concealed": gettext_lazy("紧急信息瞒报"),
    "quota.monthly_base": gettext_lazy("完成月度报送任务基础分"),
    "caps.per_item": gettext_lazy("单条信息封顶扣减"),
    "caps.unit_month": gettext_lazy("单位月度封顶扣减"),
    "caps.unit_year": gettext_lazy("单位年度封顶扣减"),
}


def rule_key_label(key: str) -> str:
    """The key in words; an unknown key (a kind added later and not yet named here) is shown as it is."""
    if key in _FIXED:
        return str(_FIXED[key])
    section, _dot, rest = key.partition(".")
    if section == "adoption":
        adopter, _dot, forwarded = rest.partition(".")
        if adopter in _ADOPTERS:
            label = str(_ADOPTERS[adopter])
            return _("%(label)s（转报加倍）") % {"label": label} if forwarded == "forwarded" else label
    if section == "instruction" and rest in LeaderRank.values:
        return _("%(rank)s批示") % {"rank": LeaderRank(rest).label}
    return key
