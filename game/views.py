"""What one seat may see, as plain data (docs/views.md), with the actions it may take
(``legality.legal``: the table decides; nothing here re-decides it).

Never in a view: the partner's boundaries (nor their union, nor a count of them), the
partner's reveal text before both submitted, follow-ups for anyone but the listener
while reflecting.
"""

from __future__ import annotations

from dataclasses import dataclass

from game import dealing
from game.deck import Card, Deck
from game.legality import legal
from game.model import Phase, Room

View = dict[str, object]


def view_for(room: Room, seat: int, *, with_deck: bool = True) -> View:
    """What ``seat`` sees. Without ``with_deck`` the view leaves out ``deck``, the part
    that does not change during a game (protocol 1.1 sends it once: ``deck_view``)."""
    view = _view(room, seat)
    if not with_deck:
        del view["deck"]
    return view


def deck_view(room: Room, seat: int) -> dict[str, object]:
    """The deck's part of ``seat``'s view (titles, levels, topics), in its language."""
    return _deck(room.deck, room.seats[seat].language)


def deck_part(deck: Deck, language: str) -> dict[str, object]:
    """A deck's part of a view in ``language``, for a view that is not a live room's
    (a daily space's ``deck`` message)."""
    return _deck(deck, language)


def _view(room: Room, seat: int) -> View:
    deck, me, lang = room.deck, room.seats[seat], room.seats[seat].language
    turn = room.turn
    in_writing = room.phase is Phase.WRITING and turn is not None
    return {
        "room": room.id,
        "version": room.version,
        "you": seat,
        "phase": room.phase._value_,
        "language": lang,
        "deck": _deck(deck, lang),
        "light_mode": room.light_mode,
        "apart": room.apart,
        "seats": [
            {
                "name": s.name,
                "language": s.language,
                "joined": s.joined,
                "ready": s.ready,
                "paused": s.paused,
            }
            for s in room.seats
        ],
        "boundaries": sorted(me.boundaries & deck.tag_ids),  # marks this deck's topics hold
        "level": dealing.effective_level(room),
        "level_cap": room.level_cap,
        "speaker": turn.speaker if turn is not None else room.next_speaker,
        "role": _role(room, seat),
        "card": _card(room, seat, lang),
        "spoken": turn.spoken if turn is not None else None,
        "reflection": turn.reflection if turn is not None else None,
        "reactions": [{"by": by, "reaction": r} for by, r in turn.reactions] if turn else [],
        "reveal": {"mine": turn.reveal[seat], "submitted": list(turn.submitted)}
        if in_writing and turn is not None
        else None,
        "revealed": _revealed(room, lang),
        "proposal": {"by": room.proposal.by, "to_level": room.proposal.to_level}
        if room.proposal
        else None,
        "notice": room.notice._value_ if room.notice else None,
        "exhausted": room.phase is Phase.BETWEEN and dealing.exhausted(room),
        "played_through": None if room.phase is Phase.ENDED else dealing.played_through(room),
        "played": _played(room),
        "own_deck": _own_deck(room, seat, lang),
        "progress": _progress(room),
        "paused": {
            "me": me.paused,
            "partner": room.seats[1 - seat].paused,
            "host": room.host_paused,
        },
        "new_card_due": room.new_card_due,
        "stars": list(me.stars),
        "summary": _summary(room, lang) if room.phase is Phase.ENDED else None,
        "legal": legal(room, seat),  # from the table (``legality``)
    }


def _deck(deck: Deck, lang: str) -> dict[str, object]:
    """The deck's part of a view: the same for every view in ``lang``, so made once."""
    key = ("view", lang)
    cached = deck.memo.get(key)
    if cached is None:
        cached = deck.memo[key] = _deck_uncached(deck, lang)
    assert isinstance(cached, dict)
    return cached


def _deck_uncached(deck: Deck, lang: str) -> dict[str, object]:
    return {
        "id": deck.id,
        "version": deck.version,
        "title": deck.text(deck.title, lang),
        "description": deck.text(deck.description, lang),
        "languages": list(deck.languages),
        "levels": [
            {
                "name": deck.text(lv.name, lang),
                "description": deck.text(lv.description, lang),
                "min_cards": lv.min_cards,
                "color": lv.color,
            }
            for lv in deck.levels
        ],
        "tags": [{"id": t.id, "label": deck.text(t.label, lang)} for t in deck.tags],
        "has_closing": deck.closing is not None,
    }


def _role(room: Room, seat: int) -> str | None:
    if room.turn is None:
        return None
    if room.phase is Phase.WRITING:
        return "writer"
    return "speaker" if room.turn.speaker == seat else "listener"


@dataclass(frozen=True, slots=True)
class _CardText:
    """What a card shows in one language: the same in every view, so made once."""

    text: str
    kind: str
    mode: str
    tags: tuple[tuple[str, str], ...]  # (id, label), sorted by id
    both: bool


def _card_text(deck: Deck, card: Card, lang: str) -> _CardText:
    key = ("cards", lang)
    table = deck.memo.get(key)
    if not isinstance(table, dict):
        table = deck.memo[key] = {}
    found = table.get(card.id)
    if isinstance(found, _CardText):
        return found
    labels = {t.id: t.label for t in deck.tags}
    made = table[card.id] = _CardText(
        text=deck.text(card.text, lang),
        kind=card.kind.value,
        mode=card.mode.value,
        tags=tuple((t, deck.text(labels[t], lang)) for t in sorted(card.tags)),
        both=card.answered_by_both,
    )
    return made


def _card_dict(deck: Deck, card: Card, lang: str) -> dict[str, object]:
    """A fresh dict on every call (views are handed out; nothing in them is shared)."""
    c = _card_text(deck, card, lang)
    return {
        "id": card.id,
        "text": c.text,
        "kind": c.kind,
        "mode": c.mode,
        "level": card.level,
        "tags": [{"id": tag, "label": label} for tag, label in c.tags],
        "both": c.both,
        "closing": card.level is None,
    }


def _card(room: Room, seat: int, lang: str) -> dict[str, object] | None:
    turn = room.turn
    if turn is None:
        return None
    card = room.deck.card(turn.card_id)
    out = _card_dict(room.deck, card, lang)
    listener_reflecting = room.phase is Phase.REFLECTING and turn.speaker != seat
    out["follow_ups"] = _follow_ups(room, seat, card, lang) if listener_reflecting else []
    out["half"] = turn.half
    out["starred"] = card.id in room.seats[seat].stars
    return out


def _follow_ups(room: Room, seat: int, card: Card, lang: str) -> list[str]:
    """What the listener may offer: not what a boundary held back when the card was dealt,
    nor what this listener marked since (their own marks: nothing learnt by anyone)."""
    assert room.turn is not None
    withheld, mine = room.turn.withheld, room.seats[seat].boundaries
    return [
        room.deck.text(f.text, lang)
        for i, f in enumerate(card.follow_ups)
        if i not in withheld and not (f.tags & mine)
    ]


def _revealed(room: Room, lang: str) -> dict[str, object] | None:
    if room.revealed is None:
        return None
    card = room.deck.card(room.revealed.card_id)
    return {"card": _card_dict(room.deck, card, lang), "answers": list(room.revealed.answers)}


def _own_deck(room: Room, seat: int, lang: str) -> dict[str, object] | None:
    """The couple's own deck as the partner is asked to accept it: what it is, how big,
    which topics it touches (its text comes as text, like every deck's)."""
    own = room.own_deck
    if own is None:
        return None
    return {
        "title": own.text(own.title, lang),
        "description": own.text(own.description, lang),
        "cards": len(own.cards),
        "levels": [own.text(lv.name, lang) for lv in own.levels],
        "topics": [own.text(t.label, lang) for t in own.tags],
        "by": room.own_by,
        "accepted": room.own_prior is not None,
    }


def _played(room: Room) -> dict[str, list[str]]:
    """What a device that remembers keeps of this room: ids only, never text."""
    return {"completed": sorted(room.completed_in_room), "skipped": sorted(room.skipped_in_room)}


def _progress(room: Room) -> dict[str, object]:
    return {"completed": dealing.completed_per_level(room), "total": len(room.completed)}


def _summary(room: Room, lang: str) -> dict[str, object]:
    stars = dict.fromkeys(c for s in room.seats for c in s.stars)
    started, ended = room.started_at or 0.0, room.ended_at or room.started_at or 0.0
    return {
        **_progress(room),
        "seconds": max(0, round(ended - started)),
        "starred": [
            {"id": c, "text": room.deck.text(room.deck.card(c).text, lang)}
            for c in stars
            if c in room.deck.by_id
        ],
    }
