// One action in flight in one room: done when the mover has its reply and fresh state
// and the partner has the resulting state. The partner's receipt time is the latency.
"use strict";

class Step {
  constructor(room, actor) {
    this.room = room;
    this.actor = actor;
    this.t0 = performance.now();
    this.partner = false;
    this.reply = false;
    this.own = false;
    this.done = false;
    room.busy = true;
    room.pending = this;
    this.promise = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.timer = setTimeout(() => this.fail("timeout"), room.opts.timeout);
  }

  partnerSaw() {
    if (this.partner) return;
    this.partner = true;
    this.room.stats.move(performance.now() - this.t0);
    this.check();
  }

  acked() {
    this.reply = true;
    this.check();
  }

  actorSaw() {
    this.own = true;
    this.check();
  }

  check() {
    if (this.partner && this.reply && this.own) this.finish();
  }

  // A refused action changes nothing: the room may go on with a fresh choice.
  refused(code) {
    this.room.stats.error(code);
    this.finish();
  }

  fail(code) {
    if (this.done) return;
    this.room.stats.error(code);
    this.room.broken = true;
    this.finish();
  }

  finish() {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.room.busy = false;
    this.room.pending = null;
    this.resolve();
  }
}

module.exports = { Step };
