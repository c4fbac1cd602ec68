"""Every non-chat task through huggingface_hub, on each provider protocol, routed and direct."""

from __future__ import annotations

import io
import shutil
import struct
import wave
from collections.abc import Iterator

import numpy as np
import pytest
from huggingface_hub import InferenceClient
from huggingface_hub.errors import HfHubHTTPError
from PIL import Image

from playground.sdk.urls import redirected
from playground.settings import Settings
from playground.sim.config import SimConfig
from playground.sim.server import Simulator
from playground.sim.video import encode_mp4

FLUX = "black-forest-labs/FLUX.1-dev"
KONTEXT = "black-forest-labs/FLUX.1-Kontext-dev"
WAN_T2V = "Wan-AI/Wan2.1-T2V-14B"
WAN_I2V = "Wan-AI/Wan2.1-I2V-14B-720P"
KOKORO = "hexgrad/Kokoro-82M"
WHISPER = "openai/whisper-large-v3"
E5 = "intfloat/multilingual-e5-large-instruct"
KEYS = ["hf_test", "provider-direct-key"]


def png(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(time_scale=0.0)) as running, redirected(Settings().with_simulator(running.hub_url, running.router_url, running.direct_url)):
        yield running


@pytest.fixture(autouse=True)
def reset(sim: Simulator) -> Iterator[None]:
    sim.clear_faults()
    yield
    sim.clear_faults()
    sim.configure(time_scale=0.0, profiles={})


def client(provider: str, key: str) -> InferenceClient:
    return InferenceClient(provider=provider, api_key="hf_test" if provider == "hf-inference" else key)


def mp4_boxes(data: bytes) -> list[bytes]:
    boxes, at = [], 0
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        boxes.append(kind)
        at += size
    return boxes


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("provider", ["fal-ai", "replicate", "together", "hf-inference", "wavespeed"])
def test_text_to_image(sim: Simulator, provider: str, key: str) -> None:
    image = client(provider, key).text_to_image("a red fox in the snow", model=FLUX, width=256, height=192)
    assert image.size == (256, 192)
    route = "routed" if key.startswith("hf_") or provider == "hf-inference" else "direct"
    calls = [r for r in sim.records() if r["route"] in ("routed", "direct")]
    assert (calls[-1]["provider"], calls[-1]["route"], calls[-1]["model"]) == (provider, route, FLUX)


@pytest.mark.parametrize(("provider", "model"), [("nscale", "black-forest-labs/FLUX.1-schnell"),
                                                 ("zai-org", "zai-org/CogView4-6B"),
                                                 ("replicate", "ByteDance/SDXL-Lightning")])
def test_text_to_image_other_protocols(sim: Simulator, provider: str, model: str) -> None:
    assert client(provider, "hf_test").text_to_image("a lighthouse", model=model).size == (1024, 1024)


def test_images_show_the_prompt_and_differ_by_provider(sim: Simulator) -> None:
    fal = client("fal-ai", "hf_test").text_to_image("a lighthouse at dusk", model=FLUX, width=128, height=128)
    together = client("together", "hf_test").text_to_image("a lighthouse at dusk", model=FLUX, width=128, height=128)
    again = client("fal-ai", "hf_test").text_to_image("a lighthouse at dusk", model=FLUX, width=128, height=128, seed=1)
    assert np.asarray(fal).std() > 10  # not a blank image
    assert np.abs(np.asarray(fal, dtype=int) - np.asarray(together.convert("RGB"), dtype=int)).mean() > 1
    assert again.size == (128, 128)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("provider", ["fal-ai", "replicate", "together", "wavespeed"])
def test_image_to_image_keeps_the_source_size(sim: Simulator, provider: str, key: str) -> None:
    image = client(provider, key).image_to_image(png(), prompt="make it blue", model=KONTEXT)
    assert image.size == (64, 48)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("provider", ["fal-ai", "replicate", "novita", "wavespeed", "together"])
def test_text_to_video_is_an_mp4(sim: Simulator, provider: str, key: str) -> None:
    video = client(provider, key).text_to_video("a cat surfing", model=WAN_T2V)
    assert mp4_boxes(video) == [b"ftyp", b"moov", b"mdat"]


@pytest.mark.parametrize("provider", ["fal-ai", "wavespeed", "together"])
def test_image_to_video(sim: Simulator, provider: str) -> None:
    assert mp4_boxes(client(provider, "hf_test").image_to_video(png(), prompt="zoom", model=WAN_I2V))[0] == b"ftyp"


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("provider", ["fal-ai", "replicate", "together", "deepinfra"])
def test_speech_round_trip(sim: Simulator, provider: str, key: str) -> None:
    audio = client(provider, key).text_to_speech("the quick brown fox", model=KOKORO)
    with wave.open(io.BytesIO(audio)) as clip:
        assert clip.getnchannels() == 1 and clip.getnframes() > 0
    for recogniser in ("fal-ai", "replicate", "hf-inference", "deepinfra"):
        heard = client(recogniser, key).automatic_speech_recognition(audio, model=WHISPER)
        assert heard.text == "the quick brown fox"


@pytest.mark.parametrize("provider", ["hf-inference", "together", "scaleway", "deepinfra"])
def test_embeddings_agree_on_similar_texts(sim: Simulator, provider: str) -> None:
    embed = client(provider, "hf_test").feature_extraction
    cat, kitten, car = (embed(text, model=E5)[0] for text in ("the cat sleeps", "the cat sleeps a lot", "stock prices"))
    assert cat.shape == (1024,)
    assert float(cat @ kitten) > float(cat @ car) + 0.2


@pytest.mark.parametrize("provider", ["featherless-ai", "novita", "deepinfra", "hf-inference", "together"])
def test_text_generation(sim: Simulator, provider: str) -> None:
    text = client(provider, "hf_test").text_generation("Once upon a time", model="meta-llama/Llama-3.1-8B",
                                                       max_new_tokens=12)
    assert text and len(text) < 200


def test_tgi_streams_tokens_and_details(sim: Simulator) -> None:
    hf = client("hf-inference", "hf_test")
    tokens = list(hf.text_generation("Once upon a time", model="meta-llama/Llama-3.1-8B", max_new_tokens=5, stream=True))
    assert len(tokens) == 5
    detailed = hf.text_generation("Hello", model="openai-community/gpt2", max_new_tokens=3, details=True)
    assert detailed.details.generated_tokens == 3 and detailed.details.finish_reason == "length"


IMAGE_TASKS = [
    ("image_classification", "google/vit-base-patch16-224", ()),
    ("zero_shot_image_classification", "openai/clip-vit-large-patch14", (["cat", "dog"],)),
    ("object_detection", "facebook/detr-resnet-50", ()),
    ("image_segmentation", "facebook/detr-resnet-50-panoptic", ()),
    ("image_to_text", "Salesforce/blip-image-captioning-large", ()),
    ("visual_question_answering", "dandelin/vilt-b32-finetuned-vqa", ("What colour is it?",)),
    ("document_question_answering", "impira/layoutlm-document-qa", ("What is the total?",)),
]


@pytest.mark.parametrize(("method", "model", "args"), IMAGE_TASKS)
def test_hf_inference_image_tasks(sim: Simulator, method: str, model: str, args: tuple[object, ...]) -> None:
    result = getattr(client("hf-inference", "hf_test"), method)(png(), *args, model=model)
    assert result


TEXT_TASKS = [
    ("text_classification", "distilbert/distilbert-base-uncased-finetuned-sst-2-english", ("I like you",)),
    ("token_classification", "dbmdz/bert-large-cased-finetuned-conll03-english",
     ("My name is Sarah Jessica Parker but you can call me Jessica",)),
    ("summarization", "facebook/bart-large-cnn", ("The sky is blue. The tree is green. The grass is wet.",)),
    ("translation", "t5-small", ("Hello world",)),
    ("fill_mask", "google-bert/bert-base-uncased", ("The goal of life is [MASK].",)),
    ("zero_shot_classification", "facebook/bart-large-mnli", ("I love rockets", ["space", "cooking"])),
    ("question_answering", "deepset/roberta-base-squad2", ("What is my name?", "My name is Clara.")),
    ("table_question_answering", "google/tapas-base-finetuned-wtq",
     ({"Repository": ["Transformers", "Datasets"], "Stars": ["36542", "4512"]}, "How many stars?")),
    ("sentence_similarity", "sentence-transformers/all-MiniLM-L6-v2", ("A cat.", ["A cat!", "Stocks fell."])),
]


@pytest.mark.parametrize(("method", "model", "args"), TEXT_TASKS)
def test_hf_inference_text_tasks(sim: Simulator, method: str, model: str, args: tuple[object, ...]) -> None:
    assert getattr(client("hf-inference", "hf_test"), method)(*args, model=model)


def test_hf_inference_task_outputs_make_sense(sim: Simulator) -> None:
    hf = client("hf-inference", "hf_test")
    assert hf.text_classification("I love this, it is great",
                                  model="distilbert/distilbert-base-uncased-finetuned-sst-2-english")[0].label == "POSITIVE"
    assert hf.translation("Hello world", model="t5-small").translation_text == "Hallo Welt"
    assert hf.zero_shot_classification("I love space rockets", ["space", "cooking"],
                                       model="facebook/bart-large-mnli")[0].label == "space"
    entities = hf.token_classification("My name is Sarah Jessica Parker but you can call me Jessica",
                                       model="dbmdz/bert-large-cased-finetuned-conll03-english")
    assert [e.word for e in entities] == ["Sarah Jessica Parker", "Jessica"]
    same, other = hf.sentence_similarity("the cat sleeps", ["the cat sleeps now", "stock prices fell"],
                                         model="sentence-transformers/all-MiniLM-L6-v2")
    assert same > other
    assert "red" in hf.image_to_text(png(), model="Salesforce/blip-image-captioning-large").generated_text


def test_audio_tasks_and_fal_segmentation(sim: Simulator) -> None:
    hf = client("hf-inference", "hf_test")
    audio = hf.text_to_speech("hello there", model="espnet/kan-bayashi_ljspeech_vits")
    assert hf.audio_classification(audio, model="superb/hubert-large-superb-er")
    assert hf.audio_to_audio(audio, model="speechbrain/sepformer-wham")[0].blob[:4] == b"RIFF"
    masks = client("fal-ai", "hf_test").image_segmentation(png(), model="briaai/RMBG-2.0")
    assert masks[0].label == "mask" and masks[0].mask.size == (64, 48)


@pytest.mark.parametrize(("provider", "call"), [
    ("fal-ai", lambda c: c.text_to_video("a cat", model=WAN_T2V)),
    ("together", lambda c: c.text_to_video("a cat", model=WAN_T2V)),
    ("wavespeed", lambda c: c.text_to_image("a cat", model=FLUX)),
    ("replicate", lambda c: c.text_to_image("a cat", model=FLUX)),
])
def test_polled_jobs_complete_after_pending_polls(sim: Simulator, provider: str, call: object) -> None:
    sim.configure(time_scale=1.0, profiles={provider: {"ttft_s": 0.1, "media_s": 0.15, "jitter": 0.0}})
    assert call(client(provider, "hf_test"))  # type: ignore[operator]
    polls = [r for r in sim.records() if r["method"] == "GET" and r["provider"] == provider and r["route"] == "routed"]
    assert polls or provider == "replicate"  # replicate waits (`Prefer: wait`) instead of being polled


def test_replicate_answers_202_when_the_work_outlasts_the_wait(sim: Simulator) -> None:
    sim.configure(time_scale=0.01, profiles={"replicate": {"ttft_s": 0.1, "media_s": 10_000.0, "jitter": 0.0}})
    with pytest.raises(TimeoutError):
        client("replicate", "hf_test").text_to_image("a cat", model=FLUX)
    assert sim.records()[-1]["status"] == 202


def test_media_faults(sim: Simulator) -> None:
    sim.add_fault(provider="fal-ai", kind="empty", times=1)
    with pytest.raises(IndexError):
        client("fal-ai", "hf_test").text_to_image("a cat", model=FLUX)
    sim.add_fault(provider="together", kind="http", status=503, times=1)
    with pytest.raises(HfHubHTTPError) as error:
        client("together", "hf_test").text_to_image("a cat", model=FLUX)
    assert error.value.response.status_code == 503
    sim.add_fault(provider="fal-ai", route="media", kind="http", status=404, times=1)
    with pytest.raises(OSError):  # the downloaded "image" is an error body
        client("fal-ai", "hf_test").text_to_image("a cat", model=FLUX)


def test_unknown_job_and_route(sim: Simulator) -> None:
    import httpx

    headers = {"Authorization": "Bearer hf_test"}
    assert httpx.get(sim.router_url + "/fal-ai/fal-ai/wan-t2v/requests/nope/status", headers=headers).status_code == 404
    assert httpx.post(sim.router_url + "/groq/v1/images/generations", headers=headers, json={"model": "x"}).status_code == 404


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium")
def test_generated_mp4_plays_in_chromium() -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    frames = [np.full((48, 64, 3), (20 * i, 100, 200), dtype=np.uint8) for i in range(8)]
    data = encode_mp4(frames, fps=8)
    import base64

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=shutil.which("chromium"))
        page = browser.new_page()
        page.set_content(f'<video id="v" muted src="data:video/mp4;base64,{base64.b64encode(data).decode()}"></video>')
        page.wait_for_function("document.getElementById('v').readyState >= 2 || document.getElementById('v').error")
        state = page.evaluate("(() => { const v = document.getElementById('v');"
                              " return {error: v.error && v.error.code, width: v.videoWidth, duration: v.duration}; })()")
        browser.close()
    assert state == {"error": None, "width": 64, "duration": 1}
