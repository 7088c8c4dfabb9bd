// What the page does with the phone around it, kept apart from the screens: the screen
// stays on during play, cues when a turn comes while hidden, drafts pruned to the card
// in play, and the service worker registered. `afterRender` runs after every render.

import type { App } from "../app";
import { Cues } from "./cues";
import { drafts } from "./drafts";
import { registerWorker } from "./sw-register";
import { WakeLock } from "./wake";

export class Platform {
  private wake = new WakeLock();
  private cues: Cues;
  private prunedAt = "";

  constructor(private app: App) {
    this.cues = new Cues(() => app.t()("cue_your_turn"));
    registerWorker();
  }

  afterRender(): void {
    const s = this.app.s;
    const v = s.route === "room" ? s.view : null;
    const playing = !!v && v.phase !== "lobby" && v.phase !== "ended" && !(v.paused.me || v.paused.partner || v.paused.host);
    this.wake.want(playing);
    this.cues.update(v, document.title);
    this.pruneDrafts();
  }

  // Only the card in play keeps drafts; an ended or deleted room keeps none.
  private pruneDrafts(): void {
    const s = this.app.s;
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
