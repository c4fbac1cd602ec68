"""Every output kind's snippets run with the real clients (huggingface_hub in Python, @huggingface/inference in node)
against the simulator, and print what the app itself got for the same call."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest

from playground import snippets
from playground.keys import DEMO_TOKEN
from playground.model import Result
from tests.apps import Running, uploaded
from tests.test_kinds import png, wav
from tests.test_sim_tasks import ok, run

# One task per output kind: (task, model, provider, inputs).
KINDS: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "image": ("text-to-image", "black-forest-labs/FLUX.1-dev", "replicate", {"prompt": "a red fox in the snow"}),
    "video": ("text-to-video", "Wan-AI/Wan2.1-T2V-14B", "replicate", {"prompt": "a cat surfing"}),
    "audio": ("text-to-speech", "hexgrad/Kokoro-82M", "replicate", {"prompt": "hello there"}),
    "text": ("summarization", "facebook/bart-large-cnn", "hf-inference", {"prompt": "The tower is 324 metres tall. It was the tallest structure for 41 years."}),
    "transcript": ("automatic-speech-recognition", "openai/whisper-large-v3", "hf-inference", {"file": wav()}),
    "embedding": ("feature-extraction", "intfloat/multilingual-e5-large-instruct", "hf-inference", {"prompt": "the cat sleeps"}),
    "labels": ("text-classification", "distilbert/distilbert-base-uncased-finetuned-sst-2-english", "hf-inference", {"prompt": "I like you"}),
    "entities": ("token-classification", "dbmdz/bert-large-cased-finetuned-conll03-english", "hf-inference", {"prompt": "My name is Sarah and I live in London"}),
    "answer": ("question-answering", "deepset/roberta-base-squad2", "hf-inference", {"prompt": "Where do I live?", "context": "My name is Sarah and I live in London."}),
    "boxes": ("object-detection", "facebook/detr-resnet-50", "hf-inference", {"file": png()}),
    "masks": ("image-segmentation", "facebook/detr-resnet-50-panoptic", "hf-inference", {"file": png()}),
}


def _environment() -> dict[str, str]:
    return {**os.environ, "HF_TOKEN": DEMO_TOKEN}


def _app_result(app: Running, kind: str, tmp_path: Path) -> tuple[Result, dict[str, str | None]]:
    task, model, provider, inputs = KINDS[kind]
    (result,) = ok(run(app.playground, task, model, [provider], tmp_path, **inputs))
    if "file" in inputs:
        (tmp_path / "input").write_bytes(inputs["file"])  # what the person saves their upload as, to run the snippet
    with uploaded(inputs["file"]) if "file" in inputs else nullcontext() as path:
        plan = app.playground.plan(task=task, model=model, providers=[provider], input_file=path,
                                   **{k: v for k, v in inputs.items() if k != "file"})  # fmt: skip
    return result, snippets.for_plan(plan, app.playground.settings)[provider]


def _first_number(text: str) -> float:
    found = re.search(r"-?\d+\.\d+(?:e-?\d+)?", text)
    assert found, text
    return float(found.group())


def _check_printed(kind: str, result: Result, printed: str, folder: Path, language: str) -> None:
    """What the snippet printed (and saved) is what the app got for the same call."""
    media = {"image": result.image, "video": result.video, "audio": result.audio}.get(kind)
    if media is not None and language == "python":
        saved = next(folder.glob("output.*"))
        assert saved.suffix.lstrip(".") in ("png", "flac", "mp4")
        if kind == "image":
            assert f"({media['width']}, {media['height']})" in printed
        else:
            assert saved.stat().st_size == media["bytes"]
    elif media is not None:
        assert re.search(rf"Blob \{{ size: {media['bytes']}, type: '\w+/", printed), printed
    elif kind in ("text", "transcript"):
        assert result.text and result.text in printed
    elif kind == "embedding":
        assert _first_number(printed) == pytest.approx(result.embedding["preview"][0], rel=1e-5)
    else:
        found = result.entities if kind == "entities" else result.boxes if kind == "boxes" else result.masks if kind == "masks" else result.labels
        names = {item.get("label") or item.get("word") or item.get("entity_group") for item in found}
        assert names and all(str(name) in printed for name in names), (names, printed)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_python_snippet_prints_what_the_app_got(kind: str, sim_playground: Running, tmp_path: Path) -> None:
    result, code = _app_result(sim_playground, kind, tmp_path)
    folder = tmp_path / "run"
    folder.mkdir()
    if (tmp_path / "input").exists():
        (folder / result_input_name(code["python"])).write_bytes((tmp_path / "input").read_bytes())
    done = subprocess.run([sys.executable, "-c", code["python"]], cwd=folder, capture_output=True, text=True, env=_environment(), timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    _check_printed(kind, result, done.stdout, folder, "python")


def result_input_name(code: str | None) -> str:
    """The file name the snippet opens for its input (the person saves their upload under that name)."""
    found = re.search(r'open\("([^"]+)", "rb"\)', code or "") or re.search(r'client\.\w+\(\s*"([^"]+\.\w+)"', code or "")
    assert found, code
    return found.group(1)


JS_KINDS = sorted(kind for kind, (_, _, _, inputs) in KINDS.items() if "file" not in inputs and "context" not in inputs)


@pytest.mark.parametrize("kind", JS_KINDS)
def test_javascript_snippet_prints_what_the_app_got(kind: str, sim_playground: Running, tmp_path: Path, js_clients: Path) -> None:
    result, code = _app_result(sim_playground, kind, tmp_path)
    assert code["javascript"], f"no JavaScript snippet for {kind}"
    script = js_clients / f"snippet-{os.getpid()}-{kind}.mjs"
    script.write_text(code["javascript"])
    try:
        done = subprocess.run(["node", script.name], cwd=js_clients, capture_output=True, text=True, env=_environment(), timeout=120)
    finally:
        script.unlink()
    assert done.returncode == 0, done.stderr[-2000:]
    _check_printed(kind, result, done.stdout, tmp_path, "javascript")


def test_every_one_shot_output_kind_is_run() -> None:
    from playground.tasks import TASKS

    assert {TASKS[task].output for task, *_ in KINDS.values()} == {t.output for t in TASKS.values()}


def test_javascript_fal_text_to_image_snippet_runs(sim_playground: Running, tmp_path: Path, js_clients: Path) -> None:
    """@huggingface/inference sends fal-ai text-to-image to fal's queue: the simulator answers it as a queue."""
    task, model, _, inputs = KINDS["image"]
    plan = sim_playground.playground.plan(task=task, model=model, providers=["fal-ai"], input_file=None, **inputs)
    code = snippets.for_plan(plan, sim_playground.playground.settings)["fal-ai"]["javascript"]
    script = js_clients / f"snippet-{os.getpid()}-fal.mjs"
    script.write_text(code)
    try:
        done = subprocess.run(["node", script.name], cwd=js_clients, capture_output=True, text=True, env=_environment(), timeout=120)
    finally:
        script.unlink()
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"Blob \{ size: \d{4,}, type: 'image/jpeg'", done.stdout), done.stdout


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
def test_python_chat_snippet_with_tools_prints_the_call(stream: bool, sim_playground: Running, tmp_path: Path) -> None:
    from tests.test_verdicts import WEATHER

    sim_playground.sim.configure(behaviours={"groq": {"tools": "calls"}})
    plan = sim_playground.playground.plan(task="conversational", model="meta-llama/Llama-3.3-70B-Instruct", providers=["groq"],
                                          prompt="Weather in Paris?", params_json={"tools": [WEATHER], "stream": stream})
    code = snippets.for_plan(plan, sim_playground.playground.settings)["groq"]
    assert "tools=[" in code["python"] and "get_weather" in code["javascript"] and "get_weather" in code["curl"]
    done = subprocess.run([sys.executable, "-c", code["python"]], cwd=tmp_path, capture_output=True, text=True, env=_environment(), timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "get_weather" in done.stdout and '"location": "Paris"' in done.stdout, done.stdout
