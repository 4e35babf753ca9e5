"""Django settings: defaults give a working local SQLite run; production sets the environment.

Every variable is read by a small typed helper that refuses a bad value at
start-up, and every one is listed in the README's settings table.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
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


DEBUG = env_bool("CCHC_DEBUG", False)
SECRET_KEY = os.environ.get("CCHC_SECRET_KEY", "")
if not SECRET_KEY:
    if not env_bool("CCHC_DEV", True):
        raise ImproperlyConfigured(
            "CCHC_SECRET_KEY phải được đặt khi CCHC_DEV=0 (môi trường thật)."
        )
    SECRET_KEY = "cchc-dev-only-not-secret"  # local runs and tests only
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
    "cchc.web.organisation",
    "cchc.web.reporting",
    "cchc.web.signing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Many officials save at once: writers queue for the lock instead of failing
    # (the backend adds a file lock so they are woken in turn, see sqlite_backend).
    DATABASES["default"]["ENGINE"] = "cchc.web.sqlite_backend"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Shared by the server's worker processes (a file per entry in the data directory):
# what one process has checked, the others need not check again.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve straight from the package: no collectstatic step to forget
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-work"
LOGOUT_REDIRECT_URL = "login"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the shared cache and written through to the database:
# one query less on every request, and a logout still ends the session everywhere.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "DENY"

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
