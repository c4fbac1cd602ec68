"""The page's handlers and the logic under them, called as plain functions (no browser)."""

from __future__ import annotations

import inspect

import gradio as gr
import pytest

from playground import links, preferences
from playground.model import CompareRequest
from playground.planning import InvalidRequest
from playground.service import Playground
from playground.settings import Settings
from playground.ui import api, compare, layout, setup
from playground.ui import preferences as prefs_ui
from playground.vault import Vault


def form(**values: object) -> dict[str, object]:
    base: dict[str, object] = {name: "" for name in compare.FORM}
    base.update(task="conversational", model="m", providers=["groq"], image=None, audio=None, max_tokens=64.0,
                temperature=0.0, top_p=1.0, seed="", stream=True, params_json='{"width": 8}', runs=2, warmup=False)
    base.update(values)
    return base


def test_chat_reads_the_sliders_and_other_tasks_the_json_box() -> None:
    chat = compare.request_of(form(seed=" 7 ", **{"key:groq": "gsk_x"}), oauth_token="tok")
    assert chat.params_json == {"max_tokens": 64, "temperature": 0.0, "top_p": 1.0, "stream": True, "seed": 7}
    assert chat.provider_keys["groq"] == "gsk_x" and chat.oauth_token == "tok" and chat.runs == 2
    image = compare.request_of(form(task="image-to-image", image="/tmp/x.png"))
    assert image.params_json == '{"width": 8}' and image.input_file == "/tmp/x.png"
    stale = compare.request_of(form(task="automatic-speech-recognition", image="/tmp/x.png", labels="a, b", prompt="hi"))
    assert (stale.input_file, stale.labels, stale.prompt) == (None, "", "")  # hidden boxes of other tasks are not sent
    with pytest.raises(InvalidRequest, match="seed must be a whole number"):
        compare.request_of(form(seed="seven"))


def test_deep_links_fall_back_to_chat_with_a_warning() -> None:
    link = links.parse({"task": "text-to-image", "model": "m", "providers": "a, ,b"})
    assert (link.task, link.model, link.providers, link.warning) == ("text-to-image", "m", ["a", "b"], None)
    link = links.parse({"task": "nope"})
    assert link.task == "conversational" and link.warning and "nope" in link.warning and link.providers is None


def test_keys_are_remembered_only_when_asked() -> None:
    settings = {name: 1 for name in preferences.REMEMBERED} | {"remember_keys": False}
    assert "keys" not in preferences.to_store(settings, "hf_k", {"groq": "g"})
    stored = preferences.to_store(settings | {"remember_keys": True}, "hf_k", {"groq": "g", "together": ""})
    assert stored["keys"] == {"hf": "hf_k", "groq": "g"}
    vault = Vault(b"a test server's secret")
    restored = prefs_ui.restore(vault, stored | {"keys": vault.seal(stored["keys"])})
    assert restored["api_key"] == "hf_k" and restored["key:groq"] == "g" and restored["remember"] is True
    assert isinstance(prefs_ui.restore(vault, stored)["api_key"], type(gr.skip()))  # unsealed keys are not taken
    assert isinstance(prefs_ui.restore(vault, {"runs": 3})["api_key"], type(gr.skip()))


def test_the_api_takes_exactly_the_request_fields_it_may(tmp_path) -> None:
    demo = layout.build(Playground(Settings(demo=True, data_dir=tmp_path)))
    (endpoint,) = [f for f in demo.fns.values() if f.api_name == "compare"]
    injected = ("profile", "request")  # filled in by Gradio (the signed-in visitor, the HTTP request), not by callers
    assert tuple(p for p in inspect.signature(endpoint.fn).parameters if p not in injected) == api.API_FIELDS
    assert set(api.API_FIELDS) | set(api.UI_ONLY) == set(CompareRequest.__dataclass_fields__)


def test_every_provider_key_box_feeds_the_request() -> None:
    request = compare.request_of(form(**{key: f"k{i}" for i, key in enumerate(setup.PROVIDER_KEYS)}))
    assert list(request.provider_keys.values()) == [f"k{i}" for i in range(len(setup.PROVIDER_KEYS))]
