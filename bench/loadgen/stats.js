// Measurement window, latency samples and errors, plus the generator's own CPU share.
"use strict";

class Stats {
  constructor() {
    this.measuring = false;
    this.samples = [];
    this.moves = 0;
    this.errors = {};
    this.missed = 0;
    this.window = null;
    this.actions = {};
    // Over the whole run, warm-up included: on a loaded machine a short window can hold
    // only a few moves per room, so what kinds of move a run plays is read from here.
    this.actionsTotal = {};
  }

  action(name) {
    this.actionsTotal[name] = (this.actionsTotal[name] || 0) + 1;
    if (this.measuring) this.actions[name] = (this.actions[name] || 0) + 1;
  }

  begin() {
    this.measuring = true;
    this.window = { wall: process.hrtime.bigint(), cpu: process.cpuUsage() };
  }

  end() {
    if (!this.measuring) return;
    this.measuring = false;
    const wall = Number(process.hrtime.bigint() - this.window.wall) / 1e9;
    const cpu = process.cpuUsage(this.window.cpu);
    this.window = { seconds: wall, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  }

  // One move: ms from the actor's send to the partner's receipt of the new state.
  move(latencyMs) {
    if (!this.measuring) return;
    this.moves++;
    this.samples.push(latencyMs);
  }

  error(code) {
    this.errors[code] = (this.errors[code] || 0) + 1;
  }

  summary() {
    const sorted = Float64Array.from(this.samples).sort();
    const pick = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null);
    const seconds = this.window && this.window.seconds ? this.window.seconds : null;
    const errorCount = Object.values(this.errors).reduce((a, b) => a + b, 0);
    return {
      seconds,
      moves: this.moves,
      moves_per_s: seconds ? this.moves / seconds : null,
      latency_ms: { p50: pick(0.5), p95: pick(0.95), p99: pick(0.99), max: sorted.length ? sorted[sorted.length - 1] : null },
      errors: errorCount,
      error_codes: this.errors,
      missed: this.missed,
      actions: this.actions,
      actions_total: this.actionsTotal,
      loadgen_cpu: seconds ? this.window.cpuSeconds / seconds : null,
    };
  }
}

module.exports = { Stats };
