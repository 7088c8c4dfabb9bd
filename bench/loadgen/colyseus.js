// The Colyseus peer driven through its own client library (colyseus.js): the creator
// makes a "duet" room, the partner joins it by id, then the seat whose turn it is moves.
"use strict";

const { Client } = require("colyseus.js");
const { Step } = require("./step");
const { wsBase } = require("./relay");

class ColyseusRoom {
  constructor(index, opts, stats) {
    this.index = index;
    this.opts = opts;
    this.stats = stats;
    this.busy = false;
    this.broken = false;
    this.pending = null;
    this.views = [null, null];
    this.versions = [0, 0];
    this.nextId = 1;
  }

  async open() {
    // One Colyseus process holds a room: both seats go to the first URL.
    const client = new Client(wsBase(this.opts.urls[0]));
    const first = await client.create("duet");
    const second = await new Client(wsBase(this.opts.urls[0])).joinById(first.roomId);
    this.rooms = [first, second];
    const synced = this.rooms.map((room, seat) => this.listen(room, seat));
    for (const room of this.rooms) room.send("sync", {});
    await Promise.all(synced);
  }

  listen(room, seat) {
    let ready;
    const synced = new Promise((resolve) => {
      ready = resolve;
    });
    room.onMessage("state", (message) => {
      if (message.version <= this.versions[seat]) return;
      this.versions[seat] = message.version;
      this.views[seat] = message.view;
      ready();
      const step = this.pending;
      if (!step || message.version <= step.before) return;
      if (seat === step.actor) step.actorSaw();
      else step.partnerSaw();
    });
    room.onMessage("ack", () => this.pending && this.pending.acked());
    room.onMessage("error", (message) => this.pending && this.pending.refused(message.code));
    room.onLeave((code) => {
      if (this.closing) return;
      this.broken = true;
      this.stats.error(`close/${code}`);
      if (this.pending) this.pending.fail("closed");
    });
    return synced;
  }

  step() {
    const actor = this.views[0] && this.views[0].legal.includes("act") ? 0 : 1;
    const step = new Step(this, actor);
    step.before = Math.max(...this.versions);
    this.rooms[actor].send("act", { id: this.nextId++ });
    return step.promise;
  }

  async close() {
    this.closing = true;
    await Promise.all((this.rooms || []).map((room) => room.leave(true).catch(() => {})));
  }
}

module.exports = { ColyseusRoom };
