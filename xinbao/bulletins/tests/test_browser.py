"""The bulletin path through the real pages (issue 4): the county editor composes an issue from adopted items
(adds, reorders with the arrows, edits an entry), the county leader signs it, the editor publishes it and
downloads the .docx, which opens with python-docx and carries the number the page shows."""

from __future__ import annotations

import io

import pytest

from xinbao.reports.tests.test_browser_full_path import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db):
    from xinbao.bulletins.tests.factories import make_adopted_report, make_series
    from xinbao.orgs.tests.factories import build_world
    from xinbao.reports.tests.factories import make_cast

    world = build_world()
    cast = make_cast(world)
    series = make_series(world, cast)
    first = make_adopted_report(world, cast, title="城关镇排查冬季安全隐患")
    second = make_adopted_report(world, cast, title="城关镇为独居老人更换电线")
    return world, cast, series, first, second


def test_compose_sign_publish_download(scene, page, browser, live_server):
    from docx import Document
    from playwright.sync_api import expect

    from xinbao.bulletins.models import Issue, IssueState
    from xinbao.common.tests.browser import VIEWPORT

    _world, cast, _series, first, second = scene
    editor = page
    log_in(editor, cast.county_editor)
    editor.goto("/bulletins/series/")
    editor.locator("#series-table tr", has_text="安平信息").get_by_role("button", name="编新一期").click()
    expect(editor.get_by_role("heading", name="编辑《安平信息》")).to_be_visible()

    for title in (first.title, second.title):
        editor.locator("#candidates li", has_text=title).get_by_role("button", name="编入").click()
        expect(editor.locator("#entry-list li", has_text=title)).to_be_visible()
    titles = editor.locator("#entry-list .entry-title")
    expect(titles).to_have_text([first.title, second.title])
    editor.locator("#entry-list li", has_text=second.title).get_by_role("button", name="上移").click()
    expect(titles).to_have_text([second.title, first.title])
    # Dragging does the same: the first entry dropped on the lower half of the second, and the server's order back.
    # The list reorders itself before the POST lands: wait for the server's answer before reloading.
    with editor.expect_response(lambda r: r.url.endswith("/entries/reorder/") and r.request.method == "POST"):
        editor.locator("#entry-list li", has_text=second.title).drag_to(
            editor.locator("#entry-list li", has_text=first.title), target_position={"x": 20, "y": 40}
        )
    expect(titles).to_have_text([first.title, second.title])
    editor.reload()
    expect(titles).to_have_text([first.title, second.title])
    editor.locator("#entry-list li", has_text=second.title).get_by_role("button", name="上移").click()
    expect(titles).to_have_text([second.title, first.title])

    editor.locator("#entry-list li", has_text=first.title).get_by_role("link", name="修改").click()
    editor.get_by_label("标题").fill("城关镇排查整改冬季安全隐患23处")
    editor.get_by_role("button", name="保存").click()
    expect(editor.get_by_text("已保存，修改已记为该信息的新版本。")).to_be_visible()

    editor.get_by_label("编者按").fill("城关镇的做法值得各地学习借鉴。")
    editor.locator("#meta-form").get_by_role("button", name="保存").click()
    expect(editor.get_by_text("已保存。")).to_be_visible()
    editor.get_by_role("link", name="预览并送签").click()
    expect(editor.locator("#paper-issue-line")).to_have_text("（未编号）")
    issue = Issue.objects.get()

    # The leader, at his own desk, signs it.
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", base_url=live_server.url)
    leader = context.new_page()
    log_in(leader, cast.county_leader)
    leader.goto(f"/bulletins/issues/{issue.pk}/")
    leader.get_by_role("button", name="签发").click()
    expect(leader.get_by_text("已签发。")).to_be_visible()
    context.close()

    editor.reload()
    editor.get_by_role("button", name="印发").click()
    expect(editor.get_by_role("alert")).to_contain_text("已印发：安平信息")
    issue.refresh_from_db()
    assert (issue.state, issue.number) == (IssueState.PUBLISHED, 1)
    expect(editor.locator("#paper-issue-line")).to_have_text("第1期（总第1期）")

    with editor.expect_download() as info:
        editor.locator("#download-docx").click()
    download = info.value
    assert download.suggested_filename == f"apxx-{issue.year}-001.docx"
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))
    texts = [p.text for p in doc.paragraphs]
    assert "第1期（总第1期）" in texts
    assert texts.index(second.title) < texts.index("城关镇排查整改冬季安全隐患23处")
    assert "编者按：城关镇的做法值得各地学习借鉴。" in texts
    assert editor.csp_violations == []


def test_add_and_remove_a_reader_after_publication(scene, page):
    """On a printed 内参 issue the editor names a newly appointed leader and removes a reader named by mistake
    (the removal asks first); the new leader can then open the issue."""
    from playwright.sync_api import expect

    from xinbao.accounts.models import Role
    from xinbao.accounts.tests.factories import make_user
    from xinbao.bulletins.models import Classification
    from xinbao.bulletins.services import issue_readers_set
    from xinbao.bulletins.tests.factories import make_issue, make_series
    from xinbao.bulletins.tests.test_readers import can_read, publish_existing

    world, cast, _series, _first, _second = scene
    series = make_series(world, cast, name="信息专报", code="apzb", classification=Classification.RESTRICTED)
    issue = make_issue(world, cast, series)
    issue_readers_set(actor=cast.county_editor, issue=issue, readers=[cast.city_editor])
    issue = publish_existing(cast, issue)
    new_leader = make_user(world.city_party_office, Role.LEADER, full_name="新任市领导")

    editor = page
    log_in(editor, cast.county_editor)
    editor.goto(f"/bulletins/issues/{issue.pk}/")
    readers = editor.locator("#reader-list li")
    expect(readers).to_have_count(1)
    editor.get_by_label("增加阅读人").select_option(label="新任市领导")
    editor.locator("#reader-add-button").click()
    expect(editor.get_by_role("alert")).to_contain_text("已增加指定阅读人：新任市领导")
    expect(readers).to_have_count(2)
    assert can_read(new_leader, issue)

    editor.once("dialog", lambda dialog: dialog.accept())
    readers.filter(has_text="叶春梅").get_by_role("button", name="移除").click()
    expect(editor.get_by_role("alert")).to_contain_text("已移除指定阅读人：叶春梅")
    expect(readers).to_have_count(1)
    assert not can_read(cast.city_editor, issue)
    assert editor.csp_violations == []
