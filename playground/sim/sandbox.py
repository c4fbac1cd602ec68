"""`python -m playground.sim run -- COMMAND [ARGS...]`: run a program against the simulator, as if live.

The simulator starts in this process; COMMAND gets an environment that points every client at it
(`child_env`), and this process exits with COMMAND's exit code once the simulator has stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from .config import SimConfig
from .providers import direct_hosts
from .server import Simulator

BOOT = Path(__file__).with_name("boot")
REPO = Path(__file__).resolve().parents[2]
DEMO_TOKEN = "hf_" + "sandbox-demo"  # any hf_ token is accepted by the simulator's router
EXTRA_HOSTS = ("queue.fal.run", "fal.run")  # fal's queue and sync hosts (JS sends text-to-image to the queue)


def _joined(first: str, rest: str | None, sep: str = os.pathsep) -> str:
    return first + (sep + rest if rest else "")


def child_env(base_url: str, environ: Mapping[str, str]) -> dict[str, str]:
    """COMMAND's environment: the live services' names mapped onto the simulator at `base_url`."""
    env = dict(environ)
    token = env.get("HF_TOKEN") or DEMO_TOKEN
    hosts = sorted({*direct_hosts(), *EXTRA_HOSTS} - {"router.huggingface.co", "huggingface.co"})
    env.update({
        "HF_ENDPOINT": base_url,
        "PLAYGROUND_ROUTER_URL": f"{base_url}/router",
        "PLAYGROUND_DIRECT_URL": f"{base_url}/direct",
        "PLAYGROUND_DATASETS_URL": f"{base_url}/datasets-server",
        "OPENAI_BASE_URL": f"{base_url}/router/v1",
        "HF_TOKEN": token,
        "PLAYGROUND_SIM_URL": base_url,
        "PLAYGROUND_SIM_HOSTS": ",".join(hosts),
        "PLAYGROUND_SIM_REPO": str(REPO),
        "PYTHONPATH": _joined(str(BOOT), environ.get("PYTHONPATH")),
        "PATH": _joined(str(BOOT / "bin"), environ.get("PATH", os.defpath)),
        "NODE_OPTIONS": _joined(f"--import={(BOOT / 'fetch.mjs').as_uri()}", environ.get("NODE_OPTIONS"), " "),
    })
    env.setdefault("OPENAI_API_KEY", token)
    return env


def run(command: Sequence[str], config: SimConfig | None = None, host: str = "127.0.0.1", port: int = 0,
        environ: Mapping[str, str] | None = None) -> int:
    """Run `command` against a fresh simulator; its exit code (128 + N when killed by signal N)."""
    if not command:
        raise SystemExit("usage: python -m playground.sim run [--time-scale X] -- COMMAND [ARGS...]")
    sim = Simulator(config)
    env = child_env(sim.start(host=host, port=port), os.environ if environ is None else environ)
    try:
        process = subprocess.Popen(list(command), env=env)
    except OSError as error:
        sim.stop()
        raise SystemExit(f"cannot run {command[0]}: {error.strerror}") from None
    try:
        code = process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        code = process.wait()
    finally:
        sim.stop()
    return 128 - code if code < 0 else code
