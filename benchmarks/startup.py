"""Start-up to serving: `python app.py --demo` ÷ a one-component `gr.Blocks` app, same environment (goal ≤ 1.3).

    python benchmarks/startup.py [--runs 5]

Each is started fresh with GRADIO_SERVER_PORT set and timed until its page answers HTTP 200; the median of
several runs, taken in turns so both see the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from common import ROOT, free_port, machine, python_env, stop, wait_http

BARE_APP = """
import gradio as gr
with gr.Blocks() as demo:
    gr.Textbox(label="Prompt")
demo.launch()
"""


def time_to_serving(command: list[str]) -> float:
    port = free_port()
    env = python_env(GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1")
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return wait_http(f"http://127.0.0.1:{port}/", 120, process) - started
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"Start-up to HTTP 200, median of {args.runs}\nmachine: {machine()}")
    commands = {"app": [sys.executable, "app.py", "--demo"], "bare": [sys.executable, "-c", BARE_APP]}
    times: dict[str, list[float]] = {name: [] for name in commands}
    time_to_serving(commands["bare"])  # warm the file cache for both
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(time_to_serving(command))
    app, bare = statistics.median(times["app"]), statistics.median(times["bare"])
    print(f"  app   {app:6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in times['app'])})")
    print(f"  bare  {bare:6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in times['bare'])})")
    print(f"  ratio {app / bare:.2f}   goal: ≤ 1.3")


if __name__ == "__main__":
    main()
