"""Province-scale items for the inbox benchmark (bench/bench_inbox.py), written with COPY in a few minutes.

Passing 500,000 items through the services would take hours (the demo seed's 1,500 take minutes), so this writes
the rows the services would have written — Report, one Revision, authors, a Submission per main-channel office
(``unit_report_targets``, as ``report_submit`` does), ReportReach, and for forwarded items (转报) the office's own
item with its ReportSource and its submissions one level up — straight into PostgreSQL with COPY. Foreign-key
triggers are skipped during the load (``session_replication_role = replica``): every id is allocated here from the
rows read first, and the database is a throw-away one.

Distribution (one year, ending now): items are drawn across the county and township reporting units of the seeded
province with the demo seed's unit weights (``load_reporters``), so a county office receives its county's share;
about 5 % of items are adopted at the county and forwarded to the city offices, and about a third of those adopted
there are forwarded again to the province offices — the heavy inboxes. Recent items are still open (submitted,
under review, returned); older ones are decided (adopted or archived). Problem-type items are restricted (内参).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.orgs.models import Unit
from xinbao.orgs.selectors import unit_report_targets
from xinbao.reports.demo_seed.cast import Reporter, load_reporters
from xinbao.reports.demo_seed.compose import compose
from xinbao.reports.models import (
    TITLE_MAX,
    ReportOrigin,
    ReportState,
    ReportType,
    SubmissionState,
    Visibility,
)

YEAR = timedelta(days=365)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
CHUNK = 25_000  # originals per COPY round: bounds memory and shows progress

TYPE_MIX = [
    (ReportType.DYNAMIC, 34),
    (ReportType.EXPERIENCE, 14),
    (ReportType.PROBLEM, 8),
    (ReportType.SUGGESTION, 7),
    (ReportType.PUBLIC_OPINION, 10),
    (ReportType.ONLINE_OPINION, 7),
    (ReportType.ANALYSIS, 5),
    (ReportType.EMERGENCY, 2),
    (ReportType.FEEDBACK, 13),
]
#: Submission outcome by the item's age at the office: fresh items are open, a month-old one is decided.
FRESH = [("submitted", 60), ("under_review", 25), ("adopted", 8), ("not_adopted", 5), ("returned", 2)]
RECENT = [("submitted", 10), ("under_review", 10), ("returned", 4), ("adopted", 40), ("not_adopted", 36)]
OLD = [("adopted", 43), ("not_adopted", 54), ("returned", 1), ("submitted", 1), ("under_review", 1)]
#: Share of a county office's adoptions it forwards to the city (≈5 % of all items), and of a city's to the province.
FORWARD_FROM_COUNTY = 0.12
FORWARD_FROM_CITY = 0.33

REPORT_COLS = [
    "id",
    "created_at",
    "updated_at",
    "report_type",
    "title",
    "body",
    "visibility",
    "state",
    "origin",
    "version",
    "submitted_at",
    "escalated_at",
    "signoff_after_send",
    "submit_key",
    "created_by_id",
    "unit_id",
    "pending_since",
]
REVISION_COLS = [
    "id",
    "created_at",
    "updated_at",
    "number",
    "title",
    "body",
    "role",
    "level",
    "reason",
    "author_id",
    "report_id",
    "unit_id",
]
SUBMISSION_COLS = [
    "id",
    "created_at",
    "updated_at",
    "is_copy",
    "is_direct",
    "state",
    "submitted_at",
    "decided_at",
    "comment",
    "merged_into_id",
    "office_id",
    "report_id",
    "reviewer_id",
]
REACH_COLS = ["id", "office_id", "report_id"]
AUTHOR_COLS = ["id", "report_id", "user_id"]
SOURCE_COLS = ["id", "created_at", "updated_at", "kind", "report_id", "source_id", "source_revision_id"]
TABLES = {
    "reports_report": REPORT_COLS,
    "reports_revision": REVISION_COLS,
    "reports_submission": SUBMISSION_COLS,
    "reports_reportreach": REACH_COLS,
    "reports_report_authors": AUTHOR_COLS,
    "reports_reportsource": SOURCE_COLS,
}


def _mix(rng: random.Random, pairs: Sequence[tuple[str, int]], k: int) -> list[str]:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs], k=k)


@dataclass
class Target:
    office_id: int
    is_copy: bool
    is_direct: bool


@dataclass
class Counts:
    rows: Counter = field(default_factory=Counter)
    report_states: Counter = field(default_factory=Counter)
    submission_states: Counter = field(default_factory=Counter)
    originals: int = 0
    forwarded_to_city: int = 0
    forwarded_to_province: int = 0
    restricted: int = 0


class InboxData:
    """Generate ``items`` Report rows (originals plus the forwarded items they give rise to)."""

    def __init__(self, *, items: int, seed: int, log: Callable[[str], None] = print) -> None:
        self.items = items
        self.rng = random.Random(seed)
        self.log = log
        self.now = timezone.now()
        self.counts = Counts()
        self.rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
        self.next_id: dict[str, int] = {}
        self.targets: dict[int, list[Target]] = {}
        self.units: dict[int, Unit] = {}
        self.reached: set[tuple[int, int]] = set()  # of the item being written and its forwards

    # --- set-up ------------------------------------------------------------------------------------------------

    def _load(self) -> None:
        self.reporters, self.editors = load_reporters(self.rng, set())
        self.units = {u.pk: u for u in Unit.objects.all()}
        for table in TABLES:
            with connection.cursor() as cur:
                cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
                self.next_id[table] = cur.fetchone()[0]
        # The main-channel rule once per unit (PRODUCT 2): a 直报点's own-level offices are copies (抄送).
        for r in self.reporters:
            self.targets[r.unit.pk] = self._targets_of(r.unit)
        self.log(f"  {len(self.reporters)} reporting units, {len(self.editors)} offices with editors")

    def _targets_of(self, unit: Unit) -> list[Target]:
        t = unit_report_targets(unit)
        direct = [Target(o.pk, False, True) for o in t["direct"]]
        main = [Target(o.pk, bool(t["direct"]), False) for o in t["main"]]
        return direct + main

    def _office_targets(self, office_id: int) -> list[Target]:
        if office_id not in self.targets:
            self.targets[office_id] = [
                Target(o.pk, False, False) for o in unit_report_targets(self.units[office_id])["main"]
            ]
        return self.targets[office_id]

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    # --- rows --------------------------------------------------------------------------------------------------

    def _report(self, **v: object) -> int:
        rid = self._id("reports_report")
        v["id"] = rid
        self.rows["reports_report"].append(tuple(v[c] for c in REPORT_COLS))
        self.counts.report_states[v["state"]] += 1
        if v["visibility"] == Visibility.RESTRICTED:
            self.counts.restricted += 1
        return rid

    def _revision(
        self,
        report_id: int,
        at: datetime,
        title: str,
        body: str,
        author: int,
        role: str,
        unit: Unit,
        reason: str,
    ) -> int:
        rev = self._id("reports_revision")
        self.rows["reports_revision"].append(
            (rev, at, at, 1, title, body, role, unit.level, reason, author, report_id, unit.pk)
        )
        return rev

    def _author(self, report_id: int, user_id: int) -> None:
        self.rows["reports_report_authors"].append((self._id("reports_report_authors"), report_id, user_id))

    def _reach(self, report_ids: Iterable[int], offices: Iterable[int]) -> None:
        # A 直报点's item may already have reached the city office its county forwards to: one row per pair.
        for office in offices:
            for rid in report_ids:
                if (office, rid) in self.reached:
                    continue
                self.reached.add((office, rid))
                self.rows["reports_reportreach"].append((self._id("reports_reportreach"), office, rid))

    def _decided_at(self, sent: datetime, state: str) -> datetime | None:
        if state == SubmissionState.SUBMITTED:
            return None
        at = sent + timedelta(hours=self.rng.uniform(1, 96))
        return min(at, self.now)

    def _submissions(
        self, report_id: int, sent: datetime, targets: list[Target]
    ) -> list[tuple[int, str, datetime | None]]:
        age = self.now - sent
        pool = FRESH if age < 3 * DAY else RECENT if age < 30 * DAY else OLD
        out = []
        for t, state in zip(targets, _mix(self.rng, pool, len(targets)), strict=True):
            decided = self._decided_at(sent, state)
            editors = self.editors.get(t.office_id)
            reviewer = self.rng.choice(editors).pk if editors and state != SubmissionState.SUBMITTED else None
            comment = "请补充具体数据和做法成效后再报。" if state == SubmissionState.RETURNED else ""
            sid = self._id("reports_submission")
            self.rows["reports_submission"].append(
                (
                    sid,
                    sent,
                    decided or sent,
                    t.is_copy,
                    t.is_direct,
                    state,
                    sent,
                    decided,
                    comment,
                    None,
                    t.office_id,
                    report_id,
                    reviewer,
                )
            )
            self.counts.submission_states[state] += 1
            out.append((t.office_id, state, decided))
        return out

    def _original(self, r: Reporter, report_type: str, sent: datetime) -> None:
        rng = self.rng
        self.reached.clear()
        text = compose(
            rng,
            ReportType.DYNAMIC if report_type == ReportType.FEEDBACK else report_type,
            r.place,
            timezone.localtime(sent).date(),
            r.topics,
        )
        title = (
            text.title if report_type != ReportType.FEEDBACK else f"关于{text.title}的落实反馈"[:TITLE_MAX]
        )
        author = rng.choice(r.informants)
        created = sent - timedelta(minutes=rng.uniform(20, 2880))
        age = self.now - sent
        restricted = report_type == ReportType.PROBLEM or (
            report_type == ReportType.PUBLIC_OPINION and rng.random() < 0.1
        )
        emergency = report_type == ReportType.EMERGENCY
        roll = rng.random()
        if emergency:
            state = ReportState.SENT
        elif age < 7 * DAY:
            state = (
                ReportState.DRAFT
                if roll < 0.06
                else ReportState.PENDING_SIGNOFF
                if roll < 0.20
                else ReportState.SIGNOFF_REFUSED
                if roll < 0.22
                else ReportState.SENT
            )
        else:
            state = (
                ReportState.DRAFT
                if roll < 0.02
                else ReportState.SIGNOFF_REFUSED
                if roll < 0.03
                else ReportState.SENT
            )
        targets = self.targets[r.unit.pk]
        if state == ReportState.SENT and not targets:
            state = ReportState.PENDING_SIGNOFF
        rid = self._report(
            created_at=created,
            updated_at=sent if state != ReportState.DRAFT else created,
            report_type=report_type,
            title=title,
            body=text.body,
            visibility=Visibility.RESTRICTED if restricted else Visibility.NORMAL,
            state=state,
            origin=ReportOrigin.ORIGINAL,
            version=1,
            submitted_at=sent if state == ReportState.SENT else None,
            escalated_at=None,
            signoff_after_send=emergency,
            submit_key="",
            created_by_id=author.pk,
            unit_id=r.unit.pk,
            pending_since=created if state == ReportState.PENDING_SIGNOFF else None,
        )
        rev = self._revision(rid, created, title, text.body, author.pk, Role.INFORMANT, r.unit, "起草")
        self._author(rid, author.pk)
        if len(r.informants) > 1 and rng.random() < 0.15:
            self._author(rid, rng.choice([p for p in r.informants if p.pk != author.pk]).pk)
        self.counts.originals += 1
        if state == ReportState.DRAFT:
            return
        # Offices see the item from the moment it goes to sign-off (report_submit → reach_add).
        self._reach([rid], [t.office_id for t in targets])
        if state != ReportState.SENT:
            return
        subs = self._submissions(rid, sent, targets)
        adopted = [
            (o, d) for o, s, d in subs if s == SubmissionState.ADOPTED and self.units[o].level == "county"
        ]
        if adopted and rng.random() < FORWARD_FROM_COUNTY:
            office, decided = adopted[0]
            self._forward([rid], [rev], office, decided, report_type, title, text.body, restricted, depth=1)

    def _forward(
        self,
        chain: list[int],
        revs: list[int],
        office_id: int,
        decided: datetime,
        report_type: str,
        title: str,
        body: str,
        restricted: bool,
        depth: int,
    ) -> None:
        """转报: the office's own item, linked to its source, sent to the offices one level up (report_forward)."""
        rng = self.rng
        editors = self.editors.get(office_id)
        up = self._office_targets(office_id)
        sent = decided + timedelta(hours=rng.uniform(0.5, 30))
        if not editors or not up or sent >= self.now:
            return
        editor = rng.choice(editors)
        office = self.units[office_id]
        rid = self._report(
            created_at=decided,
            updated_at=sent,
            report_type=report_type,
            title=title,
            body=body,
            visibility=Visibility.RESTRICTED if restricted else Visibility.NORMAL,
            state=ReportState.SENT,
            origin=ReportOrigin.FORWARDED,
            version=1,
            submitted_at=sent,
            escalated_at=None,
            signoff_after_send=False,
            submit_key="",
            created_by_id=editor.pk,
            unit_id=office_id,
            pending_since=None,
        )
        rev = self._revision(rid, decided, title, body, editor.pk, Role.EDITOR, office, "转报")
        self._author(rid, editor.pk)
        self.rows["reports_reportsource"].append(
            (
                self._id("reports_reportsource"),
                decided,
                decided,
                ReportOrigin.FORWARDED,
                rid,
                chain[-1],
                revs[-1],
            )
        )
        chain, revs = [*chain, rid], [*revs, rev]
        # reach_add: the higher offices reach the forwarded item and every item it was made from.
        self._reach(chain, [t.office_id for t in up])
        subs = self._submissions(rid, sent, up)
        if depth == 1:
            self.counts.forwarded_to_city += 1
        else:
            self.counts.forwarded_to_province += 1
            return
        adopted = [(o, d) for o, s, d in subs if s == SubmissionState.ADOPTED]
        if adopted and rng.random() < FORWARD_FROM_CITY:
            self._forward(
                chain, revs, adopted[0][0], adopted[0][1], report_type, title, body, restricted, depth=2
            )

    # --- writing -----------------------------------------------------------------------------------------------

    def _flush(self) -> None:
        raw = connection.connection
        with raw.cursor() as cur:
            for table, cols in TABLES.items():
                rows = self.rows[table]
                if not rows:
                    continue
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                self.counts.rows[table] += len(rows)
                rows.clear()

    def run(self) -> Counts:
        self._load()
        self._bulk_mode(True)
        try:
            self._write_items()
        finally:
            self._bulk_mode(False)
        self._after_load()
        return self.counts

    def _bulk_mode(self, on: bool) -> None:
        """Foreign keys unchecked while the rows go in (they are written parents first, but in bulk)."""
        with connection.cursor() as cur:
            cur.execute(f"SET session_replication_role = {'replica' if on else 'origin'}")

    def _after_load(self) -> None:
        """Sequences past the ids written here, so later inserts through Django do not collide; the reach rows'
        copies of their item's columns, which the trigger of migration reports.0004 fills on every insert but
        ``session_replication_role = replica`` kept from firing during the load."""
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE reports_reportreach rr SET report_unit_id = r.unit_id, report_state = r.state, "
                "report_visibility = r.visibility, report_submitted_at = r.submitted_at, "
                "report_created_at = r.created_at FROM reports_report r WHERE r.id = rr.report_id"
            )
            for table in TABLES:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )

    def _write_items(self) -> None:
        rng = self.rng
        weights = [r.weight for r in self.reporters]
        types = [t for t, _ in TYPE_MIX]
        type_weights = [w for _, w in TYPE_MIX]
        first = self.next_id["reports_report"]

        def total() -> int:
            return self.next_id["reports_report"] - first

        while total() < self.items:
            n = min(CHUNK, self.items - total())
            for r, report_type in zip(
                rng.choices(self.reporters, weights=weights, k=n),
                rng.choices(types, type_weights, k=n),
                strict=True,
            ):
                if total() >= self.items:
                    break
                # Working hours on weekdays mostly: an office's inbox fills in the day.
                day = self.now - timedelta(days=rng.uniform(0, 365))
                sent = day.replace(
                    hour=rng.choice([8, 9, 9, 10, 10, 11, 14, 15, 15, 16, 17, 20]),
                    minute=rng.randrange(60),
                )
                if sent > self.now:
                    sent -= DAY
                self._original(r, report_type, sent)
            self._flush()
            self.log(f"  {total():,} items written")
