"""Tiny decks and rooms for engine tests, built in code so each test says what it needs."""

from __future__ import annotations

from dataclasses import replace

from game import actions as a
from game.deck import Card, CardKind, CardMode, Deck, FollowUp, Level, Tag
from game.model import Phase, Room
from game.rules import Outcome, apply, new_room

NOW = 1_000.0


def card(
    cid: str,
    level: int | None = 0,
    *,
    mode: CardMode = CardMode.ONE,
    kind: CardKind = CardKind.QUESTION,
    tags: tuple[str, ...] = (),
    follow_ups: tuple[str, ...] = (),
    follow_up_tags: tuple[tuple[str, ...], ...] = (),
    intensity: int = 1,
) -> Card:
    """``follow_up_tags[i]`` are the tags of ``follow_ups[i]`` (missing: none)."""
    marks = (*follow_up_tags, *((),) * len(follow_ups))
    return Card(
        id=cid,
        level=level,
        kind=kind,
        mode=mode,
        text={"en": f"EN {cid}", "de": f"DE {cid}"},
        tags=frozenset(tags),
        follow_ups=tuple(
            FollowUp({"en": f"EN {f}", "de": f"DE {f}"}, frozenset(marks[i]))
            for i, f in enumerate(follow_ups)
        ),
        intensity=intensity,
    )


def deck(
    cards: tuple[Card, ...] | None = None,
    *,
    levels: int = 3,
    min_cards: tuple[int, ...] = (0, 0, 0),
    closing: bool = True,
    deck_id: str = "test",
    band_width: int = 2,
    tags: tuple[Tag, ...] = (
        Tag("money", {"en": "Money", "de": "Geld"}),
        Tag("family", {"en": "Family"}),
    ),
) -> Deck:
    if cards is None:
        cards = tuple(card(f"l{lv}c{i}", lv) for lv in range(levels) for i in range(4))
    return Deck(
        id=deck_id,
        version="1.0.0",
        title={"en": "Test", "de": "Test DE"},
        description={"en": "A test deck"},
        default_language="en",
        languages=("en", "de"),
        authors=("tests",),
        license="CC0-1.0",
        age_rating="all",
        levels=tuple(
            Level(
                f"lv{i}",
                {"en": f"Level {i}", "de": f"Stufe {i}"},
                {"en": ""},
                min_cards[i],
                band_width,
            )
            for i in range(levels)
        ),
        tags=tags,
        cards=cards,
        closing=card("closing", None, mode=CardMode.BOTH, kind=CardKind.CLOSING)
        if closing
        else None,
    )


def do(room: Room, seat: int | None, action: a.Action, now: float = NOW) -> Room:
    return apply(room, seat, action, now=now).room


def outcome(room: Room, seat: int | None, action: a.Action) -> Outcome:
    return apply(room, seat, action, now=NOW)


def lobby(d: Deck | None = None, *, light: bool = False) -> Room:
    room = new_room("ROOM42", d or deck(), seed=7, light_mode=light)
    return do(room, None, a.Join())


def started(d: Deck | None = None, *, light: bool = False) -> Room:
    room = lobby(d, light=light)
    room = do(room, 0, a.Ready())
    return do(room, 1, a.Ready())


def shown(d: Deck | None = None, *, light: bool = False) -> Room:
    """A started game with a card drawn by seat 0."""
    return do(started(d, light=light), 0, a.Draw())


def speaking(d: Deck | None = None, *, light: bool = False) -> Room:
    return do(shown(d, light=light), 0, a.Answer())


def complete_card(room: Room) -> Room:
    """Play the card on the table (or draw one) to its end, answering every half."""
    if room.phase is Phase.BETWEEN:
        room = do(room, room.next_speaker, a.Draw())
    if room.phase is Phase.SHOWN:
        assert room.turn is not None
        room = do(room, room.turn.speaker, a.Answer())
    while room.phase in (Phase.SPEAKING, Phase.REFLECTING, Phase.CONFIRMING, Phase.WRITING):
        turn = room.turn
        assert turn is not None
        if room.phase is Phase.WRITING:
            writer = 0 if not turn.submitted[0] else 1
            room = do(room, writer, a.WriteReveal("words"))
        elif room.phase is Phase.SPEAKING:
            room = do(room, turn.speaker, a.DoneSpeaking())
        elif room.phase is Phase.REFLECTING:
            room = do(room, 1 - turn.speaker, a.Reflect())
        else:
            room = do(room, turn.speaker, a.FeltHeard())
    return room


def with_seed(room: Room, seed: int) -> Room:
    return replace(room, seed=seed)
