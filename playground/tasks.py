"""The task registry: one entry per task the playground can compare. Adding a task is adding an entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .results import Result

InputKind = Literal["prompt", "system", "image", "audio", "labels", "context", "sentences"]
OutputKind = Literal["text", "image", "audio", "video", "embedding", "labels", "entities", "boxes", "masks", "score"]


@dataclass(frozen=True)
class Inputs:
    """What a person gave for one comparison; every task reads the fields it needs."""

    prompt: str = ""
    system: str = ""
    file: bytes | None = None
    file_name: str = ""
    labels: tuple[str, ...] = ()
    context: str = ""


@dataclass(frozen=True)
class Task:
    id: str  # the SDK's task name, as in the Hub's provider mapping
    label: str
    method: str  # AsyncInferenceClient method
    output: OutputKind
    inputs: tuple[InputKind, ...] = ("prompt",)
    pipeline_tags: tuple[str, ...] = ()  # Hub pipeline tags whose models may serve this task
    defaults: dict[str, Any] = field(default_factory=dict)
    streams: bool = False
    # Builds (positional args, keyword args) for the SDK method from the inputs; parameters are added after.
    arguments: Callable[[Inputs], tuple[tuple[Any, ...], dict[str, Any]]] = lambda i: ((i.prompt,), {})
    # Fills the result's output fields (text, image, labels…) from what the SDK method returned.
    summarise: Callable[[Any, Result], None] = lambda output, result: _summarise_text(output, result)

    @property
    def tags(self) -> tuple[str, ...]:
        return self.pipeline_tags or (self.id,)


def _summarise_text(output: Any, result: Result) -> None:
    text = output if isinstance(output, str) else getattr(output, "generated_text", None)
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(output).__name__}")
    result.text = text


def _messages(inputs: Inputs) -> tuple[tuple[Any, ...], dict[str, Any]]:
    messages = [{"role": "system", "content": inputs.system}] if inputs.system.strip() else []
    messages.append({"role": "user", "content": inputs.prompt})
    return (messages,), {}


CHAT = Task(
    id="conversational",
    label="Chat",
    method="chat_completion",
    output="text",
    inputs=("system", "prompt"),
    pipeline_tags=("text-generation", "image-text-to-text"),
    defaults={"max_tokens": 256, "temperature": 0.7, "top_p": None, "seed": None, "stream": True},
    streams=True,
    arguments=_messages,
)

TEXT_GENERATION = Task(
    id="text-generation",
    label="Text completion",
    method="text_generation",
    output="text",
    defaults={"max_new_tokens": 256, "temperature": 0.7, "seed": None},
)

TASKS: dict[str, Task] = {task.id: task for task in (CHAT, TEXT_GENERATION)}
ALIASES = {"chat": "conversational", "chat-completion": "conversational"}


def get_task(name: str) -> Task:
    """Look a task up by id or alias; the error lists what would be valid."""
    key = ALIASES.get((name or "").strip(), (name or "").strip())
    if key not in TASKS:
        raise ValueError(f"Unknown task {name!r}. Valid tasks: {', '.join(sorted(TASKS))} (or 'chat').")
    return TASKS[key]
