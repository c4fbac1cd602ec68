"""A conversation in the UI: the turns a person had with the providers of one model, so the next message, a retry
or an edit knows what to send. Each turn keeps its comparison, whose `threads` hold every provider's thread after it.

Two ways to continue (`MODES`): each provider its own thread (its own earlier answers), or one shared history that
every provider continues: the thread of the provider chosen to lead (`lead`), or, when it gave no answer to the last
turn, of the first provider that did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .messages import Message
from .model import Comparison

MODES = {
    "own": "Each provider continues its own thread (its own earlier answers)",
    "shared": "All continue one shared history (one provider's answers)",
}


@dataclass(frozen=True)
class Turn:
    prompt: str  # what the person wrote
    comparison: Comparison  # what came back; its `threads` are every provider's thread after this turn
    attachment: str | None = None  # the image uploaded with it (a path the UI gave), to put back on an edit


@dataclass(frozen=True)
class Conversation:
    turns: tuple[Turn, ...] = ()
    earlier: int = 0  # turns before these, held only in their threads (a conversation reopened from history)

    @classmethod
    def reopened(cls, saved: Comparison) -> Conversation | None:
        """A saved chat comparison as a conversation to go on with (images were not kept: their notes stand in)."""
        if not saved.threads:
            return None
        asked = max(sum(m.get("role") == "user" for m in thread) for thread in saved.threads.values())
        return cls(turns=(Turn(saved.prompt, saved),), earlier=max(asked, 1) - 1)

    @property
    def model(self) -> str | None:
        return self.turns[0].comparison.model if self.turns else None

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def continued(self, prompt: str, comparison: Comparison, attachment: str | None = None) -> Conversation:
        return replace(self, turns=(*self.turns, Turn(prompt, comparison, attachment)))

    @property
    def reopened_only(self) -> bool:
        """Only the turn reopened from history: what came before it is in its threads, so it cannot be taken back."""
        return bool(self.earlier) and len(self.turns) == 1

    def without_last(self) -> tuple[Conversation, Turn | None]:
        """The conversation before its last turn, and that turn (for a retry or an edit); none for a reopened turn."""
        if not self.turns or self.reopened_only:
            return self, None
        return replace(self, turns=self.turns[:-1]), self.turns[-1]

    def thread(self, provider: str) -> list[Message]:
        """`provider`'s thread after the latest turn that had it; [] for a provider new to the conversation."""
        for turn in reversed(self.turns):
            if provider in turn.comparison.threads:
                return list(turn.comparison.threads[provider])
        return []

    def answered(self, provider: str) -> bool:
        """Whether `provider` answered the last turn (its thread took that turn)."""
        last = self.last
        return last is not None and any(r.provider == provider and r.ok and (r.text or "").strip() for r in last.comparison.results)

    def shared_source(self, lead: str | None) -> str | None:
        """Whose thread a shared history is: `lead` when it answered the last turn, else the first provider that did."""
        last = self.last
        if last is None:
            return None
        order = list(dict.fromkeys(r.provider for r in last.comparison.results))
        if lead in order and self.answered(lead):
            return lead
        return next((p for p in order if self.answered(p)), lead if lead in order else (order[0] if order else None))

    def history(self, providers: Sequence[str], mode: str = "own", lead: str | None = None) -> Any:
        """What the next turn sends as `conversation_json`: `{provider: thread}`, or one list for every provider."""
        if not self.turns:
            return None
        if mode == "shared":
            source = self.shared_source(lead)
            return self.thread(source) if source else []
        return {name: self.thread(name) for name in providers}

    def describe(self, mode: str, lead: str | None) -> str:
        """One line for the page: how many turns, and what the next message goes with."""
        count = self.earlier + len(self.turns)
        head = f"**Conversation:** {count} turn{'s' if count != 1 else ''} with {self.model}."
        if mode == "shared":
            source = self.shared_source(lead)
            why = "" if source == lead else f" ({lead} did not answer the last turn)" if lead else ""
            return f"{head} The next message goes to every provider with **{source}**'s answers as the shared history{why}."
        return f"{head} The next message goes to each provider with its own earlier answers."

    def providers(self) -> list[str]:
        last = self.last
        return list(dict.fromkeys(r.provider for r in last.comparison.results)) if last else []
