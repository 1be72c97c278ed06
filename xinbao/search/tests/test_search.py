"""Full-text search (issue 7 item 5): bigram tokens that find any Chinese substring, the same results on SQLite and
PostgreSQL (this module runs on both in CI with the same expectations), visibility through the one selector,
highlighted snippets, attachments' text, and bad input refused with a clear message.

alice (the informant who wrote the items) may find her restricted item; bob (a fellow informant of her unit) may
not; charlie (an editor of another county) finds none of 城关镇's items."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.common.errors import ValidationFailed
from xinbao.reports.models import ReportType
from xinbao.reports.services import report_update
from xinbao.reports.services.attachments import attachment_add
from xinbao.reports.tests.api_support import sent
from xinbao.reports.tests.factories import make_report
from xinbao.search.selectors import parse_query, report_search
from xinbao.search.services import search_rebuild
from xinbao.search.snippets import highlight, snippet
from xinbao.search.tokens import index_fields, query_terms

pytestmark = pytest.mark.django_db

FIRE = "11月21日，白沙镇组织应急、消防力量在镇中心小学开展冬季消防疏散演练，全校师生620人参加。"
HEAT = "城关镇为独居老人更换老旧电线150余米，排查冬季取暖和用电安全隐患23处。"
G20 = "县商务局组织企业参加ＧＤＰ统计培训，学习G20峰会精神。"


def test_bigrams_find_every_substring_of_two_or_more_characters():
    [title] = index_fields("冬季消防演练")
    assert title == "冬季 季消 消防 防演 演练 练"
    assert [t.tokens for t in query_terms("消防演练")] == [("消防", "防演", "演练")]
    assert [(t.tokens, t.prefix) for t in query_terms("消")] == [(("消",), True)]
    # Full-width letters and digits, case and traditional characters are folded before indexing and querying.
    assert index_fields("ＧＤＰ２０２６")[0] == "gdp2026"
    assert [t.text for t in query_terms("消防演練 ２０２６")] == ["消防演练", "2026"]


def test_query_refused_when_it_cannot_be_searched():
    for text, message in (
        ("", "请输入要检索的文字"),
        ("，。！", "需包含汉字、字母或数字"),
        ("消" * 51, "不能超过50个字"),
    ):
        with pytest.raises(ValidationFailed) as exc:
            parse_query(text)
        assert message in exc.value.message and exc.value.field == "q"


@pytest.fixture
def corpus(cast, world, django_capture_on_commit_callbacks):
    baisha_signer = make_user(world.township2, Role.SIGNER)
    from xinbao.reports.services import report_signoff, report_submit

    with django_capture_on_commit_callbacks(execute=True):
        heat = sent(cast, title="城关镇开展冬季安全隐患大排查", body=HEAT)
        fire = make_report(cast.sibling_informant, title="白沙镇开展冬季消防疏散演练", body=FIRE)
        report_submit(actor=cast.sibling_informant, report=fire)
        report_signoff(actor=baisha_signer, report=fire, approve=True)
        g20 = sent(cast, title="县商务局开展统计业务培训", body=G20, report_type=ReportType.EXPERIENCE)
        problem = sent(
            cast,
            title="城关镇部分村集体经济收入下滑",
            body="部分村集体经济收入连续两年下滑，冬季取暖补贴发放滞后，群众有意见。",
            report_type=ReportType.PROBLEM,
        )
    return {"heat": heat, "fire": fire, "g20": g20, "problem": problem}


def found(user, text, **filters):
    return {r.pk for r in report_search(user=user, query=parse_query(text), filters=filters)}


@pytest.mark.parametrize("common", [False, True], ids=["id-list", "per-item"])
def test_the_same_queries_find_the_same_items_on_either_database(cast, corpus, common, monkeypatch):
    if common:  # every query counts as common: each visible item is checked instead of listing the matches
        monkeypatch.setattr("xinbao.search.backends.SQLITE_COMMON", 1)
        monkeypatch.setattr("xinbao.search.backends.PG_FEW", 0)
    editor = cast.county_editor  # sees every item sent to 安平县委办, the restricted one included
    ids = {name: r.pk for name, r in corpus.items()}
    assert found(editor, "冬季") == {ids["heat"], ids["fire"], ids["problem"]}
    assert found(editor, "消防疏散") == {ids["fire"]}
    assert found(editor, "消防演练") == set()  # the text says 消防疏散演练: a term is a run, not loose words
    assert found(editor, "疏散消防") == set()  # order matters within a term
    assert found(editor, "冬季 消防") == {ids["fire"]}  # terms are ANDed
    assert found(editor, "疏") == {ids["fire"]}  # one character: a prefix of the bigrams
    assert found(editor, "米") == {ids["heat"]}  # one character at the end of a run
    assert found(editor, "疏散演練") == {ids["fire"]}  # traditional characters
    assert found(editor, "ｇ２０") == {ids["g20"]}  # full-width letters and digits
    assert found(editor, "gdp") == {ids["g20"]}
    assert found(editor, "62") == {ids["fire"]}  # digits are prefixes: 620
    assert found(editor, "暴雨") == set()
    assert found(editor, "冬季", type=ReportType.PROBLEM) == {ids["problem"]}
    assert found(editor, "冬季", unit=corpus["fire"].unit_id) == {ids["fire"]}


@pytest.mark.parametrize("mode", ["few", "many", "per-item"])
def test_search_honours_visibility(cast, world, corpus, monkeypatch, mode):
    """Through the query (report_search) and through the page's results (search_results), whichever way the index
    is asked: few matches (the visibility rule asked about each), many listed matches (SQLite; PostgreSQL checks
    each item then), or a common word (the visible list walked in order, each item checked)."""
    from xinbao.search.selectors import search_results

    if mode in ("many", "per-item"):
        monkeypatch.setattr("xinbao.search.backends.PG_FEW", 0)
    if mode == "per-item":
        monkeypatch.setattr("xinbao.search.backends.SQLITE_COMMON", 1)
    ids = {name: r.pk for name, r in corpus.items()}
    cases = [
        (cast.informant, "冬季", {ids["heat"], ids["problem"]}),  # alice: her unit's and her own
        (cast.colleague, "冬季", {ids["heat"]}),  # bob: not the restricted item
        (cast.other_editor, "冬季", set()),  # charlie: another county
        (cast.sibling_informant, "冬季", {ids["fire"]}),  # a sibling township: only its own
        (cast.county_leader, "取暖", {ids["heat"]}),  # a leader sees no restricted item
    ]
    for user, text, expected in cases:
        assert found(user, text) == expected, user.username
        page = search_results(user=user, query=parse_query(text))
        assert {hit.report.pk for hit in page.hits} == expected and page.count == len(expected), user.username


def test_edits_and_attachments_reach_the_index(cast, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(
            cast.informant, title="城关镇召开村级换届工作会议", body="会议部署村级换届工作。"
        )
    assert found(cast.informant, "换届") == {report.pk}
    with django_capture_on_commit_callbacks(execute=True):
        report_update(
            actor=cast.informant,
            report=report,
            title=report.title,
            body="会议部署村（社区）“两委”换届选举工作。",
            base_version=report.version,
        )
    assert found(cast.informant, "两委") == {report.pk}
    assert found(cast.informant, "部署村级") == set()  # the old text is gone from the index
    document = Document()
    document.add_paragraph("附件：换届选举工作日程安排表，选民登记截至12月5日。")
    data = io.BytesIO()
    document.save(data)
    upload = SimpleUploadedFile(
        "日程.docx",
        data.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    with django_capture_on_commit_callbacks(execute=True):
        # After commit the extraction task runs; it asks for the item to be indexed again after its own commit.
        attachment_add(actor=cast.informant, report=report, upload=upload)
    assert found(cast.informant, "选民登记") == {report.pk}
    assert report.attachments.get().extracted_text.text.startswith("附件：换届选举")


def test_rebuild_indexes_everything(cast, corpus):
    assert search_rebuild() == 4
    assert found(cast.county_editor, "冬季") == {corpus["heat"].pk, corpus["fire"].pk, corpus["problem"].pk}


def test_snippets_mark_every_occurrence_in_the_original_text():
    terms = parse_query("消防").terms
    html = snippet(FIRE, terms)
    assert html.count("<mark>消防</mark>") == 2 and "620人" in html
    assert highlight("冬季<消防>演练", terms) == "冬季&lt;<mark>消防</mark>&gt;演练"
    assert "<mark>" not in snippet("无关内容", terms)


def test_search_page(cast, corpus):
    c = Client()
    c.force_login(cast.county_editor)
    url = reverse("search:search")
    html = c.get(url, {"q": "消防演练"}).content.decode()
    assert "白沙镇开展冬季<mark>消防演练</mark>" not in html  # the title holds 消防疏散演练, not 消防演练
    assert "冬季<mark>消防</mark>疏散演练" not in html
    assert "<mark>消防</mark>疏散" not in html
    html = c.get(url, {"q": "消防"}).content.decode()
    assert "白沙镇开展冬季<mark>消防</mark>疏散演练" in html and "共找到 1 条" in html
    before = AuditEvent.objects.filter(event_type=EventType.RESTRICTED_READ).count()
    html = c.get(url, {"q": "集体经济"}).content.decode()
    assert "城关镇部分村<mark>集体经济</mark>收入下滑" in html
    # The restricted item's text shown in the snippet is a read, and audited.
    assert AuditEvent.objects.filter(event_type=EventType.RESTRICTED_READ).count() == before + 1
    for params, message in (
        ({"q": ""}, "请输入要检索的文字"),
        ({"q": "！！"}, "需包含汉字、字母或数字"),
        ({"q": "消" * 51}, "不能超过50个字"),
        ({"q": "冬季", "date_from": "2026-11-30", "date_to": "2026-11-01"}, "结束日期不能早于开始日期"),
    ):
        html = c.get(url, params).content.decode()
        assert message in html and 'id="search-results"' not in html
    other = Client()
    other.force_login(cast.other_editor)
    assert "共找到 0 条" in other.get(url, {"q": "冬季"}).content.decode()


def test_search_api(cast, corpus):
    from xinbao.accounts.services import token_issue

    _row, token = token_issue(user=cast.informant)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    data = api.get("/api/v1/search", {"q": "冬季"}).json()
    assert {r["id"] for r in data["results"]} == {corpus["heat"].pk, corpus["problem"].pk}
    hit = next(r for r in data["results"] if r["id"] == corpus["heat"].pk)
    assert "<mark>冬季</mark>" in hit["title_html"] and "<mark>冬季</mark>" in hit["snippet_html"]
    body = api.get("/api/v1/search", {"q": "，"}).json()
    assert body["code"] == "invalid" and "需包含汉字" in body["message"]
    assert api.get("/api/v1/search").status_code == 422
    _row, token = token_issue(user=cast.other_editor)
    charlie = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert charlie.get("/api/v1/search", {"q": "冬季"}).json()["count"] == 0


def test_rebuild_command_if_empty(cast, corpus, capsys):
    from django.core.management import call_command

    from xinbao.search.models import SearchDocument

    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--if-empty")
    assert "已重建 4 条信息的检索索引" in capsys.readouterr().out
    call_command("rebuild_search_index", "--if-empty")  # indexed already: nothing to do
    assert capsys.readouterr().out == ""


def test_count_stops_at_the_cap(cast, corpus, monkeypatch):
    """Beyond COUNT_CAP matches the page says "N 条以上" and pages stop there; the API says count_capped."""
    from xinbao.accounts.services import token_issue
    from xinbao.search import selectors

    c = Client()
    c.force_login(cast.county_editor)
    url = reverse("search:search")
    assert "共找到 3 条" in c.get(url, {"q": "冬季"}).content.decode()  # under the cap: the exact count
    _row, token = token_issue(user=cast.county_editor)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = api.get("/api/v1/search", {"q": "冬季"}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (3, False, 3)

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    html = c.get(url, {"q": "冬季"}).content.decode()
    assert "找到 2 条以上您有权查看的信息，仅显示前 2 条" in html and "共找到" not in html
    assert html.count('<li class="card') == 2  # one page of the capped results
    html = c.get(url, {"q": "冬季", "page": "5"}).content.decode()
    assert html.count('<li class="card') == 2  # the last page there is, as elsewhere
    body = api.get("/api/v1/search", {"q": "冬季", "page_size": 1}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (2, True, 1)
    body = api.get("/api/v1/search", {"q": "冬季", "page_size": 1, "page": 2}).json()
    assert len(body["results"]) == 1
    body = api.get("/api/v1/search", {"q": "冬季", "page_size": 1, "page": 3}).json()
    assert body["results"] == []  # past the cap, as past the end of any list
    assert "共找到 1 条" in c.get(url, {"q": "消防"}).content.decode()  # under the cap, still exact


def test_normalise_shortcuts_change_nothing():
    """The fast paths (already folded text, no character t2s may change) give what the full conversion gives."""
    from xinbao.search.tokens import _t2s, normalise, normalise_char

    def slow(text):
        folded = "".join(normalise_char(c) for c in text)
        converted = _t2s().convert(folded)
        return converted if len(converted) == len(folded) else folded

    for text in (
        FIRE,
        HEAT,
        G20,
        "消防演練",
        "覆蓋全縣",
        "乾隆年間",
        "Straße ＧＤＰ",
        "头发",
        "一目瞭然",
        "",
    ):
        assert normalise(text) == slow(text), text
    assert normalise("冬季消防演練") == "冬季消防演练"


@pytest.mark.parametrize("per_item", [False, True], ids=["id-list", "per-item"])
def test_pages_and_count_the_same_whichever_way_the_index_is_asked(cast, corpus, monkeypatch, per_item):
    """A word in many items is checked item by item in the list's order (CheckedInOrder): same pages, same count."""
    from xinbao.search import selectors
    from xinbao.search.selectors import search_results

    if per_item:
        monkeypatch.setattr("xinbao.search.backends.SQLITE_COMMON", 1)
        monkeypatch.setattr("xinbao.search.backends.PG_FEW", 0)
    editor, query = cast.county_editor, parse_query("冬季")
    expected = list(report_search(user=editor, query=query).values_list("pk", flat=True))
    first = search_results(user=editor, query=query, per_page=2)
    second = search_results(user=editor, query=query, per_page=2, page=2)
    assert isinstance(first.page.object_list, list) == per_item
    assert (first.count, first.capped) == (3, False)
    assert [h.report.pk for h in first.hits + second.hits] == expected and len(expected) == 3
    assert "<mark>冬季</mark>" in first.hits[0].snippet
    filtered = search_results(user=editor, query=query, filters={"type": ReportType.PROBLEM})
    assert [h.report.pk for h in filtered.hits] == [corpus["problem"].pk]
    assert search_results(user=cast.other_editor, query=query).count == 0  # visibility still decides
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    capped = search_results(user=editor, query=query, per_page=2)
    assert (capped.count, capped.capped, len(capped.hits)) == (2, True, 2)


@pytest.mark.django_db
def test_sqlite_index_has_the_one_character_prefix_index():
    """One Han character is a prefix query over bigram tokens; FTS5 answers it from its prefix index (migration
    0003) instead of merging every token the character starts (bench/RESULTS.md, issue 7: 394 -> 174 ms p95)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL answers prefixes from its tsvector GIN index")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
        (sql,) = cursor.fetchone()
    assert "prefix = '1'" in sql
