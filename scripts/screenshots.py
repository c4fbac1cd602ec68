"""Regenerate the README's pictures in assets/: the browser tests that take them, then their pictures copied there.

    python scripts/screenshots.py

Tests never write into the tree on their own (they keep screenshots in a temporary folder); this is the one way the
pictures in assets/ change, on purpose. Only the pictures the README shows are copied. Look at them before committing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
# The README's pictures: file name → the browser test that takes it (and checks what it shows).
PICTURES = {
    "screenshot.png": "tests/test_browser.py::test_chat_comparison_streams_into_panels",
    "screenshot-mobile.png": "tests/test_browser.py::test_mobile_width_compares_and_stays_legible",
    "screenshot-images.png": "tests/test_browser.py::test_image_comparison_shows_each_providers_image_at_one_size",
    "screenshot-dark.png": "tests/test_browser.py::test_dark_mode_keeps_text_badges_and_errors_legible",
    "screenshot-reasoning.png": "tests/test_browser_readme.py::test_a_reasoning_model_shows_its_thinking_collapsed_above_each_answer",
    "screenshot-statistics.png": "tests/test_browser_readme.py::test_statistics_of_three_runs_per_provider",
    "screenshot-history.png": "tests/test_browser_readme.py::test_history_lists_what_was_compared_with_a_leaderboard",
    "screenshot-conversation.png": "tests/test_browser_readme.py::test_a_three_turn_conversation_continues_each_providers_own_thread",
}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="readme-pictures-") as folder:
        environment = {**os.environ, "PLAYGROUND_SCREENSHOTS": folder}
        tests = list(dict.fromkeys(PICTURES.values()))
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=ROOT, env=environment)
        if done.returncode != 0:
            return done.returncode
        missing = [name for name in PICTURES if not (Path(folder) / name).is_file()]
        if missing:
            print(f"the tests passed but took no {', '.join(missing)}", file=sys.stderr)
            return 1
        for name in PICTURES:
            shutil.copyfile(Path(folder) / name, ASSETS / name)
            print(ASSETS.relative_to(ROOT) / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
