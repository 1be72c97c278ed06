"""Emergency information (紧急信息, PRODUCT 3.4): incidents, the reports made on them, and the clocks that chase them.

An ``Incident`` (突发事件) belongs to the unit that must report it and is handled by one receiving office (its duty
room, 总值班室). The office's ``DeadlineRule`` for the incident's grade sets the clocks; every due time is a
``Deadline`` row with a task scheduled for that minute. Written reports (首报/续报/终报) are items of the reporting
capability (``reports.Report`` of type 紧急信息) linked through ``IncidentReport``; a phone report is a
``PhoneReport`` registered by a duty officer. 漏报 and 瞒报 are ``ReportingIssue`` rows an editor records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel


class IncidentCategory(models.TextChoices):
    NATURAL = "natural", _("自然灾害")
    ACCIDENT = "accident", _("事故灾难")
    PUBLIC_HEALTH = "public_health", _("公共卫生事件")
    SOCIAL_SECURITY = "social_security", _("社会安全事件")


class IncidentGrade(models.TextChoices):
    """Four grades of the 突发事件应对法, most severe first."""

    EXTRAORDINARY = "extraordinary", _("特别重大")
    MAJOR = "major", _("重大")
    LARGE = "large", _("较大")
    ORDINARY = "ordinary", _("一般")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("处置中")
    CLOSED = "closed", _("已终报")


class LearnedVia(models.TextChoices):
    UNIT = "unit", _("单位报告")
    PHONE = "phone", _("电话报告")
    ELSEWHERE = "elsewhere", _("其他渠道获悉")


class Incident(TimeStampedModel):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="incidents"
    )
    other_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("涉及单位"), related_name="involved_incidents", blank=True
    )
    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("接报单位"), on_delete=models.PROTECT, related_name="handled_incidents"
    )
    title = models.CharField(_("事件名称"), max_length=80)
    category = models.CharField(_("事件类别"), max_length=20, choices=IncidentCategory.choices)
    grade = models.CharField(_("事件等级"), max_length=16, choices=IncidentGrade.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    learned_at = models.DateTimeField(_("获悉时间"))
    learned_via = models.CharField(_("获悉渠道"), max_length=12, choices=LearnedVia.choices)
    place = models.CharField(_("发生地点"), max_length=120)
    summary = models.TextField(_("简要情况"))
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    injured = models.PositiveIntegerField(_("受伤人数"), default=0)
    missing = models.PositiveIntegerField(_("失踪人数"), default=0)
    trapped = models.PositiveIntegerField(_("被困人数"), default=0)
    direct_loss = models.DecimalField(_("直接经济损失（万元）"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(
        _("状态"), max_length=8, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    closed_at = models.DateTimeField(_("终报时间"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    # The office's rule for the grade when the incident was registered (clock.rule_to_data): every clock of the
    # incident, 续报 slots and grace included, runs by it, so editing the rule later does not move a running
    # incident's goalposts. Empty only for rows registered before it was kept (they read the current rule).
    rule = models.JSONField(_("适用的报送时限"), default=dict, blank=True)

    class Meta:
        verbose_name = _("突发事件")
        verbose_name_plural = _("突发事件")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["office", "status", "-occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(learned_at__gte=models.F("occurred_at")), name="learned_after_occurred"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == IncidentStatus.OPEN


class PhoneReport(TimeStampedModel):
    """A unit's report by telephone, taken and registered by a duty officer (电话报告)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="phone_reports")
    received_at = models.DateTimeField(_("来电时间"))
    caller = models.CharField(_("报告人"), max_length=40)
    caller_phone = models.CharField(_("联系电话"), max_length=30)
    summary = models.TextField(_("报告内容"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接报人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("电话报告")
        verbose_name_plural = _("电话报告")
        ordering = ["incident_id", "received_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.caller}"


class ReportKind(models.TextChoices):
    FIRST = "first", _("首报")
    FOLLOW_UP = "follow_up", _("续报")
    FINAL = "final", _("终报")


class IncidentReport(TimeStampedModel):
    """A written report on an incident; ``number`` counts 续报 (续报一、续报二…) and is 0 for 首报 and 终报."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="written_reports")
    report = models.OneToOneField(
        "reports.Report", verbose_name=_("信息"), on_delete=models.PROTECT, related_name="incident_link"
    )
    kind = models.CharField(_("报告类别"), max_length=12, choices=ReportKind.choices)
    number = models.PositiveSmallIntegerField(_("续报序号"), default=0)
    submitted_at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("书面报告")
        verbose_name_plural = _("书面报告")
        ordering = ["incident_id", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind", "number"], name="unique_incident_report_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.number}"


class DeadlineRule(TimeStampedModel):
    """An office's time limits for one grade (PRODUCT 3.4). An office without a row uses ``clock.DEFAULT_RULES``."""

    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("接报单位"), on_delete=models.CASCADE, related_name="+"
    )
    grade = models.CharField(_("事件等级"), max_length=16, choices=IncidentGrade.choices)
    phone_minutes = models.PositiveIntegerField(_("电话报告时限（分钟）"), null=True, blank=True)
    written_minutes = models.PositiveIntegerField(_("书面报告时限（分钟）"))
    cap_minutes = models.PositiveIntegerField(_("事发后最迟（分钟）"), default=240)
    follow_up_times = models.CharField(
        _("续报时点"),
        max_length=60,
        blank=True,
        help_text=_("以逗号分隔的时刻，如 08:00,17:00；空为不要求续报"),
    )
    follow_up_min_gap_minutes = models.PositiveIntegerField(_("首报后首次续报最短间隔（分钟）"), default=60)
    grace_minutes = models.PositiveIntegerField(_("逾期后上报上级的宽限（分钟）"), default=30)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )

    class Meta:
        verbose_name = _("报送时限规则")
        verbose_name_plural = _("报送时限规则")
        ordering = ["office_id", "grade"]
        constraints = [models.UniqueConstraint(fields=["office", "grade"], name="unique_deadline_rule")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.grade}"


class DeadlineKind(models.TextChoices):
    PHONE = "phone", _("电话报告")
    FIRST = "first", _("书面首报")
    FOLLOW_UP = "follow_up", _("续报")


class DeadlineState(models.TextChoices):
    OPEN = "open", _("待报")
    MET = "met", _("按时报送")
    LATE = "late", _("迟报")
    CANCELLED = "cancelled", _("已撤销")


class Deadline(TimeStampedModel):
    """One due time. ``opens_at`` is the start of its window: only a report made after it meets a 续报 deadline
    (two 续报 sent in one minute do not cover two half-days)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("类别"), max_length=12, choices=DeadlineKind.choices)
    opens_at = models.DateTimeField(_("起算时间"))
    due_at = models.DateTimeField(_("截止时间"), db_index=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=DeadlineState.choices, default=DeadlineState.OPEN
    )
    met_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("催报时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("上报上级时间"), null=True, blank=True)
    grace_minutes = models.PositiveIntegerField(_("宽限（分钟）"), default=30)

    class Meta:
        verbose_name = _("报送时限")
        verbose_name_plural = _("报送时限")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["state", "due_at"])]
        constraints = [
            models.UniqueConstraint(fields=["incident", "kind", "due_at"], name="unique_incident_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def minutes_late(self) -> int:
        """Whole minutes past due: when met, at the report; when still open, up to now. 0 when on time."""
        end = self.met_at if self.met_at is not None else timezone.now()
        if self.state == DeadlineState.CANCELLED or end <= self.due_at:
            return 0
        return int((end - self.due_at).total_seconds() // 60)

    @property
    def escalate_at(self) -> datetime:
        return self.due_at + timedelta(minutes=self.grace_minutes)


class IssueKind(models.TextChoices):
    MISSED = "missed", _("漏报")
    CONCEALED = "concealed", _("瞒报")


class IssueSource(models.TextChoices):
    MEDIA = "media", _("媒体报道")
    ONLINE = "online", _("网络舆情")
    PUBLIC = "public", _("群众反映")
    SUPERIOR = "superior", _("上级通报")
    DEPARTMENT = "department", _("部门通报")
    INSPECTION = "inspection", _("督查发现")


class ReportingIssue(TimeStampedModel):
    """漏报 or 瞒报 recorded by an office editor, with the evidence; the unit may answer once (说明)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="issues")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=12, choices=IssueKind.choices)
    source = models.CharField(_("获悉渠道"), max_length=12, choices=IssueSource.choices)
    learned_at = models.DateTimeField(_("获悉时间"))
    evidence = models.TextField(_("事实依据"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("单位说明"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("说明人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("说明时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("漏报瞒报记录")
        verbose_name_plural = _("漏报瞒报记录")
        ordering = ["-learned_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["incident", "kind"], name="unique_incident_issue")]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}"
