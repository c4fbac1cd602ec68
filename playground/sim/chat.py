"""OpenAI-style chat completions: the answer, its tokens, and the chunks of each provider's dialect."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from . import reasoning, served, tooling, traits, vision
from .answers import compose, count_prompt_tokens, message_text, stable_hash, tokenize
from .dialects import DIALECTS, Dialect
from .error_bodies import error_plan, style_of
from .responses import Chunk, Plan
from .state import Call
from .timing import first_token_at, token_times


@dataclass
class ChatRequest:
    messages: list[dict[str, Any]]
    stream: bool
    max_tokens: int | None
    temperature: float | None
    seed: int | None
    include_usage: bool
    options: dict[str, Any] = field(default_factory=dict)  # everything else the request set
    tools: list[Any] = field(default_factory=list)
    tool_choice: Any = None
    response_format: Any = None
    reasoning_effort: str | None = None  # low, medium, high: how long a reasoning model thinks

    @property
    def prompt(self) -> str:
        users = [m for m in self.messages if m.get("role") == "user"] or self.messages
        return message_text(users[-1].get("content"))


def parse_chat(body: dict[str, Any]) -> ChatRequest | str:
    """The request, or the reason it is invalid."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
        return "`messages` must be a non-empty list of {role, content} objects"
    max_tokens = body.get("max_tokens", body.get("max_completion_tokens"))
    if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens < 1):
        return "`max_tokens` must be a positive integer"
    effort = body.get("reasoning_effort")
    if effort is not None and effort not in reasoning.EFFORTS:
        return f"Invalid value for `reasoning_effort`: {str(effort)[:40]!r}. Supported values are: 'low', 'medium', and 'high'."
    options = body.get("stream_options") or {}
    return ChatRequest(reasoning_effort=effort, messages=messages, stream=bool(body.get("stream")), max_tokens=max_tokens,
                       temperature=body.get("temperature"), seed=body.get("seed"),
                       include_usage=bool(isinstance(options, dict) and options.get("include_usage")),
                       tools=tools if isinstance(tools := body.get("tools"), list) else [],
                       tool_choice=body.get("tool_choice"), response_format=body.get("response_format"))


@dataclass
class Reply:
    id: str
    created: int
    model: str
    pieces: list[str]
    finish_reason: str
    prompt_tokens: int
    seed: int
    times: list[float]
    ttft: float
    thinking: int = 0  # how many of the first pieces are thinking (reasoning models)
    form: str | None = None  # how the provider sends thinking (reasoning.FORMATS)

    @property
    def end(self) -> float:
        return self.times[-1] if self.times else self.ttft


def plan_chat(call: Call, request: ChatRequest, empty: bool = False) -> Plan:
    call.record.messages = [{"role": m.get("role"), "content": message_text(m.get("content"))
                             + " [image]" * vision.count(m.get("content"))} for m in request.messages]
    dialect = DIALECTS[traits.of(call.provider)["dialect"]]
    refused, images = vision.check(call.model_id, request.messages, call.provider)
    if refused:
        return error_plan(style_of(call.provider), 400, refused)
    outcome = None if empty else tooling.tool_calls(call, request) or tooling.structured_text(call, request)
    if isinstance(outcome, Plan):
        return outcome
    if isinstance(outcome, tooling.ToolCallPlan):
        return plan_tool_calls(call, request, dialect, outcome)
    if images and outcome is None and not empty:
        outcome = f"The image ({', '.join(images)}) is what this answer is about. " + answer_text(call, request)
    reply = make_reply(call, request, dialect.id_format, empty, answer=outcome)
    if request.stream:
        chunks = _stream_chunks(dialect, reply, request.include_usage)
        return Plan(status=200, chunks=chunks, media_type="text/event-stream", stream=True,
                    completion_tokens=len(reply.pieces), headers={"cache-control": "no-cache"})
    body = _response(dialect, reply, empty)
    return Plan(status=200, chunks=[Chunk(reply.end, body, text=True)],
                completion_tokens=len(reply.pieces))


def answer_text(call: Call, request: ChatRequest) -> str:
    found = served.model(call.model_id) or {}
    return _follow_up(request) + compose(request.prompt, call.model_id, found.get("family", "mistral"), call.provider,
                   drift=traits.of(call.provider)["drift"], temperature=request.temperature, seed=request.seed)


def _follow_up(request: ChatRequest) -> str:
    """A later turn says so and quotes the start of the answer before it, so threads can be told apart."""
    answers = [m for m in request.messages if m.get("role") == "assistant"]
    if not answers:
        return ""
    opening = " ".join(message_text(answers[-1].get("content")).split()[:6])
    return f"(Turn {len(answers) + 1} of our conversation; my last answer began “{opening}…”) "


def make_reply(call: Call, request: ChatRequest, id_format: str, empty: bool, answer: str | None = None) -> Reply:
    """The answer's tokens, when each is ready, and the ids a response carries; `answer` replaces the composed text."""
    pieces = [] if empty else tokenize(answer if answer is not None else answer_text(call, request))
    rng = call.rng
    form = reasoning.thinking_format(call.model_id, call.provider)
    thinking = reasoning.thinking_pieces(request.prompt, rng, request.reasoning_effort) if form and not empty and answer is None else []
    pieces = thinking + pieces
    finish = "stop"
    if request.max_tokens is not None and len(pieces) > request.max_tokens:
        pieces, finish = pieces[: request.max_tokens], "length"
    times = token_times(call.speed, len(pieces), rng)
    ttft = times[0] if times else first_token_at(call.speed, rng)
    ident = id_format.format(uuid=uuid.UUID(int=rng.getrandbits(128)), hex16=f"{rng.getrandbits(64):016x}",
                                     hex24=f"{rng.getrandbits(96):024x}", hex32=f"{rng.getrandbits(128):032x}")
    return Reply(id=ident, created=int(time.time()), model=call.response_model, pieces=pieces, finish_reason=finish,
                 prompt_tokens=count_prompt_tokens(request.messages),
                 seed=request.seed if request.seed is not None else rng.getrandbits(62), times=times, ttft=ttft,
                 thinking=min(len(thinking), len(pieces)), form=form if thinking else None)


def _usage(dialect: Dialect, reply: Reply, completion_tokens: int) -> dict[str, Any]:
    usage = {"prompt_tokens": reply.prompt_tokens, "completion_tokens": completion_tokens,
             "total_tokens": reply.prompt_tokens + completion_tokens, **dialect.usage}
    if reply.thinking:
        usage.update(reasoning.usage_details(min(reply.thinking, completion_tokens)))
    return usage


def _groups(reply: Reply, size: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk's pieces; a chunk never mixes thinking and answer."""
    count = len(reply.pieces)
    bounds = [(s, min(s + size, reply.thinking)) for s in range(0, reply.thinking, size)]
    return bounds + [(s, min(s + size, count)) for s in range(reply.thinking, count, size)]


def _text_delta(dialect: Dialect, reply: Reply, start: int, end: int) -> dict[str, Any]:
    text = "".join(reply.pieces[start:end])
    if reply.form is None:
        return {**dialect.delta, "content": text}
    first = start == 0 or start == reply.thinking
    return {**dialect.delta, **reasoning.delta(reply.form, text, start < reply.thinking, first)}


def _time_info(reply: Reply) -> dict[str, Any]:
    return {"queue_time": 0.0001, "prompt_time": round(reply.ttft * 0.8, 6),
            "completion_time": round(reply.end - reply.ttft, 6), "total_time": round(reply.end, 6),
            "created": reply.created}


def _chunk(dialect: Dialect, reply: Reply, delta: dict[str, Any], emitted: int, finish: str | None = None,
           text: str | None = None) -> dict[str, Any]:
    final = finish is not None
    choice: dict[str, Any] = {"index": 0, "delta": delta, **dialect.choice}
    if dialect.null_finish or final:
        choice["finish_reason"] = finish
    if final:
        choice.update(dialect.final_choice)
    if dialect.together_tokens:
        choice["text"] = text or ""
        choice["seed"] = reply.seed if final else None
        if text:
            delta["token_id"] = stable_hash(text) % 128256
    payload: dict[str, Any] = {"id": reply.id, "object": "chat.completion.chunk", "created": reply.created,
                               "model": reply.model, "choices": [choice], **dialect.top}
    mode = dialect.chunk_usage
    if mode == "every" or (final and mode in ("final", "null_final")):
        payload["usage"] = _usage(dialect, reply, emitted)
    elif mode in ("null", "null_final"):
        payload["usage"] = None
    if final and dialect.time_info:
        payload["time_info"] = _time_info(reply)
    return payload


def _stream_chunks(dialect: Dialect, reply: Reply, include_usage: bool) -> list[Chunk]:
    chunks = _opening(dialect, reply)
    count = len(reply.pieces)
    for start, emitted in _groups(reply, dialect.tokens_per_chunk):
        text = "".join(reply.pieces[start:emitted])
        finish = reply.finish_reason if emitted == count and not dialect.finish_own_chunk else None
        payload = _chunk(dialect, reply, _text_delta(dialect, reply, start, emitted), emitted, finish, text)
        chunks.append(Chunk(reply.times[emitted - 1], payload, text=True, event=True))
    if dialect.finish_own_chunk or not count:
        chunks.append(Chunk(reply.end, _chunk(dialect, reply, dict(dialect.finish_delta), count, reply.finish_reason),
                            event=True))
    return chunks + _closing(dialect, reply, count, include_usage)


def _opening(dialect: Dialect, reply: Reply) -> list[Chunk]:
    """The deltas a dialect sends before any output (the role chunk)."""
    return [Chunk(reply.ttft * (0.2 + 0.15 * k), _chunk(dialect, reply, dict(delta), emitted=0), event=True)
            for k, delta in enumerate(dialect.opening)]


def _closing(dialect: Dialect, reply: Reply, count: int, include_usage: bool) -> list[Chunk]:
    """After the finish: the usage chunk when asked for, and `[DONE]` unless the dialect leaves it out."""
    chunks = []
    if include_usage:
        usage_chunk = {"id": reply.id, "object": "chat.completion.chunk", "created": reply.created,
                       "model": reply.model, "choices": [], "usage": _usage(dialect, reply, count), **dialect.top}
        chunks.append(Chunk(reply.end, usage_chunk, event=True))
    if dialect.done:
        chunks.append(Chunk(reply.end, b"data: [DONE]\n\n"))
    return chunks


def _response(dialect: Dialect, reply: Reply, empty: bool) -> dict[str, Any]:
    message = {"role": "assistant", "content": "".join(reply.pieces), **dialect.message}
    if reply.form is not None:
        thought, said = "".join(reply.pieces[: reply.thinking]), "".join(reply.pieces[reply.thinking :])
        message.update(reasoning.message(reply.form, thought.strip(), said, closed=len(reply.pieces) > reply.thinking))
    choice: dict[str, Any] = {"index": 0, "message": message, "finish_reason": reply.finish_reason,
                              **dialect.choice, **dialect.response_choice}
    if dialect.together_tokens:
        choice["seed"] = reply.seed
    count = len(reply.pieces)
    usage = _usage(dialect, reply, count)
    if dialect.sambanova_stats:
        usage.update(_sambanova_stats(reply, count))
    body: dict[str, Any] = {"id": reply.id, "object": "chat.completion", "created": reply.created,
                            "model": reply.model, "choices": [] if empty else [choice], "usage": usage,
                            **dialect.top, **dialect.response_top}
    if dialect.time_info:
        body["time_info"] = _time_info(reply)
    return body


def _sambanova_stats(reply: Reply, count: int) -> dict[str, Any]:
    decode = max(reply.end - reply.ttft, 1e-6)
    total = max(reply.end, 1e-6)
    start = time.time() - total
    return {"completion_tokens_after_first_per_sec": max(count - 1, 0) / decode,
            "completion_tokens_after_first_per_sec_first_ten": max(count - 1, 0) / decode,
            "completion_tokens_per_sec": count / total, "end_time": start + total, "is_last_response": True,
            "start_time": start, "stop_reason": reply.finish_reason, "time_to_first_token": reply.ttft,
            "total_latency": total, "total_tokens_per_sec": (reply.prompt_tokens + count) / total}


def _tool_call_ids(reply: Reply, count: int) -> list[str]:
    return [f"call_{stable_hash(reply.id, index) % 16**24:024x}" for index in range(count)]


def _wire_arguments(dialect: Dialect, arguments: str) -> Any:
    """TGI sends the arguments as a JSON object when they are one; everyone else as a string."""
    if dialect is DIALECTS["tgi"]:
        try:
            return json.loads(arguments)
        except ValueError:
            return arguments
    return arguments


def plan_tool_calls(call: Call, request: ChatRequest, dialect: Dialect, planned: tooling.ToolCallPlan) -> Plan:
    """An answer made of tool calls: each call's first delta names it, its arguments follow in pieces."""
    per_call = [tokenize(arguments) for _, arguments in planned.calls]
    reply = make_reply(call, request, dialect.id_format, False, answer="")
    reply.pieces = [piece for pieces in per_call for piece in pieces]
    reply.times = token_times(call.speed, len(reply.pieces) + len(per_call), call.rng)
    reply.ttft, reply.finish_reason = reply.times[0], "tool_calls"
    ids = _tool_call_ids(reply, len(per_call))
    if not request.stream:
        body = _response(dialect, reply, False)
        body["choices"][0]["message"].update(content=None, tool_calls=[
            {"id": ident, "type": "function", "function": {"name": name, "arguments": _wire_arguments(dialect, arguments)}}
            for ident, (name, arguments) in zip(ids, planned.calls)])
        return Plan(status=200, chunks=[Chunk(reply.end, body, text=True)], completion_tokens=len(reply.pieces))
    chunks = _opening(dialect, reply)
    emitted, tick = 0, 0
    for index, ((name, _), pieces) in enumerate(zip(planned.calls, per_call)):
        head = {"index": index, "id": ids[index], "type": "function", "function": {"name": name, "arguments": ""}}
        chunks.append(Chunk(reply.times[tick], _chunk(dialect, reply, {**dialect.delta, "tool_calls": [head]}, emitted),
                            text=True, event=True))
        tick += 1
        for piece in pieces:
            emitted += 1
            delta = {**dialect.delta, "tool_calls": [{"index": index, "function": {"arguments": piece}}]}
            chunks.append(Chunk(reply.times[tick], _chunk(dialect, reply, delta, emitted), text=True, event=True))
            tick += 1
    chunks.append(Chunk(reply.end, _chunk(dialect, reply, dict(dialect.finish_delta), emitted, "tool_calls"), event=True))
    chunks += _closing(dialect, reply, emitted, request.include_usage)
    return Plan(status=200, chunks=chunks, media_type="text/event-stream", stream=True,
                completion_tokens=len(reply.pieces), headers={"cache-control": "no-cache"})
