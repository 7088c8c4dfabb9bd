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

const onePhoneDe: Record<OneKey, string> = {
  one_title: "Ein Handy, nebeneinander",
  one_intro: "Ihr nutzt dieses Handy abwechselnd. Es sagt immer, wer gerade dran ist, und bittet euch, es weiterzureichen, wenn der nächste Schritt beim anderen liegt.",
  one_kept: "Was privat bleibt: Eure Grenzen und was ihr für eine Enthüllungskarte schreibt, werden hinter einem Bildschirm abgefragt, bei dem der andere wegschaut, und nach „Fertig“ nie wieder gezeigt. Die Zusammenfassung sagt nie, wer gepasst hat.",
  one_cannot: "Was ein geteiltes Handy nicht schützen kann: jemanden, der über die Schulter schaut, und dass der andere dieses Handy später benutzt. An einem Handy beruht Privatsphäre darauf, wegzuschauen, wenn ihr darum gebeten werdet.",
  one_partner_name: "Der Name deines Gegenübers",
  one_start: "An einem Handy beginnen",
  one_back: "Zurück",
  one_starting: "Beide Plätze werden eingerichtet…",
  one_pass_to: "Gib das Handy an {name}",
  one_its_yours: "Jetzt bist du dran, {name}.",
  one_take: "Ich bin {name}: weiter",
  one_look_away: "{other}, bitte schau jetzt weg.",
  one_private_boundaries: "{name} legt die eigenen Grenzen fest: Themen, die heute draußen bleiben. Nur {name} sieht sie.",
  one_private_reveal: "{name} schreibt allein eine Antwort. Sie bleibt verborgen, bis ihr beide geschrieben habt.",
  one_boundaries_title: "Grenzen von {name}",
  one_boundaries_hint: "Hake die Themen an, die draußen bleiben. Nach „Fertig“ ist dieser Bildschirm zu; nur der eigene Übergabe-Bildschirm von {name} öffnet ihn wieder.",
  one_done: "Fertig",
  one_change_boundaries: "{name}: meine Grenzen ändern",
  one_moment_ready: "{name} macht sich bereit",
  one_moment_draw: "{name} zieht die nächste Karte",
  one_moment_speak: "{speaker} spricht, {listener} hört zu",
  one_moment_reflect: "{listener} sagt, was angekommen ist, {speaker} hört zu",
  one_moment_confirm: "{speaker} sagt, ob es sich gehört anfühlt",
  one_moment_write: "{name} schreibt, {other} schaut weg",
  one_moment_talk: "{a} und {b} sprechen darüber",
  one_moment_deeper: "{name} antwortet: tiefer gehen?",
  one_moment_pause: "Eine Pause für euch beide",
  one_to_two: "{name} wechselt aufs eigene Handy",
  one_to_two_text: "{name} scannt das mit dem eigenen Handy (oder öffnet dort den Link). Das Spiel geht genau da weiter, wo es ist; dieses Handy behält den Platz von {other}.",
  one_to_one_text: "Dein Gegenüber scannt das mit seinem Handy (oder öffnet dort den Link): Sein Handy hat dann beide Plätze, und dieses hier verlässt den Raum. Das Spiel geht genau da weiter, wo es ist.",
  one_seat_link: "Link für das andere Handy",
  one_qr: "QR-Code des Links für das andere Handy",
  one_seat_secret: "Dieser Link ist ein Platz: Zeig ihn nur deinem Gegenüber.",
};

addWords({ en: onePhoneEn, de: onePhoneDe });

/** A one-phone word in the page's language. */
export function w(t: T, key: OneKey, params?: Record<string, string | number>): string {
  return t(key as never, params);
}
