"""Each SDK output type → the Result's descriptive fields (pure, no network)."""

from __future__ import annotations

import base64
import io
import math
import struct
import wave
from pathlib import Path

import numpy as np
import pytest
from huggingface_hub.inference._generated.types import (
    AutomaticSpeechRecognitionOutput,
    FillMaskOutputElement,
    ImageSegmentationOutputElement,
    ObjectDetectionOutputElement,
    QuestionAnsweringOutputElement,
    SummarizationOutput,
    TextClassificationOutputElement,
    TokenClassificationOutputElement,
)
from PIL import Image

from playground.errors import BadResponse
from playground.inputs import Inputs
from playground.kinds import audio, boxes, common, embedding, entities, image, labels, masks, media, text, video
from playground.model import Comparison, Result


def _result(provider: str = "fal-ai") -> Result:
    return Result(provider=provider, model="org/model", task="task")


def png(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def wav(seconds: float = 0.5, rate: int = 16_000) -> bytes:
    samples = (np.sin(2 * np.pi * 440 * np.arange(int(seconds * rate)) / rate) * 8000).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples.tobytes())
    return buffer.getvalue()


def flac_header(rate: int = 22_050, channels: int = 1, bits: int = 16, samples: int = 44_100) -> bytes:
    packed = (rate << 44) | ((channels - 1) << 41) | ((bits - 1) << 36) | samples
    streaminfo = struct.pack(">HH", 4096, 4096) + b"\x00" * 6 + packed.to_bytes(8, "big") + b"\x00" * 16
    return b"fLaC" + bytes([0x80]) + len(streaminfo).to_bytes(3, "big") + streaminfo


def _box(name: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + name + payload


def mp4(seconds: float = 2.5, width: int = 320, height: int = 240) -> bytes:
    mvhd = b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, int(seconds * 1000)) + b"\x00" * 80
    tkhd = b"\x00\x00\x00\x03" + b"\x00" * 72 + struct.pack(">II", width << 16, height << 16)
    return _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + _box(b"moov", _box(b"mvhd", mvhd) + _box(b"trak", _box(b"tkhd", tkhd)))


def test_sniff_knows_the_formats_providers_send() -> None:
    assert media.sniff(png()) == ("image", "png")
    assert media.sniff(wav()) == ("audio", "wav")
    assert media.sniff(flac_header()) == ("audio", "flac")
    assert media.sniff(mp4()) == ("video", "mp4")
    assert media.sniff(b"\xff\xfb\x90\x00") == ("audio", "mp3")
    assert media.sniff(b'{"error": "nope"}') is None


def test_text_reads_every_text_output() -> None:
    for output, expected in [
        ("plain", "plain"),
        (AutomaticSpeechRecognitionOutput(text="a man said to the universe", chunks=None), "a man said to the universe"),
        (SummarizationOutput(summary_text="short"), "short"),
        ([{"generated_text": "a giraffe"}], "a giraffe"),
    ]:
        result = _result()
        text.summarise(output, result)
        assert result.text == expected and result.summary == expected


def test_empty_text_is_a_bad_response() -> None:
    with pytest.raises(BadResponse):
        text.summarise("   ", _result())
    with pytest.raises(BadResponse):
        text.summarise({"unexpected": 1}, _result())


def test_image_keeps_the_providers_bytes_and_saves_a_file() -> None:
    data = png(96, 64)
    result = _result()
    image.summarise(Image.open(io.BytesIO(data)), result)  # as the SDK returns it
    assert result.image == {"width": 96, "height": 64, "format": "png", "bytes": len(data), "mode": "RGB"}
    assert Path(result.file).read_bytes() == data and Path(result.file).parent == common.media_dir()
    assert "fal-ai" in Path(result.file).name and result.summary.startswith("96×64 png")
    assert "file" not in result.to_json()


def test_truncated_or_empty_image_is_a_bad_response() -> None:
    with pytest.raises(BadResponse, match="could not be decoded"):
        image.summarise(png()[:60], _result())
    with pytest.raises(BadResponse, match="empty image"):
        image.summarise(b"", _result())


def test_wav_audio_has_duration_and_rate() -> None:
    result = _result()
    audio.summarise(wav(0.5, 16_000), result)
    assert result.audio["format"] == "wav" and result.audio["sample_rate"] == 16_000
    assert result.audio["duration_s"] == pytest.approx(0.5) and result.audio["channels"] == 1
    assert Path(result.file).suffix == ".wav"


def test_flac_duration_comes_from_streaminfo() -> None:
    result = _result()
    audio.summarise(flac_header(rate=22_050, samples=44_100), result)
    assert result.audio["format"] == "flac" and result.audio["sample_rate"] == 22_050
    assert result.audio["duration_s"] == pytest.approx(2.0)


def test_mp3_has_a_format_but_no_parsed_duration() -> None:
    result = _result()
    audio.summarise(b"ID3\x04" + b"\x00" * 100, result)
    assert result.audio["format"] == "mp3" and result.audio["duration_s"] is None and result.audio["sample_rate"] is None


def test_audio_that_is_not_audio_is_a_bad_response() -> None:
    with pytest.raises(BadResponse, match="expected audio"):
        audio.summarise(png(), _result())
    with pytest.raises(BadResponse, match="empty audio"):
        audio.summarise(b"", _result())
    with pytest.raises(BadResponse, match="unrecognised"):
        audio.summarise(b'{"error": "oops"}', _result())


def test_mp4_video_has_duration_and_size() -> None:
    result = _result()
    video.summarise(mp4(2.5, 320, 240), result)
    assert result.video["format"] == "mp4" and result.video["duration_s"] == pytest.approx(2.5)
    assert (result.video["width"], result.video["height"]) == (320, 240)
    assert Path(result.file).suffix == ".mp4"


def test_embedding_summary_and_vector() -> None:
    result = _result()
    embedding.summarise(np.array([[3.0, 4.0] + [0.0] * 10], dtype="float32"), result)
    assert result.embedding["dimensions"] == 12 and result.embedding["norm"] == pytest.approx(5.0)
    assert result.embedding["preview"] == [3.0, 4.0, 0, 0, 0, 0, 0, 0] and result.embedding["pooled"] is None
    assert result.vector[:2] == [3.0, 4.0]
    assert "vector" not in result.to_json()


def test_token_vectors_are_mean_pooled() -> None:
    result = _result()
    embedding.summarise(np.array([[[1.0, 0.0], [3.0, 2.0]]]), result)
    assert result.vector == [2.0, 1.0] and result.embedding["pooled"] == "mean" and result.embedding["shape"] == [1, 2, 2]


def test_empty_embedding_is_a_bad_response() -> None:
    with pytest.raises(BadResponse):
        embedding.summarise(np.array([]), _result())
    with pytest.raises(BadResponse):
        embedding.summarise([1.0, float("nan")], _result())


def test_similarity_matrix_between_providers() -> None:
    rows = []
    for provider, vector in [("together", [1.0, 0.0]), ("deepinfra", [1.0, 1.0]), ("scaleway", [0.0, 2.0]), ("odd", [1.0, 0.0, 0.0])]:
        result = _result(provider)
        embedding.summarise(vector, result)
        result.ok = True
        rows.append(result)
    comparison = Comparison(task="feature-extraction", model="m", params={}, results=rows)
    matrix = comparison.similarity()
    assert list(matrix.index) == list(matrix.columns) == ["together", "deepinfra", "scaleway", "odd"]
    assert matrix.loc["together", "together"] == pytest.approx(1.0)
    assert matrix.loc["together", "deepinfra"] == pytest.approx(1 / math.sqrt(2))
    assert matrix.loc["together", "scaleway"] == pytest.approx(0.0)
    assert math.isnan(matrix.loc["together", "odd"])
    similarity = comparison.to_json()["similarity"]
    assert similarity["providers"][0] == "together" and similarity["matrix"][0][3] is None
    assert "similarity" not in Comparison(task="text-to-image", model="m", params={}).to_json()


def test_labels_sorted_by_score() -> None:
    result = _result()
    labels.summarise([TextClassificationOutputElement(label="NEGATIVE", score=0.1), TextClassificationOutputElement(label="POSITIVE", score=0.9)], result)
    assert result.labels == [{"label": "POSITIVE", "score": 0.9}, {"label": "NEGATIVE", "score": 0.1}]
    assert result.summary == "POSITIVE (0.90)"
    with pytest.raises(BadResponse):
        labels.summarise([], _result())


def test_answers_single_or_list() -> None:
    result = _result()
    labels.answers(QuestionAnsweringOutputElement(answer="Paris", score=0.97, start=25, end=30), result)
    assert result.text == "Paris" and result.labels == [{"label": "Paris", "score": 0.97, "start": 25, "end": 30}]
    result = _result()
    labels.answers([{"answer": "2", "score": 0.5}, {"answer": "3", "score": 0.35}], result)
    assert [row["label"] for row in result.labels] == ["2", "3"]
    result = _result()
    labels.answers([{"answer": "us-001"}], result)  # donut answers without a score
    assert result.labels == [{"label": "us-001", "score": None}]


def test_fill_mask_candidates() -> None:
    result = _result()
    labels.fill_mask(
        [FillMaskOutputElement(score=0.29, sequence="the world!", token=1996, token_str="the"), FillMaskOutputElement(score=0.18, sequence="hello world!", token=7592, token_str="hello")],
        result,
    )
    assert result.labels[0] == {"label": "the", "score": 0.29, "sequence": "the world!"} and result.text == "the world!"


def test_sentence_similarity_is_labelled_with_the_sentences() -> None:
    result = _result()
    labels.similarities([0.2, 0.9], result, Inputs(prompt="a", labels=("far", "near")))
    assert result.labels == [{"label": "near", "score": 0.9, "index": 1}, {"label": "far", "score": 0.2, "index": 0}]
    with pytest.raises(BadResponse):
        labels.similarities([0.2], _result(), Inputs(prompt="a", labels=("x", "y")))


def test_entities_in_text_order_and_none_is_valid() -> None:
    result = _result()
    entities.summarise(
        [
            TokenClassificationOutputElement(end=59, score=0.99, start=52, word="Jessica", entity_group="PER"),
            TokenClassificationOutputElement(end=31, score=0.99, start=11, word="Sarah Jessica Parker", entity_group="PER"),
        ],
        result,
    )
    assert [e["word"] for e in result.entities] == ["Sarah Jessica Parker", "Jessica"]
    assert set(result.entities[0]) == {"entity_group", "word", "start", "end", "score"}
    empty = _result()
    entities.summarise([], empty)
    assert empty.entities == [] and empty.summary == "no entities"


def test_boxes() -> None:
    result = _result()
    boxes.summarise([ObjectDetectionOutputElement(label="cat", score=0.99, box={"xmin": 506, "ymin": 233, "xmax": 629, "ymax": 405})], result)
    assert result.boxes == [{"label": "cat", "score": 0.99, "box": {"xmin": 506, "ymin": 233, "xmax": 629, "ymax": 405}}]
    assert result.summary == "1 objects: cat"


def test_masks_from_images_or_base64() -> None:
    half = Image.new("L", (10, 10), 0)
    half.paste(255, (0, 0, 10, 5))
    buffer = io.BytesIO()
    Image.new("L", (10, 10), 255).save(buffer, format="PNG")
    result = _result()
    masks.summarise(
        [ImageSegmentationOutputElement(label="cat", mask=half, score=0.9), {"label": "sky", "mask": base64.b64encode(buffer.getvalue()).decode(), "score": 0.8}],
        result,
    )
    assert [(m["label"], m["coverage"]) for m in result.masks] == [("sky", 1.0), ("cat", 0.5)]
    assert Image.open(result.file).size == (10, 10)
    with pytest.raises(BadResponse):
        masks.summarise([], _result())
