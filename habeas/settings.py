"""One settings module, driven by the environment (see README "Configuration").

SQLite in ``./var/habeas.sqlite3`` unless ``DATABASE_URL`` names another database, e.g.
``postgres://postgres@127.0.0.1:5432/test``.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HABEAS_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("HABEAS_DEBUG", False)
# The development key is fine for a laptop; production refuses to start without a real one.
SECRET_KEY = os.environ.get("HABEAS_SECRET_KEY", "")
PRODUCTION = _env_bool("HABEAS_PRODUCTION", False)
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("HABEAS_SECRET_KEY must be set when HABEAS_PRODUCTION is on")
    SECRET_KEY = "habeas-development-key-not-for-production"  # noqa: S105
if PRODUCTION and DEBUG:
    # Debug pages show settings, SQL and local variables: records a reader may not see among them.
    raise RuntimeError("HABEAS_DEBUG must be off when HABEAS_PRODUCTION is on")
# Interview notes and allegation narratives are encrypted at rest (habeas.visits.crypto) with Fernet
# keys: comma-separated, the first encrypts and every one decrypts (rotation). Outside production an
# unset key is read from HABEAS_NOTES_KEY_FILE, which scripts/run writes once; production needs the
# variable, so the key never sits beside the database it protects.
HABEAS_NOTES_KEY = os.environ.get("HABEAS_NOTES_KEY", "")
HABEAS_NOTES_KEY_FILE = VAR_DIR / "notes.key"

ALLOWED_HOSTS = [h for h in os.environ.get("HABEAS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "habeas.accounts",
    "habeas.audit",
    "habeas.sources",
    "habeas.places",
    "habeas.dossiers",
    "habeas.importers",
    "habeas.extraction",
    "habeas.review",
    "habeas.linkage",
    "habeas.dialogue",
    "habeas.access",
    "habeas.visits",
    "habeas.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the language form (a cookie), else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "habeas.web.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "habeas.urls"
WSGI_APPLICATION = "habeas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'habeas.sqlite3'}"),
        conn_max_age=int(os.environ.get("HABEAS_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web app read while an import writes; IMMEDIATE avoids "database is locked"
    # upgrades in the middle of a write transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;"
        ),
    }


# Server settings for the app's PostgreSQL connections (libpq ``options``), each kept where DATABASE_URL
# already sets it (``?options=-c%20jit%3Don``):
# - jit=off: PostgreSQL compiles a query to machine code when its estimated cost passes jit_above_cost
#   (100,000). A name search for a family name alone below full clearance does (the cost is mostly an
#   estimate of rows it never reads), and compiling took 44-110 ms of a query that runs in 30-60 ms
#   without it, with outliers of 0.7-1.1 s (bench/RESULTS.md, section 2). The app's queries are short
#   lookups and pages, which JIT does not speed up; the usual advice for such (OLTP) work is JIT off.
# - random_page_cost=1.1 (default 4, which prices a page read from a spinning disk): the usual value
#   where the data is on SSD or in memory. At 4 PostgreSQL reads all 100,000 persons' rows for a family
#   name's matches rather than the compact index of live dossiers, and below full clearance that scan
#   was the largest cost left (person_list(q=) family name alone: median 61-67 -> 36-47 ms, section 2).
POSTGRESQL_SETTINGS = {"jit": "off", "random_page_cost": "1.1"}


def _with_settings(options: str, settings: dict[str, str]) -> str:
    """libpq's ``options`` (``-c name=value`` each) with ``settings`` added, except those it already sets
    (the deployer's choice is kept)."""
    for name, value in settings.items():
        if not re.search(rf"(^|\s)(-c\s*|--){re.escape(name)}\s*=", options):
            options = f"{options} -c {name}={value}".strip()
    return options


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = _with_settings(_options.get("options", ""), POSTGRESQL_SETTINGS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:person_list"
LOGOUT_REDIRECT_URL = "web:login"

# Sign-in throttling (django-axes, failures kept in the database, so one count across processes on
# SQLite and PostgreSQL alike): after AXES_FAILURE_LIMIT failures for a user name, or from an address,
# sign-in is refused for the cool-off, whatever the password, with the same message whether or not the
# user name exists. A success resets the count; a failure while locked restarts the cool-off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("HABEAS_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("HABEAS_SIGNIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "habeas.web.views.signin.locked_out"
# The client address is REMOTE_ADDR unless HABEAS_PROXY_COUNT says how many reverse proxies (that set
# X-Forwarded-For) stand in front of the app: a header a client could forge is never trusted otherwise.
AXES_CLIENT_IP_CALLABLE = "habeas.web.views.signin.client_ip"
HABEAS_PROXY_COUNT = int(os.environ.get("HABEAS_PROXY_COUNT", "0"))
# Successful sign-ins are not logged with address and browser: less personal data kept about staff.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
# Translations of every app in one place: `habeas makemessages -l zh_Hans` writes them here.
LOCALE_PATHS = [BASE_DIR / "habeas" / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("HABEAS_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Joining the browsers' preload list binds the whole domain to HTTPS for months: the deployer's call.
    SECURE_HSTS_PRELOAD = _env_bool("HABEAS_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if HABEAS_PROXY_COUNT > 0:
        # Behind a TLS-terminating proxy the request reaches us over HTTP; the proxy says it was HTTPS.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HABEAS_LOG_LEVEL", "WARNING")},
}
