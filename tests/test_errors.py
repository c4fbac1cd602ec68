"""Every error kind, injected into one provider of two: that provider's row says what went wrong, in one masked line;
the other provider's row is exactly what its recording says."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from collections.abc import AsyncIterator, Callable

import httpx2
import pytest
from huggingface_hub.errors import (
    GenerationError,
    HfHubHTTPError,
    InferenceTimeoutError,
    OverloadedError,
    ValidationError,
)
from huggingface_hub.utils import hf_raise_for_status

from playground import errors, runner
from playground.errors import ERROR_KINDS, FIXES, BadResponse, NotSupported, classify
from playground.keys import mask
from playground.model import Result
from playground.service import Playground
from playground.settings import Settings
from tests.cassettes import ChatRecording, Replay

FAULTY = "together"
FAULTY_URL = "https://router.huggingface.co/together/v1/chat/completions"
Fault = Callable[[httpx2.Request], httpx2.Response]


def status(code: int, body: object, **headers: str) -> Fault:
    return lambda request: httpx2.Response(code, json=body, headers=headers)


def echoing_key(code: int, template: str) -> Fault:
    """A provider that quotes the key it was given back in its error (some do)."""

    def respond(request: httpx2.Request) -> httpx2.Response:
        key = request.headers["authorization"].removeprefix("Bearer ")
        return httpx2.Response(code, json={"error": template.format(key=key)})

    return respond


def raising(error: Exception) -> Fault:
    def respond(request: httpx2.Request) -> httpx2.Response:
        raise error

    return respond


def sse(*events: str, then: Exception | None = None) -> Fault:
    async def body() -> AsyncIterator[bytes]:
        for event in events:
            yield f"{event}\n\n".encode()
        if then:
            raise then

    return lambda request: httpx2.Response(200, headers={"Content-Type": "text/event-stream"}, content=body())


def chunk(content: str | None, **extra: object) -> str:
    delta = {"role": "assistant"} | ({"content": content} if content is not None else {})
    return "data: " + json.dumps({"id": "x", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta}], **extra})


LOADING = {"error": "Model meta-llama/Llama-3.3-70B-Instruct is currently loading", "estimated_time": 20.0}
FAULTS: dict[str, tuple[str, Fault, bool]] = {
    # id: (error_kind, fault, stream)
    "401": ("auth", echoing_key(401, "Invalid API key provided: {key}"), True),
    "403": ("auth", status(403, {"error": "This token does not have the 'Make calls to Inference Providers' permission"}), True),
    "402": ("payment", echoing_key(402, "You have exceeded your monthly included credits for Inference Providers (key {key})."), True),
    "429": ("rate_limit", status(429, {"error": "Rate limit reached, retry later"}), True),
    "read-timeout": ("timeout", raising(httpx2.ReadTimeout("The read operation timed out")), True),
    "gateway-timeout": ("timeout", status(504, {"error": "upstream request timeout"}), False),
    "500": ("unavailable", status(500, {"error": "Internal Server Error"}), True),
    "503-loading": ("unavailable", status(503, LOADING), True),
    "502-html": ("unavailable", lambda request: httpx2.Response(502, html="<html><body>502 Bad Gateway</body></html>"), True),
    "malformed-sse": ("bad_response", sse(chunk("Deep"), 'data: {"id": "x", "choices": [{"delta":'), True),
    "empty-stream": ("bad_response", sse(chunk(None), chunk(""), "data: [DONE]"), True),
    "no-choices": ("bad_response", status(200, {"object": "chat.completion", "choices": []}), False),
    "empty-message": ("bad_response", status(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": ""}}]}), False),
    "html-200": ("bad_response", lambda request: httpx2.Response(200, html="<html>maintenance</html>"), False),
    "404": ("not_supported", status(404, {"error": "Model llama-3.3-70b does not exist"}), True),
    "400": ("invalid_input", status(400, {"error": "max_tokens must be at most 8192"}), True),
    "422": ("invalid_input", status(422, {"detail": [{"loc": ["body", "max_tokens"], "msg": "too large"}]}), True),
    "connect": ("connection", raising(httpx2.ConnectError("[Errno 111] Connection refused")), True),
    "dropped": ("connection", sse(chunk("Deep"), then=httpx2.RemoteProtocolError("peer closed connection")), True),
}


def compare_with_fault(replay: Replay, fault: Fault, key: str, stream: bool = True, timeout_s: float | None = None) -> tuple[Result, Result, ChatRecording]:
    good = ChatRecording.find("cerebras", stream=stream)
    good.install(replay)
    replay.serve("POST", FAULTY_URL, fault)
    plan = Playground(Settings()).plan(
        task="conversational",
        model=good.model,
        providers=["cerebras", FAULTY],
        prompt="What is deep learning?",
        api_key=key,
        params_json={"stream": stream, "max_tokens": 20},
    )
    if timeout_s is not None:
        plan = dataclasses.replace(plan, timeout_s=timeout_s)
    results = {r.provider: r for r in asyncio.run(runner.run(plan)).results}
    return results["cerebras"], results[FAULTY], good


def assert_untouched(result: Result, recording: ChatRecording) -> None:
    assert result.ok and result.state == "done" and result.error is None
    assert result.text == recording.text
    assert result.output_tokens == recording.usage_tokens


def assert_readable(message: str, key: str) -> None:
    assert message and "\n" not in message and len(message) <= 240
    assert key not in message and key[3:] not in message
    assert set(re.findall(r"hf_\S*?(?=[\s).,]|$)", message)) <= {mask(key)}


@pytest.mark.parametrize("fault_id", FAULTS)
def test_one_provider_failing_never_spoils_the_other(fault_id: str, replay: Replay, hf_key: str) -> None:
    kind, fault, stream = FAULTS[fault_id]

    good, bad, recording = compare_with_fault(replay, fault, hf_key, stream=stream)

    assert_untouched(good, recording)
    assert (bad.ok, bad.state, bad.error_kind) == (False, "error", kind)
    assert bad.fix == FIXES[kind]
    assert_readable(bad.error, hf_key)
    assert replay.to(FAULTY_URL)  # the failure came from the provider call, not from planning


def test_payment_says_what_to_do_and_masks_the_quoted_key(replay: Replay, hf_key: str) -> None:
    _, bad, _ = compare_with_fault(replay, FAULTS["402"][1], hf_key)

    assert bad.error.startswith("HTTP 402: credits exhausted or pay-as-you-go not enabled for this provider")
    assert mask(hf_key) in bad.error and hf_key not in bad.error


def test_http_errors_carry_the_providers_own_words(replay: Replay, hf_key: str) -> None:
    _, bad, _ = compare_with_fault(replay, FAULTS["503-loading"][1], hf_key)

    assert bad.error.startswith("HTTP 503: the provider is unavailable")
    assert "currently loading" in bad.error


def test_a_stream_that_stops_moving_times_out_alone(replay: Replay, hf_key: str) -> None:
    async def stalls() -> AsyncIterator[bytes]:
        yield (chunk("Deep") + "\n\n").encode()
        await asyncio.Event().wait()  # the provider never sends the rest
        yield b""

    fault = lambda request: httpx2.Response(200, headers={"Content-Type": "text/event-stream"}, content=stalls())  # noqa: E731
    good, bad, recording = compare_with_fault(replay, fault, hf_key, timeout_s=0.3)

    assert_untouched(good, recording)
    assert (bad.error_kind, bad.state) == ("timeout", "error")
    assert "after 0.3 s" in bad.error
    assert bad.text == "Deep"  # what arrived before the stall is kept


def test_a_mid_stream_error_event_is_reported(replay: Replay, hf_key: str) -> None:
    fault = sse(chunk("Deep"), 'data: {"error": "CUDA out of memory", "error_type": "generation"}')

    good, bad, recording = compare_with_fault(replay, fault, hf_key)

    assert_untouched(good, recording)
    assert bad.error_kind == "unavailable" and "CUDA out of memory" in bad.error


# errors.classify, one exception type at a time


def http_error(code: int, body: object = None, url: str = FAULTY_URL) -> HfHubHTTPError:
    response = httpx2.Response(code, json=body if body is not None else {}, request=httpx2.Request("POST", url))
    with pytest.raises(HfHubHTTPError) as caught:
        hf_raise_for_status(response)
    return caught.value


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (400, "invalid_input"),
        (401, "auth"),
        (402, "payment"),
        (403, "auth"),
        (404, "not_supported"),
        (408, "timeout"),
        (410, "not_supported"),
        (413, "invalid_input"),
        (422, "invalid_input"),
        (429, "rate_limit"),
        (500, "unavailable"),
        (502, "unavailable"),
        (503, "unavailable"),
        (504, "timeout"),
    ],
)
def test_classify_http_status(code: int, kind: str) -> None:
    failure = classify(http_error(code, {"error": "details from the provider"}))

    assert failure.kind == kind
    assert failure.message.startswith(f"HTTP {code}: ") and failure.message.endswith("(details from the provider)")


# Error bodies recorded from providers (tests/recordings/tapes.json), in the shapes providers use.
@pytest.mark.parametrize(
    ("code", "body", "words"),
    [
        (401, {"error": "Invalid username or password."}, "(Invalid username or password.)"),
        (
            400,
            {"id": "9026c5ba8ae9d397-CDG", "error": {"message": "Invalid request", "type": "invalid_request_error", "param": "model", "code": None}},
            "(Invalid request)",
        ),
        (401, {"message": "No API key found in request", "request_id": "ab5386689131886ef950356f5333e057"}, "(No API key found in request)"),
        (400, {"detail": "Unsupported data URL"}, "(Unsupported data URL)"),
        (
            422,
            {"detail": [{"type": "missing", "loc": ["body", "messages"], "msg": "Field required", "input": {"prompt": "Paris is"}}]},
            "(body.messages: Field required)",
        ),
    ],
)
def test_classify_quotes_the_provider_in_its_own_format(code: int, body: object, words: str) -> None:
    message = classify(http_error(code, body)).message

    assert message.endswith(words) and "{" not in message


def test_classify_a_gateway_timeout_while_loading_is_unavailable() -> None:
    assert classify(http_error(504, LOADING)).kind == "unavailable"


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (InferenceTimeoutError("Inference call timed out"), "timeout", "no complete answer after 120 s"),
        (TimeoutError(), "timeout", "no complete answer after 120 s"),
        (TimeoutError("slow"), "timeout", "no complete answer after 120 s (slow)"),
        (httpx2.ReadTimeout("read timed out"), "timeout", "after 120 s"),
        (httpx2.ConnectTimeout("connect timed out"), "timeout", "after 120 s"),
        (ValidationError("Input validation error: max_new_tokens must be <= 1512"), "invalid_input", "rejected the request"),
        (OverloadedError("Model is overloaded"), "unavailable", "Model is overloaded"),
        (GenerationError("CUDA out of memory"), "unavailable", "mid-answer"),
        (httpx2.RemoteProtocolError("peer closed connection"), "connection", "dropped"),
        (httpx2.ReadError("connection reset"), "connection", "dropped"),
        (httpx2.ConnectError("Name or service not known"), "connection", "could not reach"),
        (ConnectionResetError("reset by peer"), "connection", "could not reach"),
        (NotSupported("sambanova needs an HF token"), "not_supported", "sambanova needs an HF token"),
        (BadResponse("the provider answered with no choices"), "bad_response", "no choices"),
        (json.JSONDecodeError("Expecting value", "<html>", 0), "bad_response", "malformed answer (JSONDecodeError"),
        (KeyError("choices"), "bad_response", "malformed answer (KeyError"),
        (TypeError("'NoneType' object is not iterable"), "bad_response", "malformed answer (TypeError"),
        (AttributeError("'list' object has no attribute 'get'"), "bad_response", "malformed answer"),
        (IndexError("list index out of range"), "bad_response", "malformed answer"),
        (ValueError("Provider 'sambanova' not supported."), "not_supported", "not supported"),
        (ValueError("Invalid input data"), "bad_response", "unusable answer (Invalid input data)"),
        (RuntimeError("something else"), "bad_response", "RuntimeError: something else"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
def test_classify_exception(error: Exception, kind: str, words: str) -> None:
    failure = classify(error, timeout_s=120)

    assert failure.kind == kind
    assert words in failure.message


def test_classify_masks_every_secret_and_keeps_one_line(hf_key: str) -> None:
    provider_key = "sk-live-0123456789abcdefWXYZ"
    error = RuntimeError(f"refused {hf_key}\nand {provider_key}\n" + "x" * 500)

    failure = classify(error, secrets=[hf_key, provider_key])

    assert hf_key not in failure.message and provider_key not in failure.message
    assert mask(hf_key) in failure.message and "…WXYZ" in failure.message
    assert "\n" not in failure.message and len(failure.message) <= 240 and failure.message.endswith("…")


def test_classify_masks_hf_shaped_tokens_it_was_not_told_about() -> None:
    stranger = "hf_" + "Q" * 20 + "tail"

    assert classify(RuntimeError(f"bad token {stranger}")).message == f"RuntimeError: bad token {mask(stranger)}"


def test_every_kind_has_a_fix_and_classify_uses_only_known_kinds() -> None:
    assert set(FIXES) == set(ERROR_KINDS)
    assert errors.Failure("payment", "x").fix == FIXES["payment"]
