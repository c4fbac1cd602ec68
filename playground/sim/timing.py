"""Latency profiles and the schedule of a response, as offsets from the request's arrival."""

from __future__ import annotations

import dataclasses
import math
import random
from dataclasses import dataclass

from . import served, traits
from .config import LatencyProfile, SimConfig

DEFAULT_MEDIA_S = 1.5


@dataclass(frozen=True)
class Speed:
    ttft_s: float
    tokens_per_s: float
    jitter: float
    media_s: float
    time_scale: float
    headers_s: float = 0.0

    def scaled(self, seconds: float) -> float:
        return seconds * self.time_scale


def default_profile(provider: str, model_id: str | None) -> LatencyProfile:
    """A provider's own speed (traits.py), slowed for big models (prefill and decode both grow)."""
    known = traits.of(provider)
    found = served.model(model_id) if model_id else None
    size = found["size"] if found else 1.0
    return LatencyProfile(ttft_s=known["ttft_s"] * (0.7 + 0.3 * size), tokens_per_s=known["tokens_per_s"] / size,
                          jitter=known["jitter"], media_s=known.get("media_s", DEFAULT_MEDIA_S), headers_s=0.0)


def speed_for(config: SimConfig, provider: str, model_id: str | None) -> Speed:
    layers = [default_profile(provider, model_id), config.profiles.get(provider),
              config.profiles.get(f"{provider}:{model_id}")]
    values: dict[str, float] = {}
    for layer in layers:
        if layer is not None:
            values.update({k: v for k, v in dataclasses.asdict(layer).items() if v is not None})
    return Speed(ttft_s=values["ttft_s"], tokens_per_s=max(values["tokens_per_s"], 1e-3),
                 jitter=max(values["jitter"], 0.0), media_s=max(values["media_s"], 0.0),
                 time_scale=max(config.time_scale, 0.0), headers_s=max(values["headers_s"], 0.0))


def _spread(rng: random.Random, jitter: float) -> float:
    return min(max(math.exp(rng.gauss(0.0, jitter)), 0.25), 4.0) if jitter else 1.0


def token_times(speed: Speed, count: int, rng: random.Random) -> list[float]:
    """When each output token is ready: the first after the time to first token, then one gap each."""
    at = speed.ttft_s * _spread(rng, speed.jitter)
    times = []
    for index in range(count):
        if index:
            at += _spread(rng, speed.jitter) / speed.tokens_per_s
        times.append(speed.scaled(at))
    return times


def first_token_at(speed: Speed, rng: random.Random) -> float:
    return speed.scaled(speed.ttft_s * _spread(rng, speed.jitter))


# How long a task takes relative to generating one image (`media_s`).
TASK_WEIGHT: dict[str, float] = {
    "text-to-image": 1.0, "image-to-image": 1.2, "text-to-video": 3.5, "image-to-video": 3.5,
    "text-to-speech": 0.5, "automatic-speech-recognition": 0.4, "audio-to-audio": 0.6,
}
DEFAULT_WEIGHT = 0.08  # classification, embeddings and the like: a forward pass


def work_done_at(speed: Speed, task: str, rng: random.Random) -> float:
    """When a non-chat task's result is ready: first the start-up latency, then the work."""
    work = speed.media_s * TASK_WEIGHT.get(task, DEFAULT_WEIGHT) * _spread(rng, speed.jitter)
    return first_token_at(speed, rng) + speed.scaled(work)
