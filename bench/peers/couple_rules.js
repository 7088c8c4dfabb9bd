// The couple game's rules for the Colyseus game peer, mirroring Closeknit's engine
// (game/legality.py's table, game/effects.py, game/dealing.py) for the moves a couple
// plays through a game: ready, draw, answer, pass, skip, done_speaking, reflect, felt_heard, try_again, write_reveal, going deeper (propose,
// accept, decline), end with the closing card, skip_closing, play_again. Left out:
// boundaries, stars, reactions, pausing, stepping back, languages, light mode.
//
// Legality is the same as Closeknit's: one row per move saying in which phases who may
// make it (anyone, the speaker, the listener, the drawer) and which code answers it
// elsewhere, then the move's checks. A refused move changes nothing; an accepted one
// bumps the version by one.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const A = "anyone";
const S = "speaker";
const L = "listener";
const D = "drawer";
const IN_PLAY = ["between", "shown", "speaking", "reflecting", "confirming", "writing"];
const CLOSABLE = ["shown", "speaking", "reflecting", "confirming"];
const at = (phases, who = A) => Object.fromEntries(phases.map((phase) => [phase, who]));
const ON_TABLE = "card/not_on_table";

// move -> where (phase -> who may) and the code outside those phases in a started game.
const TABLE = {
  ready: { phases: at(["lobby"]), elsewhere: "lobby/not_in_lobby" },
  draw: { phases: at(["between"], D) },
  answer: { phases: at(["shown"], S), elsewhere: ON_TABLE },
  pass: { phases: { ...at(["shown", "speaking"], S), ...at(["writing"]) }, elsewhere: ON_TABLE },
  skip: { phases: at(["shown"]), elsewhere: ON_TABLE },
  done_speaking: { phases: at(["speaking"], S), elsewhere: ON_TABLE },
  reflect: { phases: at(["reflecting"], L), elsewhere: ON_TABLE },
  felt_heard: { phases: at(["confirming"], S), elsewhere: ON_TABLE },
  try_again: { phases: at(["confirming"], S), elsewhere: ON_TABLE },
  write_reveal: { phases: at(["writing"]), elsewhere: ON_TABLE },
  propose_deeper: { phases: at(["between"]), elsewhere: "level/needs_consent" },
  accept_deeper: { phases: at(["between"]), elsewhere: "level/no_proposal" },
  decline_deeper: { phases: at(["between"]), elsewhere: "level/no_proposal" },
  end: { phases: at(IN_PLAY) },
  skip_closing: { phases: at(CLOSABLE), elsewhere: ON_TABLE },
  play_again: { phases: at(["ended"]), elsewhere: "game/not_ended" },
};
const MOVES = Object.keys(TABLE).sort();
// Each phase's moves, sorted: the order a seat's legal list is sent in.
const IN_PHASE = Object.fromEntries(
  ["lobby", ...IN_PLAY, "ended"].map((phase) => [phase, MOVES.filter((m) => phase in TABLE[m].phases)]),
);
const MAX_TEXT = 2000; // Closeknit's limit on typed text
const BAND_WIDTH = 2; // intensities 1-2 are a level's first band, dealt first

// A shipped deck, in one language, read once at start-up.
function loadDeck(file, language = "en") {
  const data = JSON.parse(fs.readFileSync(file, "utf8"));
  const say = (text) => (text && (text[language] || text[data.default_language])) || "";
  const levels = data.levels.map((level) => ({
    id: level.id, name: say(level.name), description: say(level.description),
    minCards: level.min_cards || 0,
  }));  // prettier-ignore
  const index = new Map(levels.map((level, i) => [level.id, i]));
  const card = (c) => ({
    id: c.id, text: say(c.text), kind: c.kind, mode: c.mode,
    level: c.kind === "closing" ? -1 : index.get(c.level),
    band: Math.floor(((c.intensity || 1) - 1) / BAND_WIDTH),
    followUps: (c.follow_ups || []).map(say),
  });  // prettier-ignore
  const cards = data.cards.filter((c) => c.kind !== "closing").map(card);
  const closing = data.cards.filter((c) => c.kind === "closing").map(card)[0] || null;
  const byLevel = levels.map((_, i) => cards.filter((c) => c.level === i));
  return { id: data.id, title: say(data.title), description: say(data.description),
           levels, byLevel, closing, byId: new Map([...cards, ...(closing ? [closing] : [])]
             .map((c) => [c.id, c])) };  // prettier-ignore
}

const DEFAULT_DECK = path.resolve(__dirname, "..", "..", "decks", "builtin", "closer.json");

// A small seeded generator (mulberry32): dealing from the room's seed, never Math.random.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The game's rule state that no client needs: kept on the server only.
class Rules {
  constructor(deck, seed) {
    this.deck = deck;
    this.random = rng(seed);
    this.phase = "lobby";
    this.ready = [false, false];
    this.joined = [false, false];
    this.gameNo = 0;
    this.completedInRoom = new Set();
    this.start();
    this.phase = "lobby";
  }

  start() {
    this.phase = "between";
    this.nextSpeaker = this.gameNo % 2;
    this.level = 0;
    this.proposal = null;
    this.declinedBy = null;
    this.declinedAt = 0;
    this.turn = null;
    this.revealed = null;
    this.dealt = new Set();
    this.completed = [];
    this.closingOffered = false;
    this.notice = null;
  }

  speaker() {
    if (!this.turn) return this.nextSpeaker;
    return this.turn.half === 0 ? this.turn.opener : 1 - this.turn.opener;
  }

  card() {
    return this.turn ? this.deck.byId.get(this.turn.cardId) : null;
  }

  // Why `seat` may not make `move` now (a Closeknit error code), or null.
  refusal(seat, move, message) {
    const who = TABLE[move].phases[this.phase];
    if (who === undefined) return this.elsewhere(TABLE[move]);
    if (who === D && seat !== this.nextSpeaker) return "turn/not_yours";
    if (who === S && seat !== this.speaker()) return "turn/not_yours";
    if (who === L && seat === this.speaker()) return "turn/listener_only";
    const guard = GUARDS[move];
    return guard ? guard(this, seat, message) : null;
  }

  elsewhere(row) {
    if (this.phase === "lobby") return "game/not_started";
    if (this.phase === "ended") return "game/ended";
    const code = row.elsewhere || "turn/wrong_phase";
    // The card is there, only the step is wrong.
    return code === ON_TABLE && this.turn ? "turn/wrong_phase" : code;
  }

  legal(seat) {
    return IN_PHASE[this.phase].filter((move) => this.refusal(seat, move, null) === null);
  }

  apply(seat, move, message) {
    EFFECTS[move](this, seat, message || {});
  }

  dealable(level) {
    return this.deck.byLevel[level].filter((c) => !this.dealt.has(c.id) && !this.completedInRoom.has(c.id));
  }

  exhausted() {
    return this.dealable(this.level).length === 0;
  }

  completedPerLevel() {
    const counts = this.deck.levels.map(() => 0);
    for (const id of this.completed) {
      const level = this.deck.byId.get(id).level;
      if (level >= 0) counts[level] += 1;
    }
    return counts;
  }

  // The card leaves the table; the partner of its opener draws next.
  finish(completed, notice) {
    const turn = this.turn;
    if (turn.closing) return this.end();
    if (completed) {
      this.completed.push(turn.cardId);
      this.completedInRoom.add(turn.cardId);
    }
    this.phase = "between";
    this.turn = null;
    this.nextSpeaker = 1 - turn.opener;
    this.notice = notice;
  }

  nextHalf(notice) {
    Object.assign(this.turn, { half: 1, spoken: null, reflection: null });
    this.phase = "speaking";
    this.notice = notice;
  }

  halfCompleted() {
    this.turn.halvesDone += 1;
    if (this.card().mode === "both" && this.turn.half === 0) this.nextHalf(null);
    else this.finish(true, null);
  }

  end() {
    this.phase = "ended";
    this.turn = null;
    this.proposal = null;
    this.notice = null;
  }
}

function text(message) {
  return message && typeof message.text === "string" ? message.text : null;
}

const GUARDS = {
  ready: (r, seat) => (r.ready[seat] ? "lobby/already_ready" : null),
  draw: (r) => (r.proposal ? "level/needs_consent" : r.exhausted() ? "card/none_left" : null),
  skip: (r) => (r.turn && r.turn.closing ? "card/not_on_table" : null),
  skip_closing: (r) => (r.turn && r.turn.closing ? null : "card/not_on_table"),
  propose_deeper: (r, seat) => {
    if (r.proposal) return "level/already_proposed";
    if (r.level + 1 >= r.deck.levels.length) return "level/no_deeper";
    if (r.declinedBy === seat && r.completed.length <= r.declinedAt) return "level/wait_after_decline";
    const minimum = r.deck.levels[r.level].minCards;
    if (r.completedPerLevel()[r.level] < minimum && !r.exhausted()) return "level/too_soon";
    return null;
  },
  accept_deeper: (r, seat) => {
    if (!r.proposal) return "level/no_proposal";
    return r.proposal.by === seat ? "level/own_proposal" : null;
  },
  // Typed text is optional when speaking and reflecting, required on a reveal card.
  done_speaking: (r, seat, m) => (m && m.text !== undefined && m.text !== null ? textRefusal(m.text) : null),
  reflect: (r, seat, m) => (m && m.text !== undefined && m.text !== null ? textRefusal(m.text) : null),
  write_reveal: (r, seat, m) => (m ? textRefusal(m.text) : null),
};
GUARDS.decline_deeper = GUARDS.accept_deeper;

function textRefusal(value) {
  if (typeof value !== "string") return "text/invalid";
  return value.length > MAX_TEXT ? "text/too_long" : null;
}

const EFFECTS = {
  ready(r, seat) {
    r.ready[seat] = true;
    if (r.ready[0] && r.ready[1] && r.joined[0] && r.joined[1]) r.start();
  },
  draw(r, seat) {
    const cards = r.dealable(r.level);
    const lightest = Math.min(...cards.map((c) => c.band));
    const band = cards.filter((c) => c.band === lightest);
    const card = band[Math.floor(r.random() * band.length)];
    r.dealt.add(card.id);
    r.turn = { cardId: card.id, opener: seat, half: 0, halvesDone: 0, spoken: null, reflection: null,
               drafts: [null, null], submitted: [false, false], closing: false };  // prettier-ignore
    r.phase = "shown";
    r.revealed = null;
    r.notice = null;
  },
  answer(r) {
    r.phase = r.card().mode === "reveal" ? "writing" : "speaking";
    r.notice = null;
  },
  pass(r) {
    if (r.phase === "writing") return r.finish(false, "reveal_passed");
    if (r.card().mode === "both" && r.turn.half === 0) return r.nextHalf("passed");
    return r.finish(r.turn.halvesDone > 0, "passed");
  },
  skip(r) {
    r.nextSpeaker = r.turn.opener;
    r.turn = null;
    r.phase = "between";
    r.notice = "skipped";
  },
  done_speaking(r, seat, m) {
    r.turn.spoken = text(m);
    r.phase = "reflecting";
  },
  reflect(r, seat, m) {
    r.turn.reflection = text(m);
    r.phase = "confirming";
  },
  felt_heard(r) {
    r.halfCompleted();
  },
  try_again(r) {
    r.turn.reflection = null;
    r.phase = "reflecting";
  },
  write_reveal(r, seat, m) {
    r.turn.drafts[seat] = m.text;
    r.turn.submitted[seat] = true;
    if (!r.turn.submitted.every(Boolean)) return;
    r.revealed = r.turn.drafts.map((d) => d || "");
    r.finish(true, null);
  },
  propose_deeper(r, seat) {
    r.proposal = { by: seat, to: r.level + 1 };
    r.notice = null;
  },
  accept_deeper(r) {
    r.level = r.proposal.to;
    r.proposal = null;
    r.declinedBy = null;
    r.notice = "level_raised";
  },
  decline_deeper(r) {
    r.declinedBy = r.proposal.by;
    r.declinedAt = r.completed.length;
    r.proposal = null;
    r.notice = "staying";
  },
  end(r) {
    const closing = r.deck.closing;
    if (!closing || r.closingOffered || (r.turn && r.turn.closing)) return r.end();
    r.turn = { cardId: closing.id, opener: r.nextSpeaker, half: 0, halvesDone: 0, spoken: null,
               reflection: null, drafts: [null, null], submitted: [false, false], closing: true };  // prettier-ignore
    r.phase = "shown";
    r.closingOffered = true;
    r.proposal = null;
    r.revealed = null;
    r.notice = null;
  },
  skip_closing(r) {
    r.end();
  },
  play_again(r) {
    r.gameNo += 1;
    r.start();
  },
};

module.exports = { Rules, TABLE, MOVES, loadDeck, DEFAULT_DECK };
