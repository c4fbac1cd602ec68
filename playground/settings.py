"""Every environment variable the playground reads, in one frozen dataclass."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

LIVE_HUB_URL = "https://huggingface.co"
LIVE_ROUTER_URL = "https://router.huggingface.co"
LIVE_DATASETS_URL = "https://datasets-server.huggingface.co"  # the Hub's dataset viewer API (load-test prompts)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _float(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    hub_url: str = LIVE_HUB_URL
    router_url: str = LIVE_ROUTER_URL
    # Where direct (provider-key) calls go instead of the providers' own hosts: "{direct_url}/{host}/…".
    # Only the simulator sets it; live runs leave it empty.
    direct_url: str = ""
    datasets_url: str = LIVE_DATASETS_URL
    timeout_s: float = 120.0
    demo: bool = False
    force_demo: bool = False
    space_id: str = ""
    share_server_token: bool = False
    data_dir: Path = Path(".playground")
    sim_port: int = 7870  # demo mode's simulator: a fixed port, so a snippet copied from the app still runs after a restart
    server_token: str | None = field(default=None, repr=False)
    secret: str = field(default="", repr=False)  # PLAYGROUND_SECRET: seals what browsers keep (see vault.py)

    @property
    def on_space(self) -> bool:
        return bool(self.space_id)

    def with_simulator(self, hub_url: str, router_url: str, direct_url: str) -> Settings:
        return replace(self, hub_url=hub_url, router_url=router_url, direct_url=direct_url,
                       datasets_url=hub_url.rstrip("/") + "/datasets-server", demo=True)


def _default_data_dir(environ: Mapping[str, str]) -> Path:
    if environ.get("PLAYGROUND_DATA_DIR"):
        return Path(environ["PLAYGROUND_DATA_DIR"])
    if environ.get("SPACE_ID") and Path("/data").is_dir():
        return Path("/data/playground")
    return Path(".playground")


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the environment once; the result is passed around, never re-read."""
    environ = os.environ if environ is None else environ
    from huggingface_hub import get_token  # reads HF_TOKEN or the token saved by `hf auth login`

    token = environ.get("HF_TOKEN") or (get_token() if environ is os.environ else None)
    return Settings(
        hub_url=(environ.get("HF_ENDPOINT") or LIVE_HUB_URL).rstrip("/"),
        router_url=(environ.get("PLAYGROUND_ROUTER_URL") or LIVE_ROUTER_URL).rstrip("/"),
        direct_url=(environ.get("PLAYGROUND_DIRECT_URL") or "").rstrip("/"),
        datasets_url=(environ.get("PLAYGROUND_DATASETS_URL") or LIVE_DATASETS_URL).rstrip("/"),
        timeout_s=_float(environ, "PLAYGROUND_TIMEOUT_S", 120.0),
        force_demo=_truthy(environ.get("PLAYGROUND_DEMO")),
        space_id=environ.get("SPACE_ID", ""),
        share_server_token=_truthy(environ.get("PLAYGROUND_SHARE_SERVER_TOKEN")),
        data_dir=_default_data_dir(environ),
        sim_port=int(environ.get("PLAYGROUND_SIM_PORT") or 7870),
        server_token=token or None,
        secret=environ.get("PLAYGROUND_SECRET", ""),
    )
