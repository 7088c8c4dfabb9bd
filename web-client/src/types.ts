// The shape of a seat's view (docs/views.md). The client reads it; it never decides
// rules: the buttons it shows are exactly `legal`.

export interface Level {
  name: string;
  description: string;
  min_cards?: number | null;
  /** The deck's #rrggbb for this level, or null. */
  color?: string | null;
}
export interface Tag {
  id: string;
  label: string;
}
export interface DeckInfo {
  id: string;
  /** The deck's version (a device remembers per deck id and version). */
  version?: string;
  title: string;
  description: string;
  languages: string[];
  levels: Level[];
  tags: Tag[];
  has_closing: boolean;
}
export interface SeatView {
  name: string;
  language: string;
  joined: boolean;
  ready: boolean;
  paused: boolean;
}
export interface CardView {
  id: string;
  text: string;
  kind: string;
  mode: string;
  level: number | null;
  tags: Tag[];
  follow_ups: string[];
  half: number;
  both: boolean;
  closing: boolean;
  starred: boolean;
}
export interface View {
  room: string;
  version: number;
  you: number;
  phase: string;
  language: string;
  deck: DeckInfo;
  light_mode: boolean;
  apart: boolean;
  seats: SeatView[];
  boundaries: string[];
  level: number;
  level_cap: number | null;
  speaker: number | null;
  role: string | null;
  card: CardView | null;
  spoken: string | null;
  reflection: string | null;
  reactions: { by: number; reaction: string }[];
  reveal: { mine: string | null; submitted: boolean[] } | null;
  revealed: { card: CardView; answers: string[] } | null;
  proposal: { by: number; to_level: number } | null;
  notice: string | null;
  exhausted: boolean;
  /** A remembering device's room: "level" or "deck" once no new card is left there. */
  played_through?: "level" | "deck" | null;
  /** Ids completed and skipped in this room, for a device that remembers. */
  played?: { completed: string[]; skipped: string[] };
  /** A couple's own deck added to the room (docs/views.md), or null. */
  own_deck?: {
    title: string;
    description: string;
    cards: number;
    levels: string[];
    topics: string[];
    by: number;
    accepted: boolean;
  } | null;
  progress: { completed: number[]; total: number };
  paused: { me: boolean; partner: boolean; host: boolean };
  new_card_due: boolean;
  stars: string[];
  summary: {
    completed: number[];
    total: number;
    seconds: number;
    starred: { id: string; text: string }[];
  } | null;
  legal: string[];
}

export interface DeckListing {
  id: string;
  version?: string;
  title: Record<string, string> | string;
  description?: Record<string, string> | string;
  languages: string[];
  default_language?: string;
  /** `all`, `12+`, `16+` or `18+` (docs/deck-format.md). */
  age_rating?: string;
  levels?: { id: string; name: Record<string, string> | string; cards?: number }[];
  /** Cards per level. */
  cards?: number[];
  /** Minutes of one game through every level (decks/timing.py). */
  minutes?: number;
}

/** A daily space's card (docs/views.md "A daily space's view"): `tags` are topic ids. */
export interface DailyCard {
  id: string;
  text: string;
  level: number;
  tags: string[];
  /** The couple's day it was dealt (an ISO date), maybe before `today`. */
  day: string;
}
export type DayState = "open" | "answered" | "passed";
export interface DailyDay {
  day: string;
  card: DailyCard;
  answers: { seat: number; state: DayState; text: string | null }[];
  /** Epoch seconds: the day's answers are deleted then. */
  kept_until: number;
  hearts: number[];
  tonight: { room: string; invite: string } | null;
}
/** A daily space's view: game/daily/views.py's output plus "room". */
export interface DailyView {
  kind: "daily";
  room: string;
  version: number;
  you: number;
  language: string;
  seats: { name: string; language: string; joined: boolean }[];
  tz: string;
  day_start: number;
  today: string;
  card: DailyCard | null;
  mine: { state: DayState; text: string | null } | null;
  partner: { state: DayState } | null;
  waiting: "partner" | "tomorrow" | null;
  next_at: number | null;
  played_through: boolean;
  level: number;
  proposal: { by: number; level: number } | null;
  deeper_after: number;
  shared_at_level: number;
  boundaries: string[];
  history: DailyDay[];
  keep_days: number;
  ends_at: number;
  ended: boolean;
  legal: string[];
}

/** GET /api/server: what this server offers (docs/protocol.md "Daily spaces"). */
export interface ServerFacts {
  daily_durable: boolean;
  push_key: string | null;
  daily_keep_days?: number;
  daily_idle_days?: number;
}
