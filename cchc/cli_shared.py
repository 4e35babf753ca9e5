"""What every `cchc` command shares: exit statuses, the unreadable-input error, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


class InputError(Exception):
    """Input that cannot be read; printed as is, exit status 2."""


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
