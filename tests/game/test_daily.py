"""Daily spaces (issue 22): the couple's day, one card for both, answers, reveal, the tick."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game.daily import (
    SYSTEM,
    AnswerCard,
    DailyCode,
    DailyViolation,
    Heart,
    PassDay,
    SetTime,
    TalkTonight,
    Tick,
    apply_daily,
    next_deadline,
    view,
)
from game.daily.codec import action_from_wire
from game.daily.days import couple_day, next_day_at
from game.daily.model import DAY
from game.errors import ActionFormatError, ErrorCode
from tests.game.daily_helpers import BERLIN, at, couple, dumped, tick_if_due


def test_an_answer_after_midnight_counts_for_the_evening_before() -> None:
    assert couple_day(at("2026-12-04 01:30"), BERLIN, 4).isoformat() == "2026-12-03"
    assert couple_day(at("2026-12-04 03:59"), BERLIN, 4).isoformat() == "2026-12-03"
    assert couple_day(at("2026-12-04 04:00"), BERLIN, 4).isoformat() == "2026-12-04"
    assert couple_day(at("2026-12-04 01:30"), BERLIN, 0).isoformat() == "2026-12-04"
    assert next_day_at(at("2026-12-04 01:30"), BERLIN, 4) == at("2026-12-04 04:00")


def test_the_day_is_the_couples_own_time_zone() -> None:
    instant = at("2026-12-03 23:00", "UTC")  # Tokyo is already on the 4th at 08:00
    assert couple_day(instant, "Asia/Tokyo", 4).isoformat() == "2026-12-04"
    assert couple_day(instant, "America/Los_Angeles", 4).isoformat() == "2026-12-03"


def test_a_days_card_is_the_same_for_both() -> None:
    space = couple()
    now = at("2026-12-03 21:00")
    ana, ben = view(space, 0, now), view(space, 1, now)
    assert ana["card"]["id"] == ben["card"]["id"]
    assert ana["card"]["day"] == "2026-12-03"
    assert ben["card"]["text"].startswith("DE ")  # each in their own language


def test_the_partner_sees_only_answered_until_both_have() -> None:
    space = couple()
    now = at("2026-12-03 21:00")
    space = apply_daily(space, 0, AnswerCard("CANARY-ANA"), now).space
    ben = view(space, 1, now)
    assert ben["partner"] == {"state": "answered"}
    assert "CANARY-ANA" not in dumped(ben)
    assert view(space, 0, now)["mine"] == {"state": "answered", "text": "CANARY-ANA"}
    assert view(space, 0, now)["waiting"] == "partner"


def test_a_pass_reveals_the_other_answer_and_shows_as_passed() -> None:
    space = couple()
    now = at("2026-12-03 21:00")
    space = apply_daily(space, 0, AnswerCard("CANARY-ANA"), now).space
    outcome = apply_daily(space, 1, PassDay(), now + 5)
    assert "revealed" in outcome.events
    shown = view(outcome.space, 1, now + 5)
    assert shown["card"] is None and shown["waiting"] == "tomorrow"
    day = shown["history"][0]
    assert day["answers"] == [
        {"seat": 0, "state": "answered", "text": "CANARY-ANA"},
        {"seat": 1, "state": "passed", "text": None},
    ]
    assert day["kept_until"] == now + 5 + 7 * DAY


def test_an_answer_can_be_edited_until_the_reveal_and_not_after() -> None:
    space = couple()
    now = at("2026-12-03 21:00")
    space = apply_daily(space, 0, AnswerCard("first"), now).space
    space = apply_daily(space, 0, AnswerCard("second"), now + 1).space
    assert view(space, 0, now)["mine"]["text"] == "second"
    space = apply_daily(space, 1, AnswerCard("ben"), now + 2).space
    with pytest.raises(DailyViolation) as refused:
        apply_daily(space, 0, AnswerCard("third"), now + 3)
    assert refused.value.code is DailyCode.NO_CARD
    assert space.history[0].answers[0].text == "second"


def test_the_next_card_waits_for_the_partner_and_for_the_turn_of_the_day() -> None:
    space = couple()
    evening = at("2026-12-03 21:00")
    space = apply_daily(space, 0, AnswerCard("a"), evening).space
    # Days later Ben still has not answered: no new card, no pile of missed days.
    later = tick_if_due(space, at("2026-12-06 12:00"))
    assert later.current == space.current
    space = apply_daily(space, 1, AnswerCard("b"), at("2026-12-03 22:00")).space
    for early in (at("2026-12-03 23:30"), at("2026-12-04 03:59")):
        with pytest.raises(DailyViolation) as refused:
            apply_daily(space, SYSTEM, Tick(), early)
        assert refused.value.code is DailyCode.NOTHING_DUE
    assert next_deadline(space) == at("2026-12-04 04:00")
    assert view(space, 0, evening)["next_at"] == at("2026-12-04 04:00")
    dealt = apply_daily(space, SYSTEM, Tick(), at("2026-12-04 04:00"))
    assert dealt.events == ("dealt",)
    assert dealt.space.current is not None and dealt.space.current.day == "2026-12-04"


def test_a_late_answer_reveals_and_the_next_card_is_for_the_day_it_came() -> None:
    space = couple()
    first = space.current
    assert first is not None
    space = apply_daily(space, 0, AnswerCard("a"), at("2026-12-03 21:00")).space
    late = at("2026-12-06 19:00")
    space = apply_daily(space, 1, AnswerCard("b"), late).space
    assert space.history[0].day == "2026-12-03"
    space = apply_daily(space, SYSTEM, Tick(), late).space
    assert space.current is not None and space.current.day == "2026-12-06"
    assert len(space.dealt) == 2  # one new card, not one per missed day


def test_a_seat_not_joined_and_a_seat_asking_for_the_tick_are_refused() -> None:
    from game.daily import new_space
    from tests.game.factories import deck

    alone = new_space(deck(), seed="s", name="Ana", now=at("2026-12-03 20:00"), tz=BERLIN)
    with pytest.raises(DailyViolation) as refused:
        apply_daily(alone, 1, AnswerCard("x"), at("2026-12-03 21:00"))
    assert refused.value.code is DailyCode.NOT_SEATED
    with pytest.raises(DailyViolation) as refused:
        apply_daily(alone, 0, Tick(), at("2026-12-09 21:00"))
    assert refused.value.code is DailyCode.NOT_SYSTEM


def test_deletion_at_kept_until_by_a_tick_run_twice_and_on_two_instances() -> None:
    space = couple(keep_days=2)
    now = at("2026-12-03 21:00")
    space = apply_daily(space, 0, AnswerCard("CANARY-A"), now).space
    space = apply_daily(space, 1, AnswerCard("CANARY-B"), now).space
    space = apply_daily(space, SYSTEM, Tick(), at("2026-12-04 04:00")).space  # next card
    kept_until = now + 2 * DAY
    assert next_deadline(space) == kept_until
    assert tick_if_due(space, kept_until - 1) == space  # kept until then, not a second less
    first = apply_daily(space, SYSTEM, Tick(), kept_until)
    other = apply_daily(space, SYSTEM, Tick(), kept_until)  # a second instance, same state
    assert first == other
    assert first.events == ("deleted",)
    assert "CANARY" not in repr(first.space)
    with pytest.raises(DailyViolation) as again:
        apply_daily(first.space, SYSTEM, Tick(), kept_until)
    assert again.value.code is DailyCode.NOTHING_DUE
    assert tick_if_due(first.space, kept_until) == first.space


def test_the_space_ends_idle_days_after_the_last_answer_and_takes_every_answer() -> None:
    space = couple(idle_days=10)
    now = at("2026-12-05 21:00")
    space = apply_daily(space, 0, AnswerCard("CANARY"), now).space
    assert space.ends_at == now + 10 * DAY
    assert tick_if_due(space, now + 10 * DAY - 1) == space
    ended = apply_daily(space, SYSTEM, Tick(), now + 10 * DAY)
    assert ended.events == ("ended",) and ended.space.ended
    assert "CANARY" not in repr(ended.space)
    with pytest.raises(DailyViolation) as refused:
        apply_daily(ended.space, 1, PassDay(), now + 10 * DAY)
    assert refused.value.code is DailyCode.ENDED
    assert view(ended.space, 0, now)["legal"] == []


def test_a_heart_toggles_and_talk_tonight_offers_the_live_room_to_both() -> None:
    space = couple()
    now = at("2026-12-03 21:00")
    space = apply_daily(space, 0, PassDay(), now).space
    space = apply_daily(space, 1, PassDay(), now).space
    day = space.history[0].day
    space = apply_daily(space, 1, Heart(day), now).space
    assert view(space, 0, now)["history"][0]["hearts"] == [1]
    space = apply_daily(space, 0, TalkTonight(day, "K7QM3X", "/#join=K7QM3X.s&key=k"), now).space
    assert view(space, 1, now)["history"][0]["tonight"] == {
        "room": "K7QM3X",
        "invite": "/#join=K7QM3X.s&key=k",
    }
    space = apply_daily(space, 1, Heart(day), now).space
    assert space.history[0].hearts == frozenset()
    with pytest.raises(DailyViolation) as refused:
        apply_daily(space, 0, Heart("2020-01-01"), now)
    assert refused.value.code is DailyCode.UNKNOWN_DAY


def test_set_time_moves_the_couples_day_and_refuses_an_unknown_zone() -> None:
    space = couple()
    now = at("2026-12-04 02:00")
    assert view(space, 0, now)["today"] == "2026-12-03"
    moved = apply_daily(space, 1, SetTime("Europe/Berlin", 0), now).space
    assert view(moved, 0, now)["today"] == "2026-12-04"
    for bad, code in (
        (SetTime("Mars/Olympus", 4), DailyCode.BAD_TIME_ZONE),
        (SetTime("../etc/passwd", 4), DailyCode.BAD_TIME_ZONE),
        (SetTime(BERLIN, 24), DailyCode.BAD_DAY_START),
    ):
        with pytest.raises(DailyViolation) as refused:
            apply_daily(space, 0, bad, now)
        assert refused.value.code is code


def test_an_empty_or_overlong_answer_is_refused_and_a_sealed_space_takes_envelopes() -> None:
    space, now = couple(), at("2026-12-03 21:00")
    with pytest.raises(DailyViolation) as refused:
        apply_daily(space, 0, AnswerCard("   "), now)
    assert refused.value.code is DailyCode.TEXT_INVALID
    # length and characters are checked on the wire, with live play's rules and limit
    for text, code in (("x" * 2001, ErrorCode.TEXT_TOO_LONG), ("a\x00b", ErrorCode.TEXT_INVALID)):
        with pytest.raises(ActionFormatError) as bad:
            action_from_wire("answer", {"text": text})
        assert bad.value.code is code
    envelope = "ck1." + "A" * 10_964  # the largest bucket's envelope
    answer = action_from_wire("answer", {"text": envelope}, text_limit=len(envelope))
    sealed = replace(space, sealed=True)
    assert apply_daily(sealed, 0, answer, now).space.current is not None


def test_the_day_turns_at_the_day_start_hour_across_a_change_to_summer_time() -> None:
    # Berlin moves its clocks from 02:00 to 03:00 on 2027-03-28.
    space = couple(now=at("2027-03-27 20:00"))
    evening = at("2027-03-27 21:00")
    space = apply_daily(space, 0, PassDay(), evening).space
    space = apply_daily(space, 1, PassDay(), evening).space
    assert next_deadline(space) == at("2027-03-28 04:00")
    assert at("2027-03-28 04:00") - evening == 6 * 3600  # one hour less of night
    dealt = apply_daily(space, SYSTEM, Tick(), at("2027-03-28 04:00")).space
    assert dealt.current is not None and dealt.current.day == "2027-03-28"
