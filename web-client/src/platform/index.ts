// What the page does with the phone around it, kept apart from the screens: the screen
// stays on during play, cues when a turn comes while hidden, drafts pruned to the card
// in play, and the service worker registered. `afterRender` runs after every render.
// The couple page has one App; a party guest's page has the App of its current table
// (or none between tables), hence a getter.

import type { App } from "../app";
import { hooks } from "../hooks";
import { Cues } from "./cues";
import { drafts } from "./drafts";
import { registerWorker } from "./sw-register";
import { WakeLock } from "./wake";

export class Platform {
  private wake = new WakeLock();
  private cues: Cues;
  private prunedAt = "";
  private last: App | null = null; // the App of the last render (a party table's changes)

  constructor(private current: () => App | null) {
    this.cues = new Cues(() => current()?.t()("cue_your_turn") ?? document.title);
    registerWorker();
  }

  afterRender(): void {
    const app = this.current();
    const v = app && app.s.route === "room" ? app.s.view : null;
    const playing = !!v && v.phase !== "lobby" && v.phase !== "ended" && !(v.paused.me || v.paused.partner || v.paused.host);
    this.wake.want(playing);
    this.cues.update(v, document.title, app && hooks.daily?.cue(app));
    // A party guest left the table: that room's drafts go with it.
    if (this.last && this.last !== app && this.last.s.room && this.last.s.room !== app?.s.room)
      drafts.prune(this.last.s.room);
    this.last = app;
    if (app) this.pruneDrafts(app);
  }

  // Only the card in play keeps drafts; an ended or deleted room keeps none.
  private pruneDrafts(app: App): void {
    const s = app.s;
    if (!s.room) return;
    const v = s.view;
    const gone = s.stop === "deleted" || s.stop === "join_failed" || v?.phase === "ended";
    const mark = `${s.room}|${gone ? "gone" : `${v?.card?.id ?? ""}:${v?.card?.half ?? 0}`}`;
    if (mark === this.prunedAt || (!gone && !v)) return;
    this.prunedAt = mark;
    if (gone || !v?.card) drafts.prune(s.room);
    else {
      const card = `:${v.card.id}:${v.card.half ?? 0}`;
      drafts.prune(s.room, (key) => key.endsWith(card));
    }
  }
}
