"""THE couple's table: one row per action, saying in which phases who may ask for it,
whether a pause lets it through, which code answers it outside its phases, and every
other check that must hold. Legality lives here and only here (h11's rule): the effects
assume a legal action, the views list what is legal from this table, the shells ask
nothing.

A check answers the code that refuses the action, or None. A check that reads the
action's fields answers, when asked without them (``action=None``), whether some value
of them would pass: that is how a view lists what a seat may do now, fields still to
choose. Checks return codes rather than raise: a view asks a whole phase's rows, and
raising there would be the hot path's main cost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from game import actions as a
from game import dealing
from game.errors import ErrorCode as E
from game.errors import RuleViolation
from game.model import SEATS, Phase, Room


class Who(Enum):
    ANYONE = "anyone"  # either seat
    SPEAKER = "speaker"  # the speaker of the card on the table
    LISTENER = "listener"  # the other seat while a card is answered
    DRAWER = "drawer"  # between cards: the seat whose turn it is to draw


Act = a.Action | None  # None: asked without fields (what a view may offer)
Code = E | None
Check = Callable[[Room, int, Act], Code]
SystemCheck = Callable[[Room, float], Code]


@dataclass(frozen=True, slots=True)
class Row:
    """An action a seat asks for."""

    phases: Mapping[Phase, Who]  # where it may be asked, and by whom
    checks: tuple[Check, ...] = ()  # asked in order once phase, pause and role allow it
    # The code in a started game outside ``phases`` (in the lobby: game/not_started; once
    # ended: game/ended). card/not_on_table reads turn/wrong_phase while a card is on the
    # table: the card is there, only the step is wrong.
    elsewhere: E = E.TURN_WRONG_PHASE
    while_paused: bool = False  # a pause (a partner's or the host's) lets it through


@dataclass(frozen=True, slots=True)
class SystemRow:
    """An action the server (or a party host's layer) asks for, never a seat."""

    checks: tuple[SystemCheck, ...] = ()


LOBBY, BETWEEN, ENDED = Phase.LOBBY, Phase.BETWEEN, Phase.ENDED
SHOWN, SPEAKING, WRITING = Phase.SHOWN, Phase.SPEAKING, Phase.WRITING
REFLECTING, CONFIRMING = Phase.REFLECTING, Phase.CONFIRMING
IN_PLAY = (BETWEEN, SHOWN, SPEAKING, REFLECTING, CONFIRMING, WRITING)
CLOSABLE = (SHOWN, SPEAKING, REFLECTING, CONFIRMING)  # where the closing card can be
A, S, L, D = Who.ANYONE, Who.SPEAKER, Who.LISTENER, Who.DRAWER


def at(*phases: Phase, by: Who = A) -> dict[Phase, Who]:
    return dict.fromkeys(phases, by)


# checks: the seat asking -------------------------------------------------------------------
def not_ready(room: Room, seat: int, action: Act) -> Code:
    return E.LOBBY_ALREADY_READY if room.seats[seat].ready else None


def ready(room: Room, seat: int, action: Act) -> Code:
    return None if room.seats[seat].ready else E.LOBBY_NOT_READY


def not_paused(room: Room, seat: int, action: Act) -> Code:
    return E.GAME_PAUSED if room.seats[seat].paused else None


def paused(room: Room, seat: int, action: Act) -> Code:
    """Only the partner who paused resumes (both, when both paused)."""
    return None if room.seats[seat].paused else E.GAME_NOT_PAUSED


def language(room: Room, seat: int, action: Act) -> Code:
    """Without fields, the seat's own language stands for the one to choose."""
    code = action.language if isinstance(action, a.SetLanguage) else room.seats[seat].language
    return None if _LANGUAGE.fullmatch(code) else E.LOBBY_UNKNOWN_LANGUAGE


_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")  # "en", "de", "pt-BR"


# checks: boundaries and stars --------------------------------------------------------------
def tag_in_deck(room: Room, seat: int, action: Act) -> Code:
    if isinstance(action, a.MarkBoundary) and action.tag not in room.deck.tag_ids:
        return E.BOUNDARY_UNKNOWN_TAG
    return None


def tag_unmarked(room: Room, seat: int, action: Act) -> Code:
    marks = room.seats[seat].boundaries
    if isinstance(action, a.MarkBoundary):
        return E.BOUNDARY_ALREADY if action.tag in marks else None
    # some tag still unmarked (``tag_ids`` is the deck's tags' ids; a set test, no loop)
    return E.BOUNDARY_ALREADY if room.deck.tag_ids <= marks else None


def tag_marked(room: Room, seat: int, action: Act) -> Code:
    marks = room.seats[seat].boundaries
    shown = marks & room.deck.tag_ids  # the view lists these; other marks wait for a deck
    found = action.tag in marks if isinstance(action, a.UnmarkBoundary) else bool(shown)
    return None if found else E.BOUNDARY_NOT_MARKED


def card_to_star(room: Room, seat: int, action: Act) -> Code:
    """The card on the table, or else the last one that left it; not starred yet."""
    card = room.turn.card_id if room.turn is not None else room.last_card
    if card is None:
        return E.STAR_NOTHING
    return E.STAR_ALREADY if card in room.seats[seat].stars else None


def starred(room: Room, seat: int, action: Act) -> Code:
    stars = room.seats[seat].stars
    found = action.card in stars if isinstance(action, a.Unstar) else bool(stars)
    return None if found else E.STAR_UNKNOWN


# checks: cards -----------------------------------------------------------------------------
def card_left(room: Room, seat: int, action: Act) -> Code:
    return E.CARD_NONE_LEFT if dealing.exhausted(room) else None


def not_the_closing_card(room: Room, seat: int, action: Act) -> Code:
    """The closing card is left with skip_closing, not skipped."""
    return E.CARD_NOT_ON_TABLE if room.turn is not None and room.turn.closing else None


def the_closing_card(room: Room, seat: int, action: Act) -> Code:
    return None if room.turn is not None and room.turn.closing else E.CARD_NOT_ON_TABLE


def known_reaction(room: Room, seat: int, action: Act) -> Code:
    if isinstance(action, a.React) and action.reaction not in a.REACTIONS:
        return E.REACTION_UNKNOWN
    return None


# checks: levels ----------------------------------------------------------------------------
def no_proposal_waiting(room: Room, seat: int, action: Act) -> Code:
    """A proposal is answered before the next card is drawn."""
    return E.LEVEL_NEEDS_CONSENT if room.proposal is not None else None


def not_proposed_yet(room: Room, seat: int, action: Act) -> Code:
    return E.LEVEL_ALREADY_PROPOSED if room.proposal is not None else None


def deeper_level(room: Room, seat: int, action: Act) -> Code:
    """There is a deeper level, within a party host's cap; the proposer of a declined
    proposal waits for one more card; this level's minimum is played (or it ran out)."""
    level = dealing.effective_level(room)
    if level + 1 >= len(room.deck.levels):
        return E.LEVEL_NO_DEEPER
    if room.level_cap is not None and level + 1 > room.level_cap:
        return E.LEVEL_ABOVE_CAP
    if room.declined_by == seat and len(room.completed) <= room.declined_at:
        return E.LEVEL_WAIT_AFTER_DECLINE
    minimum = room.deck.levels[level].min_cards
    if dealing.completed_per_level(room)[level] < minimum and not dealing.exhausted(room):
        return E.LEVEL_TOO_SOON
    return None


def partners_proposal(room: Room, seat: int, action: Act) -> Code:
    if room.proposal is None:
        return E.LEVEL_NO_PROPOSAL
    return E.LEVEL_OWN_PROPOSAL if room.proposal.by == seat else None


def own_proposal(room: Room, seat: int, action: Act) -> Code:
    return None if room.proposal is not None and room.proposal.by == seat else E.LEVEL_NO_PROPOSAL


def lighter_level(room: Room, seat: int, action: Act) -> Code:
    """Without fields: the lightest level, 0, stands for the one to choose."""
    level = action.level if isinstance(action, a.StepBack) else 0
    return None if 0 <= level < dealing.effective_level(room) else E.LEVEL_NOT_LIGHTER


def own_deck_waiting(room: Room, seat: int, action: Act) -> Code:
    """The couple's own deck is there, not yet accepted, and was added by the partner."""
    if room.own_deck is None:
        return E.DECK_NONE
    if room.own_prior is not None:
        return E.DECK_ALREADY_ACCEPTED
    return E.DECK_ADDED_BY_YOU if room.own_by == seat else None


def own_deck_added(room: Room, seat: int, action: Act) -> Code:
    return E.DECK_NONE if room.own_deck is None else None


# checks: the system's actions --------------------------------------------------------------
def lobby_without_own_deck(room: Room, now: float) -> Code:
    if room.phase is not LOBBY:
        return E.LOBBY_NOT_IN_LOBBY
    return E.DECK_ALREADY_ADDED if room.own_deck is not None else None


def seat_free(room: Room, now: float) -> Code:
    return E.LOBBY_SEAT_TAKEN if room.seats[1].joined else None


def deadline_due(room: Room, now: float) -> Code:
    """A passed round deadline fires once, in a started game: a second tick finds nothing."""
    due = room.round_deadline is not None and now >= room.round_deadline
    if not due or room.round_fired or room.phase in (LOBBY, ENDED):
        return E.TICK_NOTHING_DUE
    return None


# the table ---------------------------------------------------------------------------------
EVERYWHERE = (LOBBY, *IN_PLAY, ENDED)
NOT_IN_LOBBY, ON_TABLE = E.LOBBY_NOT_IN_LOBBY, E.CARD_NOT_ON_TABLE
TABLE: dict[str, Row | SystemRow] = {
    # lobby
    a.SetName.name: Row(at(LOBBY), elsewhere=NOT_IN_LOBBY),
    a.SetLanguage.name: Row(at(*EVERYWHERE), (language,)),
    a.ChooseDeck.name: Row(at(LOBBY), elsewhere=NOT_IN_LOBBY),
    a.AcceptDeck.name: Row(at(LOBBY), (own_deck_waiting,), elsewhere=NOT_IN_LOBBY),
    a.RemoveDeck.name: Row(at(LOBBY), (own_deck_added,), elsewhere=NOT_IN_LOBBY),
    a.SetLightMode.name: Row(at(LOBBY), elsewhere=NOT_IN_LOBBY),
    a.SetApart.name: Row(at(LOBBY), elsewhere=NOT_IN_LOBBY),
    a.Ready.name: Row(at(LOBBY), (not_ready,), elsewhere=NOT_IN_LOBBY),
    a.Unready.name: Row(at(LOBBY), (ready,), elsewhere=NOT_IN_LOBBY),
    # boundaries
    a.MarkBoundary.name: Row(at(*EVERYWHERE), (tag_in_deck, tag_unmarked), while_paused=True),
    a.UnmarkBoundary.name: Row(at(*EVERYWHERE), (tag_marked,), while_paused=True),
    # cards and turns
    a.Draw.name: Row(at(BETWEEN, by=D), (no_proposal_waiting, card_left)),
    a.Answer.name: Row(at(SHOWN, by=S), elsewhere=ON_TABLE),
    a.Pass.name: Row(at(SHOWN, SPEAKING, by=S) | at(WRITING), elsewhere=ON_TABLE),
    a.Skip.name: Row(at(SHOWN), (not_the_closing_card,), elsewhere=ON_TABLE),
    a.DoneSpeaking.name: Row(at(SPEAKING, by=S), elsewhere=ON_TABLE),
    a.Reflect.name: Row(at(REFLECTING, by=L), elsewhere=ON_TABLE),
    a.FeltHeard.name: Row(at(CONFIRMING, by=S), elsewhere=ON_TABLE),
    a.TryAgain.name: Row(at(CONFIRMING, by=S), elsewhere=ON_TABLE),
    a.WriteReveal.name: Row(at(WRITING), elsewhere=ON_TABLE),
    a.React.name: Row(at(SPEAKING, by=L), (known_reaction,), elsewhere=ON_TABLE),
    a.Star.name: Row(at(*IN_PLAY), (card_to_star,)),
    a.Unstar.name: Row(at(*IN_PLAY, ENDED), (starred,)),
    # levels
    a.ProposeDeeper.name: Row(
        at(BETWEEN), (not_proposed_yet, deeper_level), elsewhere=E.LEVEL_NEEDS_CONSENT
    ),
    a.AcceptDeeper.name: Row(at(BETWEEN), (partners_proposal,), elsewhere=E.LEVEL_NO_PROPOSAL),
    a.DeclineDeeper.name: Row(at(BETWEEN), (partners_proposal,), elsewhere=E.LEVEL_NO_PROPOSAL),
    a.WithdrawProposal.name: Row(at(BETWEEN), (own_proposal,), elsewhere=E.LEVEL_NO_PROPOSAL),
    a.StepBack.name: Row(at(*IN_PLAY), (lighter_level,), while_paused=True),
    # pause, end, again. A paused seat's partner may pause too: both must then resume.
    a.Pause.name: Row(at(LOBBY, *IN_PLAY), (not_paused,), while_paused=True),
    a.Resume.name: Row(at(LOBBY, *IN_PLAY), (paused,), while_paused=True),
    a.End.name: Row(at(*IN_PLAY), while_paused=True),
    a.SkipClosing.name: Row(at(*CLOSABLE), (the_closing_card,), elsewhere=ON_TABLE),
    a.PlayAgain.name: Row(at(ENDED), elsewhere=E.GAME_NOT_ENDED),
    # the system's
    a.Join.name: SystemRow((seat_free,)),
    a.HostSettings.name: SystemRow(),
    a.Tick.name: SystemRow((deadline_due,)),
    a.AddDeck.name: SystemRow((lobby_without_own_deck,)),
}
WHILE_PAUSED = frozenset(n for n, r in TABLE.items() if isinstance(r, Row) and r.while_paused)


def refusal(room: Room, seat: int, action: a.Action | str) -> Code:
    """Why ``seat`` may not ask for ``action`` now (None: it may). Given only a name,
    the checks ask whether some value of the action's fields would pass."""
    if seat not in SEATS or not room.seats[seat].joined:
        return E.TURN_NOT_YOURS
    name, act = (action, None) if isinstance(action, str) else (action.name, action)
    row = TABLE[name]
    if not isinstance(row, Row) or (who := row.phases.get(room.phase)) is None:
        return _elsewhere(room, row)
    if room.paused and not row.while_paused:
        return _paused(room)
    return _allowed(room, seat, act, row, who)


def system_refusal(room: Room, action: a.Action, now: float) -> Code:
    """Why the system may not do ``action`` now (None: it may)."""
    row = TABLE[action.name]
    if not isinstance(row, SystemRow):
        return E.ACTION_UNKNOWN  # a seat's action, sent with no seat
    for each in row.checks:
        code = each(room, now)
        if code is not None:
            return code
    return None


def check(room: Room, seat: int | None, action: a.Action, now: float) -> None:
    """Raise ``RuleViolation`` unless ``seat`` (None: the system) may do ``action``."""
    code = system_refusal(room, action, now) if seat is None else refusal(room, seat, action)
    if code is not None:
        raise RuleViolation(code)


def legal(room: Room, seat: int) -> list[str]:
    """Every action ``seat`` may ask for now, fields still to choose, sorted by name:
    the names ``refusal`` lets through, asked only of the rows that the room's phase
    and pause let through."""
    if seat not in SEATS or not room.seats[seat].joined:
        return []
    rows = (_WHILE_PAUSED if room.paused else _IN_PHASE)[room.phase]
    return [name for name, row, who in rows if _allowed(room, seat, None, row, who) is None]


def _elsewhere(room: Room, row: Row | SystemRow) -> E:
    if room.phase is ENDED:
        return E.GAME_ENDED
    if room.phase is LOBBY:
        return E.GAME_NOT_STARTED
    code = row.elsewhere if isinstance(row, Row) else E.TURN_WRONG_PHASE
    return E.TURN_WRONG_PHASE if code is ON_TABLE and room.turn is not None else code


def _paused(room: Room) -> E:
    by_host = room.host_paused and not any(s.paused for s in room.seats)
    return E.GAME_HOST_PAUSED if by_host else E.GAME_PAUSED


def _allowed(room: Room, seat: int, action: Act, row: Row, who: Who) -> Code:
    """Once phase and pause let the row through: the seat's role, then its checks."""
    code = _role(room, seat, who)
    if code is not None:
        return code
    for each in row.checks:
        code = each(room, seat, action)
        if code is not None:
            return code
    return None


def _role(room: Room, seat: int, who: Who) -> Code:
    if who is A:
        return None
    if who is D:
        return None if seat == room.next_speaker else E.TURN_NOT_YOURS
    assert room.turn is not None  # the table grants speaker and listener only with a card
    if who is S:
        return None if seat == room.turn.speaker else E.TURN_NOT_YOURS
    return E.TURN_LISTENER_ONLY if seat == room.turn.speaker else None


# Each phase's seat rows, sorted by name (the order a view's ``legal`` is sent in).
_SEAT_ROWS = sorted((n, r) for n, r in TABLE.items() if isinstance(r, Row))
_IN_PHASE: dict[Phase, tuple[tuple[str, Row, Who], ...]] = {
    phase: tuple((n, r, r.phases[phase]) for n, r in _SEAT_ROWS if phase in r.phases)
    for phase in Phase
}
# The same for a paused room: only the rows a pause lets through. Asking the pause once
# per list, not once per row, took both views' lists of a move from 16.2-17.8 to
# 13.2-13.6 us (CPU time over bench.engine's rooms, consecutive runs on a loaded
# 2-core machine; the evaluator views had before this table: 11.9-12.3 us).
_WHILE_PAUSED = {
    phase: tuple(entry for entry in rows if entry[1].while_paused)
    for phase, rows in _IN_PHASE.items()
}
