"""Both seats act at random; after every step the engine's invariants must hold."""

from __future__ import annotations

import contextlib
from dataclasses import replace

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from game import actions as a
from game.codec import from_dict, to_dict
from game.deck import APART_TAGS, CardKind, CardMode, Deck, Tag
from game.errors import GameError
from game.legality import WHILE_PAUSED, refusal
from game.model import Phase, Room
from game.rules import apply
from game.views import view_for
from tests.game.factories import card, deck, lobby

ADVANCING = {"answer", "pass", "done_speaking", "felt_heard", "try_again", "draw"}


def machine_deck() -> Deck:
    """Three levels of six cards in three bands of intensity (width 2: 1-2, 3-4, 5), with
    tags, a touch card and follow-ups that carry tags of their own."""
    cards = []
    modes = [CardMode.ONE, CardMode.BOTH, CardMode.REVEAL, CardMode.ONE, CardMode.ONE] * 2
    tags = [(), ("money",), (), ("family",), ("money", "family"), ("touch",)]
    intensity = [5, 1, 3, 2, 4, 1]
    follow_up_tags = [(), ("family",), ("touch",)]
    for lv in range(3):
        for i in range(6):
            kind = CardKind.ACTION if (lv, i) in ((1, 3), (2, 5)) else CardKind.QUESTION
            cards.append(
                card(
                    f"l{lv}c{i}",
                    lv,
                    mode=modes[i],
                    kind=kind,
                    tags=tags[i],
                    follow_ups=("plain", "home", "hug"),
                    follow_up_tags=follow_up_tags,
                    intensity=intensity[(i + lv) % 6],
                )
            )
    topics = (
        Tag("money", {"en": "Money"}),
        Tag("family", {"en": "Family"}),
        Tag("touch", {"en": "Touch"}),
    )
    return deck(tuple(cards), min_cards=(1, 2, 0), tags=topics)


DECK = machine_deck()
SECRETS = ("seat0-secret-text", "seat1-secret-text")


def actions_for(seat: int) -> list[a.Action]:
    return [
        a.SetName("Name"), a.SetLanguage("de"), a.SetLightMode(True), a.SetLightMode(False),
        a.SetApart(True), a.SetApart(False),
        a.Ready(), a.Unready(), a.MarkBoundary("money"), a.MarkBoundary("family"),
        a.UnmarkBoundary("money"), a.UnmarkBoundary("family"), a.Draw(), a.Answer(),
        a.Pass(), a.Pass(avoid_topic=True), a.Skip(), a.DoneSpeaking(),
        a.DoneSpeaking(SECRETS[seat]), a.Reflect(), a.Reflect("heard"), a.FeltHeard(),
        a.TryAgain(), a.WriteReveal(SECRETS[seat]), a.React("heart"), a.Star(),
        a.Unstar("l0c0"), a.ProposeDeeper(), a.AcceptDeeper(), a.DeclineDeeper(),
        a.WithdrawProposal(), a.StepBack(0), a.StepBack(1), a.Pause(), a.Resume(), a.End(),
        a.SkipClosing(), a.PlayAgain(),
    ]  # fmt: skip


def every_action() -> list[a.Action]:
    """Each player action with every argument worth trying on ``DECK``."""
    tags = [t.id for t in DECK.tags] + ["unknown"]
    return [
        *actions_for(0),
        *actions_for(1),
        a.SetLanguage("en"), a.SetLanguage("not a language"), a.ChooseDeck(DECK),
        *(a.MarkBoundary(t) for t in tags), *(a.UnmarkBoundary(t) for t in tags),
        *(a.Unstar(c) for c in DECK.by_id), *(a.StepBack(lv) for lv in range(4)),
        *(a.React(r) for r in (*a.REACTIONS, "nope")),
    ]  # fmt: skip


class Couple(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.room: Room = lobby(DECK)
        self.now = 1_000.0
        self.consented = 0  # the deepest level both agreed to, since the last step back
        self.dealt_this_game: list[str] = []
        self.blocked_at_draw: frozenset[str] = frozenset()

    def _try(self, seat: int, action: a.Action) -> None:
        before = self.room
        legal = view_for(before, seat)["legal"]
        assert isinstance(legal, list)
        self.now += 1.5
        try:
            outcome = apply(before, seat, action, now=self.now)
        except GameError:
            assert self.room == before
            if not _takes_argument(action):
                assert action.name not in legal, f"{action.name} listed legal but refused"
            return
        after = outcome.room
        assert action.name in legal, f"{action.name} accepted but not listed legal"
        assert after.version == before.version + 1
        if before.paused:
            assert action.name in WHILE_PAUSED
        if isinstance(action, a.Pass):
            assert before.phase is Phase.WRITING or (
                before.turn is not None and before.turn.speaker == seat
            )
        listener = before.turn is not None and seat != before.turn.speaker
        if listener and before.phase is not Phase.WRITING:
            assert action.name not in ADVANCING
        self._track(before, after, seat, action)
        self.room = after

    def _track(self, before: Room, after: Room, seat: int, action: a.Action) -> None:
        if after.game_no != before.game_no or (
            before.phase is Phase.LOBBY and after.phase is Phase.BETWEEN
        ):
            self.dealt_this_game = []
            self.consented = 0
        if isinstance(action, a.Draw):
            assert after.turn is not None
            new = after.turn.card_id
            assert new not in self.dealt_this_game, "a card was dealt twice in one game"
            blocked = before.seats[0].boundaries | before.seats[1].boundaries
            blocked |= APART_TAGS if before.apart else frozenset()
            assert not (DECK.card(new).tags & blocked), "a card with an off-limits tag was dealt"
            self._assert_lightest_band(before, new, blocked)
            self.dealt_this_game.append(new)
            self.blocked_at_draw = blocked
        if isinstance(action, a.AcceptDeeper):
            self.consented = after.level
        if isinstance(action, a.StepBack):
            self.consented = after.level

    def _assert_lightest_band(self, before: Room, new: str, blocked: frozenset[str]) -> None:
        """The card came from the lightest band (width 2) that still had a dealable card."""
        level = DECK.card(new).level
        dealable = [
            c
            for c in DECK.cards
            if c.level == level
            and c.id not in before.dealt
            and c.id not in before.completed_in_room
            and not (c.tags & blocked)
        ]
        lightest = min((c.intensity - 1) // 2 for c in dealable)
        assert (DECK.card(new).intensity - 1) // 2 == lightest, "a heavier band came first"

    @invariant()
    def marked_follow_ups_are_never_offered(self) -> None:
        room = self.room
        if room.phase is not Phase.REFLECTING or room.turn is None:
            return
        listener = 1 - room.turn.speaker
        view = view_for(room, listener)
        offered = view["card"]["follow_ups"]  # type: ignore[index]
        shown_card = DECK.card(room.turn.card_id)
        for follow_up in shown_card.follow_ups:
            held = follow_up.tags & (self.blocked_at_draw | room.seats[listener].boundaries)
            text = follow_up.text[room.seats[listener].language]
            assert (text in offered) != bool(held), f"follow-up {text!r} offered wrongly"

    @rule(seat=st.sampled_from([0, 1]), data=st.data())
    def any_action(self, seat: int, data: st.DataObject) -> None:
        self._try(seat, data.draw(st.sampled_from(actions_for(seat))))

    @rule(seat=st.sampled_from([0, 1]), data=st.data())
    def a_legal_action(self, seat: int, data: st.DataObject) -> None:
        legal = view_for(self.room, seat)["legal"]
        assert isinstance(legal, list)
        options = [x for x in actions_for(seat) if x.name in legal]
        if options:
            self._try(seat, data.draw(st.sampled_from(options)))

    @rule()
    def a_tick(self) -> None:
        with contextlib.suppress(GameError):
            self.room = apply(self.room, None, a.Tick(), now=self.now).room

    @invariant()
    def level_never_above_consent(self) -> None:
        if self.room.phase is not Phase.LOBBY:
            assert self.room.level <= self.consented

    @invariant()
    def legal_lists_exactly_what_some_argument_gets_accepted(self) -> None:
        for seat in (0, 1):
            accepted = {x.name for x in every_action() if refusal(self.room, seat, x) is None}
            assert view_for(self.room, seat)["legal"] == sorted(accepted)

    @invariant()
    def round_trips_through_plain_data(self) -> None:
        assert from_dict(to_dict(self.room), {DECK.id: DECK}) == self.room

    @invariant()
    def views_hold_no_private_data_of_the_partner(self) -> None:
        room = self.room
        for seat in (0, 1):
            view = view_for(room, seat)
            partner = 1 - seat
            assert view["boundaries"] == sorted(room.seats[seat].boundaries)
            unrevealed = room.turn is not None and room.phase is Phase.WRITING
            if unrevealed:
                assert SECRETS[partner] not in repr(view)
            # nothing in the view but legality depends on the partner's marks
            blind = replace(room, seats=_without_marks(room, partner))
            strip = {"legal", "exhausted"}
            assert {k: v for k, v in view.items() if k not in strip} == {
                k: v for k, v in view_for(blind, seat).items() if k not in strip
            }


def _without_marks(room: Room, seat: int) -> tuple:  # type: ignore[type-arg]
    seats = list(room.seats)
    seats[seat] = replace(seats[seat], boundaries=frozenset())
    return (seats[0], seats[1])


def _takes_argument(action: a.Action) -> bool:
    return isinstance(action, (a.MarkBoundary, a.UnmarkBoundary, a.StepBack, a.Unstar,
                               a.SetLanguage, a.SetLightMode, a.React, a.WriteReveal))  # fmt: skip


Couple.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCoupleInvariants = Couple.TestCase
