// The Colyseus game peer (bench/peers/colyseus_game.js) driven through its own client
// library (colyseus.js 0.16, which decodes the schema patches into `room.state`): the
// creator makes a "couple" room, the partner joins it by id, both say ready, then each
// step is the next legal move chosen by the same policy as Closeknit's (policy.js) from
// what each seat holds: its legal moves (private to it), the version, and on a reveal
// card who has submitted. A move: from the actor's send to the partner's receipt of the
// patch that carries it. Colyseus has no acknowledgement: the actor's own patch is its
// reply, and a refusal comes back as an "error" message.
"use strict";

const { Client } = require("colyseus.js");
const { Step } = require("./step");
const { choose } = require("./policy");
const { wsBase } = require("./relay");

class ColyseusGameRoom {
  constructor(index, opts, stats) {
    this.index = index;
    this.opts = opts;
    this.stats = stats;
    this.busy = false;
    this.broken = false;
    this.pending = null;
    this.versions = [0, 0];
    this.lastActor = 1;
    this.waiters = [];
  }

  async open() {
    // One Colyseus process holds a room: both seats go to the first URL.
    const url = wsBase(this.opts.urls[0]);
    const first = await new Client(url).create("couple", { name: "Ana" });
    this.rooms = [first];
    this.listen(first, 0);
    const second = await new Client(url).joinById(first.roomId, { name: "Bo" });
    this.rooms.push(second);
    this.listen(second, 1);
    await this.until(() => this.rooms.every((room, seat) => seatOf(room) === seat && bothJoined(room)));
    // Both ready is part of opening a room: measured moves are game moves.
    for (const seat of [0, 1]) {
      const version = this.rooms[seat].state.version;
      this.rooms[seat].send("ready");
      await this.until(() => this.versions.every((v) => v > version));
    }
  }

  until(predicate) {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  listen(room, index) {
    room.onStateChange((state) => {
      if (state.version <= this.versions[index]) return this.wake();
      this.versions[index] = state.version;
      this.wake();
      const step = this.pending;
      if (!step || state.version <= step.before) return undefined;
      if (index === step.actor) {
        step.acked();
        step.actorSaw();
      } else step.partnerSaw();
      return undefined;
    });
    room.onMessage("error", (message) => {
      if (this.pending) this.pending.refused(message.code);
      else this.stats.error(message.code);
    });
    room.onLeave((code) => {
      if (this.closing) return;
      this.broken = true;
      this.stats.error(`close/${code}`);
      if (this.pending) this.pending.fail("closed");
    });
  }

  wake() {
    this.waiters = this.waiters.filter((w) => !(w.predicate() && (w.resolve(), true)));
  }

  // What the policy reads of a seat, from its decoded state: the same shape as the
  // slimmed Closeknit view (loadgen/closeknit.js).
  view(index) {
    const state = this.rooms[index].state;
    const you = seatOf(this.rooms[index]);
    const seats = state.seats;
    const reveal = state.phase === "writing" ? { submitted: [seats[0].submitted, seats[1].submitted] } : null;
    return { version: state.version, you, legal: Array.from(seats[you].legal), reveal };
  }

  step() {
    const choice = choose([this.view(0), this.view(1)], this.lastActor);
    const step = new Step(this, choice ? choice.seat : 0);
    if (!choice) {
      step.fail("stuck");
      return step.promise;
    }
    this.lastActor = choice.seat;
    this.stats.action(choice.action);
    step.before = Math.max(...this.versions);
    this.rooms[choice.seat].send(choice.action, choice.fields);
    return step.promise;
  }

  async close() {
    this.closing = true;
    await Promise.all((this.rooms || []).map((room) => room.leave(true).catch(() => {})));
  }
}

function seatOf(room) {
  const seats = room.state && room.state.seats;
  if (!seats) return -1;
  for (let i = 0; i < seats.length; i++) if (seats[i].sessionId === room.sessionId) return i;
  return -1;
}

function bothJoined(room) {
  return room.state.seats.length === 2 && room.state.seats[0].joined && room.state.seats[1].joined;
}

module.exports = { ColyseusGameRoom };
