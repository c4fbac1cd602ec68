"""Media files: what kind and format some bytes are (from their first bytes), and what their headers say."""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError

from .. import units
from ..errors import BadResponse
from .common import file_url, save

if TYPE_CHECKING:
    from ..model import Result

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


def read(output: Any, kind: str, result: Result) -> dict[str, Any]:
    """Check and save an audio or video file; its format, size and what its header says (duration, rate, size)."""
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
    result.summary = f"{format_} {units.size(len(data))}{duration}"
    return info


def player(tag: str, result: Result, info: dict[str, Any] | None, attributes: str = "") -> str:
    """An `<audio>` or `<video>` player of the result's file, captioned with duration, format and size."""
    if not (result.file and info):
        return ""
    duration = f'{info["duration_s"]:.1f} s · ' if info.get("duration_s") else ""
    caption = f'{duration}{info.get("format", "")} · {units.size(info.get("bytes"))}'
    return f'<{tag} controls{attributes} src="{file_url(result.file)}"></{tag}><div class="caption">{caption}</div>'
