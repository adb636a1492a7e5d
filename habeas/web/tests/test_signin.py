"""Sign-in throttling (django-axes as configured in settings): lockout after repeated failures for a user
name or from an address, refused even with the right password while locked, open again after the
cool-off, reset by a success, and the same answer whether or not the user name exists."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from habeas.web.views.signin import client_ip

LIMIT = settings.AXES_FAILURE_LIMIT
COOLOFF = settings.AXES_COOLOFF_TIME
LOCKED = "Too many failed sign-ins"


def attempt(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return client.get(reverse("web:person_list")).status_code == 200


def fail(client, username: str, times: int, address: str = "127.0.0.1") -> list[int]:
    return [attempt(client, username, f"wrong guess {i}", address).status_code for i in range(times)]


def test_the_real_settings_lock_out_after_a_few_failures_for_minutes() -> None:
    assert 3 <= LIMIT <= 10 and dt.timedelta(minutes=5) <= COOLOFF <= dt.timedelta(hours=1)
    assert settings.AXES_RESET_ON_SUCCESS
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.django_db
def test_lockout_after_the_limit_and_the_right_password_is_refused_while_locked(client, researcher) -> None:
    # Each failure before the limit is an ordinary "did not match".
    assert fail(client, "rita", LIMIT - 1) == [200] * (LIMIT - 1)
    last = attempt(client, "rita", "wrong guess again")
    assert last.status_code == 429 and LOCKED in last.content.decode()
    refused = attempt(client, "rita", PASSWORD)
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert not signed_in(client)
    # The page says for how long, and offers the form again (with CSRF) rather than a bare error.
    html = refused.content.decode()
    assert f"{COOLOFF.seconds // 60} minutes" in html and "csrfmiddlewaretoken" in html


@pytest.mark.django_db
def test_a_user_name_is_locked_whatever_address_the_guesses_come_from(client, researcher) -> None:
    for i in range(LIMIT):
        attempt(client, "rita", f"wrong guess {i}", address=f"198.51.100.{i + 1}")
    assert attempt(client, "rita", PASSWORD, address="203.0.113.9").status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_an_address_trying_many_user_names_is_locked(client, researcher) -> None:
    for i in range(LIMIT):
        attempt(client, f"guess{i}", "wrong guess", address="198.51.100.7")
    assert attempt(client, "rita", PASSWORD, address="198.51.100.7").status_code == 429
    # Others, elsewhere, still sign in.
    assert attempt(client, "rita", PASSWORD, address="203.0.113.9").status_code == 302


@pytest.mark.django_db
def test_unlocked_after_the_cool_off(client, researcher) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(client, "rita", LIMIT)
        clock.move_to(start + COOLOFF - dt.timedelta(seconds=30))
        assert attempt(client, "rita", PASSWORD).status_code == 429
        # A failure while locked restarted the cool-off: wait a whole one from there.
        clock.move_to(start + 2 * COOLOFF)
        assert attempt(client, "rita", PASSWORD).status_code == 302
        assert signed_in(client)


@pytest.mark.django_db
def test_a_success_resets_the_count(client, researcher) -> None:
    fail(client, "rita", LIMIT - 1)
    assert attempt(client, "rita", PASSWORD).status_code == 302
    client.post(reverse("web:logout"))
    # A fresh count: as many failures again before a lockout.
    assert fail(client, "rita", LIMIT - 1) == [200] * (LIMIT - 1)
    assert attempt(client, "rita", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_answers_do_not_tell_which_user_names_exist(client, researcher) -> None:
    def answers(username: str, address: str) -> list[tuple[int, str]]:
        pages = [attempt(client, username, f"wrong guess {i}", address) for i in range(LIMIT + 1)]
        return [(p.status_code, p.content.decode().replace(username, "NAME")) for p in pages]

    def without_tokens(pages: list[tuple[int, str]]) -> list[tuple[int, str]]:
        return [(status, _strip_csrf(html)) for status, html in pages]

    assert without_tokens(answers("rita", "198.51.100.1")) == without_tokens(
        answers("nobody-here", "198.51.100.2")
    )


def _strip_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_client_address_ignores_forwarded_headers_unless_proxies_are_configured(settings) -> None:
    request = RequestFactory().post(
        "/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
    )
    settings.HABEAS_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.HABEAS_PROXY_COUNT = 1  # one proxy appended the client's address; 6.6.6.6 is forged
    assert client_ip(request) == "203.0.113.5"
    settings.HABEAS_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.HABEAS_PROXY_COUNT = 3  # fewer hops than proxies: misconfigured, fall back to the socket
    assert client_ip(request) == "10.0.0.2"
