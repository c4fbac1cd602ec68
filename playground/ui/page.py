"""The page's components by name. Handlers return updates keyed by name; the wiring turns names into components."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gradio.blocks import Block


class Page:
    def __init__(self) -> None:
        self.components: dict[str, Block] = {}

    def add(self, **components: Block) -> None:
        self.components.update(components)

    def __getattr__(self, name: str) -> Any:  # a component: events and values typed by the caller
        try:
            return self.__dict__["components"][name]
        except KeyError:
            raise AttributeError(name) from None

    def all(self, names: Iterable[str]) -> list[Any]:
        return [self.components[name] for name in names]

    def keyed(self, update: Mapping[str, Any]) -> dict[Block, Any]:
        return {self.components[name]: value for name, value in update.items()}
