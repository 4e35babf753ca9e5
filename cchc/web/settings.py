"""Django settings: defaults give a working local SQLite run; production sets the environment.

Every variable is read by a small typed helper that refuses a bad value at
start-up, and every one is listed in the settings table of docs/operations.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CCHC_DATA_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: cần 1/0, true/false, yes/no hoặc on/off.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    return [x.strip() for x in raw.split(",") if x.strip()] if raw else default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: cần một số nguyên.") from exc


def env_nonnegative(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 0:
        raise ImproperlyConfigured(f"{name}={value}: cần một số không âm.")
    return value


def env_header(name: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto` or `X-Forwarded-Proto=https` → Django's META name and value."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, _, value = raw.partition("=")
    if not header.replace("-", "").isalnum():
        raise ImproperlyConfigured(f"{name}={raw!r}: cần tên tiêu đề, ví dụ X-Forwarded-Proto.")
    return "HTTP_" + header.strip().upper().replace("-", "_"), value.strip() or "https"


DEBUG = env_bool("CCHC_DEBUG", False)
# Demo mode (a known key, for one machine) only when asked for: `cchc serve` (`make run`)
# and the test suite set CCHC_DEV=1; gunicorn and `cchc manage` refuse to start without a key.
DEMO = env_bool("CCHC_DEV", False)
SECRET_KEY = os.environ.get("CCHC_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEMO:
        raise ImproperlyConfigured(
            "Thiếu CCHC_SECRET_KEY: máy chủ không chạy khi chưa có khóa bí mật. Đặt "
            "CCHC_SECRET_KEY (tạo bằng: python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), hoặc CCHC_DEV=1 để chạy thử trên một máy "
            "(cchc serve tự đặt)."
        )
    SECRET_KEY = "cchc-dev-only-not-secret"  # demo runs and tests only
ALLOWED_HOSTS = env_list("CCHC_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CCHC_CSRF_TRUSTED_ORIGINS", [])
UPLOAD_MAX_BYTES = env_int("CCHC_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    "cchc.web.organisation",
    "cchc.web.reporting",
    "cchc.web.accounts",
    "cchc.web.signing",
    "cchc.web.notices",
    "django_tasks",
    "django_tasks_db",
    "cchc.web.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cchc.web.guards.RequestGuard",  # body size and NUL bytes, before anything reads them
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, precompressed, answer here
    # Pages, CSV and JSON compressed when the browser asks (a province's network is slow);
    # Django's GZip masks the length against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cchc.web.organisation.middleware.TemporaryPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An htmx save after the session ended gets a 401, not the login page in a table cell.
    "cchc.web.accounts.session_ended.SessionEndedMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the Vietnamese refusal
]

ROOT_URLCONF = "cchc.web.urls"
WSGI_APPLICATION = "cchc.web.wsgi.application"
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
                "cchc.web.organisation.context_processors.menu",
                "cchc.web.notices.context.unread_notices",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'cchc.sqlite3'}",
        conn_max_age=env_int("CCHC_DB_CONN_MAX_AGE", 60),
    )
}
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Many officials save at once: a write transaction takes SQLite's write lock
    # when it begins (IMMEDIATE), so a writer waits up to `timeout` seconds for
    # its turn instead of failing half-way; WAL lets pages read beside a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
# PostgreSQL binds the parameters itself, and a statement run twice on a connection is
# prepared: each of a save's dozen statements is then parsed and planned once per kept
# connection (CONN_MAX_AGE), not on every request, a third of PostgreSQL's work for a
# save. Behind a pooler in transaction mode (PgBouncer), CCHC_DB_PREPARED=0.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool("CCHC_DB_PREPARED", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Without Redis: a file per entry in the data directory, shared by the worker processes of
# one machine (what one has checked, the others need not check again). With CCHC_REDIS_URL
# (several servers): one cache for all of them, so a change seen by one is seen by all.
REDIS_URL = os.environ.get("CCHC_REDIS_URL", "").strip()
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"CCHC_REDIS_URL={REDIS_URL!r}: cần địa chỉ dạng redis://máy-chủ:6379/0."
    )
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# Heavy work (the consolidated Word report, PDFs, full rebuilds, notice mails) goes on a
# queue kept in the database itself, run by `cchc manage db_worker` (which `cchc serve`
# starts by itself); CCHC_JOBS=inline runs each job in the request instead (docs/jobs.md).
JOBS_MODE = os.environ.get("CCHC_JOBS", "").strip().lower() or "queue"
if JOBS_MODE not in ("queue", "inline"):
    raise ImproperlyConfigured(f"CCHC_JOBS={JOBS_MODE!r}: cần queue hoặc inline.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if JOBS_MODE == "queue"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

LANGUAGE_CODE = "vi"
LOCALE_PATHS = [BASE_DIR / "locale"]  # the few Django messages its Vietnamese misses
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Static files with hashed names (app.3f2a….css), compressed beforehand, cached by browsers
# for a year: `cchc manage collectstatic` writes them (`cchc serve` runs it by itself).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-work"
LOGOUT_REDIRECT_URL = "login"
# «Đã gửi báo cáo» and the like ride in a signed cookie (the session only when too long for
# one): saying them costs no session write, which at the deadline every submission would
# otherwise add to the database's queue of writers.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"
SESSION_COOKIE_HTTPONLY = True
# Sessions in the database, which every server shares: a logout on one ends the session on
# all. With Redis they are also read from its cache (one query less on every request); a
# file cache, being one machine's, would keep a session alive on another after a logout.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "cchc.web.views.csrf.csrf_failure"

# Logins resist guessing: after CCHC_LOGIN_FAILURE_LIMIT wrong passwords for one account, or
# from one address (whatever the accounts), logins are refused for CCHC_LOCKOUT_MINUTES, on
# the login page and for API tokens alike (django-axes, attempts kept in the database so every
# worker and server agrees). The address is the client's as the proxy saw it when
# CCHC_PROXY_COUNT says how many proxies stand in front (see cchc/web/accounts/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("CCHC_LOGIN_FAILURE_LIMIT", 10)
LOCKOUT_MINUTES = env_int("CCHC_LOCKOUT_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("CCHC_LOGIN_FAILURE_LIMIT và CCHC_LOCKOUT_MINUTES phải lớn hơn 0.")
AXES_COOLOFF_TIME = timedelta(minutes=LOCKOUT_MINUTES)
# A try during the lockout is refused unchecked and does not prolong it: "try again in 15 minutes"
# stays true for the official who typed the password wrong.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = "cchc.web.accounts.lockout.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "cchc.web.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cchc.web.accounts.lockout.client_address"
PROXY_COUNT = env_nonnegative("CCHC_PROXY_COUNT", 0)
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False  # the audit log keeps every attempt (accounts/audit.py)
AXES_DISABLE_ACCESS_LOG = True

# Django's own checks of a new password, in Vietnamese (Django's translation, and cchc/web/locale
# for the length message whose wording Django 5.2 changed).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# HTTPS behind the office's proxy: all off by default (the demo is plain HTTP on one machine);
# the production settings in docs/operations.md turn them on, and then
# `cchc manage check --deploy` is clean.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("CCHC_SECURE_COOKIES", False)
SECURE_SSL_REDIRECT = env_bool("CCHC_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_nonnegative("CCHC_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # sent only with HSTS; covers names under cchc's own host
SECURE_PROXY_SSL_HEADER = env_header("CCHC_PROXY_SSL_HEADER")
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading is asked for by the owner of the whole domain (gov.vn names), not by one app.
    "security.W021",
]

# Content-Security-Policy: only our own scripts and styles, nothing inline (htmx is told not to
# add its indicator <style>, see base.html); charts are inline SVG with attributes, not styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# ---------------------------------------------------------------- digital signatures
# Paths only: the PKCS#12 password is read when signing, from the file named by
# CCHC_AGENCY_P12_PASSWORD_FILE or from CCHC_AGENCY_P12_PASSWORD, and is never kept
# in settings, the database or a log (cchc/web/signing/config.py).


def env_path(name: str) -> Path | None:
    """A file or folder that must exist: a mistyped path is said at start-up, not at signing."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.exists():
        raise ImproperlyConfigured(f"{name}={raw!r}: không có tệp hoặc thư mục này.")
    return path


def env_int_between(name: str, default: int, low: int, high: int) -> int:
    value = env_int(name, default)
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name}={value}: cần một số từ {low} đến {high}.")
    return value


SIGNING_TRUST_ROOTS = env_path("CCHC_SIGNING_TRUST_ROOTS")  # CA certificates: a file or folder
AGENCY_UNIT = os.environ.get("CCHC_AGENCY_UNIT", "").strip()  # unit code the certificate is of
AGENCY_P12 = env_path("CCHC_AGENCY_P12")
AGENCY_P12_PASSWORD_FILE = env_path("CCHC_AGENCY_P12_PASSWORD_FILE")
AGENCY_SEAL_IMAGE = env_path("CCHC_AGENCY_SEAL_IMAGE")  # the seal, red, transparent PNG
AGENCY_SEAL_MM = env_int_between("CCHC_AGENCY_SEAL_MM", 40, 20, 60)  # its actual diameter
# Or the agency's key on a PKCS#11 token or HSM (instead of the PKCS#12 file); its PIN,
# like the password, is read when signing: CCHC_AGENCY_PKCS11_PIN_FILE or CCHC_AGENCY_PKCS11_PIN.
AGENCY_PKCS11_MODULE = env_path("CCHC_AGENCY_PKCS11_MODULE")  # the token's driver (.so)
AGENCY_PKCS11_TOKEN = os.environ.get("CCHC_AGENCY_PKCS11_TOKEN", "").strip()  # token label
AGENCY_PKCS11_KEY = os.environ.get("CCHC_AGENCY_PKCS11_KEY", "").strip()  # key and cert label
AGENCY_PKCS11_PIN_FILE = env_path("CCHC_AGENCY_PKCS11_PIN_FILE")

# ---------------------------------------------------------------- notices by e-mail
# Without CCHC_EMAIL_HOST (the demo, a first install) mails are printed on the console
# instead of sent; the in-app notices are the same either way (cchc/web/notices).


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip().lower() or default
    if raw not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r}: cần một trong {', '.join(choices)}.")
    return raw


def env_secret_file(name: str) -> str:
    """A one-line secret kept in a file (not in the environment, not in a log)."""
    path = env_path(name)
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{name}={str(path)!r}: không đọc được tệp ({exc}).") from exc


EMAIL_HOST = os.environ.get("CCHC_EMAIL_HOST", "").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int_between("CCHC_EMAIL_PORT", 587, 1, 65535)
EMAIL_HOST_USER = os.environ.get("CCHC_EMAIL_USER", "").strip()
EMAIL_HOST_PASSWORD = env_secret_file("CCHC_EMAIL_PASSWORD_FILE")
# starttls (port 587), ssl (port 465) or off (a relay inside the office network only)
_EMAIL_TLS = env_choice("CCHC_EMAIL_TLS", "starttls", ("starttls", "ssl", "off"))
EMAIL_USE_TLS, EMAIL_USE_SSL = _EMAIL_TLS == "starttls", _EMAIL_TLS == "ssl"
EMAIL_TIMEOUT = 20  # a mail server that does not answer never holds a page for long
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("CCHC_EMAIL_FROM", "").strip() or (
    "Báo cáo CCHC <cchc@localhost>"
)
if "@" not in DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured(
        f"CCHC_EMAIL_FROM={DEFAULT_FROM_EMAIL!r}: cần một địa chỉ thư, ví dụ "
        "'Báo cáo CCHC <cchc@xahuongson.gov.vn>'."
    )
# The address people open the app at: the links in mails lead there.
SITE_URL = os.environ.get("CCHC_SITE_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"CCHC_SITE_URL={SITE_URL!r}: cần địa chỉ bắt đầu bằng https://, "
        "ví dụ https://cchc.example.gov.vn."
    )
