"""Which handler answers a provider route, and where that route names the model.

Matched in order against the path after the provider's root (`/router/{provider}/` or
`/direct/{host}/`): provider-specific routes first, then the OpenAI-style suffixes any provider may use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .chat import parse_chat, plan_chat
from .completions import completion, embeddings, parse_completion, tgi_generate
from .generation import (
    IMAGE_TASKS,
    VIDEO_TASKS,
    Builder,
    Poller,
    deepinfra_transcription,
    fal_result,
    fal_status,
    fal_submit,
    images_b64,
    novita_video,
    replicate_get,
    replicate_submit,
    speech_bytes,
    together_video_get,
    together_video_submit,
    wavespeed_result,
    wavespeed_submit,
    zai_result,
    zai_submit,
)
from .hf_inference import hf_task
from .responses import Plan
from .state import Call

Parser = Callable[[Any, str], Any]


def _as_is(body: Any, task: str) -> Any:
    return body


def _hf_parse(body: Any, task: str) -> Any:
    return parse_completion(body) if task == "text-generation" else body


def _hf_build(call: Call, empty: bool) -> Plan:
    return tgi_generate(call, empty) if call.task == "text-generation" else hf_task(call, empty)


@dataclass(frozen=True)
class Endpoint:
    method: str
    pattern: str  # full match on the path after the provider root; groups: model, job, task
    build: Builder | None = None  # answers a submission
    poll: Poller | None = None  # answers a poll of an earlier job
    providers: tuple[str, ...] = ()  # () = any provider
    tasks: tuple[str, ...] = ()  # () = whatever task the model's mapping has
    model_from: str = "body"  # "body" (`model` field), "path" (the `model` group), "version" (replicate)
    parse: Parser = _as_is  # the body as the builder wants it, or an error message
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern))


ENDPOINTS = [
    Endpoint("POST", r"models/(?P<model>.+?)(?:/v1)?/chat/completions", lambda c, e: plan_chat(c, c.body, e),
             providers=("hf-inference",), tasks=("conversational",), model_from="path", parse=lambda b, t: parse_chat(b)),
    Endpoint("POST", r"models/(?P<model>.+)/pipeline/(?P<task>[a-z-]+)", hf_task, providers=("hf-inference",),
             model_from="path"),
    Endpoint("POST", r"models/(?P<model>.+)", _hf_build, providers=("hf-inference",), model_from="path",
             parse=_hf_parse),
    Endpoint("GET", r"(?P<model>.+)/requests/(?P<job>[^/]+)/status", poll=fal_status, providers=("fal-ai",)),
    Endpoint("GET", r"(?P<model>.+)/requests/(?P<job>[^/]+)", poll=fal_result, providers=("fal-ai",)),
    Endpoint("POST", r"(?P<model>.+)", fal_submit, providers=("fal-ai",), model_from="path"),
    Endpoint("GET", r"v1/predictions/(?P<job>[^/]+)", poll=replicate_get, providers=("replicate",)),
    Endpoint("POST", r"v1/models/(?P<model>.+)/predictions", replicate_submit, providers=("replicate",),
             model_from="path"),
    Endpoint("POST", r"v1/predictions", replicate_submit, providers=("replicate",), model_from="version"),
    Endpoint("GET", r"api/v3/predictions/(?P<job>[^/]+)/result", poll=wavespeed_result, providers=("wavespeed",)),
    Endpoint("POST", r"api/v3/(?P<model>.+)", wavespeed_submit, providers=("wavespeed",), model_from="path"),
    Endpoint("GET", r"api/paas/v4/async-result/(?P<job>[^/]+)", poll=zai_result, providers=("zai-org",)),
    Endpoint("POST", r"api/paas/v4/async/images/generations", zai_submit, providers=("zai-org",), tasks=IMAGE_TASKS),
    Endpoint("POST", r"v3/hf/(?P<model>.+)", novita_video, providers=("novita",), tasks=("text-to-video",),
             model_from="path"),
    Endpoint("GET", r"v2/videos/(?P<job>[^/]+)", poll=together_video_get, providers=("together",)),
    Endpoint("POST", r"v2/videos", together_video_submit, providers=("together",), tasks=VIDEO_TASKS),
    Endpoint("POST", r".*chat/completions", lambda c, e: plan_chat(c, c.body, e), tasks=("conversational",),
             parse=lambda b, t: parse_chat(b)),
    Endpoint("POST", r".*completions", completion, tasks=("text-generation",), parse=lambda b, t: parse_completion(b)),
    Endpoint("POST", r".*embeddings", embeddings, tasks=("feature-extraction",)),
    Endpoint("POST", r".*images/generations", images_b64, tasks=IMAGE_TASKS),
    Endpoint("POST", r".*audio/speech", speech_bytes, tasks=("text-to-speech",)),
    Endpoint("POST", r".*audio/transcriptions", deepinfra_transcription, tasks=("automatic-speech-recognition",)),
]


def find(provider: str, method: str, rest: str) -> tuple[Endpoint, dict[str, str]] | None:
    for endpoint in ENDPOINTS:
        if endpoint.method != method or (endpoint.providers and provider not in endpoint.providers):
            continue
        match = endpoint.compiled.fullmatch(rest)
        if match:
            return endpoint, {k: v for k, v in match.groupdict().items() if v is not None}
    return None
