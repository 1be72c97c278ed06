"""Items (信息稿件) and their path from draft to adoption (PRODUCT 3.1).

A ``Report`` belongs to the unit that wrote it. Its text lives in ``Revision`` rows (never deleted); the report
keeps a copy of the latest for listing and search. Sending it creates one ``Submission`` per target office (a
county item goes to both 县委办 and 县政府办, and each office reviews it on its own); 抄送 copies are submissions
with ``is_copy``. Forwarding (转报) and combining (综合) create a new report at the office, linked to its sources by
``ReportSource``; adoption anywhere along that graph credits the originating units and authors (``AdoptionCredit``).
``ReportReach`` lists every office an item or an item derived from it has reached: the visibility selector uses it
so "who may see this" is one indexed lookup at province scale.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel

TITLE_MAX = 60
BODY_MAX = 20000


class ReportType(models.TextChoices):
    DYNAMIC = "dynamic", _("动态")
    EXPERIENCE = "experience", _("经验做法")
    PROBLEM = "problem", _("问题/苗头性倾向性预警性")
    SUGGESTION = "suggestion", _("建议")
    PUBLIC_OPINION = "public_opinion", _("社情民意")
    ONLINE_OPINION = "online_opinion", _("舆情")
    ANALYSIS = "analysis", _("综合分析/调研")
    EMERGENCY = "emergency", _("紧急信息")
    FEEDBACK = "feedback", _("落实反馈")


#: Types that are restricted (内参, "报忧") unless the author decides otherwise (PRODUCT 3.1).
RESTRICTED_BY_DEFAULT = frozenset({ReportType.PROBLEM})


class Visibility(models.TextChoices):
    NORMAL = "normal", _("普通")
    RESTRICTED = "restricted", _("内参（限定范围）")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_SIGNOFF = "pending_signoff", _("待审签")
    SIGNOFF_REFUSED = "signoff_refused", _("审签未通过")
    SENT = "sent", _("已报送")


class ReportOrigin(models.TextChoices):
    ORIGINAL = "original", _("原创")
    FORWARDED = "forwarded", _("转报")
    COMBINED = "combined", _("综合")


class Report(TimeStampedModel):
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="reports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("作者"), related_name="authored_reports", blank=True
    )
    report_type = models.CharField(_("信息类型"), max_length=20, choices=ReportType.choices)
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    body = models.TextField(_("正文"))
    tags: models.ManyToManyField = models.ManyToManyField(
        "Tag", verbose_name=_("主题词"), related_name="reports", blank=True
    )
    visibility = models.CharField(
        _("密级范围"), max_length=12, choices=Visibility.choices, default=Visibility.NORMAL
    )
    state = models.CharField(_("状态"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    origin = models.CharField(
        _("来源"), max_length=12, choices=ReportOrigin.choices, default=ReportOrigin.ORIGINAL
    )
    #: Optimistic lock: every text change increments it; an edit based on an older version is refused (已被他人修改).
    version = models.PositiveIntegerField(_("版本"), default=1)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True, db_index=True)
    #: When the item last entered 待审签: the escalation wait counts from here, not from the last save.
    pending_since = models.DateTimeField(_("待审签起始"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("越级报送时间"), null=True, blank=True)
    #: Emergency items go out at once; their sign-off is recorded afterwards (PRODUCT 3.1).
    signoff_after_send = models.BooleanField(_("事后审签"), default=False)
    submit_key = models.CharField(
        max_length=64, blank=True, help_text="idempotency key of the last submission"
    )

    class Meta:
        verbose_name = _("信息")
        verbose_name_plural = _("信息")
        ordering = ["-submitted_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "state", "-created_at"]),
            models.Index(fields=["report_type", "-submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_restricted(self) -> bool:
        return self.visibility == Visibility.RESTRICTED

    @property
    def is_emergency(self) -> bool:
        return self.report_type == ReportType.EMERGENCY


class Tag(TimeStampedModel):
    name = models.CharField(_("主题词"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("主题词")
        verbose_name_plural = _("主题词")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Revision(TimeStampedModel):
    """One state of an item's text: who changed it, in which role, unit and level, and why. Never deleted."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    body = models.TextField(_("正文"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=20)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("层级"), max_length=16)
    reason = models.CharField(_("修改说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("修改版本")
        verbose_name_plural = _("修改版本")
        ordering = ["report_id", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class ReportSource(TimeStampedModel):
    """``report`` (at an office) was made from ``source``: forwarded upward (转报) or combined (综合)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="derived_links")
    kind = models.CharField(_("方式"), max_length=12, choices=ReportOrigin.choices)
    #: The source's revision the new item started from — the lineage diff compares against it.
    source_revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        verbose_name = _("来源")
        verbose_name_plural = _("来源")
        ordering = ["report_id", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "source"], name="unique_report_source")]


class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    UNDER_REVIEW = "under_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    ADOPTED = "adopted", _("已采用")
    NOT_ADOPTED = "not_adopted", _("不采用（存档）")
    MERGED = "merged", _("已综合")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_SUBMISSION_STATES = (SubmissionState.SUBMITTED, SubmissionState.UNDER_REVIEW, SubmissionState.RETURNED)


class Submission(TimeStampedModel):
    """An item sent to one receiving office; each office reviews its own submission."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="submissions")
    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="inbox"
    )
    is_copy = models.BooleanField(_("抄送"), default=False)
    is_direct = models.BooleanField(_("直报"), default=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=SubmissionState.choices, default=SubmissionState.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("报送时间"), db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核编辑"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    merged_into = models.ForeignKey(Report, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["office", "state", "-submitted_at"]),
            # The inbox in its own order (the default "all but withdrawn" view and the API): without it PostgreSQL
            # walks every office's submissions by date to find one office's page (12 ms -> 1 ms at 975,000 rows).
            models.Index(fields=["office", "-submitted_at", "-id"], name="reports_sub_office_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["report", "office"], name="unique_submission_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.office}"


class ReportReach(models.Model):
    """Office ``office`` has received ``report`` or an item derived from it (visibility index, see module doc).

    The ``report_*`` columns copy what the visibility rule and the list order need from the item, so an office's
    item list is one walk of the (office, order) index and its count an index-only count, instead of a probe of
    every item the office may see (bench/bench_inbox.py: 4,270 items for a county editor at 500,000). The database
    keeps them (triggers of migration reports.0004, on insert here and on every change of the item's state,
    visibility or submission time), so no code path — services, ``QuerySet.update``, bulk loaders — can leave them
    stale; the application never writes them."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    report_unit_id = models.BigIntegerField(null=True, editable=False)
    report_state = models.CharField(max_length=20, null=True, editable=False)
    report_visibility = models.CharField(max_length=12, null=True, editable=False)
    report_submitted_at = models.DateTimeField(null=True, editable=False)
    report_created_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "report"], name="unique_report_reach")]
        indexes = [
            # The office's list in the items' order (Report.Meta.ordering); the rule's columns ride along at the
            # end so the list and its count are answered from the index alone (key columns rather than INCLUDE,
            # which SQLite does not have).
            models.Index(
                fields=[
                    "office",
                    "-report_submitted_at",
                    "-report_created_at",
                    "-report",
                    "report_state",
                    "report_visibility",
                    "report_unit_id",
                ],
                name="reports_reach_office_list_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}@{self.office_id}"


class ReportReader(TimeStampedModel):
    """A person named to read a restricted item (PRODUCT 3.1: "the named readers")."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="readers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["report_id", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="unique_report_reader")]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.person_id}"


class SignOffDecision(models.TextChoices):
    APPROVED = "approved", _("同意报送")
    REFUSED = "refused", _("不同意报送")


class SignOff(TimeStampedModel):
    """审签: a refusal and its reason stay visible to the target office — sign-off cannot silently bury an item."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="signoffs")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审签人"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("审签意见"), max_length=12, choices=SignOffDecision.choices)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    after_send = models.BooleanField(_("事后审签"), default=False)

    class Meta:
        verbose_name = _("审签记录")
        verbose_name_plural = _("审签记录")
        ordering = ["report_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.decision}"


class Escalation(TimeStampedModel):
    """The informant sent an item past a sign-off that waited too long, carrying the waiting record."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="escalations")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    waiting_since = models.DateTimeField(_("待审签起始"))
    waited_minutes = models.PositiveIntegerField(_("等待分钟"))
    reason = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["report_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.report_id} escalated"


class AdoptionMode(models.TextChoices):
    FULL = "full", _("全文采用")
    PARTIAL = "partial", _("部分采用")
    COMBINED = "combined", _("综合采用")


class Adoption(TimeStampedModel):
    """An office adopted an item (in the system, or recorded afterwards when it happened outside: ``external``)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="adoptions")
    office = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("采用单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adoptions",
    )
    level = models.CharField(_("采用层级"), max_length=16)
    mode = models.CharField(_("采用方式"), max_length=12, choices=AdoptionMode.choices)
    external = models.BooleanField(_("系统外采用"), default=False)
    publication = models.CharField(_("刊物"), max_length=100, blank=True)
    issue_label = models.CharField(_("期号"), max_length=40, blank=True)
    adopted_on = models.DateField(_("采用日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("采用记录")
        verbose_name_plural = _("采用记录")
        ordering = ["-adopted_on", "-id"]
        constraints = [
            # One in-system adoption per office and item: two editors adopting at once produce one (issue 3 item 7).
            models.UniqueConstraint(
                fields=["report", "office"],
                condition=Q(external=False),
                name="one_internal_adoption_per_office",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.level} ({self.mode})"


class AdoptionCredit(TimeStampedModel):
    """Credit of one adoption to one originating item and unit (scoring reads these; PRODUCT 3.5)."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="credits")
    origin = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="credits")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="adoption_credits")

    class Meta:
        ordering = ["adoption_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["adoption", "origin"], name="unique_credit_per_origin")
        ]

    def __str__(self) -> str:
        return f"{self.adoption_id}→{self.origin_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"reports/{instance.report_id}/{filename}"


class Attachment(TimeStampedModel):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return self.original_name
