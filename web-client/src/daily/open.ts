// Sealing and opening a daily space's answers (issue 22): the field is "daily", so a
// daily answer can never be replayed as a live answer of the same card in the live room
// made from it ("talk about it tonight" shares the space's key). Opened texts are kept
// in page memory by envelope, so a new view opens only what is new.

import { isSealed, open, seal } from "../seal";
import { roomKeys } from "../state";
import type { DailyView } from "../types";

/** What a text that does not open here becomes (the screen says "can't be opened"). */
export const UNREADABLE = "\u0000unreadable";

const opened = new Map<string, string>(); // "seat|card|envelope" -> the text

export async function sealAnswer(v: DailyView, key: string, card: string, text: string): Promise<string> {
  const sealed = await seal(key, { room: v.room, seat: v.you, card, field: "daily" }, text);
  opened.set(`${v.you}|${card}|${sealed}`, text); // our own words: no need to open them again
  return sealed;
}

async function one(v: DailyView, key: string | null, text: string | null, seat: number, card: string): Promise<string | null> {
  if (text === null || !isSealed(text)) return text;
  const id = `${seat}|${card}|${text}`;
  let got = opened.get(id);
  if (got === undefined) {
    got = (key ? await open(key, { room: v.room, seat, card, field: "daily" }, text).catch(() => null) : null) ?? UNREADABLE;
    if (got !== UNREADABLE) opened.set(id, got);
  }
  return got;
}

/** Opens the view's own answer and every revealed answer in place. */
export async function openDaily(v: DailyView): Promise<void> {
  const key = roomKeys.get(v.room);
  if (v.mine && v.card) v.mine.text = await one(v, key, v.mine.text, v.you, v.card.id);
  for (const d of v.history)
    for (const a of d.answers) a.text = await one(v, key, a.text, a.seat, d.card.id);
}
