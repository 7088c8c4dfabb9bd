// Words for every code the party socket and its endpoints can answer (docs/party.md), so
// no page ever shows a raw code. Each says what happened and, where there is one, the
// way forward.

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
  "store/unavailable": "The server cannot reach its storage for a moment. Please try again.",
  "store/busy": "The party is busy for a moment. Please try again.",
  "store/full": "The server's storage is full, so nothing was saved. Please try again later.",
  "store/format": "The server is being updated. Please try again in a moment.",
  "server/internal": "Something went wrong on the server. Please try again.",
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

export function partyWords(code: string | undefined, toHost = false): string {
  if (code && toHost && TO_HOST[code]) return TO_HOST[code];
  if (code && WORDS[code]) return WORDS[code];
  return "Something went wrong. Please try again, or reload the page.";
}

/** A reply's words: the known code's, never the server's raw message. */
export function replyWords(reply: Record<string, unknown>, toHost = false): string {
  return reply.t === "error" ? partyWords(String(reply.code ?? ""), toHost) : "";
}
