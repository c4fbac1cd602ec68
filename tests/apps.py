"""Running the playground on the simulator for tests: in-process, or served by Gradio (the fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playground import catalog
from playground.sdk import urls
from playground.service import Playground
from playground.settings import Settings
from playground.sim.server import Simulator


@dataclass
class Running:
    sim: Simulator
    playground: Playground
    url: str = ""


@contextmanager
def serving(sim: Simulator, settings: Settings) -> Iterator[Running]:
    """The app built for `settings`, served by Gradio on a free port until the block ends; the SDK's URLs restored."""
    from playground.ui.layout import build, launch_options

    urls.apply(settings)
    catalog.clear_caches()
    playground = Playground(settings)
    demo = build(playground)
    demo.queue(default_concurrency_limit=64)
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True, **launch_options())
    try:
        yield Running(sim, playground, url.rstrip("/"))
    finally:
        demo.close()
        urls.apply(Settings())
        catalog.clear_caches()


OWNER_TOKEN = "hf_" + "spaceowner" * 3  # the Space owner's token, in the environment as a Space has it
VISITOR_KEY = "hf_" + "visitorkey" * 3


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
