"""Text generation (OpenAI `/completions` and hf-inference's TGI `generate`) and OpenAI-style embeddings."""

from __future__ import annotations

from typing import Any

from . import served
from .answers import stable_hash, tokenize
from .chat import ChatRequest, Reply, make_reply
from .responses import Chunk, Plan, json_plan
from .state import Call
from .task_answers import embedding
from .timing import work_done_at


def parse_completion(body: Any) -> ChatRequest | str:
    """A completion request as the chat machinery sees it: the prompt is the one user message."""
    if not isinstance(body, dict):
        return "The request body must be a JSON object."
    prompt = body.get("prompt", body.get("inputs"))
    if not isinstance(prompt, str):
        return "`prompt` must be a string"
    parameters = body.get("parameters")
    if not isinstance(parameters, dict):
        parameters = body
    max_tokens = parameters.get("max_tokens", parameters.get("max_new_tokens"))
    if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens < 1):
        return "`max_tokens` must be a positive integer"
    options = body.get("stream_options") or {}
    return ChatRequest(messages=[{"role": "user", "content": prompt}], stream=bool(body.get("stream")),
                       max_tokens=max_tokens, temperature=parameters.get("temperature"), seed=parameters.get("seed"),
                       include_usage=bool(isinstance(options, dict) and options.get("include_usage")),
                       options=dict(parameters))


def _usage(reply: Reply) -> dict[str, int]:
    count = len(reply.pieces)
    return {"prompt_tokens": reply.prompt_tokens, "completion_tokens": count, "total_tokens": reply.prompt_tokens + count}


def completion(call: Call, empty: bool) -> Plan:
    request: ChatRequest = call.body
    reply = make_reply(call, request, "cmpl-{hex24}", empty)

    def body(text: str, finish: str | None) -> dict[str, Any]:
        return {"id": reply.id, "object": "text_completion", "created": reply.created, "model": reply.model,
                "choices": [{"text": text, "index": 0, "logprobs": None, "finish_reason": finish}]}

    if not request.stream:
        return Plan(status=200, chunks=[Chunk(reply.end, {**body("".join(reply.pieces), reply.finish_reason),
                                                          "usage": _usage(reply)}, text=True)],
                    completion_tokens=len(reply.pieces))
    last = len(reply.pieces) - 1
    chunks = [Chunk(at, body(piece, reply.finish_reason if i == last else None), text=True, event=True)
              for i, (piece, at) in enumerate(zip(reply.pieces, reply.times))]
    if not reply.pieces:
        chunks.append(Chunk(reply.end, body("", reply.finish_reason), event=True))
    if request.include_usage:
        chunks.append(Chunk(reply.end, {**body("", None), "choices": [], "usage": _usage(reply)}, event=True))
    chunks.append(Chunk(reply.end, b"data: [DONE]\n\n"))
    return Plan(status=200, chunks=chunks, media_type="text/event-stream", stream=True,
                completion_tokens=len(reply.pieces))


def tgi_generate(call: Call, empty: bool) -> Plan:
    """hf-inference text generation, TGI style: a list with `generated_text`, or `data:` token events."""
    request: ChatRequest = call.body
    reply = make_reply(call, request, "", empty)
    parameters = request.options
    text = "".join(reply.pieces)
    full = (request.prompt + text) if parameters.get("return_full_text") else text
    finish = "length" if reply.finish_reason == "length" else "eos_token"
    details = {"finish_reason": finish, "generated_tokens": len(reply.pieces), "seed": request.seed}
    tokens = [{"id": stable_hash(p) % 32000, "text": p, "logprob": -round(0.1 + (stable_hash(p, 1) % 200) / 100, 4),
               "special": False} for p in reply.pieces]
    if not request.stream:
        answer: dict[str, Any] = {"generated_text": full}
        if parameters.get("details"):
            answer["details"] = {**details, "prefill": [], "tokens": tokens}
        return json_plan([answer], at=reply.end, text=True)
    chunks = [Chunk(at, {"index": i + 1, "token": token, "generated_text": full if i == len(tokens) - 1 else None,
                         "details": details if i == len(tokens) - 1 else None}, text=True, event=True)
              for i, (token, at) in enumerate(zip(tokens, reply.times))]
    return Plan(status=200, chunks=chunks, media_type="text/event-stream", stream=True,
                completion_tokens=len(reply.pieces))


def embeddings(call: Call, empty: bool) -> Plan:
    body = call.body if isinstance(call.body, dict) else {}
    value = body.get("input", body.get("inputs", ""))
    texts = value if isinstance(value, list) else [value]
    dim = asked if isinstance(asked := body.get("dimensions"), int) else served.embedding_dim(call.model_id)
    data = [] if empty else [{"object": "embedding", "index": i, "embedding": embedding(str(t), dim)}
                             for i, t in enumerate(texts)]
    used = sum(len(tokenize(str(t))) for t in texts)
    answer = {"object": "list", "data": data, "model": call.provider_id,
              "usage": {"prompt_tokens": used, "total_tokens": used}}
    return json_plan(answer, at=work_done_at(call.speed, "feature-extraction", call.rng), text=True)
