"""Django's management commands for the cchc web application (`cchc manage …`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
    import django

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cchc manage", *(sys.argv[1:] if argv is None else argv)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
