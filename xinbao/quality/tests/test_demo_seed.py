"""The quality demo step: a reference corpus in the reuse index, and a draft that copies from it under another
place name — found, with the source, by the same check the edit page runs."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.demo.catalog import SCALES
from xinbao.demo.registry import SeedContext, discover
from xinbao.quality.demo_seed import DRAFT_TITLE, REFERENCES, seed_quality
from xinbao.quality.models import ReferenceDocument, ReuseDocument
from xinbao.quality.selectors import quality_check
from xinbao.reports.models import Report, ReportState

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def run_step(world) -> SeedContext:  # type: ignore[no-untyped-def]
    context = SeedContext(
        scale=SCALES["demo"],
        seed=2026,
        today=date(2026, 11, 26),
        now=NOW,
        password_hash="",
        log=lambda message: None,
        anchors={
            "province_office": world.province_party_office,
            "county_office": world.county_party_office,
            "township": world.township,
        },
    )
    seed_quality(context.rng_for("quality"), context)
    return context


def test_the_step_runs_after_duty_and_before_scoring():
    steps = [(s.order, s.name) for s in discover().steps()]
    assert (180, "quality") in steps
    assert steps.index((175, "duty")) < steps.index((180, "quality")) < steps.index((190, "scoring"))


def test_reference_corpus_and_a_disguised_copy_found_with_its_source(world):
    make_user(world.province_party_office, Role.EDITOR, username="mjbj")
    editor = make_user(world.county_party_office, Role.EDITOR, username="apbj")
    informant = make_user(world.township, Role.INFORMANT, username="apxxy")
    context = run_step(world)
    assert context.counts == {"reference_documents": len(REFERENCES), "reuse_demo_drafts": 1}
    assert ReferenceDocument.objects.count() == len(REFERENCES)
    assert ReuseDocument.objects.filter(reference__isnull=False).count() == len(REFERENCES)
    draft = Report.objects.get(pk=context.extra["reuse_demo_draft"])
    assert (draft.title, draft.state, draft.unit_id) == (DRAFT_TITLE, ReportState.DRAFT, world.township.pk)
    result = quality_check(user=informant, title=draft.title, body=draft.body, report_id=draft.pk)
    [match] = result.reuse
    assert match.kind == "reference" and match.title == REFERENCES[0][0] and match.score >= 0.5
    assert "康泉县" not in draft.body and any("议事团" in p.theirs for p in match.passages)
    assert any(f.kind == "miswriting" and f.suggestion == "截至目前" for f in result.findings)
    # The office's editor who reviews the draft later sees the same source.
    assert quality_check(user=editor, title=draft.title, body=draft.body, report_id=draft.pk).reuse[0].visible


def test_without_an_informant_only_the_corpus_is_seeded(world):
    make_user(world.county_party_office, Role.EDITOR, username="apbj")
    context = run_step(world)
    # The province office has no editor here: its reference is skipped rather than attributed to someone else.
    assert ReferenceDocument.objects.count() == len(REFERENCES) - 1
    assert context.counts == {"reference_documents": len(REFERENCES) - 1}
    assert not Report.objects.exists()
