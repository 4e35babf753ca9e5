"""The test suite's settings: the real ones, in demo mode (a known secret key).

pytest-django imports this module before any conftest runs; outside the tests
nothing turns demo mode on except `cchc serve`, so production refuses to start
without CCHC_SECRET_KEY.
"""

import os

os.environ.setdefault("CCHC_DEV", "1")

from cchc.web.settings import *  # noqa: F403

# Jobs run in the request unless a test asks for the queue and runs a real worker
# (tests/web/test_jobs.py); static files straight from the package, with no
# collectstatic before each run (tests/web/test_served.py checks the hashed ones).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# One cache per test process, emptied before each test (tests/web/conftest.py): a count kept
# by one test never shows in the next, whose users may have the same ids.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# On SQLite the test database is a file, not Django's shared in-memory one: the browser
# tests' live server then has its own connection, as every server process has, and the
# IMMEDIATE transactions of one thread never meet those of another on one connection.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"cchc-test-{os.getpid()}.sqlite3")
    }
