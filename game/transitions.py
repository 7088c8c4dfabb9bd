"""THE table: in which phase who may ask for what. Legality lives here and only here;
``rules`` adds the guards that depend on more than the phase (a proposal waiting, a
level's minimum, a card left to deal) and never re-decides what this table says.
"""

from __future__ import annotations

from enum import Enum

from game.model import Phase


class Who(Enum):
    ANYONE = "anyone"  # either seat
    SPEAKER = "speaker"  # the speaker of the card on the table
    LISTENER = "listener"  # the other seat while a card is answered
    DRAWER = "drawer"  # between cards: the seat whose turn it is to draw


A, S, L, D = Who.ANYONE, Who.SPEAKER, Who.LISTENER, Who.DRAWER

# Allowed in every phase of a started game (not the lobby, not the summary).
_ALWAYS_IN_PLAY: dict[str, Who] = {
    "mark_boundary": A,
    "unmark_boundary": A,
    "step_back": A,
    "pause": A,
    "resume": A,
    "end": A,
    "star": A,
    "unstar": A,
    "set_language": A,
}
_CLOSING = {"skip_closing": A}

TABLE: dict[Phase, dict[str, Who]] = {
    Phase.LOBBY: {
        "set_name": A,
        "set_language": A,
        "choose_deck": A,
        "set_light_mode": A,
        "set_apart": A,
        "ready": A,
        "unready": A,
        "mark_boundary": A,
        "unmark_boundary": A,
        "pause": A,
        "resume": A,
    },
    Phase.BETWEEN: {
        **_ALWAYS_IN_PLAY,
        "draw": D,
        "propose_deeper": A,
        "accept_deeper": A,
        "decline_deeper": A,
        "withdraw_proposal": A,
    },
    Phase.SHOWN: {**_ALWAYS_IN_PLAY, **_CLOSING, "answer": S, "pass": S, "skip": A},
    Phase.SPEAKING: {**_ALWAYS_IN_PLAY, **_CLOSING, "done_speaking": S, "pass": S, "react": L},
    Phase.REFLECTING: {**_ALWAYS_IN_PLAY, **_CLOSING, "reflect": L},
    Phase.CONFIRMING: {**_ALWAYS_IN_PLAY, **_CLOSING, "felt_heard": S, "try_again": S},
    Phase.WRITING: {**_ALWAYS_IN_PLAY, "write_reveal": A, "pass": A},
    Phase.ENDED: {
        "play_again": A,
        "unstar": A,
        "mark_boundary": A,
        "unmark_boundary": A,
        "set_language": A,
    },
}

# While anyone (a partner or the host) has paused, only these are accepted. "pause" is
# here because the partner may pause too (stacked pauses: both must resume).
WHILE_PAUSED = frozenset(
    {"resume", "end", "step_back", "mark_boundary", "unmark_boundary", "pause"}
)


def who_may(phase: Phase, action: str) -> Who | None:
    """Who may ask for ``action`` in ``phase``; None when nobody may."""
    return TABLE[phase].get(action)
