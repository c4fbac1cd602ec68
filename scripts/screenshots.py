"""Regenerate the README's pictures in assets/: the browser tests that take them, with their output sent there.

    python scripts/screenshots.py

Tests never write into the tree on their own (they keep screenshots in a temporary folder); this is the one way the
pictures in assets/ change, on purpose. Look at them before committing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"


def screenshot_tests() -> list[str]:
    """Every browser test that saves a named screenshot (a `screenshot(page, "….png")` call in its body)."""
    found = []
    for path in sorted((ROOT / "tests").glob("test_browser*.py")):
        for test in re.split(r"\n(?=def test_)", path.read_text())[1:]:
            if re.search(r'screenshot\(\s*\w+,\s*f?"[^"]+\.png"', test):
                found.append(f"{path.relative_to(ROOT)}::{test[4:test.index('(')]}")
    return found


def main() -> int:
    tests = screenshot_tests()
    if not tests:
        print("no browser test takes a screenshot", file=sys.stderr)
        return 1
    environment = {**os.environ, "PLAYGROUND_SCREENSHOTS": str(ASSETS)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", *tests], cwd=ROOT, env=environment)
    if done.returncode == 0:
        print("\n".join(sorted(p.name for p in ASSETS.glob("*.png"))))
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
