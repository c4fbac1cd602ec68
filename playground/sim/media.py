"""Generated media: images showing the prompt and provider, audio tones, short MP4 clips.

Rendering happens off the event loop (in a worker thread) and only once: a media item is a recipe
until its bytes are first needed, by a response body or by a `GET /media/{token}.{ext}`.
"""

from __future__ import annotations

import colorsys
import io
import math
import textwrap
import threading
import wave
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .answers import stable_hash
from .store import Store
from .video import encode_mp4

CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp", "wav": "audio/wav",
                 "mp4": "video/mp4"}
MAX_SIDE = 2048
SAMPLE_RATE = 16_000
TEXT_CHUNK = b"ptxt"  # WAV chunk holding the spoken text, so a transcription can give it back


@dataclass
class Media:
    kind: str  # "image", "audio", "video"
    fmt: str
    prompt: str
    provider: str
    model: str
    width: int = 512
    height: int = 512
    seed: int = 0
    source: bytes | None = None  # the input image of image-to-image / image-to-video
    _data: bytes | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]

    def render(self) -> bytes:
        with self._lock:
            if self._data is None:
                self._data = {"image": render_image, "audio": render_audio, "video": render_video}[self.kind](self)
            return self._data


def _palette(media: Media) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    hue = stable_hash(media.prompt, media.model, media.seed) % 360 / 360
    shift = (stable_hash(media.provider) % 60 - 30) / 360
    top = colorsys.hsv_to_rgb(hue, 0.55, 0.85)
    bottom = colorsys.hsv_to_rgb((hue + 0.12 + shift) % 1, 0.75, 0.35)
    return tuple(int(c * 255) for c in top), tuple(int(c * 255) for c in bottom)  # type: ignore[return-value]


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:
        return ImageFont.load_default()


def card(media: Media, width: int, height: int) -> Image.Image:
    """A gradient card with the prompt, the provider and the model."""
    top, bottom = _palette(media)
    ramp = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    pixels = (np.array(top, np.float32) * (1 - ramp) + np.array(bottom, np.float32) * ramp)
    image = Image.fromarray(np.broadcast_to(pixels, (height, width, 3)).astype(np.uint8))
    if media.source is not None:
        try:
            with Image.open(io.BytesIO(media.source)) as source:
                image.paste(source.convert("RGB").resize((width // 3, height // 3)), (width - width // 3 - 8, 8))
        except OSError:
            pass
    draw = ImageDraw.Draw(image)
    rng = stable_hash(media.prompt, media.provider, media.seed)
    for i in range(6):
        x, y = (rng >> (i * 5)) % width, (rng >> (i * 7)) % height
        radius = max(width, height) // (6 + i)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=(255, 255, 255), width=2)
    scale = max(10, min(width, height) // 14)
    lines = textwrap.wrap(media.prompt or "(empty prompt)", width=max(12, width // (scale // 2 + 1)))[:6]
    draw.multiline_text((scale // 2, scale // 2), "\n".join(lines), fill=(255, 255, 255), font=_font(scale))
    label = f"{media.provider} · {media.model}"
    draw.text((scale // 2, height - scale - scale // 2), label, fill=(240, 240, 240), font=_font(max(9, scale * 2 // 3)))
    return image


def with_dot(image: Image.Image, frame: float) -> Image.Image:
    """The card with a dot `frame` (0..1) of the way along its path: one frame of the video."""
    image = image.copy()
    width, height = image.size
    x = int((0.1 + 0.8 * frame) * width)
    y = int(height * (0.55 + 0.15 * math.sin(frame * 2 * math.pi)))
    radius = max(4, min(width, height) // 12)
    ImageDraw.Draw(image).ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 215, 64))
    return image


def render_image(media: Media) -> bytes:
    buffer = io.BytesIO()
    image = card(media, media.width, media.height)
    image.save(buffer, format=media.fmt.upper(), **({"quality": 90} if media.fmt == "jpeg" else {}))
    return buffer.getvalue()


def render_video(media: Media, frames: int = 16, fps: int = 8) -> bytes:
    width, height = (min(media.width, 512) // 16) * 16 or 256, (min(media.height, 288) // 16) * 16 or 144
    base = card(media, width, height)
    return encode_mp4([np.asarray(with_dot(base, i / frames)) for i in range(frames)], fps)


def render_audio(media: Media) -> bytes:
    """A short melody whose notes follow the text, with the text kept in a WAV chunk."""
    words = media.prompt.split() or ["silence"]
    note = 0.18
    t = np.arange(int(SAMPLE_RATE * note), dtype=np.float32) / SAMPLE_RATE
    envelope = np.minimum(1.0, np.minimum(t, note - t) * 40)
    tones = [np.sin(2 * np.pi * (220 * 2 ** ((stable_hash(w, media.provider) % 12) / 12)) * t) * envelope
             for w in words[:40]]
    samples = (np.concatenate(tones) * 0.3 * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.tobytes())
    text = media.prompt.encode()
    extra = TEXT_CHUNK + len(text).to_bytes(4, "little") + text + b"\0" * (len(text) % 2)
    data = buffer.getvalue() + extra
    return data[:4] + (len(data) - 8).to_bytes(4, "little") + data[8:]


def spoken_text(audio: bytes) -> str | None:
    """The text a simulated speech clip says, if it is one."""
    at = audio.find(TEXT_CHUNK) if audio[:4] == b"RIFF" else -1
    if at < 0:
        return None
    size = int.from_bytes(audio[at + 4 : at + 8], "little")
    return audio[at + 8 : at + 8 + size].decode(errors="replace")


def audio_seconds(audio: bytes) -> float:
    try:
        with wave.open(io.BytesIO(audio)) as clip:
            return clip.getnframes() / clip.getframerate()
    except (wave.Error, EOFError):
        return len(audio) / 32_000


def clamp_side(value: object, default: int) -> int:
    return max(16, min(int(value), MAX_SIDE)) if isinstance(value, (int, float)) and value > 0 else default


class MediaBook(Store[Media]):
    """Media by token, the most recent few hundred kept."""

    def __init__(self, capacity: int = 512) -> None:
        super().__init__(capacity)

    def add(self, media: Media) -> str:
        token = f"{self.next_number():06d}{stable_hash(media.prompt, media.provider) % 10**8:08d}.{media.fmt}"
        self.put(token, media)
        return token
