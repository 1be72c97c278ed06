"""Bulletins (信息刊物/简报, PRODUCT 3.2): publication series of an office, their issues and the entries in them.

A ``Series`` belongs to one receiving office (《安平信息》 of 中共安平县委办公室). An ``Issue`` is composed from items
adopted at that office; each ``IssueEntry`` keeps the text as edited for the issue (also written as a revision of
the item) and its source line. Numbers are given at publication only, under a lock on the series row, so they are
gap-free (a draft that is dropped never used a number) and race-free (see ``services.numbering``).
The publication of an entry is the "publication event" of its item (scoring reads ``IssueEntry`` joined to
``Series.kind``: 专报 counts more than 简报, PRODUCT 3.5), its adoption is the office's ``reports.Adoption``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel
from xinbao.reports.models import AdoptionMode


class SeriesKind(models.TextChoices):
    BRIEFING = "briefing", _("简报")
    SPECIAL = "special", _("专报")
    DAILY = "daily", _("每日要情")
    SYSTEM = "system", _("系统刊物")
    OTHER = "other", _("其他")


class Classification(models.TextChoices):
    PUBLIC = "public", _("公开")
    INTERNAL = "internal", _("内部")
    RESTRICTED = "restricted", _("内参")
    SECRET = "secret", _("秘密")


#: Classifications whose issues reach named readers only (PRODUCT 3.1/3.2: 内参 "only reach named readers").
NAMED_READERS_ONLY = frozenset({Classification.RESTRICTED, Classification.SECRET})


class RecipientKind(models.TextChoices):
    """报 = to higher levels, 送 = to leaders and peer offices, 发 = to units below (the 报尾 order)."""

    REPORT = "report", _("报")
    SEND = "send", _("送")
    ISSUE = "issue", _("发")


RECIPIENT_ORDER = [RecipientKind.REPORT, RecipientKind.SEND, RecipientKind.ISSUE]


class Series(TimeStampedModel):
    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("编印单位"), on_delete=models.PROTECT, related_name="bulletin_series"
    )
    name = models.CharField(_("刊物名称"), max_length=40)
    code = models.SlugField(_("刊物代码"), max_length=32, unique=True)
    kind = models.CharField(
        _("刊物类型"), max_length=12, choices=SeriesKind.choices, default=SeriesKind.BRIEFING
    )
    classification = models.CharField(
        _("密级"), max_length=12, choices=Classification.choices, default=Classification.INTERNAL
    )
    publisher_name = models.CharField(
        _("编印单位署名"), max_length=60, blank=True, help_text=_("留空时使用编印单位全称")
    )
    show_total_number = models.BooleanField(_("显示总期号"), default=True)
    #: An older series moving into the system continues its 总第N期 from here (the first issue gets total_start).
    total_start = models.PositiveIntegerField(_("起始总期号"), default=1)
    copies = models.PositiveIntegerField(_("印数"), default=50)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("刊物")
        verbose_name_plural = _("刊物")
        ordering = ["office_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="unique_series_name_per_office"),
            models.CheckConstraint(condition=Q(total_start__gte=1), name="series_total_start_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def publisher(self) -> str:
        return self.publisher_name or self.office.name

    @property
    def named_readers_only(self) -> bool:
        return self.classification in NAMED_READERS_ONLY


class SeriesRecipient(TimeStampedModel):
    """The default distribution of a series; a new issue starts with a copy of it."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("分送方式"), max_length=8, choices=RecipientKind.choices)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["series_id", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["series", "unit"], name="unique_series_recipient")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit}"


class IssueState(models.TextChoices):
    DRAFT = "draft", _("编辑中")
    SIGNED = "signed", _("已签发")
    PUBLISHED = "published", _("已印发")


class Issue(TimeStampedModel):
    series = models.ForeignKey(
        Series, verbose_name=_("刊物"), on_delete=models.PROTECT, related_name="issues"
    )
    is_supplement = models.BooleanField(_("增刊"), default=False)
    state = models.CharField(_("状态"), max_length=12, choices=IssueState.choices, default=IssueState.DRAFT)
    classification = models.CharField(_("密级"), max_length=12, choices=Classification.choices)
    #: Given at publication (services.numbering): year of publication, 第N期 within the year (增刊 counted apart),
    #: 总第N期 across years (regular issues only).
    year = models.PositiveIntegerField(_("年度"), null=True, blank=True)
    number = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    total_number = models.PositiveIntegerField(_("总期号"), null=True, blank=True)
    serial = models.CharField(_("编号"), max_length=32, blank=True)
    editor_note = models.TextField(_("编者按"), blank=True)
    copies = models.PositiveIntegerField(_("印数"))
    issue_date = models.DateField(_("印发日期"), null=True, blank=True)
    #: Optimistic lock for the compose page: an edit based on an older state is refused (已被他人修改).
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("编辑"), on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("期刊")
        verbose_name_plural = _("期刊")
        ordering = ["-published_at", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "is_supplement", "number"],
                condition=Q(number__isnull=False),
                name="unique_issue_number",
            ),
            models.UniqueConstraint(
                fields=["series", "total_number"],
                condition=Q(total_number__isnull=False),
                name="unique_issue_total_number",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(number__isnull=False, year__isnull=False),
                name="published_issue_has_number",
            ),
        ]
        indexes = [models.Index(fields=["series", "state", "-published_at"])]

    def __str__(self) -> str:
        return f"{self.series.name} {self.label}"

    @property
    def label(self) -> str:
        """第N期 / 增刊第N期 with the year, or 未编号 before publication."""
        if self.number is None:
            return str(_("（未编号）"))
        if self.is_supplement:
            return str(_("%(year)d年增刊第%(n)d期") % {"year": self.year, "n": self.number})
        return str(_("%(year)d年第%(n)d期") % {"year": self.year, "n": self.number})

    @property
    def named_readers_only(self) -> bool:
        return self.classification in NAMED_READERS_ONLY

    @property
    def is_published(self) -> bool:
        return self.state == IssueState.PUBLISHED


class IssueEntry(TimeStampedModel):
    """One item in an issue: its edited title and text (also a ``reports.Revision`` of the item) and source line."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries")
    report = models.ForeignKey(
        "reports.Report", verbose_name=_("信息"), on_delete=models.PROTECT, related_name="issue_entries"
    )
    position = models.PositiveIntegerField(_("顺序"))
    title = models.CharField(_("标题"), max_length=60)
    body = models.TextField(_("正文"))
    source_line = models.CharField(_("来源署名"), max_length=100, blank=True)
    mode = models.CharField(
        _("采用方式"), max_length=12, choices=AdoptionMode.choices, default=AdoptionMode.FULL
    )
    revision = models.ForeignKey(
        "reports.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adoption = models.ForeignKey(
        "reports.Adoption", on_delete=models.PROTECT, null=True, blank=True, related_name="issue_entries"
    )

    class Meta:
        verbose_name = _("刊发条目")
        verbose_name_plural = _("刊发条目")
        ordering = ["issue_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["issue", "report"], name="unique_entry_report")]

    def __str__(self) -> str:
        return self.title


class IssueRecipient(TimeStampedModel):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("分送方式"), max_length=8, choices=RecipientKind.choices)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["issue_id", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["issue", "unit"], name="unique_issue_recipient")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit}"


class IssueReader(TimeStampedModel):
    """A person named to read a restricted (内参/秘密) issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="readers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["issue_id", "id"]
        constraints = [models.UniqueConstraint(fields=["issue", "person"], name="unique_issue_reader")]

    def __str__(self) -> str:
        return f"{self.issue_id}:{self.person_id}"
