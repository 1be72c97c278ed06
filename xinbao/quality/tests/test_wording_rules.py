"""The wording-rule lists (PRODUCT 3.6): page, import/export, API. alice is the county office's editor (may), bob
the office's leader (same office, another role), charlie a signer of another county; the lists are one province-wide
configuration, so the editor of another county's office keeps them too."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.quality.models import WordingKind, WordingRule
from xinbao.quality.tests.conftest import login
from xinbao.quality.wording import wording_findings

pytestmark = pytest.mark.django_db

LIST = reverse("quality:wording_rules")
EXPORT = reverse("quality:wording_rules_export")
TEXT = (
    "双方于昨日签定合作协议，全文五十余字，用于检验规则是否即时生效，不需要重启服务，也不需要等待缓存过期。"
)


def state() -> tuple:
    """Everything a refused change must leave as it was: every rule's values and the change and export rows of
    the audit log (a refused attempt does add its own PERMISSION_DENIED row, and an API client its token's)."""
    rules = tuple(
        WordingRule.objects.order_by("pk").values_list("kind", "wrong", "correct", "note", "is_active")
    )
    kinds = (EventType.CONFIG_CHANGE, EventType.DATA_EXPORT)
    return rules, AuditEvent.objects.filter(event_type__in=kinds).count()


def suggestions(text: str = TEXT) -> list[str]:
    return [f.suggestion for f in wording_findings("标题", text) if f.kind in WordingKind.values]


def xlsx(*rows: tuple, header: tuple = ("类别", "词语", "建议改为", "说明")) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("规则.xlsx", out.getvalue())


def add(client, **data):  # type: ignore[no-untyped-def]
    return client.post(LIST, {"action": "create", "kind": WordingKind.MISWRITING, **data})


# --- list and filter ---------------------------------------------------------------------------------------------


def test_the_page_lists_the_rules_and_filters_them(cast):
    editor = login(cast.county_editor)
    WordingRule.objects.filter(wrong="其它").update(is_active=False)
    html = editor.get(LIST).content.decode()
    assert "截止目前" in html and "上访户" in html and "其它" in html and 'id="wording-add"' in html
    sensitive = editor.get(LIST, {"kind": "sensitive"}).content.decode()
    assert "上访户" in sensitive and "截止目前" not in sensitive
    found = editor.get(LIST, {"q": "信访"}).content.decode()  # in a correction
    assert "上访户" in found and "截止目前" not in found
    by_note = editor.get(LIST, {"q": "贴标签"}).content.decode()
    assert "钉子户" in by_note and "老百姓" not in by_note
    inactive = editor.get(LIST, {"active": "0"}).content.decode()
    assert "其它" in inactive and "截止目前" not in inactive and "已停用" in inactive
    active = editor.get(LIST, {"active": "1", "kind": "miswriting"}).content.decode()
    assert "其它" not in active and "截止目前" in active
    bad = editor.get(LIST, {"kind": "nonsense"})
    assert bad.status_code == 200 and "已忽略" in bad.content.decode()
    none = editor.get(LIST, {"q": "不存在的词"}).content.decode()
    assert "没有符合条件的用语规则" in none


# --- add, edit, deactivate, reactivate ---------------------------------------------------------------------------


def test_add_edit_deactivate_reactivate_and_the_check_follows_at_once(cast):
    """Under a frozen clock the rule list's version (count, active count, latest change) cannot tell an edit from
    the list the check cached: only the services' explicit invalidation makes the edit visible."""
    editor = login(cast.county_editor)
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert "签订" not in suggestions()
        events = AuditEvent.objects.filter(event_type=EventType.CONFIG_CHANGE).count()
        r = add(editor, wrong=" 签定 ", correct="签订", note="合同用语")
        assert r.status_code == 302
        rule = WordingRule.objects.get(wrong="签定")
        assert (rule.kind, rule.correct, rule.note, rule.is_active) == (
            "miswriting",
            "签订",
            "合同用语",
            True,
        )
        assert suggestions() == ["签订"]
        url = reverse("quality:wording_rule_edit", args=[rule.pk])
        assert "签定" in editor.get(url).content.decode()
        r = editor.post(url, {"kind": "miswriting", "wrong": "签定", "correct": "签署", "note": ""})
        assert r.status_code == 302
        assert suggestions() == ["签署"]
        active = reverse("quality:wording_rule_active", args=[rule.pk])
        r = editor.post(active, {"active": "0", "query": "q=签定&next=https://evil.example/"})
        # Back to the filtered list, on this site whatever the query field says.
        assert r.status_code == 302 and r.url.startswith(LIST + "?q=")
        assert suggestions() == [] and WordingRule.objects.filter(pk=rule.pk, is_active=False).exists()
        assert "已停用" in editor.get(LIST, {"q": "签定"}).content.decode()
        assert editor.post(active, {"active": "1"}).status_code == 302
        assert suggestions() == ["签署"]
        # Adding the word of a deactivated rule brings that rule back with the new values (one row per word).
        editor.post(active, {"active": "0"})
        assert add(editor, wrong="签定", correct="签订").status_code == 302
        assert WordingRule.objects.filter(wrong="签定").count() == 1 and suggestions() == ["签订"]
    rows = AuditEvent.objects.filter(event_type=EventType.CONFIG_CHANGE, object_id=str(rule.pk)).order_by(
        "pk"
    )
    actions = [e.detail["wording_rule"] for e in rows]
    assert actions == ["create", "update", "deactivate", "activate", "deactivate", "reactivate"]
    assert rows[1].detail["before"]["correct"] == "签订" and rows[1].detail["after"]["correct"] == "签署"
    assert rows[0].actor_id == cast.county_editor.pk
    assert AuditEvent.objects.filter(event_type=EventType.CONFIG_CHANGE).count() == events + 6


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"wrong": "  "}, "词语不能为空"),
        ({"wrong": "截止目前", "correct": "截至目前"}, "已有相同的启用规则"),
        ({"wrong": "签定", "correct": "签定"}, "建议写法不能与错误写法相同"),
        ({"wrong": "长" * 51, "correct": "短"}, "词语不能超过50个字"),
        ({"wrong": "签定", "correct": "长" * 51}, "建议写法不能超过50个字"),
        ({"wrong": "签定", "correct": "签订", "note": "长" * 201}, "说明不能超过200个字"),
        ({"wrong": "签定"}, "错别字规则须填写正确写法"),
    ],
)
def test_bad_additions_are_refused_in_chinese_and_change_nothing(cast, data, message):
    editor = login(cast.county_editor)
    before = state()
    r = add(editor, **data)
    assert r.status_code == 200 and message in r.content.decode()
    assert state() == before


def test_bad_edits_and_toggles_are_refused_and_change_nothing(cast):
    editor = login(cast.county_editor)
    rule = WordingRule.objects.get(wrong="按装")
    url = reverse("quality:wording_rule_edit", args=[rule.pk])
    before = state()
    for data, message in [
        ({"kind": "miswriting", "wrong": "布署", "correct": "部署"}, "已有相同的启用规则"),
        ({"kind": "miswriting", "wrong": "按装", "correct": "按装"}, "建议写法不能与错误写法相同"),
        ({"kind": "miswriting", "wrong": "", "correct": "安装"}, "词语不能为空"),
        ({"kind": "miswriting", "wrong": "按装", "correct": "安" * 51}, "建议写法不能超过50个字"),
    ]:
        r = editor.post(url, data)
        assert r.status_code == 200 and message in r.content.decode(), message
    r = editor.post(url, {"kind": "bogus", "wrong": "按装", "correct": "安装"})
    assert r.status_code == 200 and "bogus" in r.content.decode()  # Django's own choice error, in Chinese
    assert state() == before
    # Editing into the word of a deactivated rule is refused: reactivate that one instead.
    WordingRule.objects.filter(wrong="既使").update(is_active=False)
    before = state()
    r = editor.post(url, {"kind": "miswriting", "wrong": "既使", "correct": "即使"})
    assert "请重新启用该规则" in r.content.decode() and state() == before
    active = reverse("quality:wording_rule_active", args=[rule.pk])
    r = editor.post(active, {"active": "1"}, follow=True)
    assert "该规则已是启用状态" in r.content.decode()
    assert editor.post(active, {"active": "maybe"}).status_code == 400
    assert editor.get(active).status_code == 405
    assert editor.get(reverse("quality:wording_rule_edit", args=[999999])).status_code == 404
    assert editor.post(LIST, {"action": "delete"}).status_code == 400
    assert state() == before


# --- import and export ---------------------------------------------------------------------------------------------


def test_import_adds_and_updates_and_the_check_finds_the_new_rules(cast):
    editor = login(cast.county_editor)
    count = WordingRule.objects.count()
    upload = xlsx(
        ("常见错别字", "签定", "签订", "合同用语"),
        ("敏感或不规范表述", "群众闹访", "群众集中反映诉求", ""),
        ("常见错别字", "截止目前", "截至目前", "新说明"),  # an existing rule: updated
    )
    r = editor.post(LIST, {"action": "import", "file": upload})
    assert r.status_code == 302
    assert WordingRule.objects.count() == count + 2
    assert WordingRule.objects.get(wrong="截止目前").note == "新说明"
    found = wording_findings("标题", "双方签定协议后，个别群众闹访。" + "内容" * 30)
    assert {f.suggestion for f in found if f.kind in WordingKind.values} == {"签订", "群众集中反映诉求"}
    event = AuditEvent.objects.filter(event_type=EventType.CONFIG_CHANGE).latest("pk")
    assert event.detail["added"] == ["签定", "群众闹访"] and event.detail["changed"] == ["截止目前"]
    assert "新增2条" in editor.get(LIST).content.decode()


def test_a_bad_import_names_row_column_and_reason_and_imports_nothing(cast):
    editor = login(cast.county_editor)
    before = state()
    upload = xlsx(
        ("常见错别字", "签定", "签订", ""),
        ("常见错别字", "", "安装", ""),
        ("错误类别", "群众闹访", "", ""),
        ("常见错别字", "签定", "签署", ""),
        ("常见错别字", "做为", "做为", ""),
    )
    r = editor.post(LIST, {"action": "import", "file": upload})
    html = r.content.decode()
    assert r.status_code == 200 and "文件中有4处错误，未导入任何规则" in html
    table = html.split('id="import-errors"', 1)[1].split("</table>", 1)[0]
    assert "<td>3</td><td>词语</td><td>词语不能为空</td>" in table
    assert "<td>4</td><td>类别</td>" in table and "“错误类别”无效" in table
    assert "<td>5</td><td>词语</td><td>与第2行重复</td>" in table
    assert "<td>6</td><td>建议改为</td><td>建议写法不能与错误写法相同</td>" in table
    assert state() == before
    for upload, message in [
        (SimpleUploadedFile("规则.pdf", b"%PDF-1.4"), "不支持的文件格式"),
        (SimpleUploadedFile("规则.xlsx", b"not a workbook"), "不是有效的 Excel"),
        (xlsx(("常见错别字", "签定"), header=("类别", "错误写法")), "缺少必填列：词语"),
        (xlsx(), "没有数据行"),
        (
            xlsx(
                ("常见错别字", "签定", "签订", "", "暂停"),
                header=("类别", "词语", "建议改为", "说明", "状态"),
            ),
            "应填“启用”或“停用”",
        ),
    ]:
        r = editor.post(LIST, {"action": "import", "file": upload})
        assert r.status_code == 200 and message in r.content.decode(), message
        assert state() == before
    r = editor.post(LIST, {"action": "import"})
    assert r.status_code == 200 and state() == before


def test_export_is_the_filtered_list_as_text_cells_audited_and_imports_back(cast):
    editor = login(cast.county_editor)
    formula = WordingRule.objects.create(kind=WordingKind.SENSITIVE, wrong="=1+1", note='=HYPERLINK("x")')
    WordingRule.objects.filter(wrong="钉子户").update(is_active=False)
    exports = AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).count()
    r = editor.get(EXPORT, {"kind": "sensitive"})
    assert r.status_code == 200 and "wording-rules_" in r["Content-Disposition"]
    content = b"".join(r.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["类别", "词语", "建议改为", "说明", "状态"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    expected = set(WordingRule.objects.filter(kind=WordingKind.SENSITIVE).values_list("wrong", flat=True))
    assert set(rows) == expected and "截止目前" not in rows
    assert rows["=1+1"][1].data_type == "s" and rows["=1+1"][3].value == formula.note
    assert rows["=1+1"][3].data_type == "s"
    assert rows["钉子户"][4].value == "停用" and rows["上访户"][0].value == "敏感或不规范表述"
    event = AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).latest("pk")
    assert event.detail["rows"] == len(expected) and event.actor_id == cast.county_editor.pk
    assert AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).count() == exports + 1
    # The exported file is an import file: importing it back changes nothing (the deactivated rule stays so).
    rules_before = state()[0]
    r = editor.post(LIST, {"action": "import", "file": SimpleUploadedFile("导出.xlsx", content)})
    assert r.status_code == 302 and state()[0] == rules_before


# --- who may ----------------------------------------------------------------------------------------------------


def test_editors_of_a_receiving_office_and_the_system_admin_keep_the_lists(
    world, cast, charlie, system_admin
):
    rule = WordingRule.objects.get(wrong="按装")
    edit = reverse("quality:wording_rule_edit", args=[rule.pk])
    active = reverse("quality:wording_rule_active", args=[rule.pk])
    for keeper in (cast.county_editor, system_admin, cast.other_editor):
        client = login(keeper)
        assert client.get(LIST).status_code == 200
        assert client.get(edit).status_code == 200
        assert client.get(EXPORT).status_code == 200
    dept_editor = make_user(world.county_dept, Role.EDITOR, username="jybj", full_name="教育局编辑")
    before = state()
    for person in (cast.county_leader, charlie, cast.informant, cast.signer, dept_editor):
        client = login(person)
        assert client.get(LIST).status_code == 403
        assert add(client, wrong="签定", correct="签订").status_code == 403
        assert (
            client.post(LIST, {"action": "import", "file": xlsx(("常见错别字", "签定", "签订"))}).status_code
            == 403
        )
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"kind": "miswriting", "wrong": "按装", "correct": "X"}).status_code == 403
        assert client.post(active, {"active": "0"}).status_code == 403
        assert client.get(EXPORT).status_code == 403
    assert state() == before
    assert login(cast.county_editor).get(LIST).status_code == 200
    from django.test import Client

    assert Client().get(LIST).status_code == 302


# --- API -------------------------------------------------------------------------------------------------------


def test_api_list_create_update(cast, charlie, api_as):
    api = api_as(cast.county_editor)
    data = api.get("/quality/wording-rules", {"kind": "sensitive", "page_size": 5}).json()
    assert data["count"] == WordingRule.objects.filter(kind="sensitive").count() and len(data["results"]) == 5
    assert api.get("/quality/wording-rules", {"q": "信访"}).json()["results"][0]["wrong"] == "上访户"
    assert api.get("/quality/wording-rules", {"active": "false"}).json()["count"] == 0
    assert api.get("/quality/wording-rules", {"kind": "bogus"}).status_code in (400, 422)
    r = api.post("/quality/wording-rules", {"kind": "miswriting", "wrong": "签定", "correct": "签订"})
    assert r.status_code == 201 and r.json()["is_active"] is True
    rule_id = r.json()["id"]
    check = api.post("/quality/check", {"title": "标题", "body": TEXT, "reuse": False}).json()
    assert [f["suggestion"] for f in check["findings"] if f["kind"] == "miswriting"] == ["签订"]
    path = f"/quality/wording-rules/{rule_id}"
    r = api.patch(path, {"correct": "签署", "note": "合同"})
    assert r.status_code == 200 and (r.json()["correct"], r.json()["wrong"]) == ("签署", "签定")
    r = api.patch(path, {"is_active": False})
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert suggestions() == []
    assert api.patch(path, {"is_active": True}).json()["is_active"] is True
    before = state()
    for body, message in [
        ({"kind": "miswriting", "wrong": "", "correct": "x"}, "词语不能为空"),
        ({"kind": "miswriting", "wrong": "截止目前", "correct": "截至目前"}, "已有相同的启用规则"),
        ({"kind": "miswriting", "wrong": "签订", "correct": "签订"}, "建议写法不能与错误写法相同"),
        ({"kind": "nonsense", "wrong": "签订", "correct": "x"}, "请选择规则类别"),
        ({"kind": "sensitive", "wrong": "长" * 51}, "词语不能超过50个字"),
    ]:
        r = api.post("/quality/wording-rules", body)
        assert r.status_code == 400 and message in r.json()["message"], message
    # A refused edit leaves the deactivation it came with undone too.
    r = api.patch(path, {"wrong": "截止目前", "correct": "截至目前", "is_active": False})
    assert r.status_code == 400 and "已有相同的启用规则" in r.json()["message"]
    r = api.patch(path, {"correct": None})
    assert r.status_code == 400 and "不能为空" in r.json()["message"]
    assert api.patch(path, {"colour": "red"}).status_code in (400, 422)
    assert api.patch("/quality/wording-rules/999999", {"note": "x"}).status_code == 404
    assert state() == before
    for person in (cast.county_leader, charlie):
        other = api_as(person)
        assert other.get("/quality/wording-rules").status_code == 403
        assert other.post("/quality/wording-rules", {"kind": "sensitive", "wrong": "某词"}).status_code == 403
        assert other.patch(path, {"note": "x"}).status_code == 403
        assert other.patch(path, {"is_active": False}).status_code == 403
    assert state() == before
