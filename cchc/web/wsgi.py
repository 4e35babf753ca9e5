"""WSGI entry point for production servers (e.g. gunicorn cchc.web.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
application = get_wsgi_application()
# Django imports the URLconf, and with it every view and the document writers they use
# (0,8 s here), on a process's first request. A server process loads it now instead,
# before it takes any request: otherwise whoever is served first by each new gunicorn
# process (and again after each --max-requests restart) waits that long.
get_resolver().url_patterns  # noqa: B018
