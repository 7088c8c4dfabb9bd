// What a console holds: the last full snapshot with every later delta applied. A delta
// replaces whole entries (null removes one), so each costs only what changed. `legal`
// (the party actions this page may ask for now, from the engine's one legality table)
// is replaced whole when a delta carries it; the pages enable their buttons from it.

import type { Msg } from "./net";

export interface Meta {
  code: string;
  deck: string;
  deck_levels: number;
  level_cap: number | null;
  paused: boolean;
  locked: boolean;
  ended: boolean;
  mixer: boolean;
  round: { seconds: number | null; no: number; deadline: number | null; over: boolean };
  tables: number;
  host: string | null;
  deck_title?: Record<string, string> | null; // the console's meta names the deck
}
export interface GuestEntry {
  name: string;
  host?: boolean; // holds the host role (a co-host): neither handed to nor removed
  table?: string | null;
  looking?: boolean;
}
export interface TableEntry {
  guests?: string[]; // the console's only: the display never learns who sits where
  level?: number;
  completed?: number;
  needs_moment?: boolean;
  stage?: string;
}
export interface ConsoleView {
  meta: Meta;
  guests: Record<string, GuestEntry>;
  tables: Record<string, TableEntry>;
  legal?: string[]; // the host's; the display has none
}

/** Whether the view's `legal` list offers ``action`` now: the only test a page makes
 *  before offering a party action (the rule lives in the engine, not here). */
export function can(view: { legal?: string[] } | null | undefined, action: string): boolean {
  return view?.legal?.includes(action) ?? false;
}

export function applyDelta(view: ConsoleView, delta: Msg): ConsoleView {
  const out: ConsoleView = { meta: delta.meta ?? view.meta, guests: { ...view.guests }, tables: { ...view.tables },
    legal: (delta.legal as string[] | undefined) ?? view.legal };
  for (const section of ["guests", "tables"] as const) {
    const changed = (delta[section] ?? {}) as Record<string, unknown>;
    const into = out[section] as Record<string, unknown>;
    for (const [key, entry] of Object.entries(changed)) {
      if (entry === null) delete into[key];
      else into[key] = entry;
    }
  }
  return out;
}

/** The party's pages: the join link everyone sees, and this page's own address. */
export function joinLink(code: string): string {
  return new URL(`party#join=${code}`, location.href).href; // relative: a prefix stays
}

export function secondsLeft(meta: Pick<Meta, "round">, now: number = Date.now() / 1000): number | null {
  const r = meta.round;
  if (r.deadline === null || r.over) return null;
  return Math.max(0, Math.ceil(r.deadline - now));
}

export function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

// Only secrets this browser was given: a host token, a guest token, a display key.
const KEY = "closeknit:party:";
export const saved = {
  get(kind: string, code: string): string | null {
    try {
      return localStorage.getItem(`${KEY}${kind}:${code}`);
    } catch {
      return null;
    }
  },
  set(kind: string, code: string, value: string): void {
    try {
      localStorage.setItem(`${KEY}${kind}:${code}`, value);
    } catch {
      // private mode: works until a reload
    }
  },
  forget(kind: string, code: string): void {
    try {
      localStorage.removeItem(`${KEY}${kind}:${code}`);
    } catch {
      // nothing stored
    }
  },
};
