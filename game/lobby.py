"""Effects of the lobby and of boundaries: names, languages, the deck (a couple's own
deck too), light mode, "apart tonight", ready and the start of a game; and the small
helpers every effect uses (``game.effects`` holds the rest and the one table)."""

from __future__ import annotations

from collections.abc import Callable

from game import actions as a
from game.events import Event
from game.frozen import maker, replace
from game.model import Phase, Room

Result = tuple[Room, list[Event]]
Effect = Callable[[Room, int, a.Action, float], Result]


def _seat(room: Room, seat: int, **changes: object) -> Room:
    seats = list(room.seats)
    seats[seat] = replace(seats[seat], **changes)  # type: ignore[arg-type]
    return replace(room, seats=(seats[0], seats[1]))


def _ev(name: str, seat: int | None, **kw: object) -> list[Event]:
    return [_event(name, seat, **kw)]  # type: ignore[arg-type]


_event = maker(Event)  # every move makes one or two (see ``game.frozen``)


# lobby --------------------------------------------------------------------------------
def set_name(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.SetName)
    return _seat(room, seat, name=action.value), _ev("name_set", seat)


def set_language(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.SetLanguage)
    return _seat(room, seat, language=action.language), _ev("language_set", seat)


def _unready_both(room: Room) -> Room:
    return replace(
        room, seats=(replace(room.seats[0], ready=False), replace(room.seats[1], ready=False))
    )


def choose_deck(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.ChooseDeck)
    # Marks stay: a topic means the same in every deck (decks/topics.json), so a mark the
    # new deck does not use withholds nothing here and holds again in a deck that does.
    seats = tuple(replace(s, stars=()) for s in room.seats)
    room = replace(
        room,
        deck=action.deck,
        seats=(seats[0], seats[1]),
        completed_in_room=frozenset(),
        skipped_in_room=frozenset(),
        played_before=frozenset(),  # the device remembered the other deck
        own_prior=None,  # a couple's own deck, if added, waits to be accepted again
        first_card=None,  # a card of the other deck
    )
    return _unready_both(room), _ev("deck_chosen", seat)


def accept_deck(room: Room, seat: int, action: a.Action, now: float) -> Result:
    """The couple's own deck becomes the room's deck, as if chosen."""
    own, prior = room.own_deck, room.deck
    assert own is not None
    room, _ = choose_deck(room, seat, a.ChooseDeck(own), now)
    return replace(room, own_prior=prior), _ev("own_deck_accepted", seat)


def remove_deck(room: Room, seat: int, action: a.Action, now: float) -> Result:
    """The couple's own deck leaves the room; when it was in play, the deck before it
    comes back."""
    if room.own_prior is not None:
        room, _ = choose_deck(room, seat, a.ChooseDeck(room.own_prior), now)
    return replace(room, own_deck=None, own_by=0, own_prior=None), _ev("own_deck_removed", seat)


def set_light_mode(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.SetLightMode)
    return _unready_both(replace(room, light_mode=action.on)), _ev("light_mode_set", seat)


def set_apart(room: Room, seat: int, action: a.Action, now: float) -> Result:
    """ "Apart tonight": both see the setting change and are asked to be ready again."""
    assert isinstance(action, a.SetApart)
    return _unready_both(replace(room, apart=action.on)), _ev("apart_set", seat)


def ready(room: Room, seat: int, action: a.Action, now: float) -> Result:
    room = _seat(room, seat, ready=True)
    events = _ev("seat_ready", seat)
    if all(s.ready for s in room.seats):  # the table lets only a joined seat be ready
        room = start_game(room, now)
        events += _ev("game_started", None)
    return room, events


def unready(room: Room, seat: int, action: a.Action, now: float) -> Result:
    return _seat(room, seat, ready=False), _ev("seat_unready", seat)


def start_game(room: Room, now: float) -> Room:
    return replace(
        room,
        phase=Phase.BETWEEN,
        next_speaker=room.game_no % 2,
        level=0,
        proposal=None,
        declined_by=None,
        declined_at=0,
        turn=None,
        revealed=None,
        last_card=None,
        dealt=(),
        completed=(),
        closing_offered=False,
        notice=None,
        started_at=now,
        ended_at=None,
        new_card_due=False,
    )


# boundaries ---------------------------------------------------------------------------
def mark_boundary(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.MarkBoundary)
    marks = room.seats[seat].boundaries | {action.tag}
    return _seat(room, seat, boundaries=marks), [Event("boundary_changed", seat, private=True)]


def unmark_boundary(room: Room, seat: int, action: a.Action, now: float) -> Result:
    assert isinstance(action, a.UnmarkBoundary)
    marks = room.seats[seat].boundaries - {action.tag}
    return _seat(room, seat, boundaries=marks), [Event("boundary_changed", seat, private=True)]
