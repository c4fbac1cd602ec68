"""Recorded task traffic (images, speech, embeddings, classic NLP and vision) replayed through the app's real path:
Playground.plan → runner.run on the live URLs, then the parsed outputs checked against what the recordings carry.

The hf-inference recordings hold only the plain model info (hf-inference's task check), not the provider mapping the
app reads first: `serve_model` adds it, listing hf-inference for the recorded task. Inputs are what the recorded
requests carried (the same text, image and speech bytes), so every request the app sends is one that was recorded.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from functools import cache
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from PIL import Image

from playground import runner
from playground.kinds import audio
from playground.model import Comparison, Result
from playground.planning import InvalidRequest
from playground.service import Playground
from playground.settings import LIVE_HUB_URL, LIVE_ROUTER_URL, Settings
from tests.apps import uploaded
from tests.cassettes import CASSETTES, Recorded, Replay, cassette_name, load
from tests.test_kinds import mp4

KEY = "hf_" + "k" * 34
FLUX = "black-forest-labs/FLUX.1-dev"
ASTRONAUT = "An astronaut riding a horse on the moon."


# Recordings ------------------------------------------------------------------------------------------------------


@cache
def recorded_request(cassette: str, method: str = "POST") -> bytes:
    """The body of the first `method` request of a cassette, as it was sent (the harness keeps only responses)."""
    for interaction in yaml.safe_load((CASSETTES / cassette).read_text())["interactions"]:
        if interaction["request"]["method"].upper() == method:
            body = interaction["request"]["body"]
            return body.encode() if isinstance(body, str) else bytes(body)
    raise LookupError(f"no {method} request in {cassette}")


def recorded_json(cassette: str) -> dict[str, Any]:
    return json.loads(recorded_request(cassette))


def recorded_call(cassette: str, method: str = "POST", host: str = "") -> Recorded:
    return next(r for r in load(cassette) if r.method == method and host in r.url)


def tape(path: str, sent: str) -> Recorded:
    """One huggingface.js recording (tapes.json) of `POST router.huggingface.co/hf-inference{path}` whose body holds `sent`."""
    tapes = json.loads((CASSETTES / "tapes.json").read_text())
    url = f"{LIVE_ROUTER_URL}/hf-inference{path}"
    entry = next(t for t in tapes.values() if t["url"] == url and sent in (t["init"].get("body") or "") and t["response"]["status"] == 200)
    response = entry["response"]
    return Recorded("POST", url, 200, {"content-type": response["headers"]["content-type"]}, response["body"].encode())


def image_cassette() -> str:
    return cassette_name("test_image_classification", "hf-inference", "image-classification")


def speech() -> bytes:
    """The FLAC of "a man said to the universe sir I exist" that the hf-inference recordings were sent."""
    return recorded_request(cassette_name("test_automatic_speech_recognition", "hf-inference", "automatic-speech-recognition"))


def describe(data: bytes) -> tuple[int, int, str]:
    with Image.open(io.BytesIO(data)) as picture:
        return picture.width, picture.height, (picture.format or "").lower()


# The app's path ---------------------------------------------------------------------------------------------------


def serve_model(replay: Replay, model: str, task: str, *, mapping: Mapping[str, str] | None = None, plain: bool = False) -> None:
    """Answer the Hub's model info for `model`: the provider mapping (provider → provider id), and with `plain` the
    task check hf-inference makes, for models whose recording lacks them."""
    entries = {provider: {"status": "live", "providerId": pid, "task": task} for provider, pid in (mapping or {"hf-inference": model}).items()}
    info = {"id": model, "pipeline_tag": task, "tags": [task], "inferenceProviderMapping": entries}
    replay.serve("GET", f"{LIVE_HUB_URL}/api/models/{model}?expand=inferenceProviderMapping", lambda request: httpx2.Response(200, json=info))
    if plain:
        replay.serve("GET", f"{LIVE_HUB_URL}/api/models/{model}", lambda request: httpx2.Response(200, json=info))


def play_hf_inference(replay: Replay, cassette: str) -> None:
    """Serve an hf-inference recording; huggingface_hub 2.4.0 puts `/pipeline/{task}` after the model, 2025 put it before."""
    for item in replay.play(cassette):
        old = f"{LIVE_ROUTER_URL}/hf-inference/pipeline/"
        if item.method == "POST" and item.url.startswith(old):
            task, model = item.url[len(old) :].split("/", 1)
            replay.alias(f"{LIVE_ROUTER_URL}/hf-inference/models/{model}/pipeline/{task}", item)


def compare(
    task: str,
    model: str,
    providers: Sequence[str],
    tmp_path: Path,
    *,
    prompt: str = "",
    file: bytes | None = None,
    labels: Sequence[str] = (),
    context: str = "",
    params: Mapping[str, Any] | None = None,
    provider_keys: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> Comparison:
    with uploaded(file) if file is not None else nullcontext() as path:
        plan = Playground(settings or Settings()).plan(
            task=task,
            model=model,
            providers=list(providers),
            prompt=prompt,
            input_file=path,
            api_key=KEY,
            provider_keys=provider_keys,
            params_json=dict(params or {}),
            labels=list(labels),
            context=context,
        )
    return asyncio.run(runner.run(plan))


def one(comparison: Comparison) -> Result:
    (result,) = comparison.results
    assert result.ok, f"{result.error_kind}: {result.error}"
    return result


def flat(body: Any) -> dict[str, Any]:
    """Every key of a nested JSON body, wherever the provider's format puts it."""
    found: dict[str, Any] = {}
    if isinstance(body, dict):
        for key, value in body.items():
            found[key] = value
            found.update(flat(value))
    return found


# Text to image ----------------------------------------------------------------------------------------------------

# provider → (model, what the provider answered with: the image bytes the client ends up with)
IMAGES: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "fal-ai": (FLUX, lambda c: recorded_call(c, "GET", "fal.media").body),
    "replicate": ("ByteDance/SDXL-Lightning", lambda c: recorded_call(c, "GET", "replicate.delivery").body),
    "together": ("stabilityai/stable-diffusion-xl-base-1.0", lambda c: base64.b64decode(recorded_call(c).json()["data"][0]["b64_json"])),
    "hf-inference": ("CompVis/stable-diffusion-v1-4", lambda c: recorded_call(c).body),
}
GONE = "not in huggingface_hub 2.4.0: listed as not callable (test_providers_gone_from_the_sdk_are_not_callable)"


def play_text_to_image(replay: Replay, provider: str) -> str:
    cassette = cassette_name("test_text_to_image_default", provider, "text-to-image")
    replay.play(cassette)
    if provider == "hf-inference":
        serve_model(replay, IMAGES[provider][0], "text-to-image")
    return cassette


@pytest.mark.parametrize(
    "provider",
    [*IMAGES, *(pytest.param(p, marks=pytest.mark.skip(reason=f"{p} {GONE}")) for p in ("black-forest-labs", "hyperbolic", "nebius"))],
)
def test_text_to_image(provider: str, replay: Replay, tmp_path: Path) -> None:
    cassette = play_text_to_image(replay, provider)
    model, answered = IMAGES[provider]

    result = one(compare("text-to-image", model, [provider], tmp_path, prompt=ASTRONAUT))

    data = answered(cassette)
    width, height, format_ = describe(data)
    assert result.image == {"width": width, "height": height, "format": format_, "bytes": len(data), "mode": result.image["mode"]}
    assert Path(result.file).read_bytes() == data
    assert result.latency_s and result.latency_s > 0 and result.ttft_s is None
    (call,) = [s for s in replay.requests if s.method == "POST"]
    sent = flat(call.json())
    # The same prompt, seed and size go to every provider, each in its own format.
    assert ASTRONAUT in (sent.get("prompt"), sent.get("inputs"))
    assert sent["seed"] == 42
    assert (sent.get("width"), sent.get("height")) == (1024, 1024)


def test_flux_on_three_providers_side_by_side(replay: Replay, tmp_path: Path) -> None:
    """FLUX.1-dev on fal-ai, replicate and together in one comparison. Replicate's and together's answers are their
    recordings for other models, served where a FLUX.1-dev call goes (the Hub's mapping says where)."""
    for provider in IMAGES:
        if provider != "hf-inference":
            play_text_to_image(replay, provider)
    replicate = cassette_name("test_text_to_image_default", "replicate", "text-to-image")
    replay.alias(f"{LIVE_ROUTER_URL}/replicate/v1/models/black-forest-labs/flux-dev/predictions", recorded_call(replicate))

    comparison = compare("text-to-image", FLUX, ["fal-ai", "replicate", "together"], tmp_path, prompt=ASTRONAUT)

    assert [r.provider for r in comparison.results] == ["fal-ai", "replicate", "together"]
    assert all(r.ok for r in comparison.results), [r.error for r in comparison.results]
    assert [(r.image["width"], r.image["height"]) for r in comparison.results] == [(1024, 768), (1024, 1024), (1024, 1024)]
    assert len({r.file for r in comparison.results}) == 3
    bodies = [flat(s.json()) for s in replay.requests if s.method == "POST"]
    assert {(b["seed"], b.get("width"), b.get("height")) for b in bodies} == {(42, 1024, 1024)}
    assert all(r["image"]["bytes"] > 0 and "file" not in r for r in comparison.to_json()["results"])


def test_latency_counts_the_call_and_the_download_not_the_hub_lookup(replay: Replay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a clock that moves only when the replay answers: Hub lookups 100 s, the provider 2 s, the image download 0.5 s."""
    play_text_to_image(replay, "fal-ai")
    seconds = {"huggingface.co": 100.0, "router.huggingface.co": 2.0, "fal.media": 0.5}
    for (method, url), handlers in replay.routes.items():
        host = url.split("/")[2]
        cost = next(v for k, v in sorted(seconds.items(), key=lambda kv: -len(kv[0])) if host.endswith(k))
        replay.routes[(method, url)] = [_taking(replay, cost, handler) for handler in handlers]
    monkeypatch.setattr(runner, "time", replay.clock)

    result = one(compare("text-to-image", FLUX, ["fal-ai"], tmp_path, prompt=ASTRONAUT))

    assert result.latency_s == pytest.approx(2.5)


def _taking(replay: Replay, seconds: float, handler: Callable[[httpx2.Request], httpx2.Response]) -> Callable[[httpx2.Request], httpx2.Response]:
    def answer(request: httpx2.Request) -> httpx2.Response:
        replay.clock.now += seconds
        return handler(request)

    return answer


def test_providers_gone_from_the_sdk_are_not_callable(replay: Replay, tmp_path: Path) -> None:
    replay.play(cassette_name("test_text_to_image_default", "black-forest-labs", "text-to-image"), only=lambda r: r.method == "GET" and "api/models" in r.url)
    listed = {p["provider"]: p for p in Playground(Settings()).providers(FLUX, "text-to-image")}
    assert {p for p, info in listed.items() if not info["callable"]} == {"nebius", "black-forest-labs"}
    assert "huggingface_hub" in listed["black-forest-labs"]["reason"]
    with pytest.raises(InvalidRequest, match="black-forest-labs cannot be called"):
        compare("text-to-image", FLUX, ["black-forest-labs"], tmp_path, prompt=ASTRONAUT)


# Speech -----------------------------------------------------------------------------------------------------------

WHISPER = "openai/whisper-large-v3"


def test_speech_recognition_on_fal_ai(replay: Replay, tmp_path: Path) -> None:
    cassette = cassette_name("test_automatic_speech_recognition", "fal-ai", "automatic-speech-recognition")
    replay.play(cassette)

    result = one(compare("automatic-speech-recognition", WHISPER, ["fal-ai"], tmp_path, file=speech()))

    assert result.text == recorded_call(cassette).json()["text"] == " A man said to the universe, Sir, I exist."
    (call,) = replay.to(f"{LIVE_ROUTER_URL}/fal-ai/fal-ai/whisper")
    assert call.json()["audio_url"].endswith(base64.b64encode(speech()).decode())


def test_speech_recognition_on_hf_inference(replay: Replay, tmp_path: Path) -> None:
    replay.play(cassette_name("test_automatic_speech_recognition", "hf-inference", "automatic-speech-recognition"))
    model = "jonatasgrosman/wav2vec2-large-xlsr-53-english"
    serve_model(replay, model, "automatic-speech-recognition")

    result = one(compare("automatic-speech-recognition", model, ["hf-inference"], tmp_path, file=speech()))

    assert result.text == "a man said to the universe sir i exist"
    (call,) = replay.to(f"{LIVE_ROUTER_URL}/hf-inference/models/{model}")
    assert call.body == speech()  # raw bytes when there are no parameters


def test_one_speech_file_transcribed_by_two_providers(replay: Replay, tmp_path: Path) -> None:
    """whisper-large-v3 on fal-ai and hf-inference; hf-inference's answer is its recording for another speech model."""
    replay.play(cassette_name("test_automatic_speech_recognition", "fal-ai", "automatic-speech-recognition"))
    hf = recorded_call(cassette_name("test_automatic_speech_recognition", "hf-inference", "automatic-speech-recognition"))
    replay.alias(f"{LIVE_ROUTER_URL}/hf-inference/models/{WHISPER}", hf)
    replay.serve("GET", f"{LIVE_HUB_URL}/api/models/{WHISPER}", lambda r: httpx2.Response(200, json={"id": WHISPER, "pipeline_tag": "automatic-speech-recognition"}))

    comparison = compare("automatic-speech-recognition", WHISPER, ["fal-ai", "hf-inference"], tmp_path, file=speech())

    assert [(r.provider, r.ok, r.text) for r in comparison.results] == [
        ("fal-ai", True, " A man said to the universe, Sir, I exist."),
        ("hf-inference", True, "a man said to the universe sir i exist"),
    ]


def test_text_to_speech_on_hf_inference(replay: Replay, tmp_path: Path) -> None:
    cassette = cassette_name("test_text_to_speech", "hf-inference", "text-to-speech")
    replay.play(cassette)
    serve_model(replay, "espnet/kan-bayashi_ljspeech_vits", "text-to-speech")

    result = one(compare("text-to-speech", "espnet/kan-bayashi_ljspeech_vits", ["hf-inference"], tmp_path, prompt="Hello world"))

    audio = recorded_call(cassette).body
    assert result.audio["format"] == "flac" and result.audio["bytes"] == len(audio) == 52_835
    assert result.audio["sample_rate"] == 22_050 and result.audio["channels"] == 1
    assert result.audio["duration_s"] == pytest.approx(1.01, abs=0.005)  # streamed FLAC: from its last frame's header
    assert Path(result.file).read_bytes() == audio and result.file.endswith(".flac")


def test_streamed_flac_duration_comes_from_its_last_frame() -> None:
    """A FLAC written as a stream leaves STREAMINFO's sample count at 0; the frame headers still say how long it is."""
    data = bytearray(speech())
    packed = int.from_bytes(data[18:26], "big")
    assert packed & 0xFFFFFFFFF == 74_400
    data[18:26] = (packed & ~0xFFFFFFFFF).to_bytes(8, "big")
    described, streamed = Result("p", "m", "t"), Result("p", "m", "t")
    audio.summarise(speech(), described)
    audio.summarise(bytes(data), streamed)
    assert described.audio["duration_s"] == streamed.audio["duration_s"] == 74_400 / 16_000


def test_replicate_speech_still_starting_is_a_timeout(replay: Replay, tmp_path: Path) -> None:
    """Replicate answered 202 with no output yet (its `Prefer: wait` ran out): the SDK gives up, the row says timeout."""
    cassette = cassette_name("test_text_to_speech", "replicate", "text-to-speech")
    replay.play(cassette)
    version = recorded_json(cassette)["version"]
    serve_model(replay, "hexgrad/Kokoro-82M", "text-to-speech", mapping={"replicate": f"jaaari/kokoro-82m:{version}"})

    comparison = compare("text-to-speech", "hexgrad/Kokoro-82M", ["replicate"], tmp_path, prompt="Hello world", provider_keys={"replicate": "r8_" + "d" * 37})

    (result,) = comparison.results
    assert (result.ok, result.error_kind, result.routing) == (False, "timeout", "direct")
    (call,) = replay.to("https://api.replicate.com/v1/predictions")
    assert call.headers["prefer"] == "wait" and call.json() == {"input": {"text": "Hello world"}, "version": version}


# Embeddings -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["test_feature_extraction_with_sentence_transformers", "test_feature_extraction_with_transformers"])
def test_feature_extraction_per_token_vectors_are_pooled(variant: str, replay: Replay, tmp_path: Path) -> None:
    cassette = cassette_name(variant, "hf-inference", "feature-extraction")
    play_hf_inference(replay, cassette)
    serve_model(replay, "facebook/bart-base", "feature-extraction")

    comparison = compare("feature-extraction", "facebook/bart-base", ["hf-inference"], tmp_path, prompt="Hi, who are you?")

    result = one(comparison)
    tokens = recorded_call(cassette).json()[0]
    assert result.embedding["shape"] == [1, len(tokens), 768] and result.embedding["dimensions"] == 768
    assert result.embedding["pooled"] == "mean"
    mean = [sum(column) / len(tokens) for column in zip(*tokens)]
    assert result.embedding["preview"] == pytest.approx(mean[:8]) and len(result.vector) == 768
    assert result.embedding["norm"] == pytest.approx(sum(v * v for v in mean) ** 0.5)
    assert comparison.to_json()["similarity"] == {"providers": ["hf-inference"], "matrix": [[1.0]]}
    assert "vector" not in comparison.to_json()["results"][0]


# Classic NLP and vision on hf-inference ---------------------------------------------------------------------------

ZERO_SHOT_LABELS = ("space & cosmos", "scientific discovery", "microbiology", "robots", "archeology")


def _galilean(cassette: str) -> str:
    return recorded_json(cassette)["inputs"]


def _data_image(cassette: str) -> bytes:
    return base64.b64decode(recorded_json(cassette)["inputs"])


CLASSIC: list[tuple[str, str, str, Callable[[str], dict[str, Any]], Callable[[Result], None]]] = [
    (
        "test_text_classification",
        "text-classification",
        "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
        lambda c: {"prompt": "I like you"},
        lambda r: (r.labels[0]["label"], round(r.labels[0]["score"], 4), r.labels[1]["label"]) == ("POSITIVE", 0.9999, "NEGATIVE"),
    ),
    (
        "test_token_classification",
        "token-classification",
        "dbmdz/bert-large-cased-finetuned-conll03-english",
        lambda c: {"prompt": recorded_json(c)["inputs"]},
        lambda r: [(e["word"], e["entity_group"], e["start"], e["end"]) for e in r.entities] == [("Sarah Jessica Parker", "PER", 11, 31), ("Jessica", "PER", 52, 59)],
    ),
    (
        "test_summarization",
        "summarization",
        "sshleifer/distilbart-cnn-12-6",
        lambda c: {"prompt": "The sky is blue, the tree is green."},
        lambda r: r.text.startswith(" eloqu eloqu eloqutititi"),  # what the provider really answered
    ),
    (
        "test_translation",
        "translation",
        "t5-small",
        lambda c: {"prompt": "Hello world"},
        lambda r: r.text == "Hallo Welt",
    ),
    (
        "test_translation_with_source_and_target_language",
        "translation",
        "facebook/mbart-large-50-many-to-many-mmt",
        lambda c: {"prompt": "Hello world", "params": {"src_lang": "en_XX", "tgt_lang": "fr_XX"}},
        lambda r: r.text == "Hello world",
    ),
    (
        "test_sentence_similarity",
        "sentence-similarity",
        "sentence-transformers/all-MiniLM-L6-v2",
        lambda c: {"prompt": recorded_json(c)["source_sentence"], "context": "\n".join(recorded_json(c)["sentences"])},
        lambda r: [(x["label"], round(x["score"], 3)) for x in r.labels]
        == [("Deep learning is so straightforward.", 0.779), ("This is so difficult, like rocket science.", 0.459), ("I can't believe how much I struggled with this.", 0.291)],
    ),
    (
        "test_image_classification",
        "image-classification",
        "google/vit-base-patch16-224",
        lambda c: {"file": recorded_request(c)},
        lambda r: len(r.labels) == 5 and (r.labels[0]["label"], round(r.labels[0]["score"], 3)) == ("brassiere, bra, bandeau", 0.118),
    ),
    (
        "test_object_detection",
        "object-detection",
        "facebook/detr-resnet-50",
        lambda c: {"file": recorded_request(c)},
        lambda r: r.boxes[0] == {"label": "person", "score": pytest.approx(0.94867, abs=1e-5), "box": {"xmin": 59, "ymin": 39, "xmax": 420, "ymax": 510}}
        and [b["label"] for b in r.boxes] == ["person", "umbrella", "person"],
    ),
    (
        "test_image_segmentation",
        "image-segmentation",
        "facebook/detr-resnet-50-panoptic",
        lambda c: {"file": recorded_request(c)},
        lambda r: len(r.masks) >= 2 and all(0 < m["coverage"] <= 1 and (m["width"], m["height"]) == (512, 512) for m in r.masks)
        and Image.open(r.file).size == (512, 512),
    ),
    (
        "test_image_to_text",
        "image-to-text",
        "Salesforce/blip-image-captioning-base",
        lambda c: {"file": recorded_request(c)},
        lambda r: r.text == "a woman in a hat and dress posing for a photo",
    ),
    (
        "test_audio_classification",
        "audio-classification",
        "alefiury/wav2vec2-large-xlsr-53-gender-recognition-librispeech",
        lambda c: {"file": recorded_request(c)},
        lambda r: [x["label"] for x in r.labels] == ["male", "female"],
    ),
    (
        "test_zero_shot_image_classification",
        "zero-shot-image-classification",
        "openai/clip-vit-base-patch32",
        lambda c: {"file": _data_image(c), "labels": ("tree", "woman", "cat")},
        lambda r: [x["label"] for x in r.labels] == ["woman", "cat", "tree"],
    ),
    (
        "test_visual_question_answering",
        "visual-question-answering",
        "dandelin/vilt-b32-finetuned-vqa",
        lambda c: {"file": _data_image(c), "prompt": "Who's in the picture?"},
        lambda r: r.text == "woman" and [x["label"] for x in r.labels][:3] == ["woman", "girl", "lady"],
    ),
    (
        "test_document_question_answering",
        "document-question-answering",
        "naver-clova-ix/donut-base-finetuned-docvqa",
        lambda c: {"file": base64.b64decode(recorded_json(c)["inputs"]["image"]), "prompt": "What is the purchase amount?"},
        lambda r: r.text == "$1,0000,000,00" and r.labels == [{"label": "$1,0000,000,00", "score": None}],
    ),
]


@pytest.mark.parametrize(("test", "task", "model", "inputs", "check"), CLASSIC, ids=[case[0][len("test_") :] for case in CLASSIC])
def test_classic_hf_inference_task(
    test: str, task: str, model: str, inputs: Callable[[str], dict[str, Any]], check: Callable[[Result], bool], replay: Replay, tmp_path: Path
) -> None:
    cassette = cassette_name(test, "hf-inference", task)
    play_hf_inference(replay, cassette)
    serve_model(replay, model, task)

    result = one(compare(task, model, ["hf-inference"], tmp_path, **inputs(cassette)))

    assert check(result), result
    assert result.summary and result.latency_s and result.latency_s > 0


def _zero_shot(label: str) -> str:
    return cassette_name(f"test_zero_shot_classification_{label}_label", "hf-inference", "zero-shot-classification")


@pytest.mark.parametrize("label", ["single", "multi"])
def test_zero_shot_answers_in_the_2025_format_are_a_bad_response(label: str, replay: Replay, tmp_path: Path) -> None:
    """Recorded in 2025 as {sequence, labels, scores}: huggingface_hub 2.4.0 wants [{label, score}] and refuses it."""
    play_hf_inference(replay, _zero_shot(label))
    serve_model(replay, "facebook/bart-large-mnli", "zero-shot-classification")

    (result,) = compare("zero-shot-classification", "facebook/bart-large-mnli", ["hf-inference"], tmp_path, prompt=_galilean(_zero_shot(label)), labels=ZERO_SHOT_LABELS).results

    assert (result.ok, result.error_kind) == (False, "bad_response") and "Expected a list" in result.error


@pytest.mark.parametrize(("label", "scores_add_up"), [("single", True), ("multi", False)])
def test_zero_shot_classification(label: str, scores_add_up: bool, replay: Replay, tmp_path: Path) -> None:
    """The recorded answers, in the [{label, score}] format huggingface_hub 2.4.0 reads."""
    cassette = _zero_shot(label)
    recorded = recorded_call(cassette).json()
    today = [{"label": name, "score": score} for name, score in zip(recorded["labels"], recorded["scores"])]
    replay.serve("POST", f"{LIVE_ROUTER_URL}/hf-inference/models/facebook/bart-large-mnli", lambda request: httpx2.Response(200, json=today))
    serve_model(replay, "facebook/bart-large-mnli", "zero-shot-classification", plain=True)

    result = one(
        compare(
            "zero-shot-classification", "facebook/bart-large-mnli", ["hf-inference"], tmp_path,
            prompt=_galilean(cassette), labels=ZERO_SHOT_LABELS, params={"multi_label": label == "multi"},
        )
    )  # fmt: skip

    assert [x["label"] for x in result.labels] == recorded["labels"] and result.labels[0]["label"] == "scientific discovery"
    assert (abs(sum(x["score"] for x in result.labels) - 1) < 1e-3) is scores_add_up
    (call,) = [s for s in replay.requests if s.method == "POST"]
    assert call.json() == recorded_json(cassette)  # the request is the one recorded


def test_task_parameters_reach_the_provider(replay: Replay, tmp_path: Path) -> None:
    cassette = cassette_name("test_translation_with_source_and_target_language", "hf-inference", "translation")
    play_hf_inference(replay, cassette)
    serve_model(replay, "facebook/mbart-large-50-many-to-many-mmt", "translation")

    compare("translation", "facebook/mbart-large-50-many-to-many-mmt", ["hf-inference"], tmp_path, prompt="Hello world", params={"src_lang": "en_XX", "tgt_lang": "fr_XX"})

    (call,) = [s for s in replay.requests if s.method == "POST"]
    assert call.json() == recorded_json(cassette) == {"inputs": "Hello world", "parameters": {"src_lang": "en_XX", "tgt_lang": "fr_XX"}}


@pytest.mark.parametrize(
    ("task", "model", "path", "sent", "inputs", "expected"),
    [
        ("question-answering", "deepset/roberta-base-squad2", "/models/deepset/roberta-base-squad2", '"question"', {"prompt": "What is the capital of France?", "context": "The capital of France is Paris."}, ("Paris", 0.97)),
        ("fill-mask", "google-bert/bert-base-uncased", "/models/google-bert/bert-base-uncased", "[MASK] world!", {"prompt": "[MASK] world!"}, ("the", 0.29)),
    ],
)
def test_tasks_recorded_by_huggingface_js(
    task: str, model: str, path: str, sent: str, inputs: dict[str, Any], expected: tuple[str, float], replay: Replay, tmp_path: Path
) -> None:
    replay.alias(f"{LIVE_ROUTER_URL}/hf-inference{path}", tape(path, sent))
    serve_model(replay, model, task, plain=True)

    result = one(compare(task, model, ["hf-inference"], tmp_path, **inputs))

    assert (result.labels[0]["label"], round(result.labels[0]["score"], 2)) == expected
    assert result.text == ("Paris" if task == "question-answering" else "the world!")


# Polling protocols -------------------------------------------------------------------------------------------------
# Nothing was recorded for these: the answers below have the shapes provider_protocols.md documents from the SDK.

WAN = "Wan-AI/Wan2.1-T2V-14B"
FAL_QUEUE = f"{LIVE_ROUTER_URL}/fal-ai/fal-ai/wan-t2v"


def _json(body: Any) -> Callable[[httpx2.Request], httpx2.Response]:
    return lambda request: httpx2.Response(200, json=body)


def serve_fal_queue(replay: Replay, statuses: Sequence[str]) -> None:
    """fal-ai's queue, routed: submit, poll `/status` (answers in turn, the last repeats), fetch the result, download."""
    serve_model(replay, WAN, "text-to-video", mapping={"fal-ai": "fal-ai/wan-t2v"})
    job = {"request_id": "r1", "status": "IN_QUEUE", "response_url": "https://queue.fal.run/fal-ai/wan-t2v/requests/r1"}
    replay.serve("POST", f"{FAL_QUEUE}?_subdomain=queue", _json(job))
    for status in statuses:
        replay.serve("GET", f"{FAL_QUEUE}/requests/r1/status?_subdomain=queue", _json({"status": status}))
    replay.serve("GET", f"{FAL_QUEUE}/requests/r1?_subdomain=queue", _json({"video": {"url": "https://v3.fal.media/files/clip.mp4"}}))
    replay.serve("GET", "https://v3.fal.media/files/clip.mp4", lambda request: httpx2.Response(200, content=mp4(3.0, 640, 360)))


def test_fal_ai_queue_polls_until_the_video_is_ready(replay: Replay, tmp_path: Path) -> None:
    serve_fal_queue(replay, ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"])

    result = one(compare("text-to-video", WAN, ["fal-ai"], tmp_path, prompt="A cat surfing"))

    assert result.video == {"format": "mp4", "bytes": len(mp4(3.0, 640, 360)), "duration_s": 3.0, "width": 640, "height": 360}
    assert Path(result.file).suffix == ".mp4"
    assert len(replay.to(f"{FAL_QUEUE}/requests/r1/status?_subdomain=queue", method="GET")) == 3
    (submitted,) = replay.to(f"{FAL_QUEUE}?_subdomain=queue")
    assert submitted.json()["prompt"] == "A cat surfing" and submitted.json()["seed"] == 42


def test_a_job_that_never_finishes_times_out_and_stops_polling(replay: Replay, tmp_path: Path) -> None:
    """fal-ai's poller has no end of its own: the row says timeout, and the worker thread stops (asyncio.run joins it)."""
    serve_fal_queue(replay, ["IN_PROGRESS"])

    comparison = compare("text-to-video", WAN, ["fal-ai"], tmp_path, prompt="A cat surfing", settings=Settings(timeout_s=1.0))

    (result,) = comparison.results
    assert (result.ok, result.error_kind) == (False, "timeout")
    polls = len(replay.to(f"{FAL_QUEUE}/requests/r1/status?_subdomain=queue", method="GET"))
    assert 1 <= polls <= 3  # one every 0.5 s for 1 s; none after the deadline
    assert not replay.to(f"{FAL_QUEUE}/requests/r1?_subdomain=queue", method="GET")


def test_a_job_that_fails_says_why(replay: Replay, tmp_path: Path) -> None:
    serve_model(replay, FLUX, "text-to-image", mapping={"wavespeed": "wavespeed-ai/flux-dev"})
    replay.serve("POST", f"{LIVE_ROUTER_URL}/wavespeed/api/v3/wavespeed-ai/flux-dev", _json({"data": {"id": "w1", "urls": {"get": "https://api.wavespeed.ai/api/v3/predictions/w1/result"}}}))
    result_url = f"{LIVE_ROUTER_URL}/wavespeed/api/v3/predictions/w1/result"
    replay.serve("GET", result_url, _json({"data": {"status": "processing"}}))
    replay.serve("GET", result_url, _json({"data": {"status": "failed", "error": "NSFW content detected"}}))

    (result,) = compare("text-to-image", FLUX, ["wavespeed"], tmp_path, prompt=ASTRONAUT).results

    assert not result.ok and result.error_kind == "bad_response"
    assert "WaveSpeed AI task failed: NSFW content detected" in result.error
    assert len(replay.to(result_url, method="GET")) == 2
