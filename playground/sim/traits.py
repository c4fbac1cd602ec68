"""How each simulated provider behaves: its default latency and speed, how far its answers drift, its wire dialect,
and how it treats `tools` and `response_format`."""

from __future__ import annotations

from typing import Any

# Per provider: default latency (time to first token, output tokens/s, jitter as a relative
# spread), answer drift (how often its quantised weights pick another word), and the wire dialect.
PROVIDER_TRAITS: dict[str, dict[str, Any]] = {
    "cerebras": {"ttft_s": 0.22, "tokens_per_s": 850.0, "jitter": 0.10, "drift": 0.10, "dialect": "cerebras"},
    "groq": {"ttft_s": 0.20, "tokens_per_s": 420.0, "jitter": 0.10, "drift": 0.12, "dialect": "openai"},
    "sambanova": {"ttft_s": 0.30, "tokens_per_s": 330.0, "jitter": 0.12, "drift": 0.08, "dialect": "sambanova"},
    "together": {"ttft_s": 0.45, "tokens_per_s": 110.0, "jitter": 0.15, "drift": 0.15, "dialect": "together"},
    "fireworks-ai": {"ttft_s": 0.40, "tokens_per_s": 130.0, "jitter": 0.15, "drift": 0.08, "dialect": "fireworks"},
    "novita": {"ttft_s": 0.95, "tokens_per_s": 70.0, "jitter": 0.25, "drift": 0.25, "dialect": "novita"},
    "hf-inference": {"ttft_s": 0.70, "tokens_per_s": 65.0, "jitter": 0.20, "drift": 0.0, "dialect": "tgi"},
    "nscale": {"ttft_s": 0.75, "tokens_per_s": 75.0, "jitter": 0.20, "drift": 0.05, "dialect": "vllm"},
    "featherless-ai": {"ttft_s": 1.10, "tokens_per_s": 70.0, "jitter": 0.30, "drift": 0.22, "dialect": "vllm"},
    "deepinfra": {"ttft_s": 0.55, "tokens_per_s": 80.0, "jitter": 0.15, "drift": 0.18, "dialect": "vllm"},
    "scaleway": {"ttft_s": 0.65, "tokens_per_s": 85.0, "jitter": 0.15, "drift": 0.05, "dialect": "vllm"},
    "nebius": {"ttft_s": 0.60, "tokens_per_s": 95.0, "jitter": 0.15, "drift": 0.10, "dialect": "vllm"},
    "cohere": {"ttft_s": 0.50, "tokens_per_s": 90.0, "jitter": 0.15, "drift": 0.0, "dialect": "openai"},
    "zai-org": {"ttft_s": 0.85, "tokens_per_s": 70.0, "jitter": 0.20, "drift": 0.0, "dialect": "openai"},
    "ovhcloud": {"ttft_s": 0.70, "tokens_per_s": 80.0, "jitter": 0.20, "drift": 0.10, "dialect": "vllm"},
    "baseten": {"ttft_s": 0.35, "tokens_per_s": 160.0, "jitter": 0.15, "drift": 0.05, "dialect": "openai"},
    "fal-ai": {"ttft_s": 0.30, "tokens_per_s": 60.0, "jitter": 0.20, "drift": 0.0, "dialect": "openai"},
    "replicate": {"ttft_s": 0.60, "tokens_per_s": 60.0, "jitter": 0.25, "drift": 0.0, "dialect": "openai"},
    "wavespeed": {"ttft_s": 0.25, "tokens_per_s": 60.0, "jitter": 0.20, "drift": 0.0, "dialect": "openai"},
}
# Seconds of work for one image (other media tasks weigh more or less, see timing.TASK_WEIGHT).
MEDIA_SPEED: dict[str, float] = {"fal-ai": 1.2, "replicate": 2.0, "wavespeed": 0.9, "together": 1.6, "nscale": 1.4,
                                 "zai-org": 2.5, "hf-inference": 2.2, "novita": 2.0, "deepinfra": 1.0, "nebius": 1.5,
                                 "scaleway": 1.0}
for _name, _speed in MEDIA_SPEED.items():
    PROVIDER_TRAITS[_name]["media_s"] = _speed
DEFAULT_TRAITS: dict[str, Any] = {"ttft_s": 0.8, "tokens_per_s": 60.0, "jitter": 0.2, "drift": 0.1, "dialect": "openai"}


def of(provider: str) -> dict[str, Any]:
    """A provider's latency, drift and dialect traits (defaults for a provider not listed)."""
    return PROVIDER_TRAITS.get(provider, DEFAULT_TRAITS)


def tooling(provider: str) -> dict[str, str]:
    """How a provider treats `tools` and `response_format` unless the configuration says otherwise."""
    return TOOLING.get(provider, DEFAULT_TOOLING)


# How each provider treats `tools` and `response_format` (sim/tooling.py): mostly as the router advertises,
# with the mismatches users report (tools advertised but arguments broken, prose instead of a call).
TOOLING: dict[str, dict[str, str]] = {
    "cerebras": {"tools": "calls", "structured": "missing_field"},
    "groq": {"tools": "calls", "structured": "fits"},
    "together": {"tools": "several", "structured": "fits"},
    "fireworks-ai": {"tools": "calls", "structured": "fits"},
    "sambanova": {"tools": "bad_json", "structured": "prose"},
    "novita": {"tools": "prose", "structured": "prose"},
    "nscale": {"tools": "missing_field", "structured": "rejects"},
    "hf-inference": {"tools": "rejects", "structured": "rejects"},
    "deepinfra": {"tools": "calls", "structured": "fits"},
    "featherless-ai": {"tools": "rejects", "structured": "rejects"},
    "cohere": {"tools": "calls", "structured": "fits"},
}
DEFAULT_TOOLING: dict[str, str] = {"tools": "prose", "structured": "prose"}
