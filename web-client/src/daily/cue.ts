// A daily space's background cue (issue 22; platform/cues.ts shows it): while the page is
// away, "Bo has answered" when the partner answered or passed and this seat has not yet,
// or "Your answers are here" when a reveal came. The title, the turn icon and an
// installed app's badge say it; all go back the moment the page is seen.

import type { App } from "../app";
import type { DailyView } from "../types";
import { w } from "./words";

let seenReveal: string | null | undefined; // the newest revealed day this page has shown
let badged = false;

type BadgeNav = Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };

function badge(on: boolean): void {
  if (on === badged) return;
  badged = on;
  const nav = navigator as BadgeNav;
  try {
    void (on ? nav.setAppBadge?.(1) : nav.clearAppBadge?.())?.catch(() => undefined);
  } catch {
    // no app badge here
  }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") badge(false);
});

/** The partner answered or passed today's card, this seat has not yet. */
export function partnerAnswered(v: DailyView): boolean {
  return !!v.partner && v.partner.state !== "open" && v.mine?.state === "open";
}

export function dailyCue(app: App): { news: boolean; title: string } | null {
  const v = app.s.route === "room" ? app.s.daily : null;
  if (!v) return null;
  const t = app.t();
  const hidden = document.visibilityState === "hidden";
  const newest = v.history[0]?.day ?? null;
  if (!hidden || seenReveal === undefined) seenReveal = newest;
  const name = v.seats[1 - v.you]?.name?.trim() || w(t, "day_partner");
  const cue = newest !== seenReveal
    ? { news: true, title: w(t, "day_cue_reveal") }
    : { news: partnerAnswered(v), title: w(t, "day_cue_title", { name }) };
  badge(cue.news && hidden);
  return cue;
}
