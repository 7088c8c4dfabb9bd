"""Daily spaces: which card comes, depth by consent, boundaries, no repeats, no streaks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.daily import (
    AnswerCard,
    AnswerDeeper,
    DailyCode,
    DailyViolation,
    MarkBoundary,
    PassDay,
    ProposeDeeper,
    Space,
    StepBack,
    UnmarkBoundary,
    apply_daily,
    view,
)
from game.daily.model import DAY
from game.deck import CardKind
from tests.game.daily_helpers import at, couple, dumped, tick_if_due
from tests.game.factories import card, deck

EVENING = at("2026-12-03 21:00")
ROOMY = deck(
    tuple(card(f"l{lv}c{i}", lv, intensity=1 + i % 5) for lv in range(3) for i in range(12))
)


def both_answer(space: Space, now: float, texts: tuple[str, str] = ("a", "b")) -> Space:
    space = apply_daily(space, 0, AnswerCard(texts[0]), now).space
    return apply_daily(space, 1, AnswerCard(texts[1]), now + 60).space


def next_evening(space: Space, now: float, days: int = 1) -> tuple[Space, float]:
    later = now + days * DAY
    return tick_if_due(space, later), later


def play_days(space: Space, n: int, now: float = EVENING) -> tuple[Space, float]:
    for _ in range(n):
        space = both_answer(space, now)
        space, now = next_evening(space, now)
    return space, now


def test_depth_rises_only_when_the_partner_accepts_after_enough_shared_days() -> None:
    space = couple()
    with pytest.raises(DailyViolation) as refused:
        apply_daily(space, 0, ProposeDeeper(), EVENING)
    assert refused.value.code is DailyCode.LEVEL_TOO_SOON
    space, now = play_days(space, 3)
    assert "propose_deeper" in view(space, 1, now)["legal"]
    space = apply_daily(space, 1, ProposeDeeper(), now).space
    assert view(space, 0, now)["proposal"] == {"by": 1, "level": 1}
    with pytest.raises(DailyViolation) as own:
        apply_daily(space, 1, AnswerDeeper(True), now)
    assert own.value.code is DailyCode.LEVEL_OWN_PROPOSAL
    declined = apply_daily(space, 0, AnswerDeeper(False), now).space
    assert declined.level == 0 and "propose_deeper" not in view(declined, 0, now)["legal"]
    space = apply_daily(space, 0, AnswerDeeper(True), now).space
    assert space.level == 1
    # Today's card stays; the next one comes from the deeper level.
    space, now = play_days(space, 1, now)
    assert space.current is not None and space.current.level == 1


def test_a_pass_is_not_a_shared_day_towards_going_deeper() -> None:
    space, now = couple(), EVENING
    for _ in range(3):
        space = apply_daily(space, 0, AnswerCard("a"), now).space
        space = apply_daily(space, 1, PassDay(), now).space
        space, now = next_evening(space, now)
    assert space.shared_at_level == 0
    assert "propose_deeper" not in view(space, 0, now)["legal"]


def test_either_partner_steps_back_alone() -> None:
    space, now = play_days(couple(), 3)
    space = apply_daily(space, 0, ProposeDeeper(), now).space
    space = apply_daily(space, 1, AnswerDeeper(True), now).space
    with_card = apply_daily(space, 1, StepBack(), now).space
    assert with_card.level == 0
    with pytest.raises(DailyViolation) as refused:
        apply_daily(with_card, 0, StepBack(), now)
    assert refused.value.code is DailyCode.LEVEL_NOT_LIGHTER


def test_a_marked_topic_is_never_dealt_and_the_partner_never_sees_the_mark() -> None:
    cards = (
        card("m1", 0, tags=("money",)),
        card("m2", 0, tags=("money",)),
        card("f1", 0),
        card("f2", 0),
        card("f3", 0),
    )
    space = couple(deck(cards, levels=1, min_cards=(0,)))
    space = apply_daily(space, 1, MarkBoundary("money"), EVENING).space
    assert view(space, 1, EVENING)["boundaries"] == ["money"]
    assert "money" not in dumped(view(space, 0, EVENING)["boundaries"])
    first = space.current
    assert first is not None
    dealt = [first.card_id]
    now = EVENING
    while space.current is not None:
        space = both_answer(space, now)
        space, now = next_evening(space, now)
        if space.current is not None:
            dealt.append(space.current.card_id)
    assert {"f1", "f2", "f3"} <= set(dealt)
    assert not {"m1", "m2"} & set(dealt[1:])  # a mark applies from the next card
    assert space.played_through and view(space, 0, now)["played_through"]
    freed = apply_daily(space, 1, UnmarkBoundary("money"), now).space
    freed = tick_if_due(freed, now)
    assert freed.current is not None and freed.current.card_id in {"m1", "m2"}


def test_touch_and_action_cards_stay_for_live_play() -> None:
    cards = (
        card("t", 0, tags=("touch",)),
        card("act", 0, kind=CardKind.ACTION),
        card("q", 0),
    )
    space = couple(deck(cards, levels=1, min_cards=(0,)))
    assert space.current is not None and space.current.card_id == "q"
    space, _ = play_days(space, 1)
    assert space.current is None and space.played_through


def test_light_before_deep_within_a_level() -> None:
    cards = tuple(card(f"c{i}", 0, intensity=1 + i % 4) for i in range(8))
    space, now = couple(deck(cards, levels=1, min_cards=(0,))), EVENING
    seen = []
    for _ in range(8):
        assert space.current is not None
        seen.append(space.deck.card(space.current.card_id).intensity)
        space, now = play_days(space, 1, now)
    assert seen == sorted(seen, key=lambda i: (i - 1) // 2)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.sampled_from(["answer", "pass", "wait"]))))
def test_no_view_holds_the_partners_text_before_the_reveal_no_card_comes_twice_tick_twice(
    steps: list[tuple[int, str]],
) -> None:
    space, now = couple(ROOMY), EVENING
    dealt: list[str] = [space.current.card_id] if space.current else []
    for n, (seat, what) in enumerate(steps):
        now += 3 * 3600
        if what == "answer" and space.current is not None:
            space = apply_daily(space, seat, AnswerCard(f"SECRET-{seat}-{n}"), now).space
        elif what == "pass" and space.current is not None:
            space = apply_daily(space, seat, PassDay(), now).space
        before = space.current
        once = tick_if_due(space, now)
        assert tick_if_due(once, now) == once  # a second tick (or instance) changes nothing
        space = once
        if space.current is not None and before is None:
            dealt.append(space.current.card_id)
        if space.current is not None:  # not revealed yet: each view holds only its own text
            for s, partner in ((0, 1), (1, 0)):
                text = space.current.answers[partner].text
                assert text is None or text not in dumped(view(space, s, now))
    assert len(dealt) == len(set(dealt))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=12))
def test_nothing_counts_consecutive_days(gaps: list[int]) -> None:
    """Skipped days change nothing but dates: the same cards, levels and offers come
    whether a couple answers every evening or with days between."""

    def play(pauses: list[int]) -> list[tuple[str | None, int, int, list[str]]]:
        space, now = couple(ROOMY, keep_days=100), EVENING
        seen = []
        for pause in pauses:
            space = both_answer(space, now)
            space, now = next_evening(space, now, 1 + pause)
            shown = view(space, 0, now)
            card_id = space.current.card_id if space.current else None
            seen.append((card_id, space.level, space.shared_at_level, shown["legal"]))
        return seen

    assert play(gaps) == play([0] * len(gaps))
