"""A thread-safe store of the most recent items by key (jobs, media): old ones fall out."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")


class Store(Generic[T]):
    def __init__(self, capacity: int) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[str, T] = OrderedDict()
        self._numbers = itertools.count(1)
        self.capacity = capacity

    def next_number(self) -> int:
        with self._lock:
            return next(self._numbers)

    def put(self, key: str, item: T) -> T:
        with self._lock:
            self._items[key] = item
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return item

    def get(self, key: str) -> T | None:
        with self._lock:
            return self._items.get(key)
