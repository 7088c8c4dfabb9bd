"""Room <-> plain data (msgpack- and JSON-able), for stores. The deck is stored by id
and version only; ``from_dict`` looks it up in the given decks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.deck import OWN_DECK_ID, Deck
from game.errors import ErrorCode, GameError
from game.frozen import maker
from game.model import Notice, Phase, Proposal, Revealed, Room, Seat, Turn

FORMAT = 1
# Loading a room builds ~4 frozen dataclasses; these fill their slots directly, and the
# enums are looked up by value without ``Enum.__call__`` (both measurably faster).
_room, _seat_of, _turn_of = maker(Room), maker(Seat), maker(Turn)
_PHASES = {p.value: p for p in Phase}
_NOTICES = {n.value: n for n in Notice}


def to_dict(room: Room) -> dict[str, Any]:
    t = room.turn
    return {
        "f": FORMAT,
        "id": room.id,
        "deck": room.deck.id,
        "deck_version": room.deck.version,
        "seed": room.seed,
        "version": room.version,
        "phase": room.phase._value_,
        "light": room.light_mode,
        "apart": room.apart,
        "seats": [_seat(s) for s in room.seats],
        "game_no": room.game_no,
        "next": room.next_speaker,
        "level": room.level,
        "proposal": [room.proposal.by, room.proposal.to_level] if room.proposal else None,
        "declined": [room.declined_by, room.declined_at],
        "turn": _turn(t) if t is not None else None,
        "revealed": [room.revealed.card_id, list(room.revealed.answers)] if room.revealed else None,
        "last": room.last_card,
        "dealt": list(room.dealt),
        "completed": list(room.completed),
        "in_room": sorted(room.completed_in_room),
        "skipped": sorted(room.skipped_in_room),
        "before": sorted(room.played_before),
        "closing_offered": room.closing_offered,
        "notice": room.notice._value_ if room.notice else None,
        "times": [room.started_at, room.ended_at],
        # A couple's own deck: who added it, the deck it replaced once accepted, and its
        # file (the store's blob layer builds the deck from it: the engine parses nothing).
        "own": [room.own_by, room.own_prior.id if room.own_prior else None, room.own_deck.source]
        if room.own_deck is not None
        else None,
        "host": [
            room.level_cap,
            room.host_paused,
            room.round_deadline,
            room.round_fired,
            room.new_card_due,
        ],
        "first": room.first_card,
    }


def _seat(s: Seat) -> list[Any]:
    return [s.name, s.language, s.joined, s.ready, s.paused, sorted(s.boundaries), list(s.stars)]


def _turn(t: Turn) -> list[Any]:
    return [
        t.card_id,
        t.opener,
        t.half,
        t.halves_done,
        t.spoken,
        t.reflection,
        list(t.reveal),
        list(t.submitted),
        [list(r) for r in t.reactions],
        t.closing,
        list(t.withheld),
    ]


def from_dict(data: Mapping[str, Any], decks: Mapping[str, Deck]) -> Room:
    """Rebuild a room. Raises ``GameError`` when the data is not a room we wrote."""
    try:
        return _from_dict(data, decks)
    except GameError:
        raise
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise GameError(ErrorCode.ACTION_INVALID, f"not a stored room: {exc!r}") from None


def _from_dict(d: Mapping[str, Any], decks: Mapping[str, Deck]) -> Room:
    if d["f"] != FORMAT:
        raise ValueError("unknown format")
    deck = decks.get(d["deck"])
    if deck is None:
        raise GameError(ErrorCode.LOBBY_UNKNOWN_DECK, f"deck {d['deck']!r} is not loaded")
    cap, host_paused, deadline, fired, due = d["host"]
    declined_by, declined_at = d["declined"]
    return _room(
        id=d["id"],
        deck=deck,
        seed=d["seed"],
        version=d["version"],
        phase=_PHASES.get(d["phase"]) or Phase(d["phase"]),
        light_mode=d["light"],
        apart=d.get("apart", False),  # rooms stored before "apart tonight" existed
        seats=(_to_seat(d["seats"][0]), _to_seat(d["seats"][1])),
        game_no=d["game_no"],
        next_speaker=d["next"],
        level=d["level"],
        proposal=Proposal(*d["proposal"]) if d["proposal"] else None,
        declined_by=declined_by,
        declined_at=declined_at,
        turn=_to_turn(d["turn"]) if d["turn"] is not None else None,
        revealed=Revealed(d["revealed"][0], tuple(d["revealed"][1])) if d["revealed"] else None,
        last_card=d["last"],
        dealt=tuple(d["dealt"]),
        completed=tuple(d["completed"]),
        completed_in_room=frozenset(d["in_room"]),
        skipped_in_room=frozenset(d.get("skipped", ())),  # rooms stored before memory
        played_before=frozenset(d.get("before", ())),
        closing_offered=d["closing_offered"],
        notice=(_NOTICES.get(d["notice"]) or Notice(d["notice"])) if d["notice"] else None,
        started_at=d["times"][0],
        ended_at=d["times"][1],
        level_cap=cap,
        host_paused=host_paused,
        round_deadline=deadline,
        round_fired=fired,
        new_card_due=due,
        first_card=d.get("first"),  # rooms stored before first cards
        **_own(d.get("own"), decks),
    )


def _own(own: Any, decks: Mapping[str, Deck]) -> dict[str, Any]:
    """A couple's own deck: ``decks`` holds it under ``OWN_DECK_ID`` (the blob layer put
    it there, built from the stored file)."""
    if not own:
        return {}
    by, prior = own[0], own[1]
    deck = decks.get(OWN_DECK_ID)
    if deck is None:
        raise GameError(ErrorCode.LOBBY_UNKNOWN_DECK, "the couple's deck was not built")
    return {"own_deck": deck, "own_by": by, "own_prior": decks[prior] if prior else None}


def _to_seat(s: list[Any]) -> Seat:
    name, lang, joined, ready, paused, marks, stars = s
    return _seat_of(name, lang, joined, ready, paused, frozenset(marks), tuple(stars))


def _to_turn(t: list[Any]) -> Turn:
    card, opener, half, done, spoken, reflection, reveal, submitted, reactions, closing = t[:10]
    withheld = tuple(t[10]) if len(t) > 10 else ()  # turns stored before tagged follow-ups
    return _turn_of(
        card_id=card,
        opener=opener,
        half=half,
        halves_done=done,
        spoken=spoken,
        reflection=reflection,
        reveal=(reveal[0], reveal[1]),
        submitted=(submitted[0], submitted[1]),
        reactions=tuple((r[0], r[1]) for r in reactions),
        closing=closing,
        withheld=withheld,
    )
