"""Thinking kept apart from the answer, in each of the three formats providers use, timed on a fake clock."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from playground.model import Result, Target
from playground.runner import _served_by
from playground.thinking import ThinkingSplitter, reasoning_tokens, split_message
from tests.cassettes import ChatRecording, Replay
from tests.test_replay_chat import compare, use_replay_clock

THOUGHT = "Okay, the user asks about deep learning. Let me think."
ANSWER = "Deep learning is machine learning with many-layered neural networks."
# The same tokens in the same chunks, as each format sends them: chunk k arrives k replay steps after the response.
THINKING_CHUNKS = ["Okay, the user", " asks about deep learning.", " Let me think."]
ANSWER_CHUNKS = ["Deep learning is", " machine learning with", " many-layered neural networks."]
FORMATS = ("tag", "reasoning_content", "reasoning")


def deltas(form: str) -> list[dict[str, Any]]:
    """Role chunk, thinking, answer; the tag format splits both tags across chunks."""
    if form == "tag":
        thinking = [{"content": "<th"}, {"content": "ink>\n" + THINKING_CHUNKS[0]}, *({"content": t} for t in THINKING_CHUNKS[1:])]
        answer = [{"content": "\n</thi"}, {"content": "nk>\n\n" + ANSWER_CHUNKS[0]}, *({"content": t} for t in ANSWER_CHUNKS[1:])]
    else:
        thinking = [{"content": ""}, *({form: t} for t in THINKING_CHUNKS)]
        answer = [{form: "\n"}, *({"content": t} for t in ANSWER_CHUNKS)]
    return [{"role": "assistant", "content": ""}, *thinking, *answer]


def sse(form: str, usage: dict[str, Any] | None) -> str:
    chunks = [{"id": "x", "model": "m", "choices": [{"index": 0, "delta": d, "finish_reason": None}]} for d in deltas(form)]
    chunks[-1]["choices"][0]["finish_reason"] = "stop"
    if usage is not None:
        chunks.append({"id": "x", "model": "m", "choices": [], "usage": usage})
    return "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"


def message(form: str) -> dict[str, Any]:
    if form == "tag":
        return {"role": "assistant", "content": f"<think>\n{THOUGHT}\n</think>\n\n{ANSWER}"}
    return {"role": "assistant", "content": ANSWER, form: THOUGHT}


USAGE = {"prompt_tokens": 9, "completion_tokens": 40, "total_tokens": 49, "completion_tokens_details": {"reasoning_tokens": 14}}


def serve(replay: Replay, form: str, stream: bool, usage: dict[str, Any] | None) -> ChatRecording:
    recording = ChatRecording.find("together", stream=stream)
    for item in recording.hub:
        replay.serve(item.method, item.url, replay.answer(item))

    def respond(request: httpx2.Request) -> httpx2.Response:
        if stream:
            return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=replay._deliver(sse(form, usage)))
        body = {"id": "x", "model": "m", "choices": [{"index": 0, "message": message(form), "finish_reason": "stop"}], "usage": usage}
        return httpx2.Response(200, json=body)

    replay.serve("POST", recording.routed_url, respond)
    return recording


@pytest.mark.parametrize("form", FORMATS)
def test_each_streamed_format_gives_the_same_thinking_answer_and_times(form: str, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = serve(replay, form, stream=True, usage=USAGE)
    use_replay_clock(monkeypatch, replay)

    result = compare(recording, api_key="hf_" + "x" * 34)["together"]

    assert result.ok, result.error
    assert (result.reasoning, result.text) == (THOUGHT, ANSWER)
    step = replay.step  # the response is handed over after one step; piece k arrives k steps after that
    assert result.ttft_s == pytest.approx(step + 3 * step)  # the role chunk and an empty or half-tag piece carry nothing
    assert result.answer_ttft_s == pytest.approx(step + 7 * step)  # a lone "\n" or "</thi" is not the answer yet
    assert result.reasoning_s == pytest.approx(4 * step)
    assert (result.reasoning_tokens, result.reasoning_estimated) == (14, False)
    assert (result.output_tokens, result.tokens_estimated) == (40, False)
    assert result.tokens_per_s == pytest.approx(39 / (6 * step))  # all output, thinking included: first to last chunk


@pytest.mark.parametrize("form", FORMATS)
def test_without_usage_the_thinking_tokens_are_counted_and_marked(form: str, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = serve(replay, form, stream=True, usage=None)
    use_replay_clock(monkeypatch, replay)

    result = compare(recording, api_key="hf_" + "x" * 34)["together"]

    assert result.ok and result.reasoning == THOUGHT
    assert (result.reasoning_tokens, result.reasoning_estimated) == (-(-len(THOUGHT) // 4), True)
    assert result.tokens_estimated and result.output_tokens >= result.reasoning_tokens


@pytest.mark.parametrize("form", FORMATS)
def test_each_whole_answer_format_splits_thinking_from_the_answer(form: str, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = serve(replay, form, stream=False, usage=USAGE)
    use_replay_clock(monkeypatch, replay)

    result = compare(recording, api_key="hf_" + "x" * 34, params_json={"stream": False})["together"]

    assert result.ok, result.error
    assert (result.reasoning, result.text, result.reasoning_tokens, result.reasoning_estimated) == (THOUGHT, ANSWER, 14, False)
    assert result.ttft_s is None and result.answer_ttft_s is None  # one-shot: no first chunk


def test_a_model_that_does_not_think_has_answer_ttft_equal_to_ttft(replay: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = ChatRecording.find("together", stream=True)
    recording.install(replay)
    use_replay_clock(monkeypatch, replay)

    result = compare(recording, api_key="hf_" + "x" * 34)["together"]

    assert result.ok and result.reasoning is None and result.reasoning_tokens is None
    assert result.answer_ttft_s == result.ttft_s is not None and result.reasoning_s is None


def test_thinking_only_is_a_bad_response_that_keeps_the_thinking(replay: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = ChatRecording.find("together", stream=False)
    for item in recording.hub:
        replay.serve(item.method, item.url, replay.answer(item))
    body = {"id": "x", "model": "m", "choices": [{"index": 0, "message": {"role": "assistant", "content": "<think>hmm"}, "finish_reason": "length"}]}
    replay.serve("POST", recording.routed_url, lambda request: httpx2.Response(200, json=body))

    result = compare(recording, api_key="hf_" + "x" * 34, params_json={"stream": False})["together"]

    assert (result.ok, result.error_kind, result.reasoning) == (False, "bad_response", "hmm")
    assert "thinking only" in result.error


def test_a_tag_split_at_any_point_is_still_read() -> None:
    content = f"<think>\n{THOUGHT}\n</think>\n\n{ANSWER}"
    for cut in range(1, len(content)):
        for second in (cut + 1, cut + 4, len(content)):
            splitter = ThinkingSplitter()
            for piece in (content[:cut], content[cut:second], content[second:]):
                splitter.add({"content": piece})
            splitter.finish()
            assert (splitter.reasoning, splitter.text) == (THOUGHT, ANSWER), (cut, second)


@pytest.mark.parametrize("content", ["<b>bold</b> answer", "<", "<th", "  plain", "a <think> later is text"])
def test_content_that_only_looks_like_a_tag_is_the_answer(content: str) -> None:
    assert split_message({"content": content}) == ("", content)


def test_grew_says_which_kind_a_delta_carried() -> None:
    splitter = ThinkingSplitter()
    first = splitter.add({"reasoning_content": "hm"})
    second = splitter.add({"content": "Yes"})
    assert (first.thinking, first.answer, second.thinking, second.answer) == (True, False, False, True)


def test_reasoning_tokens_read_from_either_place() -> None:
    assert reasoning_tokens({"completion_tokens_details": {"reasoning_tokens": 7}}) == 7
    assert reasoning_tokens({"reasoning_tokens": 3, "completion_tokens_details": None}) == 3
    assert reasoning_tokens({"completion_tokens": 5}) is None and reasoning_tokens(None) is None


def test_the_body_model_is_served_model_and_the_header_names_who_answered() -> None:
    result = Result("sambanova", "org/model", "conversational", served_model="Meta-Llama-3.3-70B-Instruct")
    # The header is the router's word on who served the call: it wins over the provider asked for.
    _served_by(Target("sambanova", None, None), result, httpx2.Response(200, headers={"x-inference-provider": "nebius"}))
    assert (result.answered_by, result.served_model) == ("nebius", "Meta-Llama-3.3-70B-Instruct")
    _served_by(Target("sambanova", None, None), result, httpx2.Response(200))
    assert result.answered_by == "sambanova"


def test_bill_to_goes_to_routed_calls_and_is_shown_on_their_results(replay: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = ChatRecording.find("together", stream=True)
    recording.install(replay)

    result = compare(recording, api_key="hf_" + "x" * 34, bill_to="my-org")["together"]

    assert result.ok and result.bill_to == "my-org"
    (call,) = replay.to(recording.routed_url)
    assert call.headers["x-hf-bill-to"] == "my-org"


def test_bill_to_is_not_sent_on_direct_calls_and_a_bad_name_is_refused(replay: Replay) -> None:
    from playground.planning import InvalidRequest
    from tests.test_replay_chat import direct_url

    recording = ChatRecording.find("together", stream=True)
    recording.install(replay, url=direct_url(recording))
    result = compare(recording, provider_keys={"together": "tgp_" + "k" * 30}, bill_to="my-org")["together"]
    assert result.ok and result.bill_to is None
    assert "x-hf-bill-to" not in replay.to(direct_url(recording))[0].headers
    with pytest.raises(InvalidRequest, match="bill_to"):
        compare(recording, api_key="hf_" + "x" * 34, bill_to="org\r\nX-Evil: 1")


def test_streamed_pieces_are_handed_out_once_and_joined_only_when_shown() -> None:
    from playground import chatreading
    from playground.model import Result

    splitter, result = ThinkingSplitter(), Result(provider="p", model="m", task="conversational")
    for content in ("<th", "ink>\nhmm", " ok</thi", "nk>\n\nHel", "lo"):
        splitter.add({"content": content})
        chatreading.take_pieces(result, splitter)
        assert result.text is None  # nothing is joined per chunk
    assert splitter.take_new() == ([], [])  # every piece was handed out once
    result.flush_text()
    assert (result.reasoning, result.text) == ("hmm ok", "Hello") == (splitter.reasoning, splitter.text)
    assert not result.text_parts and not result.reasoning_parts
    chatreading.take_pieces(result, splitter)
    result.flush_text()
    assert result.text == "Hello"  # flushed pieces are not added twice
