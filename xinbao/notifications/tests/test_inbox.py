"""The inbox pages: a person sees, opens and marks only their own notices (alice may, bob and charlie never)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.notifications.models import Notification
from xinbao.notifications.selectors import notification_safe_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    alice = make_user(world.county_party_office, Role.EDITOR, username="alice", full_name="艾丽")
    bob = make_user(world.county_party_office, Role.LEADER, username="bob", full_name="鲍勃")
    charlie = make_user(world.other_party_office, Role.EDITOR, username="charlie", full_name="查理")
    return alice, bob, charlie


def notice(person, title, *, url="/reports/1/", read=False, minutes_ago=0, body=""):
    n = Notification.objects.create(recipient=person, kind="report_adopted", title=title, body=body, url=url)
    at = timezone.now() - timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=n.pk).update(created_at=at, read_at=at if read else None)
    n.refresh_from_db()
    return n


def login(client, person):
    client.force_login(person)
    return client


def test_the_inbox_lists_only_the_persons_own_notices_newest_first(client, people):
    alice, bob, charlie = people
    notice(alice, "艾丽的旧通知", minutes_ago=30, read=True)
    notice(alice, "艾丽的新通知", minutes_ago=1, body="县委办采用了您报送的信息")
    notice(bob, "鲍勃的通知")
    notice(charlie, "查理的通知")
    html = login(client, alice).get(reverse("notifications:inbox")).content.decode()
    assert "艾丽的新通知" in html and "艾丽的旧通知" in html
    assert "鲍勃的通知" not in html and "查理的通知" not in html
    assert html.index("艾丽的新通知") < html.index("艾丽的旧通知")
    # Unread is bold and labelled (not by colour alone); read is neither.
    new_row = html[html.index("艾丽的新通知") - 200 : html.index("艾丽的新通知")]
    old_row = html[html.index("艾丽的旧通知") - 200 : html.index("艾丽的旧通知")]
    assert "fw-bold" in new_row and "未读" in new_row
    assert "fw-bold" not in old_row
    assert "县委办采用了您报送的信息" in html

    for person, own, others in ((bob, "鲍勃的通知", "艾丽"), (charlie, "查理的通知", "艾丽")):
        client.force_login(person)
        page = client.get(reverse("notifications:inbox")).content.decode()
        assert own in page and others not in page


def test_filter_unread_and_paging(client, people):
    alice, _, _ = people
    for i in range(23):
        notice(alice, f"通知{i:02d}", minutes_ago=100 - i, read=i < 5)
    login(client, alice)
    first = client.get(reverse("notifications:inbox"))
    assert first.context["page"].paginator.count == 23
    assert len(first.context["page"].object_list) == 20
    assert "通知22" in first.content.decode() and "通知00" not in first.content.decode()
    second = client.get(reverse("notifications:inbox") + "?page=2").content.decode()
    assert "通知00" in second and "通知22" not in second
    unread = client.get(reverse("notifications:inbox") + "?show=unread")
    assert unread.context["page"].paginator.count == 18
    assert all(n.read_at is None for n in unread.context["page"].object_list)
    assert unread.context["show"] == "unread"
    # An unknown filter value falls back to all, a bad page number to a valid page.
    assert client.get(reverse("notifications:inbox") + "?show=x&page=zz").context["page"].number == 1


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client, people):
    alice, _, _ = people
    n = notice(alice, "请审签", url="/reports/42/")
    response = login(client, alice).get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/reports/42/"
    n.refresh_from_db()
    first_read = n.read_at
    assert first_read is not None
    client.get(reverse("notifications:open", args=[n.pk]))
    n.refresh_from_db()
    assert n.read_at == first_read  # reading again keeps the first reading time


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "reports/1/",
        "",
    ],
)
def test_a_notice_only_ever_sends_to_this_site(client, people, url):
    alice, _, _ = people
    n = notice(alice, "外链", url=url)
    response = login(client, alice).get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")
    n.refresh_from_db()
    assert n.read_at is not None
    assert notification_safe_url(url) is None


def test_safe_url_keeps_paths_with_query_and_fragment():
    assert notification_safe_url("/reports/3/?tab=lineage#v2") == "/reports/3/?tab=lineage#v2"


def test_mark_one_read_by_post_only(client, people):
    alice, _, _ = people
    n = notice(alice, "未读通知")
    login(client, alice)
    assert client.get(reverse("notifications:read", args=[n.pk])).status_code == 405
    n.refresh_from_db()
    assert n.read_at is None
    response = client.post(reverse("notifications:read", args=[n.pk]), {"show": "unread", "page": "2"})
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox") + "?show=unread&page=2"
    n.refresh_from_db()
    assert n.read_at is not None


def test_nobody_opens_or_marks_another_persons_notice(client, people):
    alice, bob, charlie = people
    n = notice(alice, "艾丽的通知", url="/reports/9/")
    for intruder in (bob, charlie):
        client.force_login(intruder)
        assert client.get(reverse("notifications:open", args=[n.pk])).status_code == 404
        assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 404
        n.refresh_from_db()
        assert n.read_at is None
    client.force_login(alice)
    assert client.post(reverse("notifications:read", args=[n.pk + 1000])).status_code == 404


def test_read_all_marks_only_the_persons_own(client, people):
    alice, bob, charlie = people
    mine = [notice(alice, f"艾丽{i}") for i in range(3)]
    theirs = [notice(bob, "鲍勃"), notice(charlie, "查理")]
    login(client, alice)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将3条通知标为已读" in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert not any(Notification.objects.get(pk=n.pk).read_at for n in theirs)
    again = client.post(reverse("notifications:read_all"), follow=True)
    assert "没有未读通知" in again.content.decode()


def test_pages_need_login(client, people):
    alice, _, _ = people
    n = notice(alice, "通知")
    for method, name, args in (
        ("get", "inbox", []),
        ("get", "open", [n.pk]),
        ("post", "read", [n.pk]),
        ("post", "read_all", []),
    ):
        response = getattr(client, method)(reverse(f"notifications:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login" in response["Location"]
    n.refresh_from_db()
    assert n.read_at is None


def test_the_bell_shows_the_persons_unread_count(client, people):
    alice, bob, _ = people
    for i in range(3):
        notice(alice, f"艾丽{i}")
    notice(alice, "已读", read=True)
    notice(bob, "鲍勃")
    html = login(client, alice).get(reverse("notifications:inbox")).content.decode()
    assert 'href="/notifications/"' in html
    assert "消息通知（3条未读）" in html
    client.force_login(bob)
    assert "消息通知（1条未读）" in client.get(reverse("home")).content.decode()
    Notification.objects.filter(recipient=bob).update(read_at=timezone.now())
    page = client.get(reverse("home")).content.decode()
    assert "条未读）" not in page and 'href="/notifications/"' in page


def test_the_bell_shows_99_plus(client, people):
    alice, _, _ = people
    Notification.objects.bulk_create(
        [Notification(recipient=alice, kind="x", title=f"n{i}") for i in range(120)]
    )
    html = login(client, alice).get(reverse("home")).content.decode()
    assert "99+" in html and "消息通知（120条未读）" in html
