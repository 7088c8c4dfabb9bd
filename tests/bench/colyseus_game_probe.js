// Plays the start of one game on the Colyseus game peer through colyseus.js and prints
// what each seat saw, as one JSON line, for tests/bench/test_colyseus_game.py to judge:
// refusals of moves out of phase and out of turn, and which private fields each seat's
// decoded state holds.
//
//   node tests/bench/colyseus_game_probe.js ws://127.0.0.1:PORT
"use strict";

const path = require("node:path");

const { Client } = require(path.resolve(__dirname, "../../bench/loadgen/node_modules/colyseus.js"));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits for what the peer must send, rather than for a fixed time: a loaded machine
// may take long, and a move sent before the last one's refusal arrived could race it.
async function waitFor(predicate, what) {
  const deadline = Date.now() + 10000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function seen(room) {
  const state = room.state;
  const seat = (s) => ({
    name: s.name, ready: s.ready, submitted: s.submitted, draft: s.draft === undefined ? null : s.draft,
    legal: s.legal === undefined ? null : Array.from(s.legal),
    followUps: s.followUps === undefined ? null : Array.from(s.followUps),
  });  // prettier-ignore
  return {
    version: state.version, phase: state.phase, speaker: state.speaker,
    card: state.card ? { id: state.card.id, text: state.card.text, mode: state.card.mode } : null,
    spoken: state.spoken, reflection: state.reflection, revealed: Array.from(state.revealed),
    deck: state.deck.title, seats: Array.from(state.seats).map(seat),
  };  // prettier-ignore
}

async function main() {
  const url = process.argv[2];
  const seats = [await new Client(url).create("couple", { name: "Ana" })];
  seats.push(await new Client(url).joinById(seats[0].roomId, { name: "Bo" }));
  const refusals = [];
  seats.forEach((room, index) => room.onMessage("error", (m) => refusals.push({ seat: index, ...m })));
  const log = [];
  const settle = async (label, version) => {
    await waitFor(() => seats.every((room) => room.state.version >= version), label);
    log.push({ label, views: seats.map(seen) });
  };
  const refused = (count) => waitFor(() => refusals.length >= count, `refusal ${count}`);
  const send = (seat, move, fields) => seats[seat].send(move, fields || {});
  const joined = (room) => room.state && room.state.seats && room.state.seats.length === 2 &&
    Array.from(room.state.seats).every((s) => s.joined);  // prettier-ignore
  await waitFor(() => seats.every(joined), "joined"); // the first state may come after join
  await settle("joined", 0);
  send(1, "draw");
  await refused(1);
  send(0, "ready");
  await settle("one_ready", 1);
  send(1, "ready");
  await settle("ready", 2);
  // Outside their phases, each move's own code (game/legality.py's "elsewhere").
  const outside = [[0, "ready"], [0, "answer"], [0, "play_again"], [1, "draw"]];
  for (const [seat, move] of outside) {
    send(seat, move); // the last: seat 0 draws first in the first game
    await refused(refusals.length + 1);
  }
  send(0, "draw");
  await settle("drawn", 3);
  send(0, "felt_heard"); // a card is on the table, but not at this step
  await refused(refusals.length + 1);
  send(1, "answer"); // the speaker answers
  await refused(refusals.length + 1);
  send(0, "answer");
  await settle("answered", 4);
  if (seats[0].state.phase === "writing") {
    send(0, "write_reveal", { text: "Ana's secret" });
    await settle("one_wrote", 5);
    send(1, "write_reveal", { text: "Bo's secret" });
    await settle("both_wrote", 6);
  } else {
    send(0, "done_speaking", { text: "What Ana said." });
    await settle("spoken", 5);
    send(0, "reflect"); // the listener reflects
    await refused(refusals.length + 1);
    send(1, "reflect", { text: "What Bo heard." });
    await settle("reflected", 6);
    send(0, "felt_heard");
    await settle("heard", 7);
  }
  process.stdout.write(JSON.stringify({ refusals, log }) + "\n");
  await Promise.all(seats.map((room) => room.leave(true)));
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
