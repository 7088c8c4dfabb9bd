// What only the couple page adds to the shared screens (issue 21: memory without
// accounts, a couple's own deck). The couple page's entry registers it (src/couple.ts);
// the party page, which shares the room screens, leaves it out and does not load it.

import type { App } from "./app";
import type { Child } from "./dom";
import type { DailyView, View } from "./types";
import type { Ctx } from "./ui/common";

export const hooks: {
  /** Each new view, with the page's last one (a remembering device keeps its cards). */
  onView?: (view: View, old: View | null) => void;
  /** The ids a new room on ``deck`` is told were played before. */
  played?: (deck: string, version: string | undefined) => string[];
  /** Sheets the room frame carries. */
  roomSheets?: (c: Ctx) => Child[];
  /** A part of the lobby. */
  lobbyPanel?: (c: Ctx) => HTMLElement | null;
  /** A section of the menu. */
  menuSection?: (app: App) => Child[];
  /** A page holding both seats (one phone, issue 21): the App in front, and the screen. */
  page?: { app(): App; screen(): HTMLElement };
  /** A notice between cards. */
  betweenNotice?: (c: Ctx) => HTMLElement | null;
  /** A daily space's view (issue 22): the couple page's daily chunk takes it (src/daily). */
  dailyState?: (app: App, view: DailyView) => void;
  /** A daily space's part of the page, once its chunk is here. */
  daily?: DailyPart;
} = {};

export interface DailyPart {
  /** The daily screen (or a deleted space's screen). */
  screen(app: App): HTMLElement;
  /** The background cue: news for this seat (the partner answered, a reveal), its title. */
  cue(app: App): { news: boolean; title: string } | null;
}
