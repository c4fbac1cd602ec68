"""How each provider shapes an OpenAI-style chat answer, as the recordings show it.

Recorded: cerebras, fireworks-ai, hf-inference (TGI), together, novita, nebius (vLLM) and
sambanova (`cassettes/TestInferenceClient.test_chat_completion_*`). Providers without a
recording use the vLLM shape or plain OpenAI's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NO_FILTER = {"hate": {"filtered": False}, "self_harm": {"filtered": False}, "sexual": {"filtered": False},
             "violence": {"filtered": False}, "jailbreak": {"filtered": False, "detected": False},
             "profanity": {"filtered": False, "detected": False}}
USAGE_DETAILS = {"prompt_tokens_details": None, "completion_tokens_details": None}


@dataclass(frozen=True)
class Dialect:
    id_format: str  # "{uuid}", "{hex16}", "{hex32}" placeholders
    top: dict[str, Any] = field(default_factory=dict)  # extra top-level keys, chunks and responses
    choice: dict[str, Any] = field(default_factory=dict)  # extra keys of every choice
    response_top: dict[str, Any] = field(default_factory=dict)  # extra top-level keys, non-stream only
    response_choice: dict[str, Any] = field(default_factory=dict)
    message: dict[str, Any] = field(default_factory=dict)  # extra keys of the non-stream message
    usage: dict[str, Any] = field(default_factory=dict)  # extra keys of every usage object
    opening: tuple[dict[str, Any], ...] = ()  # deltas sent before the first text
    delta: dict[str, Any] = field(default_factory=dict)  # extra keys of every text delta
    finish_own_chunk: bool = True  # finish_reason in a chunk of its own, else on the last text chunk
    finish_delta: dict[str, Any] = field(default_factory=dict)
    final_choice: dict[str, Any] = field(default_factory=dict)  # extra keys of the choice carrying finish_reason
    chunk_usage: str = "none"  # "none", "null", "final", "null_final", "every"
    null_finish: bool = True  # chunk choices carry finish_reason: null until the end
    together_tokens: bool = False  # choice.text repeats the delta, delta.token_id, choice.seed
    time_info: bool = False  # cerebras timing next to usage
    sambanova_stats: bool = False  # sambanova timing statistics inside usage (non-stream)
    done: bool = True  # stream ends with `data: [DONE]`
    tokens_per_chunk: int = 1


DIALECTS: dict[str, Dialect] = {
    "cerebras": Dialect(
        id_format="chatcmpl-{uuid}", top={"system_fingerprint": "fp_5fb719f1e4"}, opening=({"role": "assistant"},),
        chunk_usage="final", null_finish=False, time_info=True, done=False,
    ),
    "fireworks": Dialect(
        id_format="{uuid}", opening=({"role": "assistant"},), chunk_usage="null_final", tokens_per_chunk=4,
    ),
    "tgi": Dialect(
        id_format="", top={"system_fingerprint": "3.2.1-native"}, choice={"logprobs": None},
        delta={"role": "assistant"}, finish_own_chunk=False, chunk_usage="null",
    ),
    "together": Dialect(
        id_format="{hex16}", choice={"logprobs": None}, response_top={"prompt": []}, message={"tool_calls": []},
        delta={"role": "assistant", "tool_calls": None}, finish_own_chunk=False, chunk_usage="null_final",
        together_tokens=True,
    ),
    "novita": Dialect(
        id_format="chatcmpl-{hex32}", top={"system_fingerprint": ""}, choice={"content_filter_results": NO_FILTER},
        usage=USAGE_DETAILS, opening=({"role": "assistant"}, {}), finish_own_chunk=False, chunk_usage="every",
    ),
    "vllm": Dialect(
        id_format="chatcmpl-{hex32}", choice={"logprobs": None},
        response_top={"service_tier": None, "system_fingerprint": None, "prompt_logprobs": None},
        response_choice={"stop_reason": None},
        message={"refusal": None, "audio": None, "function_call": None, "tool_calls": []},
        usage=USAGE_DETAILS, opening=({"content": "", "role": "assistant"},), finish_own_chunk=False,
        final_choice={"stop_reason": None},
    ),
    "sambanova": Dialect(
        id_format="{uuid}", top={"system_fingerprint": "fastcoe"}, choice={"logprobs": None},
        opening=({"content": "", "role": "assistant"},), delta={"role": "assistant"}, finish_delta={"content": ""},
        sambanova_stats=True, tokens_per_chunk=8,
    ),
    "openai": Dialect(
        id_format="chatcmpl-{hex24}", top={"system_fingerprint": "fp_sim0001"}, choice={"logprobs": None},
        opening=({"role": "assistant", "content": ""},),
    ),
}
