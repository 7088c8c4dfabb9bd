"""The decks a party may play: the server's own plus the decks hosts uploaded."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from game import Deck


class DeckBook(Mapping[str, Deck]):
    """The service's decks plus decks hosts uploaded. Lookups find both; iterating
    lists only the built-in ones, so an uploaded deck never shows in /api/decks."""

    def __init__(self, base: Mapping[str, Deck]) -> None:
        self.base = base
        self.uploaded: dict[str, Deck] = {}
        # Called when an uploaded deck's id is asked for and this process lacks it (a
        # process that started after the upload): it fetches the deck in the
        # background, so the caller's retry (a reconnect) finds it.
        self.on_miss: Callable[[str], None] = lambda key: None

    def __getitem__(self, key: str) -> Deck:
        found = self.base.get(key)
        if found is not None:
            return found
        found = self.uploaded.get(key)
        if found is None:
            if "~" in key:
                self.on_miss(key)
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self.base or key in self.uploaded

    def __iter__(self) -> Iterator[str]:
        return iter(self.base)

    def __len__(self) -> int:
        return len(self.base)


@dataclass(frozen=True, slots=True)
class DeckRejected:
    problems: list[dict[str, object]]
