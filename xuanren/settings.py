"""Django settings for xuanren.

SQLite (WAL) under ./var/ is the embedded default; PostgreSQL is used when DATABASE_URL is set.
Production deployments set XUANREN_ENV=production (see docs/deployment.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XUANREN_VAR", BASE_DIR / "var"))
PRODUCTION = os.environ.get("XUANREN_ENV") == "production"

SECRET_KEY = os.environ.get("XUANREN_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("XUANREN_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 32
DEBUG = os.environ.get("XUANREN_DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = os.environ.get("XUANREN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "xuanren.accounts",
    "xuanren.register",
    "xuanren.record",
    "xuanren.policies",
    "xuanren.web",
    "xuanren.ballots",
    "xuanren.campaigns",
    "xuanren.supervision",
    "xuanren.portal",
    "xuanren.competition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xuanren.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "xuanren.web.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "xuanren.urls"
WSGI_APPLICATION = "xuanren.wsgi.application"

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
                "xuanren.accounts.context.navigation",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        db: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=int(os.environ.get("XUANREN_CONN_MAX_AGE", "60")))
        )
        if db["ENGINE"] == "django.db.backends.postgresql":
            # Each test process gets its own database so parallel runs never collide.
            db["TEST"] = {"NAME": os.environ.get("XUANREN_TEST_DB", f"test_xuanren_{os.getpid()}")}
            # Parameters travel apart from the SQL (that halved the server's time for a ballot's
            # two statements), and a statement the connection has run 5 times (a ballot, a record
            # append) is prepared and not parsed and planned anew each time. Django leaves
            # psycopg's prepared statements off by default for the sake of connection poolers;
            # behind PgBouncer in transaction mode (older than 1.21) set
            # XUANREN_PG_PREPARE_THRESHOLD=none.
            db.setdefault("OPTIONS", {})["server_side_binding"] = True
            threshold = os.environ.get("XUANREN_PG_PREPARE_THRESHOLD", "5").strip().lower()
            db["OPTIONS"]["prepare_threshold"] = None if threshold in {"", "none"} else int(threshold)
        return db
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("XUANREN_SQLITE", str(VAR_DIR / "xuanren.sqlite3")),
        # Each server thread keeps its connection, as on PostgreSQL: opening one (the file, the
        # pragmas, the functions) and closing it took a quarter of a ballot's time in the server.
        "CONN_MAX_AGE": int(os.environ.get("XUANREN_CONN_MAX_AGE", "60")),
        "OPTIONS": {
            # WAL lets readers run beside the single writer; FULL makes every commit durable;
            # IMMEDIATE takes the write lock at BEGIN so concurrent writers queue instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
        "TEST": {"NAME": os.environ.get("XUANREN_TEST_SQLITE") or None},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded materials live outside the web root and are served only through views that check scope.
MEDIA_ROOT = VAR_DIR / "uploads"
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The ledger's signing key lives in a file outside the database (docs/deployment.md).
LEDGER_KEY_FILE = Path(os.environ.get("XUANREN_LEDGER_KEY", VAR_DIR / "keys" / "ledger.key"))
LEDGER_ORIGIN = os.environ.get("XUANREN_LEDGER_ORIGIN", "xuanren.local/ledger")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("XUANREN_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Serve app static files directly (no collectstatic step needed for `make run` or tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
