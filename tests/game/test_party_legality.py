"""The party's one legality table: every action has its row, the reducer refuses exactly
what the table refuses, and the views' ``legal`` lists say the same thing."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from game import party as p
from game.party.legality import GUEST

NOW = 1_000.0

# One of each action, with fields that are sometimes right and sometimes wrong.
ACTIONS: list[p.PartyAction] = [
    p.AddGuest("Ana"), p.MakePairCode(), p.EnterPairCode("ZZZZ"), p.LookForPartner(),
    p.LeaveTable(), p.LeaveParty(), p.SetMixer(True), p.SetMixer(False),
    p.PairGuests("g1", "g2"), p.PairGuests("g2", "g3"), p.PairGuests("g1", "g1"), p.Mix(),
    p.Mix(everyone=True), p.ChooseDeck("other", 2), p.ChooseDeck("none", 0),
    p.SetLevelCap(0), p.SetLevelCap(7), p.SetLevelCap(None), p.SetRounds(30),
    p.SetRounds(5), p.SetRounds(None), p.StartRound(), p.PauseAll(), p.ResumeAll(),
    p.Lock(True), p.Lock(False), p.RemoveGuest("g2"), p.RemoveGuest("g9"), p.HandHost("g3"),
    p.EndParty(), p.PartyTick(),
]  # fmt: skip
ACTORS = [p.HOST, p.SYSTEM, "g1", "g2", "g3", "g4"]


def without_fields(cls: type[p.PartyAction]) -> bool:
    return all(f.default is not dataclasses.MISSING for f in dataclasses.fields(cls) if f.init)


def test_every_party_action_has_its_row_and_its_row_says_who_asks() -> None:
    classes = {*p.ACTIONS.values(), p.AddGuest, p.ChooseDeck, p.PartyTick}
    assert {cls.name for cls in classes} == set(p.TABLE)
    for cls in classes:
        by = p.TABLE[cls.name].by
        assert by == (GUEST if cls.by == "guest" else cls.by), cls.name


def outcome(party: p.Party, actor: str, action: p.PartyAction, now: float) -> p.Party | None:
    try:
        return p.apply_party(party, actor, action, now=now).party
    except p.PartyViolation:
        return None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTIONS)), max_size=40))
def test_the_views_legal_lists_say_what_the_reducer_accepts(
    steps: list[tuple[str, p.PartyAction]],
) -> None:
    party = p.new_party("PTY234", "closer", 3, seed=3)
    for i, (actor, action) in enumerate(steps):
        now = NOW + 20 * i
        offered = p.legal(party, actor, now) if actor != p.SYSTEM else None
        after = outcome(party, actor, action, now)
        if offered is not None:
            if after is not None:  # accepted: the table offered it
                assert action.name in offered, (actor, action)
            if without_fields(type(action)) and action.name in offered:
                assert after is not None, (actor, action)  # offered: then accepted
        if actor == p.HOST:
            assert p.host_view(party)["legal"] == offered
        elif actor != p.SYSTEM and any(g.id == actor for g in party.guests):
            assert p.guest_view(party, actor)["legal"] == offered
        party = after or party


def test_a_host_is_offered_host_powers_and_a_guest_only_their_own() -> None:
    party = p.new_party("PTY234", "closer", 3, seed=3)
    for name in ("Ana", "Bo"):
        party = p.apply_party(party, p.SYSTEM, p.AddGuest(name), now=NOW).party
    host = p.legal(party, p.HOST)
    assert "pause_all" in host and "resume_all" not in host and "start_round" not in host
    assert not {"make_pair_code", "leave_table", "add_guest", "tick"} & set(host)
    guest = p.legal(party, "g1")
    assert {"make_pair_code", "look_for_partner", "leave_party"} <= set(guest)
    assert "leave_table" not in guest and "pause_all" not in guest
    ended = p.apply_party(party, p.HOST, p.EndParty(), now=NOW).party
    assert p.legal(ended, p.HOST) == [] and p.legal(ended, "g1") == []
    assert p.legal(party, "g9") == []  # a guest who is gone
