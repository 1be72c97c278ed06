"""Follow-up (跟踪反馈, 件件有回音; PRODUCT 3.3) and leaders' instructions (领导批示; PRODUCT 3.2).

An ``Instruction`` (批示) is recorded by an editor of an office that received the item. The office turns it into an
``Assignment`` (交办) to one or more units; each unit's share is an ``AssignmentTarget`` with its own working-day
deadline, reminders and state. The unit answers with 落实反馈 items (``reports.Report`` of type FEEDBACK), each linked
as a ``Feedback``; the office accepts one (the target is closed) or asks for more (补充反馈, a new deadline).

A ``Commission`` is a 约稿 (one topic) or a 信息需求要点 (a monthly list of needs) sent to chosen units
(``CommissionTarget``); units answer with items (``CommissionAnswer``). ``FlagshipTarget`` is a unit's yearly
精品稿件 target (3–5 集中攻关 pieces).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel


class LeaderRank(models.TextChoices):
    """A leader's rank as the scoring rules value it (PRODUCT 3.5: 中央 +50, 省 +40, 市 +30, 市两办 +20, 县 +10).

    两办 leaders (the heads of a Party committee's and a government's general offices) are ranked apart from the
    committee/government leaders of the same level, because the published rules score them apart; 省两办 and
    县两办 are kept for rule sets that value them too."""

    CENTRAL = "central", _("中央领导")
    PROVINCE = "province", _("省领导")
    PROVINCE_OFFICES = "province_offices", _("省两办领导")
    CITY = "city", _("市领导")
    CITY_OFFICES = "city_offices", _("市两办领导")
    COUNTY = "county", _("县领导")
    COUNTY_OFFICES = "county_offices", _("县两办领导")


def instruction_image_path(instance: Instruction, filename: str) -> str:
    return f"followups/instructions/{instance.report_id}/{filename}"


class Instruction(TimeStampedModel):
    """One leader's 批示 on one item. Several 批示 on an item are separate rows, never merged into one text."""

    report = models.ForeignKey(
        "reports.Report", verbose_name=_("信息"), on_delete=models.PROTECT, related_name="instructions"
    )
    #: When the 批示 was written on the item as published in a bulletin issue (PRODUCT 3.2).
    issue_entry = models.ForeignKey(
        "bulletins.IssueEntry",
        verbose_name=_("刊发条目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
    )
    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="instructions"
    )
    leader_name = models.CharField(_("批示领导"), max_length=40)
    leader_title = models.CharField(_("领导职务"), max_length=60, blank=True)
    rank = models.CharField(_("领导级别"), max_length=20, choices=LeaderRank.choices)
    text = models.TextField(_("批示内容"))
    instructed_on = models.DateField(_("批示日期"))
    image = models.FileField(_("批示件扫描"), upload_to=instruction_image_path, max_length=255, blank=True)
    image_name = models.CharField(_("扫描件文件名"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-instructed_on", "-id"]
        indexes = [models.Index(fields=["office", "-instructed_on"])]

    def __str__(self) -> str:
        return f"{self.leader_name}：{self.text[:20]}"


class Assignment(TimeStampedModel):
    """交办: the office sends an instruction down to units for action, with a deadline in working days."""

    instruction = models.ForeignKey(
        Instruction, verbose_name=_("批示"), on_delete=models.PROTECT, related_name="assignments"
    )
    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("交办单位"), on_delete=models.PROTECT, related_name="assignments_given"
    )
    requirement = models.TextField(_("交办要求"), blank=True)
    assigned_on = models.DateField(_("交办日期"))
    workdays = models.PositiveSmallIntegerField(_("反馈时限（工作日）"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("交办人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["-assigned_on", "-id"]

    def __str__(self) -> str:
        return f"{self.instruction} → {self.assigned_on}"


class TargetState(models.TextChoices):
    OPEN = "open", _("待反馈")
    ANSWERED = "answered", _("已反馈待审核")
    MORE_REQUESTED = "more_requested", _("需补充反馈")
    CLOSED = "closed", _("已办结")


OPEN_TARGET_STATES = (TargetState.OPEN, TargetState.ANSWERED, TargetState.MORE_REQUESTED)


class AssignmentTarget(TimeStampedModel):
    """One unit's share of an assignment, with its own deadline (moved by 补充反馈) and reminder marks.

    ``reminded_before_for`` / ``reminded_after_for`` hold the due date a reminder was sent for: a reminder task
    for an older due date (the deadline moved) or one already sent does nothing, so tasks are safe to run twice."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="assignment_targets"
    )
    state = models.CharField(_("状态"), max_length=16, choices=TargetState.choices, default=TargetState.OPEN)
    due_on = models.DateField(_("反馈期限"))
    #: The first deadline, which "closed on time" is measured against (a 补充反馈 deadline does not excuse lateness).
    first_due_on = models.DateField(_("原定期限"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    reminded_before_for = models.DateField(null=True, blank=True)
    reminded_after_for = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["unit", "state", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "unit"], name="unique_assignment_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}@{self.unit_id}"


class FeedbackDecision(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已认可")
    MORE_REQUESTED = "more_requested", _("要求补充")


class Feedback(TimeStampedModel):
    """A 落实反馈 item the unit sent for its share of an assignment, and the office's decision on it."""

    target = models.ForeignKey(AssignmentTarget, on_delete=models.CASCADE, related_name="feedbacks")
    report = models.OneToOneField(
        "reports.Report",
        verbose_name=_("落实反馈"),
        on_delete=models.PROTECT,
        related_name="followup_feedback",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("审核结果"), max_length=16, choices=FeedbackDecision.choices, default=FeedbackDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("落实反馈")
        verbose_name_plural = _("落实反馈")
        ordering = ["target_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.target_id}:{self.report_id}"


class CommissionKind(models.TextChoices):
    TOPIC = "topic", _("约稿")
    NEEDS_LIST = "needs_list", _("信息需求要点")


class CommissionState(models.TextChoices):
    PUBLISHED = "published", _("征集中")
    CLOSED = "closed", _("已结束")


class Commission(TimeStampedModel):
    """约稿 or 信息需求要点 from an office to its subordinate units, with a deadline."""

    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="commissions"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=CommissionKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容要求"))
    #: For a 信息需求要点: the month it covers (first day of that month).
    period = models.DateField(_("所属月份"), null=True, blank=True)
    #: 集中攻关: answers adopted count toward the units' yearly 精品稿件 targets.
    is_flagship = models.BooleanField(_("集中攻关"), default=False)
    deadline = models.DateField(_("截止日期"))
    state = models.CharField(
        _("状态"), max_length=12, choices=CommissionState.choices, default=CommissionState.PUBLISHED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("约稿")
        verbose_name_plural = _("约稿")
        ordering = ["-deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="topic") | Q(period__isnull=False), name="needs_list_has_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CommissionTarget(TimeStampedModel):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("约稿单位"), on_delete=models.PROTECT, related_name="commission_targets"
    )
    answered_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    reminded_before_for = models.DateField(null=True, blank=True)
    reminded_after_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["commission_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "unit"], name="unique_commission_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.commission_id}@{self.unit_id}"


class CommissionAnswer(TimeStampedModel):
    target = models.ForeignKey(CommissionTarget, on_delete=models.CASCADE, related_name="answers")
    report = models.ForeignKey(
        "reports.Report", verbose_name=_("信息"), on_delete=models.PROTECT, related_name="commission_answers"
    )
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["target_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "report"], name="unique_commission_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.target_id}:{self.report_id}"


class FlagshipTarget(TimeStampedModel):
    """A unit's yearly 精品稿件 target set by an office: 3–5 集中攻关 pieces (PRODUCT 3.3)."""

    office = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    pieces = models.PositiveSmallIntegerField(_("精品稿件目标（篇）"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("精品稿件目标")
        verbose_name_plural = _("精品稿件目标")
        ordering = ["-year", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "unit", "year"], name="unique_flagship_target"),
            models.CheckConstraint(condition=Q(pieces__gte=3, pieces__lte=5), name="flagship_pieces_3_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.pieces}"
