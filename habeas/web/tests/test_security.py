"""Security settings and headers: production settings, the CSP (no inline scripts or styles in any
template), framing, sniffing and referrer headers on every kind of page."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.sources.models import Source

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted(ROOT.glob("habeas/*/templates/**/*.html"))
SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
]


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HABEAS_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="habeas.settings", **extra)
    return env


def production(**extra: str) -> dict[str, str]:
    wanted = {
        "HABEAS_PRODUCTION": "1",
        "HABEAS_SECRET_KEY": secrets.token_urlsafe(50),
        "HABEAS_ALLOWED_HOSTS": "habeas.example.org",
    }
    return _environment(**(wanted | extra))


def settings_under(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The settings a fresh process gets with ``env`` (settings are read once, at start)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{k: getattr(settings, k, None) for k in {SETTINGS!r}}}))"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


# -- production settings -----------------------------------------------------------------------------
def test_production_settings_are_secure() -> None:
    done = settings_under(production())
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values["DEBUG"] is False
    assert (
        values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_HSTS_PRELOAD"] is False  # the deployer's decision (HABEAS_HSTS_PRELOAD)
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # no proxy configured: the header is not trusted
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"


def test_production_options_ssl_redirect_preload_and_proxy() -> None:
    done = settings_under(
        production(HABEAS_SSL_REDIRECT="0", HABEAS_HSTS_PRELOAD="1", HABEAS_PROXY_COUNT="1")
    )
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values["SECURE_SSL_REDIRECT"] is False and values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    development = json.loads(settings_under(_environment()).stdout)
    assert development["DEBUG"] is False and not development["SESSION_COOKIE_SECURE"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"HABEAS_SECRET_KEY": ""}, "HABEAS_SECRET_KEY must be set"),
        ({"HABEAS_DEBUG": "1"}, "HABEAS_DEBUG must be off"),
    ],
)
def test_production_refuses_to_start_unsafely(extra: dict[str, str], message: str) -> None:
    done = settings_under(production(**extra))
    assert done.returncode != 0 and message in done.stderr


def test_django_deployment_checks_pass_in_production(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=production(HABEAS_VAR_DIR=str(tmp_path)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# -- templates: the CSP allows no inline script, style or event handler --------------------------------
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) >= 5 and any(p.name == "base.html" for p in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_script_style_or_handler(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for attributes, body in SCRIPT.findall(text):
        assert "src=" in attributes and not body.strip(), f"inline <script> in {path.name}"
    assert not re.search(r"<style\b", text, re.I), f"<style> element in {path.name}"
    for tag in TAG.findall(text):
        assert not re.search(r"\sstyle\s*=", tag, re.I), f"style= attribute in {path.name}: {tag}"
        assert not re.search(r"\son[a-z]+\s*=", tag, re.I), f"event handler in {path.name}: {tag}"
        assert "javascript:" not in tag.lower(), f"javascript: URL in {path.name}: {tag}"


def test_the_template_check_finds_what_it_looks_for() -> None:
    bad = [
        "<script>alert(1)</script>",
        '<p style="color:red">',
        '<a href="#" onclick="go()">',
        "<style>p{}</style>",
    ]
    for text in bad:
        scripts = [body for attrs, body in SCRIPT.findall(text) if body.strip() or "src=" not in attrs]
        tags = [t for t in TAG.findall(text) if re.search(r"\s(style|on[a-z]+)\s*=", t, re.I)]
        assert scripts or tags or re.search(r"<style\b", text), text


# -- headers on every kind of page ---------------------------------------------------------------------
@pytest.mark.django_db
def test_security_headers_on_every_kind_of_page(client, researcher) -> None:
    (liu,) = make(bundle(1))
    source = Source.objects.get()
    anonymous = [reverse("web:login"), reverse("web:person_list")]
    signed_in = [
        reverse("web:person_list"),
        reverse("web:person_detail", args=[liu.pk]),
        reverse("web:person_detail", args=[liu.pk + 999]),  # 404
        reverse("web:source_detail", args=[source.pk]),
        reverse("web:person_history", args=[liu.pk]),
    ]
    responses = [client.get(url) for url in anonymous]
    client.force_login(researcher)
    responses += [client.get(url) for url in signed_in]
    assert {r.status_code for r in responses} == {200, 302, 404}
    for response in responses:
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        html = response.content.decode()
        for attributes, body in SCRIPT.findall(html):
            assert "src=" in attributes and not body.strip()
        assert not re.search(r"<[a-z][^<>]*\s(style|on[a-z]+)\s*=", html, re.I)
