// A Closeknit room driven through the real protocol: POST /api/rooms, invite join,
// hello, ready, then the next legal action from the seats' views (msgpack frames).
"use strict";

const WebSocket = require("ws");
const { encode, decode } = require("@msgpack/msgpack");
const { Step } = require("./step");
const { choose } = require("./policy");
const { wsBase } = require("./relay");

// msgpack is the protocol's default and what is measured; json is for debugging.
const CODECS = {
  msgpack: { name: "closeknit.v1.msgpack", encode, decode: (data) => decode(data) },
  json: { name: "closeknit.v1.json", encode: JSON.stringify, decode: (data) => JSON.parse(data.toString()) },
};

// What the policy and the waits read of a view. Only this is kept: a whole view kept
// per seat until the next one (about a second) survived the generator's young-generation
// collections, which then copied thousands of views every ~185 ms and held the event
// loop ~10 ms each time: pauses the latency figures charged to the server.
function slim(view) {
  const reveal = view.reveal && view.reveal.submitted ? { submitted: view.reveal.submitted } : null;
  return { version: view.version, you: view.you, legal: view.legal, reveal };
}

class Seat {
  constructor(room, index, base) {
    this.room = room;
    this.index = index;
    this.base = base;
    this.view = null;
    this.version = 0;
    this.nextId = 1;
    this.replies = new Map();
    this.stateWaiters = [];
  }

  connect(hello) {
    if (this.room.closing) return Promise.reject(Object.assign(new Error("abandoned"), { code: "abandoned" }));
    this.codec = CODECS[this.room.opts.encoding];
    this.ws = new WebSocket(`${wsBase(this.base)}/ws`, [this.codec.name], { perMessageDeflate: false });
    this.ws.binaryType = "nodebuffer";
    this.ws.on("message", (data) => this.received(this.codec.decode(data)));
    this.ws.on("close", (code) => this.room.closed(this, code));
    return new Promise((resolve, reject) => {
      this.ws.once("error", reject);
      this.ws.once("open", () => {
        this.request({ t: "hello", v: "1.1", ...hello }).then((reply) => {
          if (reply.t !== "welcome") reject(Object.assign(new Error(reply.code), { code: reply.code }));
          else this.untilState(() => true).then(resolve, reject);
        }, reject);
      });
    });
  }

  request(message) {
    const id = this.nextId++;
    this.ws.send(this.codec.encode({ ...message, id }));
    return new Promise((resolve) => this.replies.set(id, resolve));
  }

  untilState(predicate) {
    if (this.view && predicate(this.view)) return Promise.resolve();
    return new Promise((resolve) => this.stateWaiters.push({ predicate, resolve }));
  }

  received(message) {
    if (message.re !== undefined && message.re !== null && this.replies.has(message.re)) {
      const resolve = this.replies.get(message.re);
      this.replies.delete(message.re);
      resolve(message);
    } else if (message.t === "state") {
      if (message.version <= this.version) return;
      this.version = message.version;
      this.view = slim(message.view);
      this.room.sawState(this);
      this.stateWaiters = this.stateWaiters.filter((w) => !(w.predicate(this.view) && (w.resolve(), true)));
    } else if (message.t === "bye" || message.t === "deleted" || message.t === "error") {
      this.room.stats.error(message.t === "error" ? message.code : message.t);
    }
  }
}

class CloseknitRoom {
  constructor(index, opts, stats) {
    this.index = index;
    this.opts = opts;
    this.stats = stats;
    this.busy = false;
    this.broken = false;
    this.pending = null;
    this.lastActor = 1;
    const urls = opts.urls;
    this.seats = [new Seat(this, 0, urls[0]), new Seat(this, 1, urls[1 % urls.length])];
  }

  async open() {
    const response = await fetch(`${this.opts.urls[0]}/api/rooms`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ deck: this.opts.deck, settings: { name: "Ana" } }),
    });
    const created = await response.json();
    if (response.status !== 201) throw Object.assign(new Error(created.error), { code: created.error });
    const fragment = created.invite_url.split("#join=")[1];
    const invite = fragment.slice(fragment.indexOf(".") + 1);
    await this.seats[0].connect({ room: created.code, token: created.token, last_version: null });
    await this.seats[1].connect({ room: created.code, invite, name: "Bo" });
    const version = this.seats[1].version;
    await this.seats[0].untilState((view) => view.version >= version);
    // Both ready is part of opening a room: measured moves are game moves.
    for (const seat of this.seats) {
      const reply = await seat.request({ t: "act", a: "ready" });
      if (reply.t !== "ack") throw Object.assign(new Error(reply.code), { code: reply.code });
      await Promise.all(this.seats.map((s) => s.untilState((view) => view.version >= reply.version)));
    }
  }

  sawState(seat) {
    const step = this.pending;
    if (!step || seat.version <= step.before) return;
    if (seat.index === step.actor) step.actorSaw();
    else step.partnerSaw();
  }

  closed(seat, code) {
    if (this.closing) return;
    this.broken = true;
    this.stats.error(`close/${code}`);
    if (this.pending) this.pending.fail("closed");
  }

  step() {
    const choice = choose(this.seats.map((seat) => seat.view), this.lastActor);
    const step = new Step(this, choice ? choice.seat : 0);
    if (!choice) {
      step.fail("stuck");
      return step.promise;
    }
    this.lastActor = choice.seat;
    this.stats.action(choice.action);
    step.before = Math.max(this.seats[0].version, this.seats[1].version);
    const seat = this.seats[choice.seat];
    seat.request({ t: "act", a: choice.action, ...choice.fields }).then((reply) => {
      if (reply.t === "ack") step.acked();
      else step.refused(reply.code || reply.t);
    });
    return step.promise;
  }

  // Sockets of this room still open (what an idle run holds when it is weighed).
  openSockets() {
    return this.seats.filter((seat) => seat.ws && seat.ws.readyState === WebSocket.OPEN).length;
  }

  async close() {
    this.closing = true;
    for (const seat of this.seats) if (seat.ws) seat.ws.close(1000);
  }

  // A room that failed to open (or timed out) lets go of the sockets it has, and opens
  // no more: none of them is counted as held, so none may stay open either.
  abandon() {
    this.closing = true;
    for (const seat of this.seats) {
      if (!seat.ws) continue;
      seat.ws.on("error", () => {}); // terminating a socket still connecting emits one
      seat.ws.terminate();
    }
  }
}

module.exports = { CloseknitRoom };
