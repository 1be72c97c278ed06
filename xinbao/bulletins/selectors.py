"""Who may read which issue — the one place it is decided (house habit 2); pages, API and exports use it.

Rules (PRODUCT 3.2, issue 4 item 4):
- The office's editors and leaders see every issue of its series, drafts included (leaders sign drafts).
- A published issue is read by its named readers (any classification).
- 公开 (public): every signed-in person once published.
- 内部 (internal): the people of the publishing office, of the units on its distribution list (报/送/发), and of the
  units credited for an entry (the township whose item was printed may see it in print).
- 内参/秘密: named readers only (besides the office's editors and leaders); distribution units do not grant reading,
  and no unit below the office may even be put on the list (services.distribution).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role, User
from xinbao.bulletins.models import (
    Classification,
    Issue,
    IssueEntry,
    IssueReader,
    IssueRecipient,
    IssueState,
    Series,
)
from xinbao.common.errors import NotFound
from xinbao.orgs.models import LEVEL_RANK, Level, Unit, UnitKind
from xinbao.reports.models import Adoption, AdoptionCredit, Report, SubmissionState, Visibility

#: An office's inbox items the editor may still adopt at publication (issue 4: adopted through submission_adopt).
ADOPTABLE_STATES = (SubmissionState.SUBMITTED, SubmissionState.UNDER_REVIEW)


def is_office_editor(user: User, office_id: int) -> bool:
    return user.is_authenticated and user.unit_id == office_id and user.has_role(Role.EDITOR)


def is_office_leader(user: User, office_id: int) -> bool:
    return user.is_authenticated and user.unit_id == office_id and user.has_role(Role.LEADER)


def _visibility_q(user: User) -> Q:
    named = Q(Exists(IssueReader.objects.filter(issue=OuterRef("pk"), person_id=user.pk)))
    q = Q(state=IssueState.PUBLISHED) & (named | Q(classification=Classification.PUBLIC))
    unit_id = user.unit_id
    if unit_id is None:
        return q
    if user.has_role(Role.EDITOR, Role.LEADER):
        q |= Q(series__office_id=unit_id)
    on_list = Q(Exists(IssueRecipient.objects.filter(issue=OuterRef("pk"), unit_id=unit_id)))
    credited = Q(
        Exists(AdoptionCredit.objects.filter(adoption__issue_entries__issue=OuterRef("pk"), unit_id=unit_id))
    )
    q |= Q(state=IssueState.PUBLISHED, classification=Classification.INTERNAL) & (
        Q(series__office_id=unit_id) | on_list | credited
    )
    return q


def issue_list_visible_to(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Issue]:
    if not user.is_authenticated:
        return Issue.objects.none()
    qs = Issue.objects.filter(_visibility_q(user))
    filters = filters or {}
    if series := filters.get("series"):
        qs = qs.filter(series_id=series)
    if state := filters.get("state"):
        qs = qs.filter(state=state)
    if year := filters.get("year"):
        qs = qs.filter(year=year)
    return qs.select_related("series", "series__office", "signed_by")


def issue_get_visible(*, user: User, pk: int | str) -> Issue:
    if not user.is_authenticated:
        raise NotFound(_("期刊不存在或无权查看"))
    try:
        return Issue.objects.filter(_visibility_q(user)).select_related("series", "series__office").get(pk=pk)
    except (Issue.DoesNotExist, ValueError) as exc:
        raise NotFound(_("期刊不存在或无权查看")) from exc


def issue_find_visible(
    *, user: User | None, code: str, year: int, number: int, supplement: bool = False
) -> Issue:
    """An issue by its printed number; ``user=None`` is the command line (an operator with shell access)."""
    qs = Issue.objects.all() if user is None else issue_list_visible_to(user=user)
    try:
        return qs.select_related("series", "series__office").get(
            series__code=code, year=year, number=number, is_supplement=supplement
        )
    except Issue.DoesNotExist as exc:
        raise NotFound(_("期刊不存在或无权查看")) from exc


def series_list_for(*, user: User) -> QuerySet[Series]:
    """Series a person works with: his office's (editors and leaders) plus those with an issue he may read."""
    if not user.is_authenticated:
        return Series.objects.none()
    q = Q(pk__in=issue_list_visible_to(user=user).values("series_id"))
    if user.unit_id is not None and user.has_role(Role.EDITOR, Role.LEADER):
        q |= Q(office_id=user.unit_id)
    return Series.objects.filter(q).select_related("office").order_by("office__path", "name")


def series_get_for_editor(*, user: User, pk: int | str) -> Series:
    try:
        series = Series.objects.select_related("office").get(pk=pk)
    except (Series.DoesNotExist, ValueError) as exc:
        raise NotFound(_("刊物不存在或无权管理")) from exc
    if not (is_office_editor(user, series.office_id) or is_office_leader(user, series.office_id)):
        raise NotFound(_("刊物不存在或无权管理"))
    return series


def issue_entries(issue: Issue) -> QuerySet[IssueEntry]:
    return issue.entries.select_related("report", "report__unit").order_by("position", "id")


def candidate_reports(*, user: User, issue: Issue, q: str = "") -> QuerySet[Report]:
    """Items the office may put into ``issue``: adopted there in the system, or still in its review inbox (adopted
    on publication). Restricted items only go into an issue that reaches named readers only."""
    office_id = issue.series.office_id
    if not is_office_editor(user, office_id):
        return Report.objects.none()
    adopted = Adoption.objects.filter(office_id=office_id, external=False).values("report_id")
    pending = Report.objects.filter(
        submissions__office_id=office_id, submissions__state__in=ADOPTABLE_STATES
    ).values("pk")
    qs = Report.objects.filter(Q(pk__in=adopted) | Q(pk__in=pending)).exclude(
        pk__in=issue.entries.values("report_id")
    )
    if not issue.named_readers_only:
        qs = qs.filter(visibility=Visibility.NORMAL)
    if q := (q or "").strip():
        qs = qs.filter(Q(title__contains=q) | Q(body__contains=q))
    return qs.select_related("unit").order_by("-submitted_at", "-id")


# --- Distribution scope and named readers ----------------------------------------------------------------------


def distribution_units(office: Unit) -> QuerySet[Unit]:
    """Units an office distributes to: the receiving offices of the regions above it, and every unit of its own
    region and the region above (peer offices, departments, townships)."""
    region = office.parent
    if region is None:
        return Unit.objects.filter(pk=office.pk)
    above = [int(p) for p in region.path.strip("/").split("/") if p]
    scope = region.parent.path if region.parent else region.path
    return (
        Unit.objects.filter(is_active=True)
        .exclude(kind=UnitKind.REGION)
        .exclude(pk=office.pk)
        .filter(Q(parent_id__in=above, is_receiving_office=True) | Q(path__startswith=scope))
        .order_by("path")
    )


def is_below(unit: Unit, office: Unit) -> bool:
    """``unit`` is below ``office``: of a lower level, or an ordinary unit of the office's own region (a county's
    departments and townships report to its 县委办; the 县政府办, a receiving office of the same level, does not)."""
    if LEVEL_RANK[Level(unit.level)] > LEVEL_RANK[Level(office.level)]:
        return True
    region = office.parent
    return (
        region is not None
        and unit.pk != office.pk
        and unit.path.startswith(region.path)
        and not unit.is_receiving_office
        and not unit.is_region
    )


def reader_candidates(*, office: Unit) -> QuerySet[User]:
    """People who may be named readers of an office's issues: active people of the office itself and of the units
    it distributes to. The compose page, the API and the services all draw from this one set."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(unit_id__in=distribution_units(office).values("pk")) | Q(unit_id=office.pk))
        .select_related("unit")
        .order_by("unit__path", "username")
    )


def issue_readers(issue: Issue) -> QuerySet[IssueReader]:
    """The named readers of an issue in the order they were named, with who named them."""
    return issue.readers.select_related("person", "person__unit", "added_by").order_by("created_at", "id")


def reader_options(issue: Issue) -> list[User]:
    """The people a page offers to add: candidates not yet named, and for a 内参/秘密 issue none of a unit below
    the office (the service refuses them anyway; offering them would only invite a refusal)."""
    office = issue.series.office
    people = reader_candidates(office=office).exclude(pk__in=issue.readers.values("person_id"))
    if not issue.named_readers_only:
        return list(people)
    return [p for p in people if p.unit is not None and not is_below(p.unit, office)]
