"""What a person gives for one comparison (`Inputs`), the kinds of input a task may read, and what to say when one is
missing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

InputKind = Literal["prompt", "system", "image", "audio", "labels", "context", "sentences"]
FILE_KINDS: dict[InputKind, str] = {"image": "an image", "audio": "an audio file"}

# What to tell a person who left a required input empty; "{prompt}" is the task's name for its prompt.
MISSING: dict[InputKind, str] = {
    "prompt": "The {prompt} is empty: type what to send to the providers.",
    "system": "The system prompt is empty: type one.",
    "image": "This task needs an image: upload one.",
    "audio": "This task needs an audio file: upload one or record with the microphone.",
    "labels": "This task needs candidate labels: type at least one.",
    "context": "This task needs a context: paste the text the answer should come from.",
    "sentences": "This task needs sentences to compare with: type them as labels or one per line in the context.",
}


@dataclass(frozen=True)
class Inputs:
    """What a person gave for one comparison; every task reads the fields it needs."""

    prompt: str = ""
    system: str = ""
    file: bytes | None = None
    file_name: str = ""
    labels: tuple[str, ...] = ()
    context: str = ""

    def label_list(self) -> list[str]:
        return [label.strip() for label in self.labels if label.strip()]

    def sentences(self) -> list[str]:
        """Sentences to compare the prompt with: the labels, or else the context's non-empty lines."""
        return self.label_list() or [line.strip() for line in self.context.splitlines() if line.strip()]

    def value(self, kind: InputKind) -> Any:
        """What a task receives for one kind of input."""
        values: dict[InputKind, Callable[[], Any]] = {
            "prompt": lambda: self.prompt,
            "system": lambda: self.system,
            "image": lambda: self.file,
            "audio": lambda: self.file,
            "labels": self.label_list,
            "context": lambda: self.context,
            "sentences": self.sentences,
        }
        return values[kind]()

    def has(self, kind: InputKind) -> bool:
        value = self.value(kind)
        return bool(value.strip() if isinstance(value, str) else value)
