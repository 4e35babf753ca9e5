"""Settings shared by the property tests that feed hostile input to a reader.

Each asserts "a result or the module's own error, never anything else". A
modest number of examples keeps the suite fast; the deadline is generous
because the machine running the suite is often shared and loaded, and a hang
is caught by the explicit time bounds of the tests of each hole.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow],
)
