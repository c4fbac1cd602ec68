"""Running as a Hugging Face Space: sign-in offered, the Space's own token never spent on visitors."""

from __future__ import annotations

import re
from pathlib import Path

import gradio as gr
import gradio.oauth as gradio_oauth

from playground.keys import keyring
from playground.service import Playground
from playground.settings import Settings, load
from playground.ui.layout import build

README = Path(__file__).resolve().parents[1] / "README.md"


def test_a_space_offers_sign_in_and_keeps_its_token_for_itself(monkeypatch, tmp_path):
    monkeypatch.setenv("SYSTEM", "spaces")  # what Gradio reads to know it is on a Space
    monkeypatch.setenv("SPACE_ID", "someone/playground")
    for name, value in {"OAUTH_CLIENT_ID": "id", "OAUTH_CLIENT_SECRET": "secret", "OAUTH_SCOPES": "openid profile inference-api", "OPENID_PROVIDER_URL": "https://huggingface.co"}.items():
        monkeypatch.setattr(gradio_oauth, name, value)  # a Space sets these; Gradio read them at import
    settings = Settings(space_id="someone/playground", server_token="hf_" + "o" * 34, data_dir=tmp_path)
    demo = build(Playground(settings))
    assert any(isinstance(block, gr.LoginButton) for block in demo.blocks.values())
    assert keyring(settings).hf_credential() is None  # a visitor who typed nothing gets no key
    assert keyring(settings, oauth_token="hf_" + "v" * 34).hf_credential().source == "oauth"
    shared = Settings(space_id="someone/playground", server_token="hf_" + "o" * 34, share_server_token=True)
    assert keyring(shared).hf_credential().source == "local"


def test_locally_there_is_no_sign_in_button(tmp_path):
    demo = build(Playground(Settings(demo=True, data_dir=tmp_path)))
    assert not any(isinstance(block, gr.LoginButton) for block in demo.blocks.values())


def test_space_front_matter_has_the_keys_spaces_document():
    front = README.read_text().split("---")[1]
    fields = dict(re.findall(r"^(\w+):\s*(.*)$", front, flags=re.M))
    assert fields["sdk"] == "gradio" and fields["app_file"] == "app.py" and fields["hf_oauth"] == "true"
    assert fields["sdk_version"] == gr.__version__  # the Space runs the Gradio we test with
    assert "inference-api" in front and len(fields["short_description"]) <= 60
    assert set(fields) <= {"title", "emoji", "colorFrom", "colorTo", "sdk", "sdk_version", "python_version", "app_file", "pinned", "hf_oauth", "hf_oauth_scopes", "short_description", "license"}


def test_settings_read_the_space_environment(monkeypatch):
    monkeypatch.setenv("SPACE_ID", "someone/playground")
    monkeypatch.setenv("PLAYGROUND_SHARE_SERVER_TOKEN", "1")
    monkeypatch.setenv("PLAYGROUND_TIMEOUT_S", "30")
    settings = load()
    assert settings.on_space and settings.share_server_token and settings.timeout_s == 30
