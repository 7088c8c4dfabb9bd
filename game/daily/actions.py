"""What a partner (or the server) may ask of a daily space."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Join:  # the server seats the partner admitted by invite or knock
    seat: int
    name: str
    language: str = "en"


@dataclass(frozen=True, slots=True)
class AnswerCard:  # today's card; again before the reveal: an edit
    text: str


@dataclass(frozen=True, slots=True)
class PassDay:
    pass


@dataclass(frozen=True, slots=True)
class ProposeDeeper:
    pass


@dataclass(frozen=True, slots=True)
class AnswerDeeper:
    accept: bool


@dataclass(frozen=True, slots=True)
class StepBack:
    pass


@dataclass(frozen=True, slots=True)
class MarkBoundary:
    tag: str


@dataclass(frozen=True, slots=True)
class UnmarkBoundary:
    tag: str


@dataclass(frozen=True, slots=True)
class Heart:
    day: str


@dataclass(frozen=True, slots=True)
class SetTime:
    tz: str
    day_start: int


@dataclass(frozen=True, slots=True)
class TalkTonight:
    day: str
    room: str
    invite: str


@dataclass(frozen=True, slots=True)
class Tick:  # the server fires whatever deadline is due; harmless when run twice
    pass


DailyAction = (
    Join
    | AnswerCard
    | PassDay
    | ProposeDeeper
    | AnswerDeeper
    | StepBack
    | MarkBoundary
    | UnmarkBoundary
    | Heart
    | SetTime
    | TalkTonight
    | Tick
)

NAMES: dict[type[DailyAction], str] = {
    Join: "join",
    AnswerCard: "answer",
    PassDay: "pass_day",
    ProposeDeeper: "propose_deeper",
    AnswerDeeper: "answer_deeper",
    StepBack: "step_back",
    MarkBoundary: "mark_boundary",
    UnmarkBoundary: "unmark_boundary",
    Heart: "heart",
    SetTime: "set_time",
    TalkTonight: "talk_tonight",
    Tick: "tick",
}
