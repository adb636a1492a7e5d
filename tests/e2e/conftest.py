"""Browser tests: headless Chromium (Debian's, ``/usr/bin/chromium``) driven by Playwright's sync API
against pytest-django's ``live_server``.

Fixtures:

- ``browser``: one Chromium per test process (pytest-xdist workers each start their own).
- ``page``: a fresh browser context and page per test (own cookies), 1280x900 unless a test asks for
  another viewport with ``new_page(width=..., height=...)``.
- ``signed_in_page(user, password=PASSWORD, page=None)``: signs in through the real sign-in form and
  returns the page, on the person list.
- ``screenshot(page, name)``: saves ``test-artifacts/<test>-<name>.png`` (git-ignored).

Where Chromium (or Playwright) is missing the tests skip, saying why, unless the environment variable
``CI`` is set: there they fail, so CI never silently skips the browser tests. ``scripts/setup-browser``
installs Chromium. Every test under ``tests/e2e`` is marked ``e2e``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("HABEAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_INSTALL = "run scripts/setup-browser (as root it installs Debian's chromium and fonts-noto-cjk)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


def _unavailable(reason: str) -> None:
    """Skip, or fail under CI, where browser tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run under CI: {reason}; {HOW_TO_INSTALL}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}; {HOW_TO_INSTALL}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (scripts/setup installs it)")
    # Playwright's sync API keeps an asyncio loop in this thread, so Django takes every ORM call in the
    # test as "from an async context" and refuses it. The calls are synchronous; allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {error.message.splitlines()[0]}")
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh contexts (own cookies) whose relative URLs go to the live server."""
    contexts = []

    def open_page(*, width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}, locale="en-GB"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def signed_in_page(new_page: Callable[..., Page]) -> Callable[..., Page]:
    """Sign ``user`` in through the real sign-in form (CSRF, session cookie and all)."""

    def sign_in(user: Any, password: str = PASSWORD, page: Page | None = None) -> Page:
        page = page or new_page()
        page.goto("/login/")
        page.get_by_label("User name").fill(user.get_username())
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if "/login/" in page.url:
            raise AssertionError(f"signing in as {user.get_username()} failed: still on {page.url}")
        return page

    return sign_in


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """Save a full-page screenshot as ``test-artifacts/<test name>-<name>.png``."""

    def take(page: Page, name: str) -> Path:
        test = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        path = ARTIFACTS / f"{test}-{name}.png"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
