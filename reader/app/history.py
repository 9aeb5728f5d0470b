"""Back and forward through the places a reader jumped between (no Qt: a place is whatever the window stores)."""
from __future__ import annotations

from typing import Generic, TypeVar

Place = TypeVar("Place")


class History(Generic[Place]):
    """A browser-style history: ``visit`` before each jump records where the reader was."""

    def __init__(self, limit: int = 200) -> None:
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self._limit = limit

    def visit(self, here: Place) -> None:
        """The reader is about to leave ``here`` for a new place (a new jump clears the forward list)."""
        self._back.append(here)
        del self._back[:-self._limit]
        self._forward.clear()

    def back(self, here: Place) -> Place | None:
        """Where Back goes from ``here`` (None when there is nowhere)."""
        if not self._back:
            return None
        self._forward.append(here)
        return self._back.pop()

    def forward(self, here: Place) -> Place | None:
        if not self._forward:
            return None
        self._back.append(here)
        return self._forward.pop()

    @property
    def can_go_back(self) -> bool:
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        return bool(self._forward)
