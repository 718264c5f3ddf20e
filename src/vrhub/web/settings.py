"""Django settings, driven by environment variables so one module serves development and production.

VRHUB_DATA_DIR        the data folder (web database, secret key, uploads, reports), default ./vrhub-data
VRHUB_WAREHOUSE       the warehouse (DuckDB file or postgres:// URL), default DATA_DIR/warehouse.duckdb
VRHUB_WEB_DATABASE    a postgres:// URL for Django's own tables; default SQLite in the data folder
VRHUB_SECRET_KEY      Django's secret key; default a key file created in the data folder
VRHUB_DEBUG=1         development mode (never in production)
VRHUB_ALLOWED_HOSTS   comma-separated host names, default 127.0.0.1,localhost
VRHUB_LOCAL_HTTP=1    plain HTTP on the loopback interface (set by `vrhub serve` on 127.0.0.1 with no proxy):
                      no redirect to HTTPS; cookies stay Secure, which browsers honour on localhost
VRHUB_PROXY_COUNT     how many reverse proxies of ours stand in front, default 0. With N >= 1 the server
                      takes X-Forwarded-For/-Proto/-Host from VRHUB_TRUSTED_PROXY only, and of
                      X-Forwarded-For only the last N hops: the caller's address (REMOTE_ADDR, used by the
                      audit log, login throttling and rate limits) is the hop our outermost proxy appended
VRHUB_TRUSTED_PROXY   the address our nearest proxy connects from, default 127.0.0.1 (a proxy on this
                      machine); `*` trusts any address, only where nothing else can reach the port
VRHUB_MAX_REQUEST_BYTES  the largest request body, default 4 MiB, refused (413) before it is read; only a
                      signed-in upload may send up to VRHUB_MAX_UPLOAD_BYTES
VRHUB_MAX_UPLOAD_BYTES   the largest upload, default 500 MiB
VRHUB_HEADER_TIMEOUT  seconds for a request's line and headers to arrive, default 10
VRHUB_BODY_TIMEOUT    seconds for a body to arrive, default 20, plus a second per VRHUB_BODY_MIN_RATE bytes
VRHUB_BODY_MIN_RATE   bytes a second a body must keep up, default 10000 (a request slower than these gets
                      408 and its connection is closed)
VRHUB_IDLE_TIMEOUT    seconds a kept-alive connection may stay idle, default 30
VRHUB_CONNECTION_LIMIT   open connections at most, default 1000
VRHUB_TILE_URL        an optional base-map tile URL template for the maps (many networks block tiles)
VRHUB_API_RATE_PUBLIC API requests allowed without a token or session, per address, default 60/min
VRHUB_API_RATE_USER   API requests allowed per user or token, default 600/min
VRHUB_FEEDBACK_RATE   feedback sent through the public form, per address, default 5/hour
VRHUB_LOGIN_ADDRESS_USERNAMES, VRHUB_LOGIN_ADDRESS_FAILURES
                      password spraying: one address whose failed sign-ins in 15 minutes span this many
                      user names (default 5), or add up to this many (default 20), is locked for every user
                      name for 15 minutes; neither goes below the per-user-name limit of 5. Raise them if
                      many users share one address (an organisation's gateway) and VRHUB_PROXY_COUNT
                      cannot tell them apart
VRHUB_UPLOAD_RETENTION_DAYS
                      days an uploaded file is kept on disk after its load finishes, default 0: deleted at
                      once (the upload's record and results stay); the worker deletes older ones at start,
                      after each load and hourly. Uploads are written 0600 in 0700 folders
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from vrhub.config import settings as vrhub_settings

_vrhub = vrhub_settings()
DATA_DIR = _vrhub.data_dir
VRHUB_WAREHOUSE = _vrhub.warehouse
VRHUB_TILE_URL = os.environ.get("VRHUB_TILE_URL", "")
BASE_DIR = Path(__file__).resolve().parent

DEBUG = os.environ.get("VRHUB_DEBUG") == "1"
LOCAL_HTTP = os.environ.get("VRHUB_LOCAL_HTTP") == "1"


def _secret_key() -> str:
    if os.environ.get("VRHUB_SECRET_KEY"):
        return os.environ["VRHUB_SECRET_KEY"]
    path = DATA_DIR / "web-secret.key"
    if path.exists():
        return path.read_text().strip()
    if not DATA_DIR.is_dir():
        # No data folder yet (a test run, `manage.py check`): a throwaway key, since nothing persists.
        return secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("VRHUB_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "vrhub.web.accounts",
    "vrhub.web.dashboard",
    "vrhub.web.uploads",
    "vrhub.web.api",
    "vrhub.web.delivery",
    "vrhub.web.schedule",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vrhub.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it sees every authentication attempt the others let through.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "vrhub.web.urls"
WSGI_APPLICATION = "vrhub.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vrhub.web.accounts.access.role_context",
            ],
        },
    }
]


def _database() -> dict:
    url = os.environ.get("VRHUB_WEB_DATABASE", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlparse(url)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/"),
            "USER": parts.username or "",
            "PASSWORD": parts.password or "",
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    # The upload worker writes from its own thread while requests read: WAL and a wait instead of 'locked'.
    # Tests get a file too: an in-memory database shared between threads fails at once with 'table is
    # locked' where a file waits its turn.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "web.sqlite3",
        "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"vrhub-test-web-{os.getpid()}.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

# Sessions end after 30 minutes without a request, and with the browser.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (accounts/throttle.py): five failures lock that user name from that address for 15
# minutes; failures across 5 user names, or 20 failures, from one address in those 15 minutes lock the address
# for every user name (password spraying).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
VRHUB_LOGIN_ADDRESS_USERNAMES = int(os.environ.get("VRHUB_LOGIN_ADDRESS_USERNAMES", "5"))
VRHUB_LOGIN_ADDRESS_FAILURES = int(os.environ.get("VRHUB_LOGIN_ADDRESS_FAILURES", "20"))
AXES_LOCKOUT_PARAMETERS = "vrhub.web.accounts.throttle.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
VRHUB_PROXY_COUNT = int(os.environ.get("VRHUB_PROXY_COUNT", "0"))
# The caller's address is REMOTE_ADDR, which the server sets from our proxies' hops (see below): django-axes
# asks the audit log's function rather than reading X-Forwarded-For itself.
AXES_CLIENT_IP_CALLABLE = "vrhub.web.accounts.audit.client_ip"

# Rate limits on the open API and the public feedback form (see web/throttling.py): "N/s|min|hour|day".
VRHUB_API_RATE_PUBLIC = os.environ.get("VRHUB_API_RATE_PUBLIC", "60/min")
VRHUB_API_RATE_USER = os.environ.get("VRHUB_API_RATE_USER", "600/min")
VRHUB_FEEDBACK_RATE = os.environ.get("VRHUB_FEEDBACK_RATE", "5/hour")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vrhub"}}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# Uploaded files hold clear identifiers: readable by the server's user only, and deleted once loaded unless
# kept for VRHUB_UPLOAD_RETENTION_DAYS (uploads/storage.py, uploads/worker.py).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
VRHUB_UPLOAD_RETENTION_DAYS = max(0, int(os.environ.get("VRHUB_UPLOAD_RETENTION_DAYS", "0")))

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Served from the package's own folders without a collectstatic step, so `vrhub serve` needs no build.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = DATA_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
VRHUB_MAX_UPLOAD_BYTES = int(os.environ.get("VRHUB_MAX_UPLOAD_BYTES", str(500 * 1024 * 1024)))

# The server's own limits (web/server_limits.py), applied before any view runs: body size, and the time a
# request may take to arrive, so that neither a huge body nor a trickling client can tie the server up.
VRHUB_MAX_REQUEST_BYTES = int(os.environ.get("VRHUB_MAX_REQUEST_BYTES", str(4 * 1024 * 1024)))
VRHUB_HEADER_TIMEOUT = float(os.environ.get("VRHUB_HEADER_TIMEOUT", "10"))
VRHUB_BODY_TIMEOUT = float(os.environ.get("VRHUB_BODY_TIMEOUT", "20"))
VRHUB_BODY_MIN_RATE = float(os.environ.get("VRHUB_BODY_MIN_RATE", "10000"))
VRHUB_IDLE_TIMEOUT = float(os.environ.get("VRHUB_IDLE_TIMEOUT", "30"))
VRHUB_CONNECTION_LIMIT = int(os.environ.get("VRHUB_CONNECTION_LIMIT", "1000"))
# Behind VRHUB_PROXY_COUNT proxies of ours, the nearest one's address: waitress believes X-Forwarded-* only
# from there (see web/serve.py), and `vrhub manage check --deploy` refuses settings that cannot work.
VRHUB_TRUSTED_PROXY = os.environ.get("VRHUB_TRUSTED_PROXY", "127.0.0.1").strip()

# Work the server does by itself (web/schedule/): the delivery check (exception reports, overdue milestones,
# quarterly updates owed, each emailed once to the organisation responsible) every VRHUB_CHECK_EVERY
# seconds, and the figures and report refreshed after a load, looked for every VRHUB_REFRESH_EVERY seconds.
# 0 turns either off. A quarter's updates are owed VRHUB_UPDATE_DUE_DAYS after it ends.
VRHUB_CHECK_EVERY = float(os.environ.get("VRHUB_CHECK_EVERY", "3600"))
VRHUB_REFRESH_EVERY = float(os.environ.get("VRHUB_REFRESH_EVERY", "60"))
VRHUB_UPDATE_DUE_DAYS = int(os.environ.get("VRHUB_UPDATE_DUE_DAYS", "30"))

# Email: printed to the server's output unless an SMTP server is set (docs/operations.md, "Email").
EMAIL_BACKEND = os.environ.get("VRHUB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("VRHUB_FROM_EMAIL", "vrhub@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("VRHUB_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("VRHUB_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("VRHUB_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("VRHUB_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("VRHUB_EMAIL_TLS") == "1"
EMAIL_USE_SSL = os.environ.get("VRHUB_EMAIL_SSL") == "1"
EMAIL_TIMEOUT = 30

# Security headers and cookies whenever this is not a developer's machine in debug mode.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = not LOCAL_HTTP
if VRHUB_PROXY_COUNT:
    # Behind a TLS-terminating proxy that says so; the server passes the header on from that proxy only.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_forbidden": {"()": "vrhub.web.log_filters.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # A 403 is one line, not a traceback (Django logs PermissionDenied with its exc_info).
    "loggers": {"django.request": {"filters": ["one_line_forbidden"]}},
}
