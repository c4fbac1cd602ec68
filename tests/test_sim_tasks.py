"""Every task through the app on the simulator: Playground.plan → runner.run → parsed outputs, on real protocols."""

from __future__ import annotations

import asyncio
import io
import time
import wave
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from playground import runner
from playground.model import Comparison, Result
from playground.service import Playground
from playground.tasks import TASKS
from tests.apps import Running, uploaded
from tests.test_kinds import png, wav

FLUX = "black-forest-labs/FLUX.1-dev"
WAN = "Wan-AI/Wan2.1-T2V-14B"
WHISPER = "openai/whisper-large-v3"
E5 = "intfloat/multilingual-e5-large-instruct"
# Where each kind of output lands on the Result.
FIELDS = {"text": "text", "image": "image", "audio": "audio", "video": "video", "embedding": "embedding",
          "labels": "labels", "answer": "labels", "entities": "entities", "boxes": "boxes", "masks": "masks"}  # fmt: skip


def run(
    app: Playground,
    task: str,
    model: str,
    providers: Sequence[str],
    tmp_path: Path,
    *,
    file: bytes | str | None = None,
    params: Mapping[str, Any] | None = None,
    **inputs: Any,
) -> Comparison:
    if isinstance(file, bytes):
        with uploaded(file) as path:
            plan = app.plan(task=task, model=model, providers=list(providers), input_file=path, params_json=dict(params or {}), **inputs)
    else:
        plan = app.plan(task=task, model=model, providers=list(providers), input_file=file, params_json=dict(params or {}), **inputs)
    return asyncio.run(runner.run(plan))


def ok(comparison: Comparison) -> list[Result]:
    assert all(r.ok for r in comparison.results), [(r.provider, r.error_kind, r.error) for r in comparison.results]
    return comparison.results


EVERY_TASK: list[tuple[str, str, str, dict[str, Any]]] = [
    ("text-to-image", FLUX, "fal-ai", {"prompt": "a red fox in the snow"}),
    ("image-to-image", "black-forest-labs/FLUX.1-Kontext-dev", "together", {"prompt": "make it blue", "file": png(64, 48)}),
    ("text-to-video", WAN, "fal-ai", {"prompt": "a cat surfing"}),
    ("image-to-video", "Wan-AI/Wan2.1-I2V-14B-720P", "wavespeed", {"prompt": "the fox runs", "file": png(64, 48)}),
    ("text-to-speech", "hexgrad/Kokoro-82M", "together", {"prompt": "hello there"}),
    ("automatic-speech-recognition", WHISPER, "deepinfra", {"file": wav()}),
    ("audio-classification", "superb/hubert-large-superb-er", "hf-inference", {"file": wav()}),
    ("feature-extraction", E5, "scaleway", {"prompt": "the cat sleeps"}),
    ("sentence-similarity", "sentence-transformers/all-MiniLM-L6-v2", "hf-inference", {"prompt": "the cat sleeps", "context": "a cat naps\nstock prices"}),
    ("text-generation", "meta-llama/Llama-3.1-8B", "featherless-ai", {"prompt": "Once upon a time"}),
    ("summarization", "facebook/bart-large-cnn", "hf-inference", {"prompt": "The tower is 324 metres tall. It was the tallest structure for 41 years."}),
    ("translation", "google-t5/t5-small", "hf-inference", {"prompt": "Hello world"}),
    ("text-classification", "distilbert/distilbert-base-uncased-finetuned-sst-2-english", "hf-inference", {"prompt": "I like you"}),
    ("zero-shot-classification", "facebook/bart-large-mnli", "hf-inference", {"prompt": "I want my money back", "labels": ["refund", "faq"]}),
    ("token-classification", "dbmdz/bert-large-cased-finetuned-conll03-english", "hf-inference", {"prompt": "My name is Sarah and I live in London"}),
    ("question-answering", "deepset/roberta-base-squad2", "hf-inference", {"prompt": "Where do I live?", "context": "My name is Sarah and I live in London."}),
    ("fill-mask", "google-bert/bert-base-uncased", "hf-inference", {"prompt": "The capital of France is [MASK]."}),
    ("image-classification", "google/vit-base-patch16-224", "hf-inference", {"file": png()}),
    ("zero-shot-image-classification", "openai/clip-vit-large-patch14", "hf-inference", {"file": png(), "labels": ["red", "blue"]}),
    ("object-detection", "facebook/detr-resnet-50", "hf-inference", {"file": png()}),
    ("image-segmentation", "facebook/detr-resnet-50-panoptic", "hf-inference", {"file": png()}),
    ("image-segmentation", "briaai/RMBG-2.0", "fal-ai", {"file": png()}),
    ("image-to-text", "Salesforce/blip-image-captioning-large", "hf-inference", {"file": png()}),
    ("visual-question-answering", "dandelin/vilt-b32-finetuned-vqa", "hf-inference", {"file": png(), "prompt": "What colour is it?"}),
    ("document-question-answering", "impira/layoutlm-document-qa", "hf-inference", {"file": png(), "prompt": "What is the total?"}),
]


def test_every_registered_task_is_exercised() -> None:
    assert {task for task, *_ in EVERY_TASK} == set(TASKS) - {"conversational"}


@pytest.mark.parametrize(("task", "model", "provider", "inputs"), EVERY_TASK, ids=[f"{t}-{p}" for t, _, p, _ in EVERY_TASK])
def test_every_task(task: str, model: str, provider: str, inputs: dict[str, Any], sim_playground: Running, tmp_path: Path) -> None:
    (result,) = ok(run(sim_playground.playground, task, model, [provider], tmp_path, **inputs))

    output = getattr(result, FIELDS[TASKS[task].output])
    assert output is not None and result.summary
    assert result.latency_s is not None and result.latency_s >= 0
    if result.file:
        assert Path(result.file).stat().st_size > 0


def test_flux_on_three_providers_gives_three_images_of_the_same_size(sim_playground: Running, tmp_path: Path) -> None:
    comparison = run(sim_playground.playground, "text-to-image", FLUX, ["fal-ai", "replicate", "together"], tmp_path,
                     prompt="a lighthouse at dusk", params={"width": 768, "height": 512})  # fmt: skip

    results = ok(comparison)
    assert [(r.provider, r.image["width"], r.image["height"]) for r in results] == [
        ("fal-ai", 768, 512), ("replicate", 768, 512), ("together", 768, 512)]  # fmt: skip
    assert len({Path(r.file).read_bytes() for r in results}) == 3  # each image names its provider
    for result in results:
        with Image.open(result.file) as picture:
            assert picture.size == (768, 512)
    assert [r["image"]["format"] for r in comparison.to_json()["results"]] == [r.image["format"] for r in results]


def test_a_speech_file_transcribed_by_two_providers(sim_playground: Running, tmp_path: Path) -> None:
    app = sim_playground.playground
    (spoken,) = ok(run(app, "text-to-speech", "hexgrad/Kokoro-82M", ["together"], tmp_path, prompt="the quick brown fox"))
    assert spoken.audio["format"] == "wav" and spoken.audio["duration_s"] > 0 and spoken.audio["sample_rate"]

    heard = ok(run(app, "automatic-speech-recognition", WHISPER, ["fal-ai", "hf-inference"], tmp_path, file=Path(spoken.file).read_bytes()))

    assert [(r.provider, r.text) for r in heard] == [("fal-ai", "the quick brown fox"), ("hf-inference", "the quick brown fox")]


def test_embeddings_compared_with_a_similarity_matrix(sim_playground: Running, tmp_path: Path) -> None:
    providers = ["hf-inference", "together", "scaleway", "deepinfra"]
    comparison = run(sim_playground.playground, "feature-extraction", E5, providers, tmp_path, prompt="the cat sleeps")

    results = ok(comparison)
    assert {r.embedding["dimensions"] for r in results} == {1024}
    matrix = comparison.similarity()
    assert list(matrix.index) == list(matrix.columns) == providers
    assert np.allclose(np.diag(matrix.to_numpy()), 1.0)
    assert ((matrix.to_numpy() > 0.5) & (matrix.to_numpy() <= 1.0 + 1e-9)).all()
    assert comparison.to_json()["similarity"]["providers"] == providers


def test_hf_inference_classification_shows_labels(sim_playground: Running, tmp_path: Path) -> None:
    app = sim_playground.playground
    (classified,) = ok(run(app, "zero-shot-classification", "facebook/bart-large-mnli", ["hf-inference"], tmp_path,
                           prompt="I want my money back", labels=["refund", "faq", "legal"]))  # fmt: skip
    assert {row["label"] for row in classified.labels} == {"refund", "faq", "legal"}
    scores = [row["score"] for row in classified.labels]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert classified.summary == f"{classified.labels[0]['label']} ({scores[0]:.2f})"


# Polling protocols ------------------------------------------------------------------------------------------------


def slow(running: Running, provider: str, media_s: float) -> None:
    """The simulator in real time, `provider` taking `media_s` per image (video and speech weigh more)."""
    running.sim.configure(time_scale=1.0, profiles={provider: {"ttft_s": 0.05, "media_s": media_s, "jitter": 0.0}})


def polls(running: Running, provider: str) -> list[dict[str, Any]]:
    return [r for r in running.sim.records() if r["method"] == "GET" and r["provider"] == provider and r["route"] == "routed"]


def test_fal_ai_queue_is_polled_until_the_video_is_ready(sim_playground: Running, tmp_path: Path) -> None:
    slow(sim_playground, "fal-ai", 0.05)

    (result,) = ok(run(sim_playground.playground, "text-to-video", WAN, ["fal-ai"], tmp_path, prompt="a cat surfing"))

    assert result.video["format"] == "mp4" and result.video["duration_s"] > 0 and result.video["width"]
    assert len(polls(sim_playground, "fal-ai")) >= 2  # status polls, then the result
    assert result.latency_s >= 0.05


def test_a_failed_job_says_why(sim_playground: Running, tmp_path: Path) -> None:
    sim_playground.sim.add_fault(provider="wavespeed", kind="empty", times=1)

    (result,) = run(sim_playground.playground, "text-to-image", FLUX, ["wavespeed"], tmp_path, prompt="a cat").results

    assert (result.ok, result.error_kind) == (False, "bad_response")
    assert "WaveSpeed AI task failed" in result.error


def test_a_job_that_never_finishes_times_out(sim_playground: Running, tmp_path: Path) -> None:
    slow(sim_playground, "fal-ai", 10_000.0)
    impatient = Playground(replace(sim_playground.playground.settings, timeout_s=1.0))

    started = time.monotonic()
    (result,) = run(impatient, "text-to-video", WAN, ["fal-ai"], tmp_path, prompt="a cat surfing").results

    assert (result.ok, result.error_kind) == (False, "timeout")
    assert polls(sim_playground, "fal-ai")
    # asyncio.run waits for the worker thread: it returns only because the worker stopped polling at the deadline
    assert time.monotonic() - started < 5.0


def test_replicate_still_starting_after_its_wait_is_a_timeout(sim_playground: Running, tmp_path: Path) -> None:
    sim_playground.sim.configure(time_scale=0.01, profiles={"replicate": {"ttft_s": 0.1, "media_s": 10_000.0, "jitter": 0.0}})

    (result,) = run(sim_playground.playground, "text-to-image", FLUX, ["replicate"], tmp_path, prompt="a cat").results

    assert (result.ok, result.error_kind) == (False, "timeout")
    assert sim_playground.sim.records()[-1]["status"] == 202


def test_speech_is_a_real_wav(sim_playground: Running, tmp_path: Path) -> None:
    (spoken,) = ok(run(sim_playground.playground, "text-to-speech", "hexgrad/Kokoro-82M", ["deepinfra"], tmp_path, prompt="hello"))
    with wave.open(io.BytesIO(Path(spoken.file).read_bytes())) as clip:
        assert clip.getnframes() / clip.getframerate() == pytest.approx(spoken.audio["duration_s"])
