"""People and items for reporting tests, on top of the shared ``world`` tree."""

from __future__ import annotations

from dataclasses import dataclass

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.factories import make_user
from xinbao.orgs.tests.factories import World
from xinbao.reports.models import Report, ReportType
from xinbao.reports.services import report_create

BODY = (
    "11月20日，城关镇组织镇村干部40余人深入12个行政村，逐户排查冬季取暖和用电安全隐患，"
    "共发现并整改问题23处，为独居老人更换老旧电线150余米。"
)


@dataclass
class Cast:
    informant: User  # 城关镇 信息员
    signer: User  # 城关镇 审签人
    colleague: User  # 城关镇 another informant
    county_editor: User  # 安平县委办 编辑
    county_gov_editor: User  # 安平县政府办 编辑
    county_leader: User  # 安平县委办 领导
    city_editor: User  # 江州市委办 编辑
    sibling_informant: User  # 白沙镇 信息员 (sibling township)
    other_editor: User  # 石桥县委办 编辑 (another county)


def make_cast(world: World) -> Cast:
    return Cast(
        informant=make_user(world.township, Role.INFORMANT, username="xxy", full_name="朱建国"),
        signer=make_user(world.township, Role.SIGNER, username="sqr", full_name="何海波"),
        colleague=make_user(world.township, Role.INFORMANT, username="xxy2", full_name="常玉梅"),
        county_editor=make_user(world.county_party_office, Role.EDITOR, username="xbj", full_name="张天宇"),
        county_gov_editor=make_user(world.county_gov_office, Role.EDITOR, username="zbj", full_name="王丽"),
        county_leader=make_user(world.county_party_office, Role.LEADER, username="xld", full_name="周鹏飞"),
        city_editor=make_user(world.city_party_office, Role.EDITOR, username="sbj", full_name="叶春梅"),
        sibling_informant=make_user(world.township2, Role.INFORMANT, username="bsxxy", full_name="刘志明"),
        other_editor=make_user(world.other_party_office, Role.EDITOR, username="qbj", full_name="陈虹"),
    )


def make_report(
    author: User,
    *,
    title: str = "城关镇开展冬季安全隐患大排查",
    body: str = BODY,
    report_type: str = ReportType.DYNAMIC,
    **kwargs,
) -> Report:
    return report_create(actor=author, title=title, body=body, report_type=report_type, **kwargs)


def make_sent_report(cast: Cast, **kwargs) -> Report:
    """An item of 城关镇 submitted by the informant and signed off: one submission per county office."""
    from xinbao.reports.services import report_signoff, report_submit

    report = make_report(cast.informant, **kwargs)
    report_submit(actor=cast.informant, report=report)
    report_signoff(actor=cast.signer, report=report, approve=True)
    report.refresh_from_db()
    return report


def snapshot(report: Report) -> tuple:
    """Everything a refused transition must leave as it was: the item, its submissions, sign-offs, adoptions,
    revisions, readers and the audit log."""
    from xinbao.audit.models import AuditEvent
    from xinbao.reports.models import Adoption

    report = Report.objects.get(pk=report.pk)
    return (
        report.state,
        report.version,
        report.title,
        report.body,
        report.submit_key,
        report.pending_since,
        report.signoff_after_send,
        tuple(report.submissions.order_by("pk").values_list("pk", "state", "reviewer_id")),
        report.signoffs.count(),
        Adoption.objects.count(),
        report.revisions.count(),
        report.readers.count(),
        AuditEvent.objects.count(),
    )
