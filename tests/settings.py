"""The test suite's settings: the real ones, in demo mode (a known secret key).

pytest-django imports this module before any conftest runs; outside the tests
nothing turns demo mode on except `cchc serve`, so production refuses to start
without CCHC_SECRET_KEY.
"""

import os

os.environ.setdefault("CCHC_DEV", "1")

from cchc.web.settings import *  # noqa: F403
