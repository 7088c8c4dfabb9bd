// The page's state: what the server last said (the view), the connection, and what only
// this page knows (drafts, pending actions, the invite link). Drafts live in page memory
// and in this tab's sessionStorage (platform/drafts.ts), so a reconnect or a reload keeps
// them; nothing typed reaches localStorage or the server before it is sent.

import type { Lang } from "./i18n";
import type { Status, Stop } from "./net";
import type { DailyView, DeckInfo, DeckListing, ServerFacts, View } from "./types";

export type Route = "start" | "name" | "knocking" | "room" | "stopped";

export interface Knock {
  request: string;
  name: string;
  /** The room key wrapped for this knocker, and the safety code (issue 20). */
  key?: string;
  code?: string;
}

export interface State {
  route: Route;
  lang: Lang;
  room: string | null;
  invite: { room: string; secret: string } | null;
  inviteUrl: string | null;
  prefillCode: string;
  /** The name typed for a knock, kept for another try. */
  prefillName: string;
  /** A knock unanswered for a while: the knocking screen says what may be wrong. */
  knockSlow: boolean;
  view: View | null;
  status: Status;
  everOpen: boolean;
  stop: Stop | null;
  partnerOnline: boolean | null;
  partnerBackUntil: number;
  partnerTyping: boolean;
  pending: Set<string>;
  error: string | null;
  knocks: Knock[];
  focusKnock: boolean;
  showInvite: boolean;
  copied: boolean;
  decks: DeckListing[];
  /** The room's deck part of the view (protocol 1.1 sends it apart, once). */
  deck: DeckInfo | null;
  drafts: Map<string, string>;
  avoidTopic: boolean;
  busy: boolean;
  announce: string;
  /** The open sheet ("menu", "boundaries") or null; its opener gets the focus back. */
  sheet: string | null;
  sheetOpener: string | null;
  /** The revealed card whose "talk about it" moment this page has closed. */
  talked: string | null;
  /** The room's typed texts travel sealed (the server's welcome says so; issue 20). */
  sealed: boolean;
  /** The safety code of an admission by typed code, shown in the lobby on both phones. */
  safety: string | null;
  /** A daily space's view (issue 22; the live one stays in `view`). */
  daily?: DailyView | null;
  /** GET /api/server, once fetched (the start screen asks). */
  server?: ServerFacts | null;
}

export function initialState(lang: Lang): State {
  return {
    route: "start",
    lang,
    room: null,
    invite: null,
    inviteUrl: null,
    prefillCode: "",
    prefillName: "",
    knockSlow: false,
    view: null,
    status: "closed",
    everOpen: false,
    stop: null,
    partnerOnline: null,
    partnerBackUntil: 0,
    partnerTyping: false,
    pending: new Set(),
    error: null,
    knocks: [],
    focusKnock: false,
    showInvite: false,
    copied: false,
    decks: [],
    deck: null,
    drafts: new Map(),
    avoidTopic: false,
    busy: false,
    announce: "",
    sheet: null,
    sheetOpener: null,
    talked: null,
    sealed: false,
    safety: null,
  };
}

// Only the seat token and the room key are kept in browser storage, keyed by room code.
const KEY = "closeknit:seat:";
const ROOM_KEY = "closeknit:key:";
const keptKeys = new Map<string, string>(); // when storage is unavailable: this page only

const KX = "closeknit:kx:";
const keptPairs = new Map<string, TablePair>();

/** A party guest's X25519 pair for one table, and the partner's public key once it
 * came (issue 20): kept beside the seat, so a reload shows the same safety code. */
export interface TablePair {
  priv: string;
  pub: string;
  theirs?: string;
}

export const tablePairs = {
  get(room: string): TablePair | null {
    try {
      const raw = localStorage.getItem(KX + room);
      if (raw) return JSON.parse(raw) as TablePair;
    } catch {
      // no storage, or not ours
    }
    return keptPairs.get(room) ?? null;
  },
  set(room: string, pair: TablePair): void {
    keptPairs.set(room, pair);
    try {
      localStorage.setItem(KX + room, JSON.stringify(pair));
    } catch {
      // Private mode without storage: kept in this page until a reload.
    }
  },
  forget(room: string): void {
    keptPairs.delete(room);
    try {
      localStorage.removeItem(KX + room);
    } catch {
      // nothing stored
    }
  },
};

/** The room key (issue 20): made by the creator's browser, carried by the invite link's
 * fragment, kept beside the seat token. The server never sees it. */
export const roomKeys = {
  get(room: string): string | null {
    try {
      return localStorage.getItem(ROOM_KEY + room) ?? keptKeys.get(room) ?? null;
    } catch {
      return keptKeys.get(room) ?? null;
    }
  },
  set(room: string, key: string): void {
    keptKeys.set(room, key);
    try {
      localStorage.setItem(ROOM_KEY + room, key);
    } catch {
      // Private mode without storage: kept in this page until a reload.
    }
  },
  forget(room: string): void {
    keptKeys.delete(room);
    try {
      localStorage.removeItem(ROOM_KEY + room);
    } catch {
      // nothing stored
    }
  },
};

export const seats = {
  get(room: string): string | null {
    try {
      return localStorage.getItem(KEY + room);
    } catch {
      return null;
    }
  },
  set(room: string, token: string): void {
    try {
      localStorage.setItem(KEY + room, token);
    } catch {
      // Private mode without storage: the game still works until a reload.
    }
  },
  rooms(): string[] {
    try {
      return Object.keys(localStorage).filter((k) => k.startsWith(KEY)).map((k) => k.slice(KEY.length));
    } catch {
      return [];
    }
  },
  forget(room: string): void {
    roomKeys.forget(room);
    tablePairs.forget(room);
    try {
      localStorage.removeItem(KEY + room);
      localStorage.removeItem(SECOND + room); // a one-phone page's second seat goes with it
    } catch {
      // nothing stored
    }
  },
};

/** One phone (issue 21): the token of the second seat a one-phone page holds, apart from
 * the page's own seat (so the start screen's list of rooms names each room once). */
const SECOND = "closeknit:second:";
export const secondSeats = {
  get(room: string): string | null {
    try {
      return localStorage.getItem(SECOND + room);
    } catch {
      return null;
    }
  },
  set(room: string, token: string): void {
    try {
      localStorage.setItem(SECOND + room, token);
    } catch {
      // Private mode without storage: one phone works until a reload.
    }
  },
  forget(room: string): void {
    try {
      localStorage.removeItem(SECOND + room);
    } catch {
      // nothing stored
    }
  },
};
