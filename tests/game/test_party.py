"""Party rooms, the pure layer: guests, pairing, mixer, host powers, timers, views."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from game import actions as a
from game import party as p
from game.model import Phase
from tests.game.factories import NOW, complete_card, deck, do, lobby, started

SECRET_WORDS = ("my private answer", "what I heard", "money", "family")


def fresh() -> p.Party:
    return p.new_party("PTY234", "closer", 3, seed=7)


def run(party: p.Party, actor: str, action: p.PartyAction, now: float = NOW) -> p.Party:
    return p.apply_party(party, actor, action, now=now).party


def events(party: p.Party, actor: str, action: p.PartyAction, now: float = NOW) -> list[str]:
    return [e.name for e in p.apply_party(party, actor, action, now=now).events]


def refused(party: p.Party, actor: str, action: p.PartyAction, code: p.PartyCode) -> None:
    with pytest.raises(p.PartyViolation) as caught:
        p.apply_party(party, actor, action, now=NOW)
    assert caught.value.code is code


def with_guests(n: int, party: p.Party | None = None) -> p.Party:
    party = party or fresh()
    for i in range(n):
        party = run(party, p.SYSTEM, p.AddGuest(f"Guest {i}"))
    return party


def table_of(party: p.Party, gid: str) -> str | None:
    return party.guest(gid).table


# joining and pairing ----------------------------------------------------------------------
def test_guests_get_ids_in_order_and_each_action_bumps_the_version() -> None:
    party = with_guests(3)
    assert [g.id for g in party.guests] == ["g1", "g2", "g3"]
    assert party.version == 3


def test_a_pair_code_seats_both_partners_at_one_new_table() -> None:
    party = run(with_guests(2), "g1", p.MakePairCode())
    code = party.guest("g1").pair_code
    assert code is not None and len(code) == p.PAIR_CODE_LENGTH
    out = p.apply_party(party, "g2", p.EnterPairCode(code.lower()), now=NOW)
    assert [e.name for e in out.events] == ["table_opened"]
    table = out.party.tables[0]
    assert table.guests == ("g1", "g2")
    assert out.party.guest("g1").seat == 0 and out.party.guest("g2").seat == 1
    assert out.party.guest("g1").pair_code is None


def test_a_wrong_or_own_pair_code_is_refused() -> None:
    party = run(with_guests(2), "g1", p.MakePairCode())
    refused(party, "g2", p.EnterPairCode("ZZZZ"), p.PartyCode.UNKNOWN_PAIR_CODE)
    code = party.guest("g1").pair_code
    assert code is not None
    refused(party, "g1", p.EnterPairCode(code), p.PartyCode.SAME_GUEST)


def test_pair_codes_are_distinct_and_come_from_the_seed() -> None:
    party = with_guests(4)
    for g in ("g1", "g2", "g3"):
        party = run(party, g, p.MakePairCode())
    codes = {party.guest(g).pair_code for g in ("g1", "g2", "g3")}
    assert len(codes) == 3
    again = with_guests(4)
    for g in ("g1", "g2", "g3"):
        again = run(again, g, p.MakePairCode())
    assert {again.guest(g).pair_code for g in ("g1", "g2", "g3")} == codes


def test_a_guest_alone_waits_looking_and_is_paired_when_someone_arrives() -> None:
    party = run(with_guests(1), "g1", p.LookForPartner())
    assert party.guest("g1").looking and not party.tables
    party = with_guests(1, party)
    assert events(party, "g2", p.LookForPartner()) == ["table_opened"]
    party = run(party, "g2", p.LookForPartner())
    assert table_of(party, "g1") == table_of(party, "g2") is not None
    assert not party.guest("g1").looking


def test_a_guest_at_a_table_cannot_pair_again() -> None:
    party = run(run(with_guests(3), "g1", p.LookForPartner()), "g2", p.LookForPartner())
    refused(party, "g1", p.LookForPartner(), p.PartyCode.ALREADY_PAIRED)
    refused(party, p.HOST, p.PairGuests("g1", "g3"), p.PartyCode.ALREADY_PAIRED)


def test_the_host_pairs_by_hand_and_guests_cannot_use_host_powers() -> None:
    party = with_guests(2)
    refused(party, "g1", p.PairGuests("g1", "g2"), p.PartyCode.NOT_HOST)
    refused(party, p.HOST, p.PairGuests("g1", "g1"), p.PartyCode.SAME_GUEST)
    party = run(party, p.HOST, p.PairGuests("g2", "g1"))
    assert party.tables[0].guests == ("g2", "g1")


def test_the_host_cannot_act_as_a_guest() -> None:
    refused(with_guests(1), p.HOST, p.LookForPartner(), p.PartyCode.NOT_GUEST)
    refused(with_guests(1), "g9", p.LookForPartner(), p.PartyCode.UNKNOWN_GUEST)


# mixer ------------------------------------------------------------------------------------
def test_in_mixer_mode_guests_do_not_pair_themselves() -> None:
    party = run(with_guests(2), p.HOST, p.SetMixer(True))
    refused(party, "g1", p.MakePairCode(), p.PartyCode.MIXER_ONLY_HOST)
    refused(party, "g1", p.EnterPairCode("ABCD"), p.PartyCode.MIXER_ONLY_HOST)


def test_mix_pairs_everyone_unpaired_and_the_odd_one_waits_looking() -> None:
    party = run(with_guests(7), p.HOST, p.SetMixer(True))
    party = run(party, p.HOST, p.Mix())
    assert len(party.tables) == 3
    alone = [g for g in party.guests if g.table is None]
    assert len(alone) == 1 and alone[0].looking
    seated = [gid for t in party.tables for gid in t.guests]
    assert len(set(seated)) == 6


def test_mix_is_deterministic_from_the_seed() -> None:
    one = run(run(with_guests(10), p.HOST, p.SetMixer(True)), p.HOST, p.Mix())
    two = run(run(with_guests(10), p.HOST, p.SetMixer(True)), p.HOST, p.Mix())
    assert one.tables == two.tables
    other = p.new_party("PTY234", "closer", 3, seed=8)
    three = run(run(with_guests(10, other), p.HOST, p.SetMixer(True)), p.HOST, p.Mix())
    assert {t.guests for t in three.tables} != {t.guests for t in one.tables}


def test_remixing_everyone_closes_every_table_and_opens_new_ones_between_rounds() -> None:
    party = run(run(with_guests(8), p.HOST, p.SetMixer(True)), p.HOST, p.Mix())
    before = {frozenset(t.guests) for t in party.tables}
    out = p.apply_party(party, p.HOST, p.Mix(everyone=True), now=NOW)
    names = [e.name for e in out.events]
    assert names.count("table_closed") == 4 and names.count("table_opened") == 4
    after = {frozenset(t.guests) for t in out.party.tables}
    assert after != before
    assert not {t.id for t in out.party.tables} & {t.id for t in party.tables}


def test_remixing_waits_for_the_round_to_end() -> None:
    party = run(run(with_guests(4), p.HOST, p.SetMixer(True)), p.HOST, p.Mix())
    party = run(run(party, p.HOST, p.SetRounds(60)), p.HOST, p.StartRound())
    refused(party, p.HOST, p.Mix(everyone=True), p.PartyCode.ROUND_RUNNING)
    party = run(party, p.SYSTEM, p.PartyTick(), now=NOW + 61)
    assert len(run(party, p.HOST, p.Mix(everyone=True)).tables) == 2


def test_mix_with_nobody_to_pair_is_refused() -> None:
    refused(with_guests(1), p.HOST, p.Mix(), p.PartyCode.NOBODY_TO_PAIR)


# host powers ------------------------------------------------------------------------------
def test_level_cap_is_bounded_by_the_deck_and_reaches_tables_through_the_host_layer() -> None:
    party = fresh()
    refused(party, p.HOST, p.SetLevelCap(3), p.PartyCode.BAD_CAP)
    out = p.apply_party(party, p.HOST, p.SetLevelCap(1), now=NOW)
    assert [e.name for e in out.events] == ["settings_changed"]
    assert p.host_layer(out.party) == (1, False, None)


def test_lowering_the_cap_below_a_tables_level_steps_it_back_at_its_next_draw() -> None:
    room = started()
    room = do(room, 0, a.ProposeDeeper())
    room = do(room, 1, a.AcceptDeeper())
    assert room.level == 1
    party = run(fresh(), p.HOST, p.SetLevelCap(0))
    cap, paused, deadline = p.host_layer(party)
    room = do(room, None, a.HostSettings(cap, paused, deadline))
    assert p.table_summary(room)["level"] == 0  # the console shows where it will deal
    room = do(room, room.next_speaker, a.Draw())
    card = room.card()
    assert card is not None and card.level == 0
    raised = run(party, p.HOST, p.SetLevelCap(2))
    room = do(complete_card(room), None, a.HostSettings(*p.host_layer(raised)))
    assert room.level == 0  # raising the cap raises nobody


def test_choosing_a_deck_with_fewer_levels_lowers_the_cap_with_it() -> None:
    party = run(fresh(), p.HOST, p.SetLevelCap(2))
    party = run(party, p.HOST, p.ChooseDeck("tiny", 2))
    assert (party.deck, party.deck_levels, party.level_cap) == ("tiny", 2, 1)
    refused(party, p.HOST, p.ChooseDeck("none", 0), p.PartyCode.BAD_VALUE)


def test_pause_and_resume_all_are_host_only_and_not_repeated() -> None:
    party = fresh()
    refused(with_guests(1), "g1", p.PauseAll(), p.PartyCode.NOT_HOST)
    refused(party, p.HOST, p.ResumeAll(), p.PartyCode.NOT_PAUSED)
    party = run(party, p.HOST, p.PauseAll())
    assert p.host_layer(party)[1] is True
    refused(party, p.HOST, p.PauseAll(), p.PartyCode.ALREADY_PAUSED)
    assert p.host_layer(run(party, p.HOST, p.ResumeAll()))[1] is False


def test_a_host_pause_refuses_card_actions_at_a_table_until_the_host_resumes() -> None:
    party = run(fresh(), p.HOST, p.PauseAll())
    room = do(started(), None, a.HostSettings(*p.host_layer(party)))
    with pytest.raises(Exception, match="game/host_paused"):
        do(room, room.next_speaker, a.Draw())
    room = do(room, None, a.HostSettings(*p.host_layer(run(party, p.HOST, p.ResumeAll()))))
    assert do(room, room.next_speaker, a.Draw()).phase is Phase.SHOWN


def test_a_locked_party_admits_nobody_new() -> None:
    party = run(with_guests(1), p.HOST, p.Lock(True))
    refused(party, p.SYSTEM, p.AddGuest("Late"), p.PartyCode.LOCKED)
    assert len(run(run(party, p.HOST, p.Lock(False)), p.SYSTEM, p.AddGuest("Late")).guests) == 2


def test_only_the_server_admits_guests() -> None:
    refused(fresh(), p.HOST, p.AddGuest("X"), p.PartyCode.NOT_HOST)


def test_removing_a_guest_closes_their_table_and_their_partner_looks_again() -> None:
    party = run(run(with_guests(3), "g1", p.LookForPartner()), "g2", p.LookForPartner())
    out = p.apply_party(party, p.HOST, p.RemoveGuest("g1"), now=NOW)
    assert [e.name for e in out.events] == ["table_closed", "guest_removed", "looking"]
    party = out.party
    assert [g.id for g in party.guests] == ["g2", "g3"]
    assert party.guest("g2").looking and not party.tables
    refused(party, "g1", p.LookForPartner(), p.PartyCode.UNKNOWN_GUEST)
    party = run(party, "g3", p.LookForPartner())
    assert party.tables[0].guests == ("g2", "g3")


def test_co_host_handover_bumps_the_epoch_and_the_co_host_cannot_be_removed() -> None:
    party = with_guests(2)
    out = p.apply_party(party, p.HOST, p.HandHost("g2"), now=NOW)
    assert [e.name for e in out.events] == ["host_handed"]
    party = out.party
    assert (party.host, party.host_epoch) == ("g2", 1)
    assert p.guest_view(party, "g2")["is_host"] is True
    assert p.guest_view(party, "g1")["is_host"] is False
    refused(party, p.HOST, p.RemoveGuest("g2"), p.PartyCode.IS_HOST)
    assert run(party, p.HOST, p.HandHost("g1")).host_epoch == 2


def test_ending_the_party_closes_every_table_and_refuses_everything_after() -> None:
    party = run(run(with_guests(4), p.HOST, p.SetMixer(True)), p.HOST, p.Mix())
    out = p.apply_party(party, p.HOST, p.EndParty(), now=NOW)
    assert [e.name for e in out.events] == ["table_closed", "table_closed", "party_ended"]
    assert out.party.ended and not out.party.tables
    refused(out.party, p.SYSTEM, p.AddGuest("Late"), p.PartyCode.ENDED)
    refused(out.party, p.HOST, p.ResumeAll(), p.PartyCode.ENDED)


# timers -----------------------------------------------------------------------------------
def test_timed_rounds_are_off_by_default_and_bounded() -> None:
    party = fresh()
    refused(party, p.HOST, p.StartRound(), p.PartyCode.ROUNDS_OFF)
    refused(party, p.HOST, p.SetRounds(5), p.PartyCode.BAD_VALUE)


def test_a_round_stores_its_deadline_and_fires_once_even_if_ticked_twice() -> None:
    party = run(run(fresh(), p.HOST, p.SetRounds(60)), p.HOST, p.StartRound(), now=NOW)
    assert party.round_deadline == NOW + 60 and party.round_running
    refused(party, p.HOST, p.StartRound(), p.PartyCode.ROUND_RUNNING)
    refused(party, p.SYSTEM, p.PartyTick(), p.PartyCode.NOTHING_DUE)  # not yet due
    fired = p.apply_party(party, p.SYSTEM, p.PartyTick(), now=NOW + 60)
    assert [e.name for e in fired.events] == ["round_ended"]
    with pytest.raises(p.PartyViolation):  # a second process ticking finds nothing due
        p.apply_party(fired.party, p.SYSTEM, p.PartyTick(), now=NOW + 61)
    # both processes ticked the same stored state: one commit wins, the other re-applies
    # to the fresh state and is refused (the compare-and-set in the shell)
    again = p.apply_party(party, p.SYSTEM, p.PartyTick(), now=NOW + 62).party
    assert again == fired.party


def test_a_round_never_cuts_a_turn_at_the_table_and_table_ticks_are_safe_twice() -> None:
    party = run(run(fresh(), p.HOST, p.SetRounds(60)), p.HOST, p.StartRound(), now=NOW)
    room = do(started(), None, a.HostSettings(*p.host_layer(party)))
    room = do(room, room.next_speaker, a.Draw())
    room = do(room, room.turn.speaker if room.turn else 0, a.Answer())
    room = do(room, None, a.Tick(), now=NOW + 60)
    assert room.phase is Phase.SPEAKING and room.new_card_due
    with pytest.raises(Exception, match="tick/nothing_due"):
        do(room, None, a.Tick(), now=NOW + 61)


def test_a_new_round_rearms_every_table() -> None:
    party = run(run(fresh(), p.HOST, p.SetRounds(60)), p.HOST, p.StartRound(), now=NOW)
    room = do(started(), None, a.HostSettings(*p.host_layer(party)))
    room = do(room, None, a.Tick(), now=NOW + 60)
    party = run(run(party, p.SYSTEM, p.PartyTick(), now=NOW + 60), p.HOST, p.StartRound(),
                now=NOW + 100)  # fmt: skip
    room = do(room, None, a.HostSettings(*p.host_layer(party)))
    assert not room.round_fired
    assert do(room, None, a.Tick(), now=NOW + 160).new_card_due


def test_switching_rounds_off_clears_a_running_deadline() -> None:
    party = run(run(fresh(), p.HOST, p.SetRounds(60)), p.HOST, p.StartRound())
    out = p.apply_party(party, p.HOST, p.SetRounds(None), now=NOW)
    assert out.party.round_deadline is None and [e.name for e in out.events] == ["settings_changed"]


# views and privacy --------------------------------------------------------------------------
def test_host_and_display_views_never_hold_typed_text_passes_or_boundaries() -> None:
    room = started()
    room = do(room, 0, a.MarkBoundary("money"))
    room = do(room, 1, a.MarkBoundary("family"))
    room = do(room, room.next_speaker, a.Draw())
    speaker = room.turn.speaker if room.turn else 0
    room = do(room, speaker, a.Answer())
    room = do(room, speaker, a.DoneSpeaking("my private answer"))
    summary = p.table_summary(room)
    assert set(summary) == {"level", "completed", "needs_moment", "stage"}
    party = run(run(with_guests(2), "g1", p.LookForPartner()), "g2", p.LookForPartner())
    text = json.dumps([p.host_view(party), p.display_view(party), summary])
    for word in SECRET_WORDS:
        assert word not in text
    assert "pass" not in text


def test_needs_a_moment_says_a_table_paused_but_not_by_whom() -> None:
    room = do(started(), 1, a.Pause())
    summary = p.table_summary(room)
    assert summary["needs_moment"] is True
    assert summary == p.table_summary(do(started(), 0, a.Pause()))


def test_the_display_counts_guests_and_tables_but_holds_no_names_or_membership() -> None:
    party = run(run(with_guests(3), "g1", p.LookForPartner()), "g2", p.LookForPartner())
    view = p.display_view(party)
    assert view["tables"] == {"t1": {}} and view["meta"]["tables"] == 1
    assert view["guests"] == {"g1": {}, "g2": {}, "g3": {}}
    assert "Guest" not in json.dumps(view)


def test_a_guest_sees_their_table_partner_and_own_pair_code_only() -> None:
    party = run(with_guests(3), "g1", p.MakePairCode())
    assert p.guest_view(party, "g2")["you"]["pair_code"] is None
    code = party.guest("g1").pair_code
    assert code is not None
    party = run(party, "g2", p.EnterPairCode(code))
    view = p.guest_view(party, "g2")
    assert view["table"] == {"id": "t1", "seat": 1, "partner": "Guest 0"}
    assert p.guest_view(run(party, p.HOST, p.RemoveGuest("g3")), "g3")["removed"] is True


def test_a_diff_holds_only_what_changed_and_its_size_does_not_grow_with_tables() -> None:
    def sizes(n: int) -> int:
        party = run(with_guests(2 * n), p.HOST, p.SetMixer(True))
        party = run(party, p.HOST, p.Mix())
        before = p.host_view(party)
        after = p.host_view(run(party, p.SYSTEM, p.AddGuest("Late")))
        change = p.diff(before, after)
        assert change is not None and set(change) == {"guests"}
        return len(json.dumps(change))

    assert sizes(100) <= sizes(10) + 8  # a longer id, no more
    view = p.host_view(fresh())
    assert p.diff(view, view) is None
    assert p.diff(None, view) == {"full": True, **view}


def test_a_removed_entry_is_sent_as_null() -> None:
    party = run(run(with_guests(2), "g1", p.LookForPartner()), "g2", p.LookForPartner())
    gone = run(party, p.HOST, p.RemoveGuest("g1"))
    change = p.diff(p.host_view(party), p.host_view(gone))
    assert change is not None
    assert change["guests"]["g1"] is None and change["tables"]["t1"] is None


def test_a_party_survives_its_storage_format() -> None:
    party = run(run(with_guests(3), "g1", p.MakePairCode()), p.HOST, p.HandHost("g3"))
    party = run(run(party, p.HOST, p.SetRounds(30)), p.HOST, p.StartRound())
    party = run(run(party, "g2", p.LookForPartner()), "g3", p.LookForPartner())
    stored = json.loads(json.dumps(p.to_dict(party)))
    assert p.from_dict(stored) == party
    with pytest.raises(ValueError, match="not a stored party"):
        p.from_dict({"f": 99})


def test_a_full_party_admits_nobody_new() -> None:
    crowd = tuple(p.Guest(f"g{i}", f"G{i}") for i in range(p.MAX_GUESTS))
    refused(replace(fresh(), guests=crowd), p.SYSTEM, p.AddGuest("Late"), p.PartyCode.FULL)


def test_a_pair_code_never_repeats_one_in_use() -> None:
    party = with_guests(2)
    first = run(party, "g1", p.MakePairCode()).guest("g1").pair_code
    taken = replace(party, guests=(replace(party.guests[0], pair_code=None),
                                   replace(party.guests[1], pair_code=first)))  # fmt: skip
    again = run(taken, "g1", p.MakePairCode()).guest("g1").pair_code
    assert again is not None and again != first


def test_a_table_summary_says_lobby_playing_or_ended() -> None:
    assert p.table_summary(lobby())["stage"] == "lobby"
    assert p.table_summary(started())["stage"] == "playing"
    assert p.table_summary(do(started(deck(closing=False)), 0, a.End()))["stage"] == "ended"


def test_in_mixer_mode_the_one_left_alone_is_paired_with_the_next_arrival() -> None:
    party = run(run(with_guests(3), p.HOST, p.SetMixer(True)), p.HOST, p.Mix())
    (alone,) = [g for g in party.guests if g.table is None]
    out = p.apply_party(party, p.SYSTEM, p.AddGuest("Late"), now=NOW)
    assert [e.name for e in out.events] == ["guest_joined", "table_opened"]
    assert out.party.tables[-1].guests == (alone.id, "g4")
    nobody_waits = run(run(with_guests(2), p.HOST, p.SetMixer(True)), p.SYSTEM, p.AddGuest("X"))
    assert len(nobody_waits.tables) == 0  # without someone looking, the host pairs


# leaving ------------------------------------------------------------------------------------
def seated_pair(*, mixer: bool = False) -> p.Party:
    party = with_guests(3)
    if mixer:
        return run(run(party, p.HOST, p.SetMixer(True)), p.HOST, p.PairGuests("g1", "g2"))
    return run(run(party, "g1", p.LookForPartner()), "g2", p.LookForPartner())


@pytest.mark.parametrize("mixer", [False, True])
def test_a_guest_leaves_their_table_and_the_partner_looks_again_with_a_kind_word(
    mixer: bool,
) -> None:
    out = p.apply_party(seated_pair(mixer=mixer), "g1", p.LeaveTable(), now=NOW)
    assert [e.name for e in out.events] == ["table_closed", "looking"]
    party = out.party
    assert not party.tables
    leaver, partner = party.guest("g1"), party.guest("g2")
    assert leaver.table is None and not leaver.looking and leaver.note is None
    assert partner.looking and partner.note == "partner_left"
    assert p.guest_view(party, "g2")["you"]["note"] == "partner_left"


def test_the_partner_left_alone_is_paired_with_the_next_guest_and_the_note_goes() -> None:
    party = run(seated_pair(), "g1", p.LeaveTable())
    party = run(party, "g3", p.LookForPartner())
    assert party.guest("g2").table == party.guest("g3").table is not None
    assert party.guest("g2").note is None


def test_in_mixer_mode_a_partner_left_alone_is_paired_with_the_next_arrival() -> None:
    party = run(seated_pair(mixer=True), "g1", p.LeaveTable())
    party = run(party, p.SYSTEM, p.AddGuest("Late"))
    assert party.guest("g2").table == party.guest("g4").table is not None


def test_leaving_a_table_one_does_not_sit_at_is_refused() -> None:
    refused(with_guests(1), "g1", p.LeaveTable(), p.PartyCode.NO_TABLE)


def test_a_guest_leaves_the_party_and_their_partner_looks_again() -> None:
    out = p.apply_party(seated_pair(), "g1", p.LeaveParty(), now=NOW)
    assert [e.name for e in out.events] == ["table_closed", "guest_left", "looking"]
    party = out.party
    assert [g.id for g in party.guests] == ["g2", "g3"]
    assert party.guest("g2").note == "partner_left"
    refused(party, "g1", p.LeaveTable(), p.PartyCode.UNKNOWN_GUEST)


def test_the_co_host_hands_the_role_on_before_leaving() -> None:
    party = run(with_guests(2), p.HOST, p.HandHost("g1"))
    refused(party, "g1", p.LeaveParty(), p.PartyCode.IS_HOST)


def test_a_stored_party_keeps_a_guests_note_and_reads_blobs_from_before_it() -> None:
    party = run(seated_pair(), "g1", p.LeaveTable())
    stored = p.to_dict(party)
    assert p.from_dict(json.loads(json.dumps(stored))) == party
    older = {**stored, "guests": [g[:7] for g in stored["guests"]]}  # no note field yet
    assert p.from_dict(older).guest("g2").note is None
