"""Turn what an SDK method returned into a Result's descriptive, JSON-able output fields.

One summariser per kind of output. Each fills the matching Result field (text, image, audio, video, embedding,
labels, entities, boxes, masks) and `summary` (one line for the results table), and raises `BadResponse`
when the output is empty or unusable. Media bytes are written to a per-process temp folder; `result.file`
holds the path for the UI (players, image grid, download), never the JSON.

Embeddings keep their full vector in `result.vector`, which is left out of `Result.to_json()` (hundreds to
thousands of floats per provider and run); the JSON carries dimensions, norm and a preview, and the comparison
carries the provider × provider cosine-similarity matrix instead.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import uuid
import wave
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from . import scratch
from .errors import BadResponse

if TYPE_CHECKING:
    from .model import Result
    from .tasks import Inputs

PREVIEW_VALUES = 8
MASK_COLOURS = ((230, 25, 75), (60, 180, 75), (0, 130, 200), (245, 130, 48), (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60))

# (offset, signature, kind, format); checked in order, first match wins.
_SIGNATURES: tuple[tuple[int, bytes, str, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image", "png"),
    (0, b"\xff\xd8\xff", "image", "jpeg"),
    (0, b"GIF8", "image", "gif"),
    (8, b"WEBP", "image", "webp"),
    (8, b"WAVE", "audio", "wav"),
    (0, b"fLaC", "audio", "flac"),
    (0, b"OggS", "audio", "ogg"),
    (0, b"ID3", "audio", "mp3"),
    (0, b"\x1aE\xdf\xa3", "video", "webm"),
)
_AUDIO_BRANDS = (b"M4A ", b"M4B ")


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, format) of a media file from its first bytes, e.g. ("image", "png"); None when unknown."""
    for offset, signature, kind, format_ in _SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            return kind, format_
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        return ("audio", "m4a") if brand in _AUDIO_BRANDS else ("video", "mov" if brand == b"qt  " else "mp4")
    if len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:  # MPEG audio frame sync
        return "audio", "aac" if data[1] & 0x06 == 0 else "mp3"
    try:  # the rarer image formats (BMP, TIFF, ICO…): Pillow reads only the header here
        with Image.open(io.BytesIO(data)) as picture:
            return ("image", picture.format.lower()) if picture.format else None
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def media_dir() -> Path:
    """The folder for media outputs, in the app's one scratch folder (pruned, and removed when the process exits)."""
    return scratch.folder("media")


def save(data: bytes, extension: str, result: Result) -> str:
    """Write one output to the media folder; the name says which provider and run made it."""
    provider = re.sub(r"[^A-Za-z0-9_.-]+", "-", result.provider)
    path = media_dir() / f"{provider}-run{result.run}-{uuid.uuid4().hex[:8]}.{extension}"
    path.write_bytes(data)
    return str(path)


def _get(item: Any, name: str) -> Any:
    """A field of an SDK output element: an attribute (dataclass) or a key (plain dict from JSON)."""
    value = getattr(item, name, None)
    if value is None and isinstance(item, Mapping):
        value = item.get(name)
    return value


def _elements(output: Any) -> list[Any]:
    """The SDK returns a list of elements, sometimes one element, sometimes a list nested once."""
    if output is None:
        return []
    if isinstance(output, Mapping) or not isinstance(output, Sequence) or isinstance(output, (str, bytes)):
        return [output]
    items = list(output)
    if len(items) == 1 and isinstance(items[0], list):
        items = items[0]
    return items


def _score(value: Any) -> float | None:
    return None if value is None else float(value)


def _by_score(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: -1.0 if row["score"] is None else row["score"], reverse=True)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count / 1000:.0f} kB"


def _top(rows: list[dict[str, Any]]) -> str:
    best, label = rows[0], str(rows[0]["label"])[:60]
    return label if best["score"] is None else f"{label} ({best['score']:.2f})"


# Text ------------------------------------------------------------------------------------------------------------

_TEXT_FIELDS = ("generated_text", "summary_text", "translation_text", "text", "answer")


def text(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """str, or any SDK output carrying its text (generated, summary, translation, transcription), or a list of them."""
    first = output[0] if isinstance(output, list) and output else output
    value = first if isinstance(first, str) else next((v for f in _TEXT_FIELDS if isinstance(v := _get(first, f), str)), None)
    if value is None:
        raise BadResponse(f"expected text, got {type(output).__name__}")
    if not value.strip():
        raise BadResponse("the provider answered with an empty text")
    result.text = value
    result.summary = " ".join(value.split())[:120]


# Media -----------------------------------------------------------------------------------------------------------


def _image_bytes(output: Any) -> bytes:
    """The provider's encoded file: the SDK opens images lazily from a BytesIO, which still holds the original bytes."""
    if isinstance(output, (bytes, bytearray, memoryview)):
        return bytes(output)
    if isinstance(output, Image.Image):
        buffer = getattr(output, "fp", None)
        if isinstance(buffer, io.BytesIO):
            return buffer.getvalue()
        encoded = io.BytesIO()
        output.save(encoded, format=output.format or "PNG")
        return encoded.getvalue()
    raise BadResponse(f"expected an image, got {type(output).__name__}")


def describe_image(data: bytes) -> dict[str, Any]:
    """{"width", "height", "format", "bytes", "mode"}; decodes every pixel so a truncated file is caught here."""
    if not data:
        raise BadResponse("the provider answered with an empty image")
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            return {"width": picture.width, "height": picture.height, "format": (picture.format or "").lower(), "bytes": len(data), "mode": picture.mode}
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise BadResponse(f"the provider's image could not be decoded ({error})") from None


def image(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    data = _image_bytes(output)
    result.image = describe_image(data)
    result.file = save(data, result.image["format"] or "png", result)
    result.summary = f"{result.image['width']}×{result.image['height']} {result.image['format']}, {_size(len(data))}"


def _wav_info(data: bytes) -> dict[str, Any]:
    try:
        with wave.open(io.BytesIO(data)) as reader:
            rate, frames = reader.getframerate(), reader.getnframes()
            return {"sample_rate": rate, "channels": reader.getnchannels(), "duration_s": frames / rate if rate else None}
    except (wave.Error, EOFError):  # float or extensible WAVs: the player copes, the header parse does not
        return {}


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _flac_frame_end(data: bytes, at: int, fixed_block: int) -> int | None:
    """Samples up to the end of the frame whose header starts at `at`; None when no valid header is there."""
    header = data[at : at + 16]
    if len(header) < 6 or header[0] != 0xFF or header[1] not in (0xF8, 0xF9):
        return None
    size_code, rate_code = header[2] >> 4, header[2] & 0x0F
    ones = next((n for n in range(8) if not header[4] & (0x80 >> n)), 8)  # UTF-8-style coded number: its length
    if ones == 1 or ones > 7:
        return None
    length, number = max(ones, 1), header[4] & (0x7F >> ones)
    for byte in header[5 : 4 + length]:
        number = (number << 6) | (byte & 0x3F)
    end = 4 + length
    sizes = {1: 192, **{c: 576 << (c - 2) for c in range(2, 6)}, **{c: 256 << (c - 8) for c in range(8, 16)}}
    if size_code in (6, 7):
        width = size_code - 5
        block = int.from_bytes(header[end : end + width], "big") + 1
        end += width
    elif size_code in sizes:
        block = sizes[size_code]
    else:
        return None
    end += {12: 1, 13: 2, 14: 2}.get(rate_code, 0)
    if end >= len(header) or _crc8(header[:end]) != header[end]:
        return None
    return (number * fixed_block if header[1] == 0xF8 else number) + block


def _flac_info(data: bytes) -> dict[str, Any]:
    """STREAMINFO, always the first metadata block: 20 bits sample rate, 3 channels, 5 bits per sample, 36 total samples.
    Streamed FLAC (hf-inference's speech) leaves the total at 0: then the last frame's header says how far it goes."""
    if len(data) < 8 + 18 or data[4] & 0x7F != 0:
        return {}
    block = int.from_bytes(data[8:10], "big")
    packed = int.from_bytes(data[8 + 10 : 8 + 18], "big")
    rate, channels, samples = packed >> 44, ((packed >> 41) & 0x7) + 1, packed & 0xFFFFFFFFF
    position = len(data)
    while not samples and (position := data.rfind(b"\xff", 8, position)) > 0:
        samples = _flac_frame_end(data, position, block) or 0
    return {"sample_rate": rate, "channels": channels, "duration_s": samples / rate if rate and samples else None}


def _mp4_boxes(data: bytes, name: bytes) -> Iterable[bytes]:
    """Payloads of every box called `name` (mvhd, tkhd…), found by scanning: enough for headers, no full parser."""
    start = data.find(name)
    while start >= 4:
        size = struct.unpack(">I", data[start - 4 : start])[0]
        yield data[start + 4 : start - 4 + size]
        start = data.find(name, start + 4)


def _mp4_info(data: bytes) -> dict[str, Any]:
    info: dict[str, Any] = {}
    for box in _mp4_boxes(data, b"mvhd"):
        version = box[0]
        timescale, duration = struct.unpack(">IQ" if version == 1 else ">II", box[20:32] if version == 1 else box[12:20])
        info["duration_s"] = duration / timescale if timescale else None
        break
    for box in _mp4_boxes(data, b"tkhd"):
        offset = 88 if box[0] == 1 else 76  # after the version-dependent times, layer, volume and matrix
        if len(box) >= offset + 8:
            width, height = (value >> 16 for value in struct.unpack(">II", box[offset : offset + 8]))
            if width and height:
                info.update(width=width, height=height)
                break
    return info


_MEDIA_INFO = {"wav": _wav_info, "flac": _flac_info, "mp4": _mp4_info, "mov": _mp4_info, "m4a": _mp4_info}


def _media(output: Any, kind: str, result: Result) -> dict[str, Any]:
    if not isinstance(output, (bytes, bytearray, memoryview)):
        raise BadResponse(f"expected {kind} bytes, got {type(output).__name__}")
    data = bytes(output)
    if not data:
        raise BadResponse(f"the provider answered with an empty {kind} file")
    found = sniff(data)
    if found is None or found[0] != kind:
        what = f"{found[0]} ({found[1]})" if found else f"unrecognised bytes {data[:12]!r}"
        raise BadResponse(f"expected {kind}, the provider sent {what}")
    format_ = found[1]
    info: dict[str, Any] = {"format": format_, "bytes": len(data), "duration_s": None}
    info.update(_MEDIA_INFO.get(format_, lambda _: {})(data))
    result.file = save(data, format_, result)
    duration = f", {info['duration_s']:.1f} s" if info.get("duration_s") else ""
    result.summary = f"{format_} {_size(len(data))}{duration}"
    return info


def audio(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """{"format", "bytes", "duration_s", "sample_rate", "channels"}; duration and rate parsed for WAV and FLAC."""
    result.audio = _media(output, "audio", result)
    result.audio.setdefault("sample_rate", None)


def video(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """{"format", "bytes", "duration_s", "width", "height"}; the last three parsed for MP4/MOV."""
    result.video = _media(output, "video", result)


# Embeddings ------------------------------------------------------------------------------------------------------


def embedding(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """One vector per provider: a batch of one is unwrapped, per-token vectors are mean-pooled (and marked so)."""
    try:
        array = np.asarray(output, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise BadResponse(f"the embedding is not a numeric array ({error})") from None
    if array.size == 0:
        raise BadResponse("the provider answered with an empty embedding")
    shape = list(array.shape)
    vector, pooled = array, None
    while vector.ndim > 1 and vector.shape[0] == 1:
        vector = vector[0]
    if vector.ndim == 2:
        vector, pooled = vector.mean(axis=0), "mean"
    if vector.ndim != 1 or not np.all(np.isfinite(vector)):
        raise BadResponse(f"unusable embedding of shape {shape}")
    norm = float(np.linalg.norm(vector))
    result.vector = vector.tolist()
    result.embedding = {
        "dimensions": int(vector.shape[0]),
        "norm": norm,
        "preview": [float(v) for v in vector[:PREVIEW_VALUES]],
        "shape": shape,
        "pooled": pooled,
    }
    result.summary = f"{vector.shape[0]} dimensions, norm {norm:.3f}" + (" (mean of token vectors)" if pooled else "")


# Labels, entities, boxes, masks ----------------------------------------------------------------------------------


def _labelled(rows: list[dict[str, Any]], result: Result, what: str) -> None:
    if not rows:
        raise BadResponse(f"the provider answered with no {what}")
    result.labels = _by_score(rows)
    result.summary = _top(result.labels)


def labels(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """Classification: [{"label", "score"}], best first."""
    items = [item for item in _elements(output) if _get(item, "label") is not None]
    _labelled([{"label": str(_get(item, "label")), "score": _score(_get(item, "score"))} for item in items], result, "labels")


def answers(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """Question answering (text, visual, document): the best answer as text, every answer with its score as labels."""
    rows = []
    for item in _elements(output):
        answer = _get(item, "answer")
        if isinstance(answer, str) and answer.strip():
            row = {"label": answer, "score": _score(_get(item, "score"))}
            row.update({key: _get(item, key) for key in ("start", "end") if _get(item, key) is not None})
            rows.append(row)
    _labelled(rows, result, "answer")
    result.text = result.labels[0]["label"]  # type: ignore[index]


def fill_mask(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """Candidate tokens as labels (with the completed sentence), the best sentence as text."""
    rows = [
        {"label": str(_get(item, "token_str")).strip(), "score": _score(_get(item, "score")), "sequence": _get(item, "sequence")}
        for item in _elements(output)
        if _get(item, "token_str") is not None
    ]
    _labelled(rows, result, "candidates")
    result.text = result.labels[0]["sequence"]  # type: ignore[index]


def similarities(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """Sentence similarity: one score per compared sentence, labelled with that sentence, best first."""
    scores = _elements(output)
    sentences = inputs.sentences() if inputs is not None else []
    if not scores or not all(isinstance(score, (int, float)) for score in scores):
        raise BadResponse(f"expected one similarity score per sentence, got {str(output)[:80]}")
    if sentences and len(sentences) != len(scores):
        raise BadResponse(f"{len(scores)} scores for {len(sentences)} sentences")
    names = sentences or [f"sentence {i + 1}" for i in range(len(scores))]
    _labelled([{"label": name, "score": float(score), "index": i} for i, (name, score) in enumerate(zip(names, scores))], result, "scores")


def entities(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """[{"entity_group", "word", "start", "end", "score"}] in text order; none found is a valid answer."""
    rows = [
        {
            "entity_group": _get(item, "entity_group") or _get(item, "entity"),
            "word": _get(item, "word"),
            "start": _get(item, "start"),
            "end": _get(item, "end"),
            "score": _score(_get(item, "score")),
        }
        for item in _elements(output)
    ]
    result.entities = sorted(rows, key=lambda row: (row["start"] is None, row["start"] or 0))
    result.summary = ", ".join(f"{row['word']} ({row['entity_group']})" for row in result.entities[:5]) or "no entities"


def _box(value: Any) -> dict[str, int]:
    return {side: round(float(_get(value, side))) for side in ("xmin", "ymin", "xmax", "ymax")}


def boxes(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """[{"label", "score", "box": {xmin, ymin, xmax, ymax}}] in pixels, best first; none found is a valid answer."""
    try:
        rows = [{"label": str(_get(item, "label")), "score": _score(_get(item, "score")), "box": _box(_get(item, "box"))} for item in _elements(output)]
    except (TypeError, ValueError) as error:
        raise BadResponse(f"malformed box ({error})") from None
    result.boxes = _by_score(rows)
    result.summary = f"{len(rows)} objects" + (f": {', '.join(sorted({str(row['label']) for row in rows}))}" if rows else "")
    if inputs is not None and inputs.file:
        result.file = _draw_boxes(inputs.file, result.boxes, result)


def _draw_boxes(picture: bytes, found: list[dict[str, Any]], result: Result) -> str | None:
    """The input image with each box drawn in its own colour and labelled, as a PNG in the media folder."""
    try:
        with Image.open(io.BytesIO(picture)) as opened:
            canvas = opened.convert("RGB")
    except (UnidentifiedImageError, OSError):
        return None
    draw = ImageDraw.Draw(canvas)
    width = max(2, round(min(canvas.size) / 200))
    font = ImageFont.load_default(size=max(12, round(min(canvas.size) / 30)))
    for index, row in enumerate(found[:20]):
        colour, box = MASK_COLOURS[index % len(MASK_COLOURS)], row["box"]
        draw.rectangle((box["xmin"], box["ymin"], box["xmax"], box["ymax"]), outline=colour, width=width)
        caption = f"{row['label']} {row['score'] or 0:.2f}"
        _, _, right, bottom = draw.textbbox((box["xmin"] + 3, box["ymin"] + 1), caption, font=font)
        draw.rectangle((box["xmin"], box["ymin"], right + 3, bottom + 3), fill=colour)
        draw.text((box["xmin"] + 3, box["ymin"] + 1), caption, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return save(buffer.getvalue(), "png", result)


def _mask_image(value: Any) -> Image.Image:
    if isinstance(value, Image.Image):
        return value
    if isinstance(value, str):  # base64 PNG, as the wire carries it
        return Image.open(io.BytesIO(base64.b64decode(value)))
    raise BadResponse(f"expected a mask image, got {type(value).__name__}")


def _masks_on_picture(overlay: np.ndarray, picture: bytes | None) -> bytes:
    """The masks as a PNG, laid over the input picture (scaled to it) when there is one, as detection draws its boxes."""
    layer = Image.fromarray(overlay, "RGBA")
    try:
        with Image.open(io.BytesIO(picture or b"")) as opened:
            layer = Image.alpha_composite(opened.convert("RGBA"), layer.resize(opened.size, Image.Resampling.NEAREST))
    except (UnidentifiedImageError, OSError):
        pass  # no picture, or not one PIL reads: the masks alone
    buffer = io.BytesIO()
    layer.save(buffer, format="PNG")
    return buffer.getvalue()


def masks(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """[{"label", "score", "width", "height", "coverage", "colour"}] (coverage: share of the image the mask covers),
    largest first; the masks, each in its `colour`, over the input picture go to `result.file` as a PNG."""
    rows: list[dict[str, Any]] = []
    overlay: np.ndarray | None = None
    for index, item in enumerate(_elements(output)):
        try:
            mask = np.asarray(_mask_image(_get(item, "mask")).convert("L")) > 127
        except (OSError, ValueError, UnidentifiedImageError) as error:
            raise BadResponse(f"a mask could not be decoded ({error})") from None
        if overlay is None:
            overlay = np.zeros((*mask.shape, 4), dtype=np.uint8)
        colour = MASK_COLOURS[index % len(MASK_COLOURS)]
        if mask.shape == overlay.shape[:2]:
            overlay[mask] = (*colour, 160)
        rows.append(
            {"label": str(_get(item, "label")), "score": _score(_get(item, "score")), "width": mask.shape[1], "height": mask.shape[0],
             "coverage": float(mask.mean()), "colour": "#{:02x}{:02x}{:02x}".format(*colour)}
        )
    if not rows or overlay is None:
        raise BadResponse("the provider answered with no masks")
    result.masks = sorted(rows, key=lambda row: row["coverage"], reverse=True)
    result.file = save(_masks_on_picture(overlay, inputs.file if inputs is not None else None), "png", result)
    result.summary = f"{len(rows)} masks: " + ", ".join(row["label"] for row in result.masks[:5])
