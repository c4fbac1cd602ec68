"""Text the app puts in the input boxes itself, and when it replaces what is there."""

from __future__ import annotations

from collections.abc import Mapping

from .tasks import TASKS, Task

DEFAULT_PROMPT = "Explain in three sentences why the sky is blue."
EXAMPLE_LABELS = "positive, negative, neutral"
EXAMPLE_CONTEXT = "My name is Sarah and I live in London, where I work for Hugging Face."
EXAMPLE_SENTENCES = "A dog lies on the rug.\nThe stock market fell today.\nA kitten naps on a carpet."
# Text the app put in a box itself: replaced when the task changes, unlike what a person typed.
EXAMPLES = {
    "prompt": {t.example for t in TASKS.values()} | {DEFAULT_PROMPT},
    "labels": {EXAMPLE_LABELS},
    "context": {EXAMPLE_CONTEXT, EXAMPLE_SENTENCES},
}


def keep(typed: Mapping[str, str], name: str, example: str) -> str:
    """What the person typed in box `name`, or `example` when the box is blank or holds one of our examples."""
    value = typed.get(name, "")
    return example if not value.strip() or value in EXAMPLES[name] else value


def prefill(task: Task, typed: Mapping[str, str]) -> dict[str, str]:
    """The prompt, labels and context boxes for `task`: what was typed is kept, examples fill the blanks."""
    sentences = "sentences" in task.inputs
    return {
        "prompt": keep(typed, "prompt", task.example),
        "labels": keep(typed, "labels", EXAMPLE_LABELS),
        "context": keep(typed, "context", EXAMPLE_SENTENCES if sentences else EXAMPLE_CONTEXT),
    }
