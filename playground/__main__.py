"""`python -m playground bench …`: command-line tools of the playground (the app itself is `python app.py`)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] != "bench":
        print("usage: python -m playground bench [options]   (python -m playground bench --help for the options)",
              file=sys.stderr)
        return 2
    from .bench.cli import main as bench

    return bench(args[1:])


if __name__ == "__main__":
    sys.exit(main())
