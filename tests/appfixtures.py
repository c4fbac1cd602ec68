"""Fixtures that run the playground on the simulator: in-process, and launched as a real Gradio server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from playground import catalog, sdk
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
        sdk.apply(settings)
        catalog.clear_caches()
        try:
            yield Running(sim, Playground(settings))
        finally:
            sdk.apply(Settings())
            catalog.clear_caches()


@pytest.fixture(scope="module")
def launched_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The whole app (UI and API) served by Gradio on a free port, on the simulator; history in a temporary folder."""
    with Simulator(SimConfig(time_scale=0.0)) as sim:
        settings = Settings(timeout_s=10.0, data_dir=tmp_path_factory.mktemp("history")).with_simulator(sim.hub_url, sim.router_url, sim.direct_url)
        with serving(sim, settings) as running:
            yield running


@contextmanager
def serving(sim: Simulator, settings: Settings) -> Iterator[Running]:
    """The app built for `settings`, served by Gradio on a free port until the block ends; the SDK's URLs restored."""
    from playground.ui.layout import build, launch_options

    sdk.apply(settings)
    catalog.clear_caches()
    playground = Playground(settings)
    demo = build(playground)
    demo.queue(default_concurrency_limit=64)
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True, **launch_options())
    try:
        yield Running(sim, playground, url.rstrip("/"))
    finally:
        demo.close()
        sdk.apply(Settings())
        catalog.clear_caches()


OWNER_TOKEN = "hf_" + "spaceowner" * 3  # the Space owner's token, in the environment as a Space has it
VISITOR_KEY = "hf_" + "visitorkey" * 3


@pytest.fixture(scope="module")
def space_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The whole app as a public Space runs it (SPACE_ID, SYSTEM=spaces, the owner's HF_TOKEN), on the simulator."""
    import os

    import gradio.oauth as gradio_oauth

    from playground.settings import load

    saved_env = {name: os.environ.get(name) for name in ("SPACE_ID", "SYSTEM", "HF_TOKEN", "PLAYGROUND_DATA_DIR")}
    oauth = {"OAUTH_CLIENT_ID": "client-id", "OAUTH_CLIENT_SECRET": "oauth-" + "secret" * 4, "OAUTH_SCOPES": "openid profile inference-api", "OPENID_PROVIDER_URL": "https://huggingface.co"}
    saved_oauth = {name: getattr(gradio_oauth, name) for name in oauth}
    data_dir = tmp_path_factory.mktemp("space-data")
    os.environ.update({"SPACE_ID": "owner/playground", "SYSTEM": "spaces", "HF_TOKEN": OWNER_TOKEN, "PLAYGROUND_DATA_DIR": str(data_dir)})
    for name, value in oauth.items():
        setattr(gradio_oauth, name, value)
    try:
        with Simulator(SimConfig(time_scale=0.0)) as sim:
            settings = load().with_simulator(sim.hub_url, sim.router_url, sim.direct_url)
            assert settings.on_space and settings.server_token == OWNER_TOKEN
            with serving(sim, settings) as running:
                yield running
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for name, value in saved_oauth.items():
            setattr(gradio_oauth, name, value)


@contextmanager
def uploaded(data: bytes, name: str = "input") -> Iterator[str]:
    """`data` as a file in Gradio's upload folder, where an upload puts it (the only place the playground reads)."""
    import shutil
    import uuid

    from gradio.utils import get_upload_folder

    folder = Path(get_upload_folder()) / f"test-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    try:
        (folder / name).write_bytes(data)
        yield str(folder / name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
