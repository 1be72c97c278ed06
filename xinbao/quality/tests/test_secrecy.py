"""保密审查: a keyword hit blocks submission until the unit's signer confirms with a reason (audited)."""

from __future__ import annotations

import pytest

from xinbao.audit.models import AuditEvent
from xinbao.common.errors import NotFound, NotPermitted, ValidationFailed
from xinbao.quality.models import SecrecyClearance, SecrecyKeyword
from xinbao.quality.secrecy import scan
from xinbao.quality.selectors import public_release_allowed
from xinbao.quality.services import secrecy_confirm
from xinbao.reports.models import ReportState
from xinbao.reports.selectors import report_get_visible
from xinbao.reports.services import report_submit, report_update
from xinbao.reports.tests.factories import BODY, make_report, snapshot

SECRET_BODY = BODY + "此事已按机密件报县委办，请注意保密。"

pytestmark = pytest.mark.django_db


def test_default_list_and_disguised_hits():
    assert SecrecyKeyword.objects.filter(word="绝密").exists()
    text = "该文件为絕 密级，另有“机-密”材料。"
    hits = scan(text)
    assert [(h.word, text[h.start : h.end]) for h in hits] == [("绝密", "絕 密"), ("机密", "机-密")]
    assert scan("普通的工作动态") == []
    SecrecyKeyword.objects.filter(word="绝密").update(is_active=False)
    assert [h.word for h in scan(text)] == ["机密"]


def test_hit_warns_on_save_and_blocks_submission(cast):
    report = make_report(cast.informant, body=SECRET_BODY)  # saving a draft is allowed
    before = snapshot(report)
    with pytest.raises(ValidationFailed, match=r"保密审查未通过.*机密"):
        report_submit(actor=cast.informant, report=report)
    assert snapshot(report) == before


def test_signer_confirms_with_reason_then_submission_passes(cast):
    report = make_report(cast.informant, body=SECRET_BODY)
    clearance = secrecy_confirm(
        actor=cast.signer, report=report, reason="“机密件”系指报送方式，正文不含涉密内容"
    )
    assert clearance.keywords == ["机密", "注意保密"]
    event = AuditEvent.objects.filter(object_id=str(report.pk)).order_by("-id").first()
    assert event.actor_id == cast.signer.pk and event.detail["secrecy_confirmed"] == ["机密", "注意保密"]
    report = report_submit(actor=cast.informant, report=report)
    assert report.state == ReportState.PENDING_SIGNOFF
    # Publishing stays blocked whatever the signer confirmed.
    assert public_release_allowed(report) is False


def test_a_changed_text_needs_a_new_confirmation(cast):
    report = make_report(cast.informant, body=SECRET_BODY)
    secrecy_confirm(actor=cast.signer, report=report, reason="报送方式，不涉密")
    report = report_update(
        actor=cast.informant,
        report=report,
        title=report.title,
        body=SECRET_BODY + "补充一句。",
        base_version=1,
    )
    with pytest.raises(ValidationFailed, match="保密审查未通过"):
        report_submit(actor=cast.informant, report=report)


def test_only_the_units_signer_may_confirm(cast, world):
    """alice (the signer) may; bob (same township, informant) and the drafter may not; charlie (another county)
    cannot even see the item."""
    report = make_report(cast.informant, body=SECRET_BODY)
    before = snapshot(report)
    for person in (cast.colleague, cast.informant, cast.county_editor):
        with pytest.raises(NotPermitted):
            secrecy_confirm(actor=person, report=report, reason="不涉密，可以报送")
    with pytest.raises(NotFound):
        report_get_visible(user=cast.other_editor, pk=report.pk)
    with pytest.raises(NotPermitted):
        secrecy_confirm(actor=cast.other_editor, report=report, reason="不涉密，可以报送")
    assert snapshot(report) == before
    assert not SecrecyClearance.objects.exists()


def test_confirmation_input_is_checked(cast):
    report = make_report(cast.informant, body=SECRET_BODY)
    for reason in ("", "   ", "好", "x" * 501):
        with pytest.raises(ValidationFailed):
            secrecy_confirm(actor=cast.signer, report=report, reason=reason)
    clean = make_report(cast.informant)
    with pytest.raises(ValidationFailed, match="无需确认"):
        secrecy_confirm(actor=cast.signer, report=clean, reason="没有命中也确认")
    assert not SecrecyClearance.objects.exists()
    assert public_release_allowed(clean) is True


def test_restricted_items_are_never_released(cast):
    report = make_report(cast.informant, visibility="restricted")
    assert public_release_allowed(report) is False


def test_the_hook_scopes_a_clearance_to_its_item_when_given_one(cast):
    from xinbao.reports.quality import BLOCK, run_checks

    report = make_report(cast.informant, body=SECRET_BODY)
    other = make_report(cast.informant, body=SECRET_BODY)
    secrecy_confirm(actor=cast.signer, report=report, reason="报送方式，不涉密")

    def blocked(item):
        found = run_checks(title=item.title, body=item.body, report_type=item.report_type, report=item)
        return any(f.level == BLOCK for f in found)

    assert not blocked(report)
    assert blocked(other)
    # While a draft is saved (no type given) a hit only warns.
    assert not any(
        f.level == BLOCK
        for f in run_checks(title=other.title, body=other.body, report_type=None, report=other)
    )
