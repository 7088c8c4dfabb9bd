// The one-phone page's words (issue 21, "One phone, side by side"), in English and
// German: loaded with the one-phone chunk only, added to the catalogue (src/i18n.ts).

import { addWords, type T } from "../i18n";

export const onePhoneEn = {
  one_title: "One phone, side by side",
  one_intro: "You take turns with this phone. It always says whose moment it is, and asks you to pass it over when the next step is the other’s.",
  one_kept: "What stays private: your boundaries and what you write for a reveal card are asked for behind a screen the other looks away from, and never shown again after “Done”. The summary never says who passed.",
  one_cannot: "What a shared phone cannot protect: someone looking over your shoulder, and the other using this phone later. On one phone, privacy rests on looking away when asked.",
  one_partner_name: "Your partner’s name",
  one_start: "Start on one phone",
  one_back: "Back",
  one_starting: "Setting up both seats…",
  one_pass_to: "Pass the phone to {name}",
  one_its_yours: "It’s your moment, {name}.",
  one_take: "I’m {name}: go on",
  one_look_away: "{other}, please look away now.",
  one_private_boundaries: "{name} marks their boundaries: topics to keep out tonight. Only {name} sees them.",
  one_private_reveal: "{name} writes an answer on their own. It stays hidden until you both have written.",
  one_boundaries_title: "{name}’s boundaries",
  one_boundaries_hint: "Tick the topics to keep out. After “Done” this screen is closed; only {name}’s own hand-over screen opens it again.",
  one_done: "Done",
  one_change_boundaries: "{name}: change my boundaries",
  one_moment_ready: "{name} gets ready",
  one_moment_draw: "{name} draws the next card",
  one_moment_speak: "{speaker} is speaking, {listener} is listening",
  one_moment_reflect: "{listener} says what they heard, {speaker} is listening",
  one_moment_confirm: "{speaker} says if they felt heard",
  one_moment_write: "{name} writes, {other} looks away",
  one_moment_talk: "{a} and {b} talk about it",
  one_moment_deeper: "{name} answers: go deeper?",
  one_moment_pause: "A break for you both",
  one_to_two: "{name} goes on their own phone",
  one_to_two_text: "{name} scans this with their own phone (or opens the link there). The game goes on just where it is; this phone keeps {other}’s seat.",
  one_to_one_text: "Your partner scans this with their phone (or opens the link there): that phone then holds both seats, and this one leaves the room. The game goes on just where it is.",
  one_seat_link: "Link for the other phone",
  one_qr: "QR code of the link for the other phone",
  one_seat_secret: "This link is a seat: show it only to your partner.",
};

type OneKey = keyof typeof onePhoneEn;


addWords("onephone", onePhoneEn, { de: () => import("../lang/de-onephone"), es: () => import("../lang/es-onephone") });

/** A one-phone word in the page's language. */
export function w(t: T, key: OneKey, params?: Record<string, string | number>): string {
  return t(key as never, params);
}
