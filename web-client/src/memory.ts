// Memory without accounts (issue 21): on this device only, and only once a player said
// "Remember our cards on this device", the browser keeps per deck id and version the ids
// of cards completed, skipped ("doesn't fit us") and starred. Never anything typed, never
// a boundary. A starred card keeps its printed text too (the deck's words, shown back on
// "What this device remembers" and in an export). When a room is made on that deck the
// completed and skipped ids go with it (docs/protocol.md, `settings.played`), so new
// cards come first. Nothing of this is stored on the server.

import { seats } from "./state";
import type { View } from "./types";

const KEY = "closeknit:memory";
/** The server takes at most this many played ids (server/rooms/service.py MAX_PLAYED). */
export const MAX_PLAYED = 1000;
const MAX_STARRED = 2000;
const MAX_DECKS = 50;
const MAX_TEXT = 2000;
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const EXPORT_FORMAT = "closeknit-starred";
// The text of the last few cards this page showed (page memory only): a card starred
// after it left the table ("star the last card") keeps its words too.
const recent = new Map<string, string>();

export interface Starred {
  id: string;
  text: string;
}
export interface DeckMemory {
  deck: string;
  version: string;
  title: string;
  completed: string[];
  skipped: string[];
  starred: Starred[];
}
interface Stored {
  v: 1;
  on: boolean;
  decks: Record<string, DeckMemory>;
}

function read(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const data = JSON.parse(raw) as Stored;
    return data && data.v === 1 && typeof data.decks === "object" ? data : null;
  } catch {
    return null;
  }
}

function write(data: Stored): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(data));
  } catch {
    // storage full or blocked: this evening is simply not remembered
  }
}

const keyOf = (deck: string, version: string): string => `${deck}@${version}`;

function entry(data: Stored, deck: string, version: string, title: string): DeckMemory {
  const k = keyOf(deck, version);
  const found = (data.decks[k] ??= { deck, version, title, completed: [], skipped: [], starred: [] });
  if (title) found.title = title;
  return found;
}

/** ``ids`` added at the end of ``list`` (each once), the oldest dropped past ``max``. */
function merged(list: string[], ids: string[], max: number): string[] {
  const add = ids.filter((id) => ID.test(id) && !list.includes(id));
  return add.length ? [...list, ...add].slice(-max) : list;
}

export const memory = {
  /** A player said "Remember our cards on this device". */
  on(): boolean {
    return read()?.on === true;
  },

  setOn(on: boolean): void {
    const data = read();
    if (!data && !on) return; // nothing stored, nothing to store: keep it that way
    write({ v: 1, decks: {}, ...data, on });
  },

  decks(): DeckMemory[] {
    return Object.values(read()?.decks ?? {});
  },

  /** What a new room on this deck is told (completed and skipped ids, newest kept). */
  playedFor(deck: string, version: string | undefined): string[] {
    const data = read();
    if (!data?.on || version === undefined) return [];
    const m = data.decks[keyOf(deck, version)];
    if (!m) return [];
    return [...new Set([...m.completed, ...m.skipped])].slice(-MAX_PLAYED);
  },

  /** Keep what ``view`` shows was played and starred; ``old`` is the page's last view
   * (a star it had that ``view`` lacks was taken back). Only while remembering is on. */
  record(view: View, old: View | null): void {
    if (view.card) {
      recent.set(view.card.id, view.card.text);
      if (recent.size > 8) recent.delete(recent.keys().next().value as string);
    }
    const data = read();
    // A couple's own deck ("~own") lives with its room only: nothing of it is remembered.
    if (!data?.on || !view.played || view.deck.version === undefined || view.deck.id.startsWith("~")) return;
    const m = entry(data, view.deck.id, view.deck.version, view.deck.title);
    const before = JSON.stringify(m);
    m.completed = merged(m.completed, view.played.completed, MAX_PLAYED);
    m.skipped = merged(m.skipped.filter((id) => !m.completed.includes(id)),
      view.played.skipped.filter((id) => !m.completed.includes(id)), MAX_PLAYED);
    const sameRoom = old !== null && old.room === view.room && old.deck.id === view.deck.id;
    const dropped = sameRoom ? old.stars.filter((id) => !view.stars.includes(id)) : [];
    const starred = m.starred.filter((s) => !dropped.includes(s.id));
    for (const id of view.stars) {
      const text = starText(view, id);
      const known = starred.find((s) => s.id === id);
      if (known) known.text ||= text;
      else if (ID.test(id)) starred.push({ id, text });
    }
    m.starred = starred.slice(-MAX_STARRED);
    if (JSON.stringify(m) !== before) write(data);
  },

  /** "Forget this device": everything remembered, and every resumable seat. */
  forgetAll(): void {
    try {
      localStorage.removeItem(KEY);
    } catch {
      // nothing stored
    }
    for (const room of seats.rooms()) seats.forget(room);
  },

  /** Starred cards as a small file: plain text to read, or JSON to import elsewhere. */
  exportStarred(kind: "text" | "json", heading: string): string {
    const decks = memory.decks().filter((d) => d.starred.length);
    if (kind === "json")
      return JSON.stringify({
        format: EXPORT_FORMAT,
        v: 1,
        decks: decks.map((d) => ({ deck: d.deck, version: d.version, title: d.title, starred: d.starred })),
      }, null, 2) + "\n";
    const parts = [heading, ""];
    for (const d of decks) {
      parts.push(`${d.title || d.deck} (${d.version})`);
      for (const s of d.starred) parts.push(`• ${s.text || s.id}`);
      parts.push("");
    }
    return parts.join("\n");
  },

  /** Adds the starred cards of an exported JSON file; the number added, or null when the
   * file is not one. Importing is saying "remember on this device": it turns memory on. */
  importStarred(raw: string): number | null {
    let file: unknown;
    try {
      file = JSON.parse(raw);
    } catch {
      return null;
    }
    const decks = parseExport(file);
    if (!decks) return null;
    const data: Stored = { v: 1, decks: {}, ...read(), on: true };
    let added = 0;
    for (const d of decks) {
      const m = entry(data, d.deck, d.version, d.title);
      for (const s of d.starred)
        if (!m.starred.some((x) => x.id === s.id)) {
          m.starred.push(s);
          added += 1;
        }
      m.starred = m.starred.slice(-MAX_STARRED);
    }
    write(data);
    return added;
  },
};

function starText(view: View, id: string): string {
  if (view.card?.id === id) return view.card.text;
  if (view.revealed?.card.id === id) return view.revealed.card.text;
  return view.summary?.starred.find((s) => s.id === id)?.text ?? recent.get(id) ?? "";
}

/** The decks of an export, checked field by field (a file is only ever read as data). */
function parseExport(file: unknown): DeckMemory[] | null {
  if (!isObj(file) || file.format !== EXPORT_FORMAT || !Array.isArray(file.decks)) return null;
  if (file.decks.length > MAX_DECKS) return null;
  const out: DeckMemory[] = [];
  for (const d of file.decks) {
    if (!isObj(d) || !str(d.deck) || !ID.test(d.deck) || !str(d.version) || d.version.length > 64) return null;
    if (!Array.isArray(d.starred) || d.starred.length > MAX_STARRED) return null;
    const starred: Starred[] = [];
    for (const s of d.starred) {
      if (!isObj(s) || !str(s.id) || !ID.test(s.id)) return null;
      const text = str(s.text) ? s.text.slice(0, MAX_TEXT) : "";
      starred.push({ id: s.id, text });
    }
    const title = str(d.title) ? d.title.slice(0, 80) : "";
    out.push({ deck: d.deck, version: d.version, title, completed: [], skipped: [], starred });
  }
  return out;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const str = (x: unknown): x is string => typeof x === "string";
