"""Entry point for `make bench`: runs every benchmark module and prints one table."""

from __future__ import annotations

import sys


def main() -> int:
    print("No benchmarks registered yet.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
