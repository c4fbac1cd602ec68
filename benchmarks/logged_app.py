"""`python benchmarks/logged_app.py LOG [--throttle S]`: run app.py unchanged, logging every first token to LOG.

Each JSON line: provider, the key's SHA-256 (to match the simulator's records), `first_token_at` (perf_counter,
comparable across processes) and the same instant as wall-clock time. `--throttle` replaces the UI's text refresh.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import runpy
import sys
import time
from typing import Any

from common import ROOT


def log_first_tokens(path: str) -> None:
    from playground import runner

    chat = runner._chat

    async def logged_chat(target: Any, plan: Any, result: Any, notify: Any) -> None:
        await chat(target, plan, result, notify)
        if result.first_token_at is not None:
            key = target.credential.key if target.credential else ""
            entry = {"provider": result.provider, "key_sha256": hashlib.sha256(key.encode()).hexdigest(),
                     "first_token_at": result.first_token_at, "ttft_s": result.ttft_s,
                     "first_token_wall": result.first_token_at + (time.time() - time.perf_counter())}
            with open(path, "a") as out:
                out.write(json.dumps(entry) + "\n")

    runner._chat = logged_chat


def set_throttle(seconds: float) -> None:
    from playground import runner, service

    service.Playground.stream = lambda self, plan, throttle_s=0.1: runner.stream(plan, seconds)  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("log")
    parser.add_argument("--throttle", type=float)
    args = parser.parse_args()
    log_first_tokens(args.log)
    if args.throttle is not None:
        set_throttle(args.throttle)
    sys.argv = ["app.py"]
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")


if __name__ == "__main__":
    main()
