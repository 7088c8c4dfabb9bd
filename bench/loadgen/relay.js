// The bare relay floor: each seat's message is forwarded to the partner, nothing else.
// Seats alternate; the partner's receipt of the mover's message is the move.
"use strict";

const WebSocket = require("ws");
const { encode, decode } = require("@msgpack/msgpack");
const { Step } = require("./step");

function wsBase(url) {
  return url.replace(/^http/, "ws");
}

class RelayRoom {
  constructor(index, opts, stats) {
    this.index = index;
    this.opts = opts;
    this.stats = stats;
    this.turn = 0;
    this.version = 0;
    this.busy = false;
    this.broken = false;
    this.pending = null;
    this.sockets = [];
  }

  async open() {
    const name = `r${process.pid}-${this.index}`;
    for (let seat = 0; seat < 2; seat++) {
      const url = `${wsBase(this.opts.urls[seat % this.opts.urls.length])}/relay/${name}`;
      const ws = new WebSocket(url, { perMessageDeflate: false });
      await new Promise((resolve, reject) => {
        ws.once("open", resolve);
        ws.once("error", reject);
      });
      ws.on("message", (data) => this.received(seat, decode(data)));
      ws.on("close", () => this.closed());
      this.sockets.push(ws);
    }
  }

  received(seat, message) {
    const step = this.pending;
    if (!step || seat === step.actor) return;
    this.version = message.v;
    this.turn = seat;
    step.partnerSaw();
    step.acked();
    step.actorSaw();
  }

  closed() {
    if (!this.closing) {
      this.broken = true;
      this.stats.error("closed");
      if (this.pending) this.pending.fail("closed");
    }
  }

  step() {
    const actor = this.turn;
    const step = new Step(this, actor);
    this.sockets[actor].send(encode({ t: "act", id: this.version + 1, a: "move", v: this.version + 1 }));
    return step.promise;
  }

  async close() {
    this.closing = true;
    for (const ws of this.sockets) ws.close();
  }
}

module.exports = { RelayRoom, wsBase };
