"""Internationalisation (PRODUCT 1): Chinese by default, English as the second locale, every string translatable.

The English pages are rendered from locale/en/LC_MESSAGES/django.mo. Whether the compiled catalogue is committed is
a release decision, so the module compiles it from the .po file when it is missing or older (atomically: another
test worker may be reading it).
"""

from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.orgs.models import InformantChange, InformantKind
from xinbao.orgs.services import informant_register

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
# A capability app keeps its own catalogue beside its code (Django finds an installed app's locale/ by itself).
APP_CATALOGS = sorted(Path(settings.BASE_DIR).glob("xinbao/*/locale/en/LC_MESSAGES/django.po"))
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(scope="module", autouse=True)
def compiled_catalog():
    rebuilt = False
    for catalog in [CATALOG, *APP_CATALOGS]:
        compiled = catalog.with_suffix(".mo")
        if not compiled.exists() or compiled.stat().st_mtime < catalog.stat().st_mtime:
            partial = compiled.with_name(f".django.{os.getpid()}.mo")
            subprocess.run(["msgfmt", "--check", "-o", str(partial), str(catalog)], check=True)
            os.replace(partial, compiled)
            rebuilt = True
    if rebuilt:
        # Catalogues are cached per process; forget any loaded before the file was (re)built.
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = trans_real.Local()


def _entries(path: Path) -> list[dict]:
    """The entries of a .po file as dicts of keyword -> text ("msgid", "msgstr[0]", ...) plus "flags"."""
    entries: list[dict] = []
    entry: dict = {}
    key = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, key = {}, ""
            continue
        entry.setdefault("flags", set())
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, text = line.partition(" ")
            entry[key] = ast.literal_eval(text)
    return entries


@pytest.mark.parametrize(
    "catalog", [CATALOG, *APP_CATALOGS], ids=lambda path: str(path.relative_to(settings.BASE_DIR))
)
def test_catalog_translates_every_message(catalog):
    entries = _entries(catalog)
    messages = [e for e in entries if e.get("msgid")]
    if catalog == CATALOG:
        assert len(messages) > 500  # the parser read the real catalogue, not an empty file
    untranslated = [
        e["msgid"]
        for e in messages
        if not all(text.strip() for key, text in e.items() if key.startswith("msgstr"))
    ]
    fuzzy = [e.get("msgid", "(header)") for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.django_db
def test_pages_stay_chinese_for_an_english_browser_until_the_person_chooses(client):
    page = client.get(reverse("accounts:login"), **EN).content.decode()
    assert '<html lang="zh-hans">' in page and "忘记密码" in page


@pytest.mark.django_db
def test_login_page_in_english_and_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in english
    for phrase in ("Log in", "User name", "Password", "Forgot your password?"):
        assert phrase in english
    assert "忘记密码" not in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="zh-hans">' in chinese
    for phrase in ("登录", "用户名", "忘记密码请联系本单位管理员或系统管理员重置。"):
        assert phrase in chinese
    assert "Forgot your password?" not in chinese


@pytest.mark.django_db
def test_home_page_in_english_and_chinese(client, world):
    person = make_user(world.township, Role.INFORMANT, Role.SIGNER, full_name="王建国")
    client.force_login(person)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("home")).content.decode()
    for phrase in (
        "To-do",
        "About me",
        "Last login",
        "Log out",
        "Informant, Signer",
        "王建国 (Informant, Signer)",
    ):
        assert phrase in english
    assert "待办事项" not in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(reverse("home")).content.decode()
    for phrase in ("待办事项", "个人信息", "上次登录", "信息员、审签人", "王建国（信息员、审签人）"):
        assert phrase in chinese
    assert "To-do" not in chinese


@pytest.mark.django_db
def test_language_switcher_on_login_page_sets_the_language(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="en"' in page and 'name="language" value="zh-hans"' in page

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Forgot your password?" in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_messages_from_python_code_follow_the_language(client):
    # An API error message (built with gettext at request time); the stable code stays the same.
    english = client.get("/api/v1/no-such-thing", **EN).json()
    assert english == {"code": "not_found", "message": "No such endpoint: /api/v1/no-such-thing"}
    chinese = client.get("/api/v1/no-such-thing").json()
    assert chinese == {"code": "not_found", "message": "接口不存在：/api/v1/no-such-thing"}


@pytest.mark.django_db
def test_filed_history_text_is_stored_in_the_site_language(world):
    admin = make_user(world.township, Role.UNIT_ADMIN)
    person = make_user(world.township)
    with translation.override("en"):
        record = informant_register(
            actor=admin,
            unit=world.township,
            person=person,
            kind=InformantKind.FULL_TIME,
            start_date=timezone.localdate(),
            reason="新任命",
        )
        assert str(InformantKind.FULL_TIME.label) == "Full-time"
    assert InformantChange.objects.get(record=record).detail == "专职"
