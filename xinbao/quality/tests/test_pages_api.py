"""Pages and API of the quality gate, with alice (may), bob (same unit, another role) and charlie (another county)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xinbao.quality.models import ReferenceDocument, SecrecyClearance, SecrecyKeyword
from xinbao.quality.reuse.index import index_report
from xinbao.quality.tests import corpus
from xinbao.quality.tests.conftest import login
from xinbao.reports.tests.factories import BODY, make_report

pytestmark = pytest.mark.django_db

SECRET_BODY = BODY + "此事已按机密件报县委办。"


def source_item(cast):
    report = make_report(cast.informant, title="东街社区设立板凳议事会", body=corpus.ITEMS["dispute_1"][1])
    index_report(report.pk)
    return report


# --- live check (htmx) -------------------------------------------------------------------------------------------


def test_check_returns_findings_and_reuse_with_the_source_for_those_who_may_see_it(cast, charlie):
    source = source_item(cast)
    from xinbao.reports.services import report_signoff, report_submit

    report_submit(actor=cast.informant, report=source)
    report_signoff(actor=cast.signer, report=source, approve=True)
    copy = corpus.placeholders(corpus.ITEMS["dispute_1"][1]) + "截止目前情况良好。"
    url = reverse("quality:check")
    alice = login(cast.colleague).post(url, {"title": "议事会化解纠纷", "body": copy}, HTTP_HX_REQUEST="true")
    assert alice.status_code == 200
    html = alice.content.decode()
    assert "截至目前" in html and "reuse-match" in html
    assert source.title in html and reverse("reports:detail", args=[source.pk]) in html
    # charlie (another county) is told a match exists, but not what or whose.
    html = login(charlie).post(url, {"title": "议事会化解纠纷", "body": copy}).content.decode()
    assert "reuse-match" in html and "无权查看" in html
    assert (
        source.title not in html and "陈红梅" not in html.split("reuse-match", 1)[1].split("col-md-6", 2)[2]
    )


def test_check_excludes_the_item_being_edited_and_refuses_bad_input(cast, charlie):
    source = source_item(cast)
    url = reverse("quality:check")
    html = login(cast.informant).post(url, {"title": source.title, "body": source.body, "report": source.pk})
    assert html.status_code == 200 and "reuse-match" not in html.content.decode()
    assert login(charlie).post(url, {"title": "x", "body": "y", "report": source.pk}).status_code == 404
    assert login(cast.informant).post(url, {"report": "abc"}).status_code == 400
    assert login(cast.informant).get(url).status_code == 405
    assert Client().post(url, {"title": "x"}).status_code == 302
    empty = login(cast.informant).post(url, {"title": "", "body": ""}).content.decode()
    assert "标题不能为空" in empty


# --- secrecy confirmation page ---------------------------------------------------------------------------------------


def test_signer_confirms_on_the_page_and_others_are_refused(
    cast, charlie, django_capture_on_commit_callbacks
):
    report = make_report(cast.informant, body=SECRET_BODY)
    url = reverse("quality:secrecy_confirm", args=[report.pk])
    assert login(charlie).get(url).status_code == 404
    assert login(charlie).post(url, {"reason": "不涉密，可以报送"}).status_code == 404
    # bob: same township, another informant — the draft is not his to see.
    assert login(cast.colleague).get(url).status_code == 404
    assert login(cast.colleague).post(url, {"reason": "不涉密，可以报送"}).status_code == 404
    # The drafter sees the hits, may ask the signer, may not confirm himself.
    drafter = login(cast.informant)
    page = drafter.get(url).content.decode()
    assert "机密" in page and 'name="reason"' not in page and 'value="request"' in page
    assert drafter.post(url, {"reason": "不涉密，可以报送"}).status_code == 403
    from xinbao.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        assert drafter.post(url, {"action": "request"}).status_code == 302
    notice = Notification.objects.get(recipient=cast.signer)
    assert notice.url == url
    # bob cannot ask either.
    assert login(cast.colleague).post(url, {"action": "request"}).status_code == 404
    signer = login(cast.signer)
    assert 'name="reason"' in signer.get(url).content.decode()
    bad = signer.post(url, {"reason": "好"})
    assert bad.status_code == 200 and "至少" in bad.content.decode()
    assert not SecrecyClearance.objects.exists()
    done = signer.post(url, {"reason": "机密件系报送方式，不涉密"})
    assert done.status_code == 302
    assert SecrecyClearance.objects.get().confirmed_by == cast.signer
    assert "已经审签人确认" in signer.get(url).content.decode()


# --- reference corpus ----------------------------------------------------------------------------------------------


def _docx(text: str) -> bytes:
    from docx import Document

    doc = Document()
    for para in text.split("\n"):
        doc.add_paragraph(para)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_reference_upload_txt_docx_and_refusals(cast):
    url = reverse("quality:references")
    editor = login(cast.county_editor)
    r = editor.post(url, {"title": "网文一", "source": "某网站", "text": corpus.ITEMS["flood_1"][1]})
    assert r.status_code == 302
    upload = SimpleUploadedFile("b.docx", _docx(corpus.ITEMS["flood_3"][1]))
    assert editor.post(url, {"title": "简报", "source": "外县", "file": upload}).status_code == 302
    upload = SimpleUploadedFile("c.txt", corpus.ITEMS["safety_3"][1].encode("utf-8"))
    assert editor.post(url, {"title": "文本", "file": upload}).status_code == 302
    assert ReferenceDocument.objects.count() == 3
    docx_doc = ReferenceDocument.objects.get(title="简报")
    assert "网格+防汛" in docx_doc.text and docx_doc.reuse_document.length > 100
    bad = editor.post(url, {"title": "坏文件", "file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert "请上传.txt或.docx文件" in bad.content.decode()
    bad = editor.post(url, {"title": "坏编码", "file": SimpleUploadedFile("x.txt", "防汛".encode("gbk"))})
    assert "UTF-8" in bad.content.decode()
    bad = editor.post(url, {"title": "", "text": "短"})
    assert bad.status_code == 200
    assert (
        login(cast.informant).post(url, {"title": "网文", "text": corpus.ITEMS["flood_2"][1]}).status_code
        == 403
    )
    assert ReferenceDocument.objects.count() == 3
    assert "网文一" in login(cast.informant).get(url).content.decode()


# --- keyword list --------------------------------------------------------------------------------------------------


def test_keywords_import_export_by_the_security_admin_only(cast, security_admin):
    url = reverse("quality:keywords")
    admin = login(security_admin)
    r = admin.post(url, {"file": SimpleUploadedFile("k.txt", "核心数据\t测试\n绝密\n\n".encode())})
    assert r.status_code == 302 and SecrecyKeyword.objects.filter(word="核心数据", note="测试").exists()
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["关键词", "说明"])
    book.active.append(["敏感坐标", "地理信息"])
    out = io.BytesIO()
    book.save(out)
    assert admin.post(url, {"file": SimpleUploadedFile("k.xlsx", out.getvalue())}).status_code == 302
    assert SecrecyKeyword.objects.filter(word="敏感坐标").exists()
    txt = admin.get(reverse("quality:keywords_export", args=["txt"])).content.decode()
    assert "核心数据\t测试" in txt and "敏感坐标" in txt
    xlsx = admin.get(reverse("quality:keywords_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    count = SecrecyKeyword.objects.count()
    bad = admin.post(url, {"file": SimpleUploadedFile("k.csv", b"a,b")})
    assert "请上传.txt或.xlsx文件" in bad.content.decode()
    bad = admin.post(url, {"file": SimpleUploadedFile("k.txt", ("长" * 51).encode())})
    assert "超过" in bad.content.decode()
    bad = admin.post(url, {"file": SimpleUploadedFile("k.xlsx", b"not a workbook")})
    assert "无法读取" in bad.content.decode()
    assert SecrecyKeyword.objects.count() == count
    for person in (cast.signer, cast.county_editor):
        assert login(person).get(url).status_code == 403
        assert login(person).post(url, {"file": SimpleUploadedFile("k.txt", b"x")}).status_code == 403
        assert login(person).get(reverse("quality:keywords_export", args=["txt"])).status_code == 403


def test_keyword_export_writes_text_cells_and_is_audited(security_admin):
    """A keyword that looks like a formula stays text in the workbook (common.xlsx.text_cell)."""
    from openpyxl import load_workbook

    from xinbao.audit.models import AuditEvent, EventType

    SecrecyKeyword.objects.create(word='=HYPERLINK("http://x","点此")', note="=1+1")
    before = AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).count()
    response = login(security_admin).get(reverse("quality:keywords_export", args=["xlsx"]))
    assert response.status_code == 200 and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    cell = rows['=HYPERLINK("http://x","点此")'][0]
    assert cell.data_type == "s" and rows['=HYPERLINK("http://x","点此")'][1].data_type == "s"
    assert [c.value for c in sheet[1]] == ["关键词", "说明"] and "机密" in rows
    assert AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).count() == before + 1
    txt = login(security_admin).get(reverse("quality:keywords_export", args=["txt"]))
    assert "=1+1" in txt.content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).count() == before + 2


# --- API -----------------------------------------------------------------------------------------------------------


def test_api_check(cast, api_as):
    source = source_item(cast)
    from xinbao.reports.services import report_signoff, report_submit

    report_submit(actor=cast.informant, report=source)
    report_signoff(actor=cast.signer, report=source, approve=True)
    api = api_as(cast.colleague)
    r = api.post(
        "/quality/check", {"title": "标题。", "body": corpus.swap_names(corpus.ITEMS["dispute_1"][1])}
    )
    assert r.status_code == 200
    data = r.json()
    assert data["reuse"][0]["score"] > 0.9 and data["reuse"][0]["visible"] is True
    assert data["reuse"][0]["passages"][0]["theirs"]
    assert any(f["kind"] == "punctuation" and f["field"] == "title" for f in data["findings"])
    assert data["suggestion"]["report_type"]
    assert api.post("/quality/check", {"title": "x" * 201}).status_code in (400, 422)
    assert api.post("/quality/check", raw="{not json").status_code in (400, 422)
    assert api.post("/quality/check", {"report_id": 0}).status_code in (400, 422)


def test_api_secrecy_confirm(cast, charlie, api_as):
    report = make_report(cast.informant, body=SECRET_BODY)
    path = f"/reports/{report.pk}/secrecy"
    data = api_as(cast.informant).get(path).json()
    assert data == {
        "keywords": ["机密"],
        "findings": data["findings"],
        "cleared": False,
        "public_release_allowed": False,
    }
    assert data["findings"][0]["start"] == SECRET_BODY.index("机密")
    assert api_as(charlie).get(path).status_code == 404
    assert api_as(cast.colleague).get(path).status_code == 404
    assert api_as(cast.colleague).post(path + "/request").status_code == 404
    assert api_as(cast.informant).post(path + "/request").status_code == 200
    assert api_as(cast.signer).get(path).json()["keywords"] == ["机密"]
    assert api_as(charlie).post(path + "/confirm", {"reason": "不涉密可以报送"}).status_code == 404
    assert api_as(cast.informant).post(path + "/confirm", {"reason": "不涉密可以报送"}).status_code == 403
    assert api_as(cast.signer).post(path + "/confirm", {"reason": "短"}).status_code == 400
    assert api_as(cast.signer).post(path + "/confirm", {}).status_code in (400, 422)
    assert not SecrecyClearance.objects.exists()
    r = api_as(cast.signer).post(path + "/confirm", {"reason": "机密件系报送方式，不涉密"})
    assert (
        r.status_code == 200 and r.json()["cleared"] is True and r.json()["public_release_allowed"] is False
    )


def test_api_reference_create(cast, api_as):
    r = api_as(cast.county_editor).post(
        "/quality/references", {"title": "网文", "source": "网站", "text": corpus.ITEMS["safety_1"][1]}
    )
    assert r.status_code == 201 and ReferenceDocument.objects.get(pk=r.json()["id"]).reuse_document
    assert (
        api_as(cast.informant).post("/quality/references", {"title": "网文", "text": "正文" * 20}).status_code
        == 403
    )
    assert (
        api_as(cast.county_editor).post("/quality/references", {"title": "", "text": "正文"}).status_code
        == 400
    )


def test_findings_of_a_stored_item_for_the_review_and_detail_pages(cast, charlie):
    """alice (the signer of the unit) sees the secrecy hit of a draft waiting for her; bob (a fellow informant who
    may not see the draft) and charlie (another county) get 404."""
    report = make_report(cast.informant, body=SECRET_BODY)
    url = reverse("quality:report_findings", args=[report.pk])
    html = login(cast.informant).get(url).content.decode()
    assert "机密" in html and 'id="quality-findings"' in html
    assert login(cast.colleague).get(url).status_code == 404
    assert login(charlie).get(url).status_code == 404
    # The edit page carries the live panel; the detail page loads the stored item's findings.
    edit = login(cast.informant).get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert reverse("quality:check") in edit and 'id="quality-panel"' in edit
    detail = login(cast.informant).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert url in detail and reverse("quality:secrecy_confirm", args=[report.pk]) in detail
