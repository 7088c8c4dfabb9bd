// Words for every code the party socket and its endpoints can answer (docs/party.md), so
// no page ever shows a raw code. Each says what happened and, where there is one, the
// way forward. English inline, every other language a chunk (src/lang/<lang>-party.ts); the codes the couple pages
// already have words for (the store's, the server's) take theirs (src/i18n.ts).

import { addWords, errorText, keyed, word, type Lang } from "../i18n";

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


// The same codes said to a host, where the guest's words would not fit.
const TO_HOST: Record<string, string> = {
  "party/same_guest": "Choose two different guests.",
  "party/already_paired": "One of them is already at a table.",
  "party/is_host": "This guest holds the host role: hand it to someone else first.",
  "party/nobody_to_pair": "At least two guests must be waiting to be paired.",
};


// One table (src/i18n.ts addWords): a guest's words under "party:", a host's under
// "party-host:", so they never meet the couple pages' words for the same codes.
addWords("party", { ...keyed("party:", WORDS), ...keyed("party-host:", TO_HOST),
  "party:fallback": "Something went wrong. Please try again, or reload the page." },
{ de: () => import("../lang/de-party"), es: () => import("../lang/es-party") });

export function partyWords(code: string | undefined, toHost = false, lang: Lang = "en"): string {
  if (code && toHost && TO_HOST[code]) return word(lang, `party-host:${code}`) ?? TO_HOST[code];
  if (code && WORDS[code]) return word(lang, `party:${code}`) ?? WORDS[code];
  // the server's own codes: the couple pages' words
  return errorText(lang, code ?? "", word(lang, "party:fallback") ?? "");
}

/** A reply's words: the known code's, never the server's raw message. */
export function replyWords(reply: Record<string, unknown>, toHost = false, lang: Lang = "en"): string {
  return reply.t === "error" ? partyWords(String(reply.code ?? ""), toHost, lang) : "";
}
