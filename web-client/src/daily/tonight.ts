// "Let's talk about this tonight" (issue 22): a live room for a revealed card, its first
// card that one (settings.first_card), its key the daily space's own so the partner can
// read it. The space is told the live room and the invite SECRET only (never the invite
// URL, whose fragment would carry the key); the partner's page builds the link.

import { roomKeys, seats } from "../state";
import type { DailyDay, DailyView } from "../types";
import type { DCtx } from "./screen";

type Tonight = NonNullable<DailyDay["tonight"]>;

/** This device holds a seat in that live room (it made it, or joined already). */
export function tonightMine(room: string): boolean {
  return seats.get(room) !== null;
}

/** Opens the live room this device holds a seat in (a fresh page: its own socket). */
export function openTonight(room: string): void {
  history.replaceState(null, "", `#room=${encodeURIComponent(room)}`);
  location.reload();
}

/** The secret of an invite: the space carries it alone (older views: a whole link). */
function secretOf(invite: string): string {
  const join = invite.includes("#join=") ? invite.split("#join=")[1] : invite;
  const tail = join.includes(".") ? join.slice(join.indexOf(".") + 1) : join;
  return tail.split("&")[0];
}

/** The partner's Join: the invite link with the space's key, opened over this page. */
export function joinTonight(v: DailyView, tonight: Tonight): void {
  const key = roomKeys.get(v.room);
  const hash = `#join=${tonight.room}.${secretOf(tonight.invite)}${key ? `&key=${key}` : ""}`;
  location.href = new URL(hash, location.href).href;
  if (!key) location.reload(); // with a key, the page starts afresh by itself (app.ts)
}

export async function talkTonight(c: DCtx, d: DailyDay, key: string): Promise<void> {
  const { app, v, deck } = c;
  if (!deck || app.s.pending.has(key)) return;
  app.s.pending.add(key);
  app.render();
  let code = "";
  try {
    const settings = { name: v.seats[v.you]?.name ?? "", language: v.language, first_card: d.card.id };
    const res = await fetch("api/rooms", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ deck: deck.id, settings }),
    });
    const body = (await res.json()) as Record<string, string>;
    if (!res.ok) throw new Error(body.error ?? "");
    code = body.code;
    seats.set(code, body.token);
    const spaceKey = roomKeys.get(v.room);
    if (spaceKey) roomKeys.set(code, spaceKey);
    app.s.pending.delete(key);
    if (!(await app.send("talk_tonight", { day: d.day, room: code, invite: secretOf(body.invite_url) }, key))) return;
  } catch (e) {
    app.s.pending.delete(key);
    app.fail(app.errorWords(e instanceof Error ? e.message : ""));
    return;
  }
  openTonight(code);
}
