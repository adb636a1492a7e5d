"""Signing in through the real form in a real browser."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_the_message_and_the_right_one_signs_in(
    page, signed_in_page, researcher, screenshot
) -> None:
    page.goto("/login/")
    page.get_by_label("User name").fill("rita")
    page.get_by_label("Password").fill("not the password 1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    assert "/login/" in page.url
    screenshot(page, "wrong-password")

    signed_in_page(researcher, page=page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("header .who")).to_contain_text("rita")
    screenshot(page, "signed-in")


@pytest.mark.django_db(transaction=True)
def test_repeated_failures_pause_signing_in(page, researcher, screenshot) -> None:
    page.goto("/login/")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("User name").fill("rita")
        page.get_by_label("Password").fill(f"guess number {attempt}")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    # Even the right password is refused now.
    page.get_by_label("User name").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    assert "/login/" in page.url
    screenshot(page, "locked")
