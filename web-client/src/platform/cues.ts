// Background cues: when it becomes this seat's turn while the page is hidden (the phone
// locked, another app or tab in front), the tab's title and icon say so and a phone
// gives one short buzz. Everything goes back the moment the page is seen again.

import type { View } from "../types";

// Actions that mean "the game waits for you"; a reaction or a star never does.
const TURN_ACTIONS = ["draw", "answer", "done_speaking", "reflect", "felt_heard", "accept_deeper"];
const ICON = "assets/icons/favicon.png";
const TURN_ICON = "assets/icons/favicon-turn.png";
const BUZZ_MS = 120;

export function yourTurn(v: View | null): boolean {
  if (!v || v.phase === "lobby" || v.phase === "ended") return false;
  if (v.paused.me || v.paused.partner || v.paused.host) return false;
  if (v.legal.some((a) => TURN_ACTIONS.includes(a))) return true;
  // A reveal card: your turn until you have sent your words.
  return v.phase === "writing" && v.legal.includes("write_reveal") && !v.reveal?.submitted[v.you];
}

export class Cues {
  private active = false;
  private wasTurn = false;
  private title = "";
  private cueTitle: string | null = null;

  constructor(private turnTitle: () => string) {
    const seen = (): void => {
      if (document.visibilityState === "visible") this.clear();
    };
    document.addEventListener("visibilitychange", seen);
    window.addEventListener("focus", seen);
  }

  /** Called after every render with the current view and the title the page just set;
   * ``daily``: a daily space's cue instead of the turn (issue 22; src/daily/cue.ts). */
  update(v: View | null, title: string, daily?: { news: boolean; title: string } | null): void {
    this.title = title;
    const hidden = document.visibilityState === "hidden";
    const turn = daily ? daily.news : yourTurn(v);
    this.cueTitle = daily?.title ?? null;
    if (turn && !this.wasTurn && hidden) this.raise();
    if (!turn && this.active) this.clear(); // the moment passed (partner went on, pause)
    this.wasTurn = turn;
    if (this.active) document.title = this.cueTitle ?? this.turnTitle();
  }

  private raise(): void {
    this.active = true;
    setIcon(TURN_ICON);
    try {
      navigator.vibrate?.(BUZZ_MS); // phones only; ignored where not allowed
    } catch {
      // no vibration here
    }
  }

  private clear(): void {
    if (!this.active) return;
    this.active = false;
    document.title = this.title;
    setIcon(ICON);
  }
}

function setIcon(href: string): void {
  const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (link && link.getAttribute("href") !== href) link.setAttribute("href", href);
}
