"""The reducer: ``apply(room, seat, action, now=...) -> Outcome`` or ``RuleViolation``.

Legality is the table's (``legality``): only an action it accepts reaches its effect
(``effects`` for a seat's action, the system's below). Every accepted action bumps the
version by exactly one; a refused one changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from game import actions as a
from game import dealing
from game.deck import Deck
from game.effects import EFFECTS
from game.errors import ActionFormatError, ErrorCode
from game.events import Event
from game.frozen import maker, replace
from game.legality import check
from game.lobby import Result
from game.model import Notice, Room, Seat


@dataclass(frozen=True, slots=True)
class Outcome:
    room: Room
    events: tuple[Event, ...]


_outcome = maker(Outcome)  # one per move (see ``game.frozen``)


def new_room(
    room_id: str,
    deck: Deck,
    *,
    seed: int,
    light_mode: bool = False,
    language: str = "en",
    played_before: Iterable[str] = (),
    first_card: str | None = None,
) -> Room:
    """A fresh room in the lobby: seat 0 (the creator) is there, seat 1 not yet.
    ``played_before``: card ids the creator's device remembers this couple completing or
    skipping on this deck; ids the deck does not deal (another version's) are dropped.
    ``first_card``: the card the first draw deals (``dealing.pick``); one the deck does
    not deal is refused (``lobby/unknown_card``), since the couple asked for that card."""
    if first_card is not None and not dealing.deals(deck, first_card):
        raise ActionFormatError(ErrorCode.LOBBY_UNKNOWN_CARD, "the deck does not deal it")
    seats = (Seat(joined=True, language=language), Seat(language=language))
    before = frozenset(
        c for c in played_before if c in deck.by_id and deck.by_id[c].level is not None
    )
    return Room(
        id=room_id,
        deck=deck,
        seed=seed,
        light_mode=light_mode,
        seats=seats,
        played_before=before,
        first_card=first_card,
    )


def apply(room: Room, seat: int | None, action: a.Action, *, now: float) -> Outcome:
    """``seat`` None: the system's action (the server's, or a party host's layer)."""
    check(room, seat, action, now)
    if seat is None:
        new, events = SYSTEM_EFFECTS[action.name](room, action, now)
    else:
        new, events = EFFECTS[action.name](room, seat, action, now)
    return _outcome(_bump(room, new), tuple(events))


def _bump(old: Room, new: Room) -> Room:
    """``new`` one version above ``old``. Effects always build a fresh ``Room`` that no
    one else has seen yet, so its version is set in place rather than through a second
    copy of all its fields."""
    if new is old:  # never shared: an effect that changed nothing still gets a copy
        new = replace(old)
    object.__setattr__(new, "version", old.version + 1)
    return new


def join(room: Room, action: a.Action, now: float) -> Result:
    seats = (room.seats[0], replace(room.seats[1], joined=True))
    return replace(room, seats=seats), [Event("partner_joined", 1)]


def host_settings(room: Room, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.HostSettings)
    same_round = action.round_deadline == room.round_deadline
    room = replace(
        room,
        level_cap=action.level_cap,
        host_paused=action.host_paused,
        round_deadline=action.round_deadline,
        round_fired=room.round_fired and same_round,
        new_card_due=room.new_card_due and same_round,
    )
    return room, [Event("host_settings_changed", None)]


def tick(room: Room, action: a.Action, now: float) -> Result:
    """Fire the passed round deadline (the table let it through once)."""
    room = replace(room, round_fired=True, new_card_due=True, notice=Notice.TIME_FOR_NEW_CARD)
    return room, [Event("time_for_new_card", None)]


def add_deck(room: Room, action: a.Action, now: float) -> Result:
    """A couple's own deck is in the room, waiting for the partner of ``by`` to accept it."""
    assert isinstance(action, a.AddDeck)
    room = replace(room, own_deck=action.deck, own_by=action.by, own_prior=None)
    return room, [Event("own_deck_added", action.by)]


SYSTEM_EFFECTS: dict[str, Callable[[Room, a.Action, float], Result]] = {
    a.Join.name: join,
    a.HostSettings.name: host_settings,
    a.Tick.name: tick,
    a.AddDeck.name: add_deck,
}
