"""Reasoning models: the thinking they do before answering, and the three ways providers send it.

A mapping row's router meta may say `thinking`: "tag" (raw `<think>…</think>` at the start of `content`, as servers
passing DeepSeek-R1's tokens through do), "reasoning_content" (DeepSeek's API, vLLM, SGLang) or "reasoning"
(OpenRouter-style). Every format thinks the same tokens at the same times, so a client that reads them alike
measures them alike. Usage carries `completion_tokens_details.reasoning_tokens`.
"""

from __future__ import annotations

import random
from typing import Any

from . import served
from .answers import tokenize, topic_of

FORMATS = ("tag", "reasoning_content", "reasoning")
_STEPS = (
    "Okay, the user is asking about {topic}.",
    " Let me recall what I know about it first.",
    " The core idea should come first, then an example.",
    " Wait, I should check whether there is a common misunderstanding here.",
    " Hmm, a short structured answer is probably best: a definition, why it matters, and a caveat.",
    " Let me make sure the example is correct before I write it.",
    " I think that covers it; time to write the answer.",
)


def thinking_format(model_id: str, provider: str) -> str | None:
    found = served.router_meta(model_id, provider).get("thinking")
    return found if found in FORMATS else None


EFFORTS = ("low", "medium", "high")
# reasoning_effort → (how many of the steps it takes, how many it says again); no effort sent: medium.
_EFFORT_STEPS = {"low": (2, 0), "medium": (len(_STEPS) - 1, 2), "high": (len(_STEPS) - 1, 8)}


def thinking_pieces(prompt: str, rng: random.Random, effort: str | None = None) -> list[str]:
    """The tokens of the thinking: the same steps, a few of them said twice, like a model that hesitates; a low
    `reasoning_effort` thinks in fewer steps, a high one goes over more of them again."""
    topic = topic_of(prompt)
    taken, again = _EFFORT_STEPS.get(effort or "medium", _EFFORT_STEPS["medium"])
    steps = list(_STEPS[:taken])
    steps += [steps[rng.randrange(1, len(steps))] for _ in range(again)]
    return tokenize("".join(step.format(topic=topic) for step in steps) + _STEPS[-1])


def delta(form: str, text: str, thinking: bool, first: bool) -> dict[str, Any]:
    """One chunk's delta: `first` marks the first thinking chunk, or the first answer chunk after thinking."""
    if form != "tag":
        return {form: text} if thinking else {"content": text}
    if thinking:
        return {"content": ("<think>\n" if first else "") + text}
    return {"content": ("\n</think>\n\n" if first else "") + text}


def message(form: str, thinking: str, answer: str, closed: bool) -> dict[str, Any]:
    """A whole answer's message fields; not `closed` when max_tokens cut the thinking short."""
    if form == "tag":
        return {"content": f"<think>\n{thinking}" + (f"\n</think>\n\n{answer}" if closed else "")}
    return {"content": answer, form: thinking}


def usage_details(reasoning_tokens: int) -> dict[str, Any]:
    return {"completion_tokens_details": {"reasoning_tokens": reasoning_tokens}}
