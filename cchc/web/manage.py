"""Django's management commands for the cchc web application (`cchc manage …`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

EXIT_MISCONFIGURED = 2


def _settings_or_exit() -> None:
    """Load the settings; a missing secret key or a bad variable ends here with its message."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
    from django.conf import settings  # noqa: PLC0415 — settings are chosen first
    from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415 — settings are chosen first

    try:
        settings.INSTALLED_APPS  # noqa: B018 — reading one setting imports the module
    except ImproperlyConfigured as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_MISCONFIGURED) from None


def setup(*, signs_nothing: bool = False) -> None:
    """Django, ready for a command; one that signs nothing (no session, no form) needs no key.

    `cchc consolidate` and `cchc compare` only read the database and print: they
    run in demo mode unless told otherwise, as `cchc serve` does for the demo.
    """
    if signs_nothing:
        os.environ.setdefault("CCHC_DEV", "1")
    _settings_or_exit()
    import django  # noqa: PLC0415 — settings are chosen first

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    _settings_or_exit()
    from django.core.management import execute_from_command_line  # noqa: PLC0415 — settings are chosen first

    execute_from_command_line(["cchc manage", *(sys.argv[1:] if argv is None else argv)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
