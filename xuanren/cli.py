"""The `xuanren` console script: Django's management commands under the project's name.

`xuanren demo`, `xuanren policy ...`, `xuanren ledger ...`, `xuanren witness ...` and the usual
`xuanren migrate` / `xuanren runserver` all run here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanren.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xuanren", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
