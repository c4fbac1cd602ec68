"""Issue 14, finding 4: what a browser remembers survives a restart of the server process (same data folder)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.browsing import eventually, needs_chromium

pytestmark = needs_chromium

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

APP = Path(__file__).resolve().parents[1] / "app.py"
PREFERENCE = "Your provider preference (comma-separated, Enter to apply)"
STORED = "() => localStorage.getItem('inference-playground-preferences')"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def app_process(port: int, data_dir: Path) -> Iterator[str]:
    """`python app.py --demo` as a person starts it, on `port`, keeping its data in `data_dir`; stopped at the end."""
    environment = {**os.environ, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port),
                   "PLAYGROUND_SIM_PORT": str(free_port()), "PLAYGROUND_DATA_DIR": str(data_dir)}
    (data_dir / "tmp").mkdir(exist_ok=True)  # its scratch and upload folders: a stopped process leaves nothing in /tmp
    environment["TMPDIR"] = str(data_dir / "tmp")
    environment.pop("PLAYGROUND_SECRET", None)  # the secret the app keeps in its data folder, not one handed to it
    server = subprocess.Popen([sys.executable, str(APP), "--demo"], cwd=data_dir, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert server.poll() is None, "the app exited while starting"
        try:
            return httpx.get(url + "/config", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        eventually(up, timeout_s=120)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def browser_secret(url: str) -> str:
    """The secret the server hands the page for the preferences' BrowserState (in /config, as Gradio sends it)."""
    components = httpx.get(url + "/config", timeout=10).json()["components"]
    return next(c["props"]["secret"] for c in components if c.get("props", {}).get("storage_key") == "inference-playground-preferences")


def stored(page, secret: str) -> dict:
    """What the page keeps in localStorage, decrypted as Gradio's BrowserState encrypts it (CryptoJS AES with a
    passphrase: OpenSSL's salted format), with the secret the server sends the page in /config."""
    import base64
    import hashlib
    import json

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    value = page.evaluate(STORED)
    if not value:
        return {}
    passphrase = hashlib.sha256(secret.encode()).hexdigest().encode()
    raw = base64.b64decode(value.split(":")[1])
    salt, body, derived = raw[8:16], raw[16:], b""
    while len(derived) < 48:  # EVP_BytesToKey with MD5: the key, then the IV
        derived += hashlib.md5(derived[-16:] + passphrase + salt).digest()
    decryptor = Cipher(algorithms.AES(derived[:32]), modes.CBC(derived[32:48])).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    return json.loads(unpadder.update(decryptor.update(body) + decryptor.finalize()) + unpadder.finalize())


def test_4_preferences_and_remembered_keys_survive_a_restart_of_the_server(browser, tmp_path):
    port, data_dir, key = free_port(), tmp_path / "data", "hf_" + "kept" * 8
    data_dir.mkdir()
    context = browser.new_context(viewport={"width": 1440, "height": 1100})
    try:
        page = context.new_page()
        with app_process(port, data_dir) as url:
            page.goto(url)
            setup = page.locator(".setup")
            expect(setup.get_by_label(PREFERENCE)).to_be_visible(timeout=30_000)
            setup.get_by_label(PREFERENCE).fill("groq, cerebras")
            setup.get_by_label(PREFERENCE).press("Enter")
            page.get_by_text("Parameters", exact=True).click()
            page.locator("input[aria-label='number input for max_tokens']").fill("77")
            page.locator("input[aria-label='number input for max_tokens']").press("Enter")
            page.get_by_label("runs (each a full fan-out)").fill("3")
            page.get_by_label("runs (each a full fan-out)").press("Enter")
            page.get_by_text("Keys (optional)", exact=True).click()
            page.get_by_label("HF token").fill(key)
            page.get_by_label("Remember my keys in this browser", exact=False).check()
            wanted = {"preference": "groq, cerebras", "max_tokens": 77, "runs": 3, "remember_keys": True}
            secret = browser_secret(url)
            eventually(lambda: wanted.items() <= stored(page, secret).items() and "keys" in stored(page, secret), timeout_s=30)
            assert key not in json.dumps(stored(page, secret)), "the key is kept readable in the browser"
        with app_process(port, data_dir) as url:  # the same address (the browser keeps storage per origin)
            page.reload()
            setup = page.locator(".setup")
            expect(setup.get_by_label(PREFERENCE)).to_have_value("groq, cerebras", timeout=30_000)
            page.get_by_text("Parameters", exact=True).click()
            expect(page.locator("input[aria-label='number input for max_tokens']")).to_have_value("77")
            expect(page.get_by_label("runs (each a full fan-out)")).to_have_value("3")
            page.get_by_text("Keys (optional)", exact=True).click()
            expect(page.get_by_label("HF token")).to_have_value(key)
    finally:
        context.close()
