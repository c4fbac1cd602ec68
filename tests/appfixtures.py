"""Fixtures that run the playground on the simulator: in-process, and launched as a real Gradio server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from playground import catalog, endpoints
from playground.service import Playground
from playground.settings import Settings
from playground.sim import SimConfig, Simulator


@dataclass
class Running:
    sim: Simulator
    playground: Playground
    url: str = ""


@pytest.fixture
def sim_playground(tmp_path: Path) -> Iterator[Running]:
    """The playground pointed at a fresh, instant simulator (time_scale=0); history in a temporary folder."""
    with Simulator(SimConfig(time_scale=0.0)) as sim:
        settings = Settings(timeout_s=10.0, data_dir=tmp_path).with_simulator(sim.hub_url, sim.router_url, sim.direct_url)
        endpoints.apply(settings)
        catalog.clear_caches()
        try:
            yield Running(sim, Playground(settings))
        finally:
            endpoints.apply(Settings())
            catalog.clear_caches()


@pytest.fixture(scope="module")
def launched_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The whole app (UI and API) served by Gradio on a free port, on the simulator; history in a temporary folder."""
    from playground.ui.layout import build, launch_options

    with Simulator(SimConfig(time_scale=0.0)) as sim:
        settings = Settings(timeout_s=10.0, data_dir=tmp_path_factory.mktemp("history")).with_simulator(sim.hub_url, sim.router_url, sim.direct_url)
        endpoints.apply(settings)
        catalog.clear_caches()
        playground = Playground(settings)
        demo = build(playground)
        demo.queue(default_concurrency_limit=64)
        _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True, **launch_options())
        try:
            yield Running(sim, playground, url.rstrip("/"))
        finally:
            demo.close()
            endpoints.apply(Settings())
            catalog.clear_caches()
