// The Colyseus game peer: Closeknit's couple game written the way Colyseus 0.16's
// documentation builds a room. The state is a @colyseus/schema 3 schema
// (couple_state.js), each seat's private fields go through a StateView, the rules
// (couple_rules.js) mirror Closeknit's engine for a game's moves with their turn
// checks, cards are dealt from a shipped deck (decks/builtin/closer.json by default),
// and both clients get Colyseus's own delta patches. No store: rooms live in memory.
//
//   node bench/peers/colyseus_game.js --port 9300 [--deck decks/builtin/closer.json]
//
// Room name "couple"; a client sends one message per move, its type the move's name
// ("draw", "answer", "done_speaking" {text?}, "write_reveal" {text}, ...). A refused
// move is answered with an "error" message {move, code}; an accepted one by the patch.
"use strict";

const { parseArgs } = require("node:util");
const { Server, Room } = require("@colyseus/core");
const { WebSocketTransport } = require("@colyseus/ws-transport");
const { StateView } = require("@colyseus/schema");
const { CoupleState, Seat, Card, DeckInfo, Level, setStrings } = require("./couple_state");
const { Rules, MOVES, loadDeck, DEFAULT_DECK } = require("./couple_rules");

let DECK = null; // read once at start-up (main)
let SEED = 1;

class CoupleRoom extends Room {
  onCreate() {
    this.maxClients = 2;
    // A turn-based game: the patch leaves as soon as a move is applied (below) instead
    // of on the default 50 ms interval, which would add up to 50 ms to every move and
    // cap a room at 20 moves per second.
    this.patchRate = null;
    this.rules = new Rules(DECK, SEED++);
    this.setState(this.initialState());
    for (const move of MOVES) this.onMessage(move, (client, message) => this.move(client, move, message));
  }

  initialState() {
    const state = new CoupleState();
    const deck = new DeckInfo().assign({
      id: DECK.id, title: DECK.title, description: DECK.description, hasClosing: !!DECK.closing,
    });  // prettier-ignore
    for (const level of DECK.levels) {
      const { name, description, minCards } = level;
      deck.levels.push(new Level().assign({ name, description, minCards }));
    }
    state.assign({
      version: 0, phase: "lobby", speaker: 0, level: 0, proposalBy: -1, proposalTo: -1,
      total: 0, gameNo: 0, deck,
    });  // prettier-ignore
    for (const _ of DECK.levels) state.completed.push(0);
    state.seats.push(new Seat(), new Seat());
    return state;
  }

  onJoin(client, options) {
    const seat = this.state.seats.findIndex((s) => !s.joined);
    const name = options && typeof options.name === "string" ? options.name.slice(0, 40) : "";
    Object.assign(this.state.seats[seat], { sessionId: client.sessionId, name, joined: true });
    client.userData = { seat };
    // This client sees its own seat's private fields, and no one else's.
    client.view = new StateView();
    client.view.add(this.state.seats[seat]);
    this.rules.joined[seat] = true;
    this.publish();
  }

  onLeave(client) {
    // No reconnection or store in this peer: a seat that leaves is gone.
    const seat = client.userData && client.userData.seat;
    if (seat !== undefined) this.state.seats[seat].joined = false;
  }

  move(client, move, message) {
    const seat = client.userData.seat;
    const code = this.rules.refusal(seat, move, message);
    if (code !== null) {
      client.send("error", { move, code });
      return;
    }
    this.rules.apply(seat, move, message);
    this.state.version += 1;
    this.publish();
  }

  // Copies the rules' outcome into the synchronised state, then sends the patch: the
  // shared changes to both, each seat's private changes to that seat only.
  publish() {
    const r = this.rules;
    const state = this.state;
    state.phase = r.phase;
    state.speaker = r.speaker();
    state.level = r.level;
    state.gameNo = r.gameNo;
    state.notice = r.notice || "";
    state.proposalBy = r.proposal ? r.proposal.by : -1;
    state.proposalTo = r.proposal ? r.proposal.to : -1;
    state.exhausted = r.phase === "between" && r.exhausted();
    this.publishCard(r.turn, r.card());
    setStrings(state.revealed, r.revealed || []);
    const counts = r.completedPerLevel();
    counts.forEach((count, i) => {
      if (state.completed[i] !== count) state.completed[i] = count;
    });
    state.total = r.completed.length;
    state.seats.forEach((seat, index) => {
      seat.ready = r.ready[index];
      seat.submitted = !!(r.turn && r.phase === "writing" && r.turn.submitted[index]);
      seat.draft = (r.turn && r.turn.drafts[index]) || "";
      setStrings(seat.legal, r.legal(index));
      const listening = r.phase === "reflecting" && index !== r.speaker();
      setStrings(seat.followUps, listening ? r.card().followUps : []);
    });
    this.broadcastPatch();
  }

  publishCard(turn, card) {
    const state = this.state;
    state.spoken = (turn && turn.spoken) || "";
    state.reflection = (turn && turn.reflection) || "";
    if (!turn) {
      if (state.card !== undefined) state.card = undefined;
      return;
    }
    if (!state.card || state.card.id !== card.id) {
      state.card = Object.assign(new Card(), {
        id: card.id, text: card.text, kind: card.kind, mode: card.mode, level: card.level,
        half: 0, both: card.mode === "both", closing: turn.closing,
      });  // prettier-ignore
    }
    if (state.card.half !== turn.half) state.card.half = turn.half;
  }
}

function main() {
  const { values } = parseArgs({
    options: { port: { type: "string", default: "2567" }, deck: { type: "string", default: DEFAULT_DECK } },
  });
  DECK = loadDeck(values.deck);
  const server = new Server({
    transport: new WebSocketTransport({ perMessageDeflate: false, maxPayload: 16 * 1024 }),
    greet: false,
  });
  server.define("couple", CoupleRoom);
  server.listen(Number(values.port), "127.0.0.1").then(() => {
    const cards = DECK.byLevel.reduce((n, level) => n + level.length, 0);
    process.stdout.write(`colyseus game peer on 127.0.0.1:${values.port}, deck ${DECK.id} (${cards} cards)\n`);
  });
  // Colyseus installs its own SIGTERM/SIGINT handlers (graceful shutdown, then exit).
}

main();
