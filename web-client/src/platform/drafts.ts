// Unsent text in the typing boxes, kept in this tab's sessionStorage so a reload (or a
// phone that drops the page in the background) does not lose a half-written answer.
// sessionStorage stays on this device, in this tab, and is gone when the tab closes;
// only the current card's drafts are kept, and a room's drafts go when it ends.

const PREFIX = "closeknit:draft:";

function store(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked: drafts live in page memory only
  }
}

function keyFor(room: string, key: string): string {
  return `${PREFIX}${room}:${key}`;
}

export const drafts = {
  load(room: string | null, key: string): string | null {
    if (!room) return null;
    try {
      return store()?.getItem(keyFor(room, key)) ?? null;
    } catch {
      return null;
    }
  },

  save(room: string | null, key: string, value: string): void {
    if (!room) return;
    try {
      if (value) store()?.setItem(keyFor(room, key), value);
      else store()?.removeItem(keyFor(room, key));
    } catch {
      // full or blocked: the draft still lives in page memory
    }
  },

  clear(room: string | null, key: string): void {
    if (room) drafts.save(room, key, "");
  },

  /** Forget a room's drafts, all of them or those not of the card ``keep`` names. */
  prune(room: string, keep?: (key: string) => boolean): void {
    const s = store();
    if (!s) return;
    try {
      const mine = `${PREFIX}${room}:`;
      for (const k of Object.keys(s))
        if (k.startsWith(mine) && !(keep && keep(k.slice(mine.length)))) s.removeItem(k);
    } catch {
      // nothing to forget
    }
  },
};
