// Words for every code the party socket and its endpoints can answer (docs/party.md), so
// no page ever shows a raw code. Each says what happened and, where there is one, the
// way forward. English and German, as the couple pages; the codes the couple pages
// already have words for (the store's, the server's) take theirs (src/i18n.ts).

import { errorText, type Lang } from "../i18n";

const WORDS: Record<string, string> = {
  "party/not_host": "Only the host can do that.",
  "party/not_guest": "Only a guest can do that.",
  "party/locked": "This party is not taking new guests right now. Ask the host to open the door, then try again.",
  "party/full": "This party is full. Ask the host whether a place comes free.",
  "party/ended": "This party has ended.",
  "party/unknown_guest": "That guest is no longer at the party.",
  "party/unknown_pair_code": "That pair code does not match anyone waiting. Check it with your partner.",
  "party/already_paired": "Already at a table.",
  "party/same_guest": "That is your own code: your partner enters it on their phone.",
  "party/mixer_host_pairs": "The host is pairing guests tonight: you will be paired soon.",
  "party/nobody_to_pair": "Nobody is waiting to be paired yet.",
  "party/round_running": "A round is running: this can wait until it ends.",
  "party/rounds_off": "Turn timed rounds on first.",
  "party/bad_cap": "That level is not in this deck.",
  "party/bad_value": "A round lasts from 10 seconds to 3 hours.",
  "party/not_paused": "The tables are not paused.",
  "party/already_paused": "The tables are already paused.",
  "party/is_host": "You hold the host role: hand it to someone else before you leave.",
  "party/nothing_due": "Nothing is due yet.",
  "party/no_table": "You are not at a table right now.",
  "party/removed": "The host has removed you from this party.",
  "party/left": "You left this party.",
  "join/failed": "We could not find this party, or this link no longer works. Check the code with the host.",
  "limit/rate_limited": "Too many tries in a short time. Wait a minute, then try again.",
  "room/gone": "This party no longer exists.",
  "lobby/unknown_deck": "That deck is not available here.",
  "deck/invalid": "The deck file has problems.",
  "deck/too_large": "The deck file is too large (at most 1 MiB).",
  "net/closed": "Not connected right now: reconnecting, then try again.",
  "net/timeout": "No answer from the server: reconnecting, then try again.",
};


// The same in German (tests/server/test_party_words.py keeps both complete).
const WORDS_DE: Record<string, string> = {
  "party/not_host": "Das kann nur der Gastgeber.",
  "party/not_guest": "Das können nur Gäste.",
  "party/locked": "Diese Party nimmt gerade keine neuen Gäste auf. Bitte den Gastgeber, die Tür zu öffnen, und versuch es dann noch einmal.",
  "party/full": "Diese Party ist voll. Frag den Gastgeber, ob ein Platz frei wird.",
  "party/ended": "Diese Party ist zu Ende.",
  "party/unknown_guest": "Dieser Gast ist nicht mehr auf der Party.",
  "party/unknown_pair_code": "Zu diesem Paar-Code wartet niemand. Prüft ihn gemeinsam.",
  "party/already_paired": "Schon an einem Tisch.",
  "party/same_guest": "Das ist dein eigener Code: dein Gegenüber gibt ihn auf seinem Handy ein.",
  "party/mixer_host_pairs": "Heute bildet der Gastgeber die Paare: du wirst gleich zugeteilt.",
  "party/nobody_to_pair": "Noch wartet niemand darauf, zugeteilt zu werden.",
  "party/round_running": "Gerade läuft eine Runde: das geht, wenn sie vorbei ist.",
  "party/rounds_off": "Schalte zuerst die Runden mit Zeit ein.",
  "party/bad_cap": "Diese Stufe gibt es in diesem Deck nicht.",
  "party/bad_value": "Eine Runde dauert 10 Sekunden bis 3 Stunden.",
  "party/not_paused": "Die Tische sind nicht angehalten.",
  "party/already_paused": "Die Tische sind schon angehalten.",
  "party/is_host": "Du bist der Gastgeber: gib die Rolle erst jemand anderem, bevor du gehst.",
  "party/nothing_due": "Noch ist nichts fällig.",
  "party/no_table": "Du sitzt gerade an keinem Tisch.",
  "party/removed": "Der Gastgeber hat dich von dieser Party genommen.",
  "party/left": "Du hast diese Party verlassen.",
  "join/failed": "Wir finden diese Party nicht, oder dieser Link gilt nicht mehr. Prüf den Code mit dem Gastgeber.",
  "limit/rate_limited": "Zu viele Versuche in kurzer Zeit. Warte eine Minute und versuch es dann noch einmal.",
  "room/gone": "Diese Party gibt es nicht mehr.",
  "lobby/unknown_deck": "Dieses Deck gibt es hier nicht.",
  "deck/invalid": "Die Deck-Datei hat Fehler.",
  "deck/too_large": "Die Deck-Datei ist zu groß (höchstens 1 MiB).",
  "net/closed": "Gerade nicht verbunden: wir verbinden neu, dann bitte noch einmal.",
  "net/timeout": "Keine Antwort vom Server: wir verbinden neu, dann bitte noch einmal.",
};

// The same codes said to a host, where the guest's words would not fit.
const TO_HOST: Record<string, string> = {
  "party/same_guest": "Choose two different guests.",
  "party/already_paired": "One of them is already at a table.",
  "party/is_host": "This guest holds the host role: hand it to someone else first.",
  "party/nobody_to_pair": "At least two guests must be waiting to be paired.",
};

const TO_HOST_DE: Record<string, string> = {
  "party/same_guest": "Wähle zwei verschiedene Gäste.",
  "party/already_paired": "Eine der beiden Personen sitzt schon an einem Tisch.",
  "party/is_host": "Dieser Gast ist Gastgeber: gib die Rolle zuerst jemand anderem.",
  "party/nobody_to_pair": "Mindestens zwei Gäste müssen warten, damit du sie zuteilen kannst.",
};

const FALLBACK = { en: "Something went wrong. Please try again, or reload the page.",
  de: "Etwas ist schiefgegangen. Bitte noch einmal versuchen oder die Seite neu laden." };

export function partyWords(code: string | undefined, toHost = false, lang: Lang = "en"): string {
  const [words, host] = lang === "de" ? [WORDS_DE, TO_HOST_DE] : [WORDS, TO_HOST];
  if (code && toHost && host[code]) return host[code];
  if (code && words[code]) return words[code];
  return errorText(lang, code ?? "", FALLBACK[lang]); // the server's own codes: the couple pages' words
}

/** A reply's words: the known code's, never the server's raw message. */
export function replyWords(reply: Record<string, unknown>, toHost = false, lang: Lang = "en"): string {
  return reply.t === "error" ? partyWords(String(reply.code ?? ""), toHost, lang) : "";
}
