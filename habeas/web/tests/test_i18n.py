"""Translation hooks: the language form in the footer (Django's set_language, CSRF-checked), the locale
middleware, the Simplified Chinese catalogue, and `habeas makemessages` writing into LOCALE_PATHS."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]


def switch(client, language: str, next_url: str):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


@pytest.mark.django_db
def test_the_footer_offers_every_language_with_csrf(client) -> None:
    html = client.get(reverse("web:login")).content.decode()
    footer = html[html.index('<footer class="site">') :]
    assert f'action="{reverse("set_language")}"' in footer and "csrfmiddlewaretoken" in footer
    for code, _name in settings.LANGUAGES:
        assert f'value="{code}"' in footer
    assert 'value="/login/"' in footer  # back to the same page


@pytest.mark.django_db
def test_switching_to_chinese_and_back(client, researcher) -> None:
    client.force_login(researcher)
    response = switch(client, "zh-hans", reverse("web:person_list") + "?q=liu")
    assert response.status_code == 302 and response["Location"] == reverse("web:person_list") + "?q=liu"
    html = client.get(reverse("web:person_list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "退出" in html and "人员" in html  # Sign out, Persons
    assert '<option value="zh-hans" lang="zh-hans" selected>' in html
    switch(client, "en", "/")
    html = client.get(reverse("web:person_list")).content.decode()
    assert '<html lang="en">' in html and "Sign out" in html


@pytest.mark.django_db
def test_the_browser_language_is_used_until_one_is_chosen(client) -> None:
    html = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html and "登录" in html
    html = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_the_language_form_needs_the_csrf_token_and_stays_on_this_site() -> None:
    strict = Client(enforce_csrf_checks=True)
    assert switch(strict, "zh-hans", "/").status_code == 403
    response = switch(Client(), "zh-hans", "https://evil.example/")
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_the_catalogue_translates_the_navigation_and_sign_in() -> None:
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"
        assert translation.gettext("History of changes") == "修改记录"
    assert any(Path(p).resolve() == ROOT / "habeas" / "locale" for p in settings.LOCALE_PATHS)
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_makemessages_writes_the_catalogue_into_locale_paths(tmp_path: Path, monkeypatch, settings) -> None:
    if shutil.which("xgettext") is None:
        pytest.skip("makemessages needs GNU gettext: on Debian/Ubuntu, apt-get install gettext")
    # A copy of the templates, so the run neither scans nor writes the working tree.
    shutil.copytree(ROOT / "habeas" / "web" / "templates", tmp_path / "templates")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["zh_Hans"], verbosity=0)
    catalogue = (tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert 'msgid "Sign in"' in catalogue and 'msgid "History of changes"' in catalogue


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("web:dialogue_lists", "<h1>囚犯名单</h1>"),  # Prisoner lists
        ("web:access_negotiation_list", "<h1>准入谈判</h1>"),  # Access negotiations
        ("web:visit_list", "<h1>探访羁押场所</h1>"),  # Visits to places of detention
        ("web:linkage_queue", "<h1>关联审核</h1>"),  # Linkage review
    ],
)
def test_the_dialogue_access_visits_and_linkage_pages_read_in_chinese(
    client, researcher, url_name, heading
) -> None:
    client.force_login(researcher)
    switch(client, "zh-hans", "/")
    html = client.get(reverse(url_name)).content.decode()
    assert heading in html
    assert "对话" in html and "探访" in html and "重复记录" in html  # the menu: Dialogue, Visits, Duplicates
    switch(client, "en", "/")
    assert heading not in client.get(reverse(url_name)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "texts"),
    [
        ("web:person_list", ["<h1>人员</h1>", "更多筛选条件", "排序方式"]),  # Persons, More filters, Sort by
        ("web:source_list", ["<h1>来源</h1>", "发布者", "没有匹配的来源。"]),  # Sources, Publisher, none
        ("web:place_list", ["<h1>羁押场所</h1>", "没有匹配的场所。"]),  # Places of detention, none match
    ],
)
def test_the_persons_sources_and_places_pages_read_in_chinese(client, researcher, url_name, texts) -> None:
    client.force_login(researcher)
    switch(client, "zh-hans", "/")
    html = client.get(reverse(url_name)).content.decode()
    for text in texts:
        assert text in html, text
    assert "拘留场所" not in html  # one term for a place of detention: 羁押场所


def test_the_history_names_an_import_batch_in_chinese() -> None:
    from types import SimpleNamespace

    from habeas.web.history import _batch_label

    row = SimpleNamespace(batch=SimpleNamespace(pk=3, first_row=1, last_row=250))
    with translation.override("zh-hans"):
        assert _batch_label(row) == "导入第 3 批，第 1 至 250 行"  # type: ignore[arg-type]
    assert _batch_label(row) == "batch 3, rows 1 to 250 of the import"  # type: ignore[arg-type]


def test_the_vocabularies_use_the_established_terms() -> None:
    from habeas.access.models import BodyKind, Mandate
    from habeas.dialogue.models import OutcomeKind, RequestKind

    with translation.override("zh-hans"):
        assert str(RequestKind.MEDICAL_PAROLE.label) == "保外就医"
        assert str(OutcomeKind.SENTENCE_REDUCTION.label) == "减刑"
        assert str(OutcomeKind.PAROLE.label) == "假释"
        assert str(BodyKind.ICRC.label) == "红十字国际委员会"
        assert str(BodyKind.UN_SPECIAL_PROCEDURE.label) == "联合国特别程序"
        assert str(Mandate.TORTURE.label) == "酷刑和虐待"
    assert str(RequestKind.MEDICAL_PAROLE.label) == "medical parole"


@pytest.mark.django_db
def test_the_fact_forms_name_their_kind_in_chinese(client, researcher) -> None:
    from habeas.dossiers.models import Person

    person = Person.objects.create(display_name="Liu Mingde", unsourced_by=researcher)
    client.force_login(researcher)
    switch(client, "zh-hans", "/")
    for kind, title in (("detention", "添加拘留"), ("allegation", "添加指控"), ("health", "添加健康记录")):
        html = client.get(reverse("web:person_add", args=[person.pk, kind])).content.decode()
        assert title in html, kind
    with translation.override("zh-hans"):
        from habeas.dossiers.models import Sentence, SentenceChange

        assert str(Sentence._meta.verbose_name) == "判决"
        assert str(SentenceChange._meta.verbose_name_plural) == "刑期变更"
    with translation.override("en"):
        assert str(Sentence._meta.verbose_name) == "sentence"  # English unchanged
