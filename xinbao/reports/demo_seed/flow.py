"""A year of 信息 work in the demo province, replayed through the reporting services.

Every item takes its path through the real services (report_create, report_submit, report_signoff,
submission_take_up/return/adopt/not_adopt, report_combine, report_forward, adoption_record_external), so what the
demo shows is what the system does; the Clock then dates each row to the day the event happened.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from xinbao.accounts.models import User
from xinbao.notifications.services import CapturedNotice, notifications_captured
from xinbao.orgs.models import Level, UnitKind
from xinbao.reports.demo_seed import events, titles
from xinbao.reports.demo_seed.cast import Reporter, load_reporters
from xinbao.reports.demo_seed.clock import Clock
from xinbao.reports.demo_seed.compose import Text, combined_text, compose, editor_touch, topic_text
from xinbao.reports.demo_seed.finish import write_archived, write_notices, write_tags
from xinbao.reports.demo_seed.topics import TOPICS
from xinbao.reports.models import (
    AdoptionMode,
    Escalation,
    Report,
    ReportType,
    Submission,
)
from xinbao.reports.services import (
    adoption_record_external,
    report_combine,
    report_create,
    report_escalate,
    report_forward,
    report_signoff,
    report_submit,
    report_update,
    submission_adopt,
    submission_not_adopt,
    submission_return,
    submission_take_up,
)

# The paths an original item can take, with their share of the year's items. The first len(FATES) items take
# each path once, so even a small run shows every state.
FATES: list[tuple[str, float]] = [
    ("draft", 0.04),
    ("pending", 0.035),
    ("escalated", 0.01),
    ("refused", 0.03),
    ("submitted", 0.05),
    ("review", 0.035),
    ("returned", 0.045),
    ("resubmitted", 0.02),
    ("emergency", 0.04),
    ("adopted", 0.39),
    ("not_adopted", 0.305),
]
TYPES: list[tuple[str, float]] = [
    (ReportType.DYNAMIC, 32),
    (ReportType.EXPERIENCE, 14),
    (ReportType.PROBLEM, 10),
    (ReportType.SUGGESTION, 8),
    (ReportType.PUBLIC_OPINION, 12),
    (ReportType.ONLINE_OPINION, 8),
    (ReportType.ANALYSIS, 12),
]
#: How many days before today an item on each path was written (open paths are recent).
AGE_DAYS = {
    "draft": (0, 12),
    "pending": (0, 2),
    "escalated": (4, 60),
    "refused": (2, 150),
    "submitted": (0, 5),
    "review": (1, 8),
    "returned": (2, 30),
}
YEAR_DAYS = (12, 360)
REPORTING_KINDS = (UnitKind.TOWNSHIP, UnitKind.DEPARTMENT, UnitKind.AFFILIATED)


@dataclass
class Tally:
    items: int = 0
    forwarded: int = 0
    combined: int = 0
    external: int = 0
    notices: int = 0
    paths: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class YearOfReports:
    def __init__(self, rng: random.Random, now: datetime, items: int, anchor_unit_ids: set[int]) -> None:
        self.rng = rng
        self.now = now
        self.target = items
        self.clock = Clock(now)
        self.sink: list[CapturedNotice] = []
        self.notices: list[tuple[datetime, CapturedNotice]] = []
        self.tally = Tally()
        self.archived: list[tuple[int, int, datetime, str]] = []
        self.tags: list[tuple[int, str]] = []
        self.reporters, self.editors = load_reporters(rng, anchor_unit_ids)
        self.weights = [r.weight for r in self.reporters]

    # --- who is where ------------------------------------------------------------------------------------------

    def editor(self, office_id: int) -> User | None:
        editors = self.editors.get(office_id) or []
        if not editors:
            return None
        return editors[0] if self.rng.random() < 0.75 else self.rng.choice(editors)

    # --- time ----------------------------------------------------------------------------------------------------

    def day_moment(self, lo: int, hi: int) -> datetime:
        """A working-day moment between ``lo`` and ``hi`` days ago."""
        day = timezone.localtime(self.now).date() - timedelta(days=self.rng.randint(lo, hi))
        while day.weekday() >= 5 and self.rng.random() < 0.85:  # most 信息 is written on working days
            day -= timedelta(days=1)
        at = timezone.make_aware(
            datetime.combine(day, time(8, 30)) + timedelta(minutes=self.rng.randint(0, 540))
        )
        return min(at, self.now - timedelta(minutes=30))

    def later(self, t: datetime, lo_minutes: int, hi_minutes: int) -> datetime:
        return min(
            t + timedelta(minutes=self.rng.randint(lo_minutes, hi_minutes)), self.now - timedelta(minutes=1)
        )

    def act(self, when: datetime, service: Any, **kwargs: Any) -> Any:
        self.clock.now = when
        start = len(self.sink)
        result = service(**kwargs)
        self.notices.extend((when, n) for n in self.sink[start:])
        return result

    # --- one item's path -----------------------------------------------------------------------------------------

    def pick_fate(self, i: int) -> str:
        if i < len(FATES):
            return FATES[i][0]
        return self.rng.choices([f for f, _ in FATES], weights=[w for _, w in FATES])[0]

    def write(
        self, r: Reporter, report_type: str, t0: datetime, text: Text | None = None
    ) -> tuple[Report, User]:
        author = self.rng.choice(r.informants)
        text = text or compose(self.rng, report_type, r.place, timezone.localtime(t0).date(), r.topics)
        authors = [author]
        others = [p for p in r.informants if p.pk != author.pk]
        if others and self.rng.random() < 0.2:
            authors.append(self.rng.choice(others))
        report = self.act(
            t0,
            report_create,
            actor=author,
            title=text.title,
            body=text.body,
            report_type=report_type,
            authors=authors,
        )
        if text.topic in TOPICS:
            self.tags.append((report.pk, TOPICS[text.topic].tag))  # set in bulk at the end
        report.demo_topic = text.topic
        return report, author

    def send(self, r: Reporter, report: Report, author: User, t: datetime, key: str) -> datetime:
        """Submit and get signed off; returns when the item reached the offices."""
        self.act(t, report_submit, actor=author, report=report, key=key)
        signer = self.rng.choice([s for s in r.signers if s.pk != author.pk] or r.signers)
        t = self.later(t, 20, 1200)
        self.act(t, report_signoff, actor=signer, report=report, approve=True)
        return t

    def primary(self, report: Report, party: bool = False) -> tuple[Submission, list[Submission]]:
        subs = list(
            report.submissions.select_related("office").order_by("office__sort_order", "office__code")
        )
        direct = [s for s in subs if s.is_direct]
        main = [s for s in subs if not s.is_copy and not s.is_direct]
        if direct:
            first = direct[0]
        elif len(main) > 1 and not party and self.rng.random() < 0.3:
            first = main[1]  # the government office
        else:
            first = main[0]
        return first, [s for s in subs if s.pk != first.pk]

    def decide_others(self, others: list[Submission], t: datetime) -> None:
        """The other offices an item went to decide too, unless it is still recent."""
        for sub in others:
            when = self.later(t, 60, 5 * 1440)
            editor = self.editor(sub.office_id)
            if editor is None or when > self.now - timedelta(days=2):
                continue
            if self.rng.random() < 0.22 and not sub.is_copy:
                self.act(when, submission_adopt, actor=editor, submission=sub, mode=AdoptionMode.FULL)
            else:
                # Archiving the second office's copy is a plain state change with no credit and no notice: written
                # in bulk at the end (the seed's one audit row covers it) — a third of the seed's time otherwise.
                self.archived.append((sub.pk, editor.pk, when, self.rng.choice(events.NOT_ADOPTED_COMMENTS)))

    def adopt(self, sub: Submission, editor: User, t: datetime, heavy: bool) -> datetime:
        """Take up, perhaps edit (a revision the lineage shows), adopt in full or in part."""
        self.act(t, submission_take_up, actor=editor, submission=sub)
        t = self.later(t, 10, 1500)
        if self.rng.random() < (0.7 if heavy else 0.4):
            report = Report.objects.get(pk=sub.report_id)
            body = editor_touch(self.rng, report.body, heavy)
            if body != report.body:
                self.act(
                    t,
                    report_update,
                    actor=editor,
                    report=report,
                    title=report.title,
                    body=body,
                    base_version=report.version,
                    reason=self.rng.choice(["精简内容", "压缩篇幅，突出成效", "规范表述", "删除次要内容"]),
                )
        mode = AdoptionMode.PARTIAL if self.rng.random() < 0.38 else AdoptionMode.FULL
        self.act(t, submission_adopt, actor=editor, submission=sub, mode=mode)
        return t

    def climb(
        self, item: Report, editor: User, t: datetime, county: str, chance: float, sure: bool = False
    ) -> None:
        """转报 upward from the editor's office; the next office adopts some and may forward again. ``sure``: the
        showcase chain that goes all the way to the province whatever the dice say."""
        if editor.unit is None or editor.unit.level not in (Level.COUNTY, Level.CITY):
            return
        if self.rng.random() >= chance and not sure:
            return
        t = self.later(t, 30, 2 * 1440)
        if t > self.now - timedelta(days=1):
            return
        item = Report.objects.get(pk=item.pk)
        own = item.unit_id == editor.unit_id
        title = item.title
        if not own and not title.startswith(county) and len(county + title) <= 60 and self.rng.random() < 0.6:
            title = county + title
        body = item.body if own else editor_touch(self.rng, item.body, heavy=editor.unit.level == Level.CITY)
        forwarded = self.act(
            t,
            report_forward,
            actor=editor,
            report=item,
            title=None if own else title,
            body=None if own else body,
            reason="转报",
        )
        self.tally.forwarded += 1
        first, others = self.primary(forwarded)
        upper = self.editor(first.office_id)
        if upper is None:
            return
        t = self.later(t, 120, 4 * 1440)
        if t > self.now - timedelta(hours=12):
            return  # still in the upper office's inbox
        level = first.office.level
        adopt_share = 0.55 if level == Level.CITY else 0.5
        if self.rng.random() < adopt_share or sure:
            t = self.adopt(first, upper, t, heavy=True)
            next_county = first.office.parent.name if first.office.parent else county
            self.climb(forwarded, upper, t, next_county, 0.35, sure)
            if level == Level.CITY and (self.rng.random() < 0.12 or sure):
                self.external(upper, forwarded, t, level=Level.PROVINCE)
        else:
            self.act(t, submission_not_adopt, actor=upper, submission=first, comment="")
        self.decide_others(others, t)

    def external(self, editor: User, report: Report, t: datetime, *, level: str) -> None:
        """An adoption higher up that happened outside the system, recorded by the editor (刊物, 期号)."""
        day = timezone.localtime(self.later(t, 3 * 1440, 20 * 1440)).date()
        if level == Level.PROVINCE:
            publication = self.rng.choice(
                ["《明江信息》", "《明江信息》", "《信息专报》", "《明江政务信息》"]
            )
        else:
            city = (
                editor.unit.parent.parent.name
                if editor.unit and editor.unit.parent and editor.unit.parent.parent
                else ""
            )
            publication = f"《{city.removesuffix('市')}信息》" if city else "《信息快报》"
        issue = f"{day.year}年第{day.timetuple().tm_yday // 7 + 1}期"
        self.act(
            t,
            adoption_record_external,
            actor=editor,
            report=report,
            level=level,
            publication=publication,
            issue_label=issue,
            adopted_on=day,
            mode=AdoptionMode.FULL,
        )
        self.tally.external += 1

    def one(self, i: int) -> None:
        fate = self.pick_fate(i)
        self.tally.paths[fate] += 1
        r = self.rng.choices(self.reporters, weights=self.weights)[0]
        lo, hi = AGE_DAYS.get(fate, YEAR_DAYS)
        t = self.day_moment(lo, hi)
        report_type = (
            ReportType.EMERGENCY
            if fate == "emergency"
            else self.rng.choices([k for k, _ in TYPES], weights=[w for _, w in TYPES])[0]
        )
        report, author = self.write(r, report_type, t)
        self.tally.items += 1
        if fate == "draft":
            return
        t = self.later(t, 15, 240)
        key = f"demo-{i}"
        if fate == "emergency":
            self.act(t, report_submit, actor=author, report=report, key=key)
            signer = self.rng.choice([s for s in r.signers if s.pk != author.pk] or r.signers)
            self.act(self.later(t, 30, 300), report_signoff, actor=signer, report=report, approve=True)
        elif fate == "pending":
            self.act(t, report_submit, actor=author, report=report, key=key)
            return
        elif fate == "escalated":
            self.act(t, report_submit, actor=author, report=report, key=key)
            waited = timedelta(minutes=self.rng.randint(26 * 60, 60 * 60))
            # report_escalate measures the wait on the real clock: make the row look as old as the story says.
            back = timezone.now() - waited
            Report.objects.filter(pk=report.pk).update(
                updated_at=back, **({"pending_since": back} if hasattr(Report, "pending_since") else {})
            )
            esc = self.act(
                t + waited,
                report_escalate,
                actor=author,
                report=report,
                reason="审签人外出学习，超过24小时未审签",
            )
            self.clock.stamps[Escalation][esc.pk].update(
                waiting_since=t, waited_minutes=int(waited.total_seconds() // 60)
            )
            t = t + waited
        elif fate == "refused":
            self.act(t, report_submit, actor=author, report=report, key=key)
            signer = self.rng.choice([s for s in r.signers if s.pk != author.pk] or r.signers)
            reason = self.rng.choice(events.REFUSAL_REASONS)
            self.act(
                self.later(t, 30, 1440),
                report_signoff,
                actor=signer,
                report=report,
                approve=False,
                reason=reason,
            )
            return
        else:
            t = self.send(r, report, author, t, key)
        first, others = self.primary(report)
        editor = self.editor(first.office_id)
        if editor is None:
            return
        if fate == "submitted":
            return
        t = self.later(t, 60, 2 * 1440)
        if fate == "review":
            self.act(t, submission_take_up, actor=editor, submission=first)
            return
        if fate in ("returned", "resubmitted"):
            self.act(t, submission_take_up, actor=editor, submission=first)
            t = self.later(t, 10, 600)
            comment = self.rng.choice(events.RETURN_COMMENTS)
            self.act(t, submission_return, actor=editor, submission=first, comment=comment)
            if fate == "returned":
                return
            t = self.later(t, 60, 2 * 1440)
            fresh = Report.objects.get(pk=report.pk)
            self.act(
                t,
                report_update,
                actor=author,
                report=fresh,
                title=fresh.title,
                body=fresh.body + "\n下一步，将持续跟踪工作进展，及时报送后续情况。",
                base_version=fresh.version,
                reason="按审核意见修改",
            )
            t = self.send(r, report, author, self.later(t, 5, 60), key + "-2")
            t = self.later(t, 60, 1440)
        if fate == "not_adopted":
            comment = self.rng.choice(events.NOT_ADOPTED_COMMENTS)
            self.act(
                self.later(t, 10, 600), submission_not_adopt, actor=editor, submission=first, comment=comment
            )
        else:  # adopted, emergency, escalated, resubmitted
            t = self.adopt(first, editor, t, heavy=False)
            chance = 0.9 if fate == "emergency" else 0.3
            # The first adopted item of a run is the showcase: adopted at county, city and province.
            showcase = fate == "adopted" and i < len(FATES)
            self.climb(report, editor, t, r.place.county, chance, sure=showcase)
            if self.rng.random() < 0.03:
                self.external(editor, report, t, level=self.rng.choice([Level.CITY, Level.PROVINCE]))
        self.decide_others(others, t)

    # --- 综合: several townships' items on one topic become one county item -----------------------------------

    def cluster(self) -> None:
        counties: dict[str, list[Reporter]] = defaultdict(list)
        for r in self.reporters:
            if r.unit.kind == UnitKind.TOWNSHIP:
                counties[r.place.county].append(r)
        candidates = [rs for rs in counties.values() if len(rs) >= 2]
        if not candidates:
            return
        towns = self.rng.choice(candidates)
        group = self.rng.sample(towns, k=min(len(towns), self.rng.randint(2, 4)))
        topic = self.rng.choice(list(TOPICS))
        start = self.day_moment(*YEAR_DAYS)
        pattern = self.rng.choice([p for k, p in titles.DYNAMIC if k == topic] or ["{u}扎实推进重点工作"])
        subs: list[Submission] = []
        sources: list[tuple[str, str]] = []
        latest = start
        for n, r in enumerate(group):
            t = self.later(start, n * 300, n * 300 + 2 * 1440)
            text = topic_text(
                self.rng, ReportType.DYNAMIC, topic, pattern, r.place, timezone.localtime(t).date()
            )
            report, author = self.write(r, ReportType.DYNAMIC, t, text)
            self.tally.items += 1
            self.tally.paths["merged"] += 1
            t = self.send(r, report, author, self.later(t, 15, 240), f"demo-c{len(self.notices)}-{n}")
            first, others = self.primary(report, party=True)
            subs.append(first)
            sources.append((r.place.unit, report.body))
            latest = max(latest, t)
            self.decide_others(others, t)
        offices = {s.office_id for s in subs}
        editor = self.editor(subs[0].office_id) if len(offices) == 1 else None
        if editor is None:
            return
        t = self.later(latest, 120, 3 * 1440)
        text = combined_text(self.rng, topic, group[0].place.county, sources)
        combined = self.act(
            t, report_combine, actor=editor, submissions=subs, title=text.title, body=text.body
        )
        self.tally.combined += 1
        self.climb(combined, editor, t, group[0].place.county, 0.4)

    # --- the run -------------------------------------------------------------------------------------------------

    def run(self) -> Tally:
        if not self.reporters:
            return self.tally
        clusters = max(2, self.target // 50)
        with self.clock.recording(), notifications_captured() as sink:
            self.sink = sink
            for _ in range(clusters):
                self.cluster()
            i = 0
            while self.tally.items < self.target:
                self.one(i)
                i += 1
        self.clock.write_back()
        write_archived(self.archived)
        write_tags(self.tags)
        self.tally.notices = write_notices(self.notices, self.now, self.later, self.rng)
        return self.tally
