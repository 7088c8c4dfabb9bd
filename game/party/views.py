"""What a host, a display and a guest see of a party; deltas for the console."""

from __future__ import annotations

from typing import Any

from game import dealing
from game.model import Phase, Room
from game.party.legality import legal
from game.party.model import HOST, Party

# views ------------------------------------------------------------------------------------
View = dict[str, Any]


def table_summary(room: Room) -> View:
    """All a host learns of a table: level, progress, and whether it needs a moment
    (a seat paused it; which seat is never said). No text, no passes, no boundaries."""
    if room.phase is Phase.LOBBY:
        stage = "lobby"
    elif room.phase is Phase.ENDED:
        stage = "ended"
    else:
        stage = "playing"
    return {
        "level": dealing.effective_level(room),
        "completed": len(room.completed),
        "needs_moment": any(s.paused for s in room.seats),
        "stage": stage,
    }


def _meta(party: Party) -> View:
    return {
        "code": party.id,
        "deck": party.deck,
        "deck_levels": party.deck_levels,
        "level_cap": party.level_cap,
        "paused": party.paused,
        "locked": party.locked,
        "ended": party.ended,
        "mixer": party.mixer,
        "round": {
            "seconds": party.round_seconds,
            "no": party.round_no,
            "deadline": party.round_deadline,
            "over": party.round_fired,
        },
        "tables": len(party.tables),
        "host": party.guest(party.host).name if party.host else None,
    }


def host_view(party: Party) -> View:
    """The console: meta, guests by id, tables by id (membership; the shell adds each
    table's ``table_summary``)."""
    return {
        "meta": _meta(party),
        "guests": {g.id: _guest_entry(party, g.id) for g in party.guests},
        "tables": {t.id: {"guests": list(t.guests)} for t in party.tables},
        "legal": legal(party, HOST),
    }


def _guest_entry(party: Party, guest_id: str) -> dict[str, object]:
    """A guest as the console lists them; the one holding the host role is marked, so the
    console offers neither "Make host" nor "Remove" on that row (the engine refuses both:
    ``named_not_the_co_host``)."""
    g = party.guest(guest_id)
    entry: dict[str, object] = {"name": g.name, "table": g.table, "looking": g.looking}
    if guest_id == party.host:
        entry["host"] = True
    return entry


def display_view(party: Party) -> View:
    """The big screen, a page everyone in the room can read: the code, how many guests
    (an empty entry each: no names), the timer, the cap, and each table by id without
    who sits there (the shell adds its ``table_summary``: level, cards, "needs a
    moment"), so nothing on it ties a name to a table or to how a table is going."""
    return {
        "meta": _meta(party),
        "guests": {g.id: {} for g in party.guests},
        "tables": {t.id: {} for t in party.tables},
    }


def guest_view(party: Party, guest_id: str) -> View:
    me = next((g for g in party.guests if g.id == guest_id), None)
    full = _meta(party)
    # No pause or cap here: a guest sees those at their table, and a host's pause
    # should not cost every guest's party socket a frame on top of their table's.
    meta = {k: full[k] for k in ("code", "locked", "ended", "mixer", "round")}
    if me is None:
        return {"meta": meta, "you": None, "removed": not party.ended}
    table = party.table(me.table) if me.table else None
    partner = None
    if table is not None:
        partner = party.guest(table.guests[1 - me.seat]).name
    return {
        "meta": meta,
        "you": {
            "id": me.id,
            "name": me.name,
            "looking": me.looking,
            "pair_code": me.pair_code,
            "note": me.note,
        },
        "table": None if table is None else {"id": table.id, "seat": me.seat, "partner": partner},
        "is_host": party.host == me.id,
        "removed": False,
        "legal": legal(party, me.id),
    }


def diff(old: View | None, new: View) -> View | None:
    """What changed between two host/display views: the changed meta (and host's legal
    list), and only the
    guests and tables that changed (None marks a removed one). None: nothing changed.
    Its size depends on what changed, never on how many tables there are."""
    if old is None:
        return {"full": True, **new}
    out: View = {}
    for whole in ("meta", "legal"):  # replaced whole when changed
        if whole in new and old.get(whole) != new[whole]:
            out[whole] = new[whole]
    for section in ("guests", "tables"):
        before, after = old[section], new[section]
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        changed.update({k: None for k in before if k not in after})
        if changed:
            out[section] = changed
    return out or None
