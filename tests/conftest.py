"""Fixtures shared by every test module. Keep them small and generic."""

from __future__ import annotations

import os
import random
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground import catalog
from playground.sdk import urls
from playground.service import Playground
from playground.settings import Settings
from playground.sim.config import SimConfig
from playground.sim.server import Simulator
from tests.apps import OWNER_TOKEN, Running, serving
from tests.cassettes import Replay, replaying


@pytest.fixture(scope="session", autouse=True)
def tree_left_clean() -> Iterator[None]:
    """Tests keep their data in temporary folders: the app's default data folder must not appear in the tree."""
    default = Path(__file__).resolve().parents[1] / ".playground"
    existed = default.exists()
    yield
    assert existed or not default.exists(), f"a test wrote the app's data into {default}: give it a tmp_path data_dir"


@pytest.fixture
def replay() -> Iterator[Replay]:
    """Recorded traffic served to huggingface_hub on the live URLs (see tests/cassettes.py); nothing reaches the network."""
    with replaying() as serving:
        yield serving


@pytest.fixture
def hf_key() -> str:
    """A fresh HF-shaped key, so a test can tell whether it leaked anywhere."""
    return "hf_" + "".join(random.choices(string.ascii_letters, k=30))


@pytest.fixture(scope="session")
def js_clients() -> Path:
    """The folder where scripts/npm-install.sh put the JavaScript clients (PLAYGROUND_JS_DIR, or its default cache).

    Skipped when node or the packages are missing, unless PLAYGROUND_REQUIRE_CLIENTS=1 (CI) makes that a failure."""
    folder = Path(os.environ.get("PLAYGROUND_JS_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "playground-js")
    missing = shutil.which("node") is None or not (folder / "node_modules" / "@huggingface" / "inference").is_dir()
    if missing and os.environ.get("PLAYGROUND_REQUIRE_CLIENTS") == "1":
        pytest.fail(f"node or the JavaScript clients are missing in {folder}: run scripts/npm-install.sh")
    if missing:
        pytest.skip(f"no JavaScript clients in {folder}: run scripts/npm-install.sh")
    return folder


@pytest.fixture
def sim_playground(tmp_path: Path) -> Iterator[Running]:
    """The playground pointed at a fresh, instant simulator (time_scale=0); history in a temporary folder."""
    with Simulator(SimConfig(time_scale=0.0)) as sim:
        settings = Settings(timeout_s=10.0, data_dir=tmp_path).with_simulator(sim.hub_url, sim.router_url, sim.direct_url)
        urls.apply(settings)
        catalog.clear_caches()
        try:
            yield Running(sim, Playground(settings))
        finally:
            urls.apply(Settings())
            catalog.clear_caches()


@pytest.fixture(scope="module")
def launched_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The whole app (UI and API) served by Gradio on a free port, on the simulator; history in a temporary folder."""
    with Simulator(SimConfig(time_scale=0.0)) as sim:
        settings = Settings(timeout_s=10.0, data_dir=tmp_path_factory.mktemp("history")).with_simulator(sim.hub_url, sim.router_url, sim.direct_url)
        with serving(sim, settings) as running:
            yield running


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


@pytest.fixture(scope="module")
def browser():
    """Chromium for one module of browser tests (those modules skip themselves when it is missing)."""
    from tests.browsing import BROWSER_ARGS, CHROMIUM, playwright_sync

    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, launched_app):
    context = browser.new_context(viewport={"width": 1440, "height": 1100})
    page = context.new_page()
    page.goto(launched_app.url)
    yield page
    context.close()
