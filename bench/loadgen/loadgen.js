// The load generator: opens N rooms with two seats each and drives them through a
// target's real protocol, measuring the time from sending an action to the PARTNER
// receiving the resulting state.
//
//   node loadgen.js --target closeknit --url http://127.0.0.1:8000 --rooms 100 \
//        --mode closed --warmup 2 --duration 10
//
// Targets: closeknit (HTTP POST /api/rooms, invite join, hello, ready, then legal
// actions from each seat's view), relay (the bare relay floor), colyseus (the thin
// Colyseus peer) and colyseus-game (the Colyseus game peer: the same game's moves,
// chosen by the same policy from each seat's synchronised state). Two --url options
// split every room's partners across two servers.
// Modes: closed (each room acts again as soon as the partner saw the last action),
// open (--rate actions per second in total, spread over idle rooms), idle (connect and
// hold). Progress and the result are JSON lines on stdout; diagnostics on stderr.
"use strict";

const { parseArgs } = require("node:util");
const { Stats } = require("./stats");
const { CloseknitRoom } = require("./closeknit");
const { RelayRoom } = require("./relay");
const { ColyseusRoom } = require("./colyseus");
const { ColyseusGameRoom } = require("./colyseus_game");

const TARGETS = {
  closeknit: CloseknitRoom,
  relay: RelayRoom,
  colyseus: ColyseusRoom,
  "colyseus-game": ColyseusGameRoom,
};

function options() {
  const { values } = parseArgs({
    options: {
      target: { type: "string", default: "closeknit" },
      url: { type: "string", multiple: true, default: ["http://127.0.0.1:8000"] },
      rooms: { type: "string", default: "10" },
      mode: { type: "string", default: "closed" },
      rate: { type: "string", default: "1000" },
      warmup: { type: "string", default: "2" },
      duration: { type: "string", default: "10" },
      deck: { type: "string", default: "closer" },
      concurrency: { type: "string", default: "64" },
      timeout: { type: "string", default: "10" },
      encoding: { type: "string", default: "msgpack" },
      // Wait for a line on stdin after connecting (several generators start together).
      sync: { type: "boolean", default: false },
      // Include every latency sample in the result (to merge several generators).
      samples: { type: "boolean", default: false },
    },
  });
  return {
    target: values.target,
    urls: values.url,
    rooms: Number(values.rooms),
    mode: values.mode,
    rate: Number(values.rate),
    warmup: Number(values.warmup) * 1000,
    duration: Number(values.duration) * 1000,
    deck: values.deck,
    concurrency: Number(values.concurrency),
    timeout: Number(values.timeout) * 1000,
    encoding: values.encoding,
    sync: values.sync,
    samples: values.samples,
  };
}

function emit(event, fields) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { code: "timeout" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function openRooms(opts, stats) {
  const Room = TARGETS[opts.target];
  if (!Room) throw new Error(`unknown target ${opts.target}`);
  const rooms = [];
  let next = 0;
  const worker = async () => {
    while (next < opts.rooms) {
      const index = next++;
      const room = new Room(index, opts, stats);
      try {
        await withTimeout(room.open(), opts.timeout);
        rooms.push(room);
      } catch (error) {
        // fetch() hides why it failed in `cause` (ECONNRESET, ECONNREFUSED, ...).
        const cause = error.cause && (error.cause.code || error.cause.message);
        stats.error(`open/${error.code || cause || error.message}`);
        if (room.abandon) room.abandon();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.rooms) }, worker));
  return rooms;
}

async function closedLoop(rooms, until) {
  await Promise.all(
    rooms.map(async (room) => {
      while (Date.now() < until && !room.broken) await room.step();
    }),
  );
}

// Open loop: a fixed total rate, each action given to the next idle room. A room has
// at most one action in flight (a game is sequential); when every room is busy the
// slot is counted as missed rather than queued.
async function openLoop(rooms, until, rate, stats) {
  const start = Date.now();
  let issued = 0;
  let cursor = 0;
  const inflight = new Set();
  while (Date.now() < until) {
    const due = Math.floor(((Date.now() - start) * rate) / 1000) - issued;
    for (let n = 0; n < due; n++) {
      let found = null;
      for (let k = 0; k < rooms.length && !found; k++) {
        const index = (cursor + k) % rooms.length;
        if (!rooms[index].busy && !rooms[index].broken) {
          found = rooms[index];
          cursor = (index + 1) % rooms.length;
        }
      }
      issued++;
      if (!found) {
        stats.missed++;
        continue;
      }
      const step = found.step().finally(() => inflight.delete(step));
      inflight.add(step);
    }
    await sleep(2);
  }
  await Promise.all(inflight);
}

async function main() {
  const opts = options();
  const stats = new Stats();
  const opened = Date.now();
  const rooms = await openRooms(opts, stats);
  emit("connected", { rooms: rooms.length, seconds: (Date.now() - opened) / 1000 });
  if (opts.sync) {
    await new Promise((resolve) => process.stdin.once("data", resolve));
    process.stdin.pause();
  }
  const total = opts.warmup + opts.duration;
  const until = Date.now() + total;
  setTimeout(() => {
    stats.begin();
    emit("measure_start", {});
  }, opts.mode === "idle" ? 0 : opts.warmup);
  setTimeout(() => {
    stats.end();
    emit("measure_end", {});
  }, total);
  if (opts.mode === "closed") await closedLoop(rooms, until);
  else if (opts.mode === "open") await openLoop(rooms, until, opts.rate, stats);
  else await sleep(total);
  await sleep(Math.max(0, until - Date.now()) + 10);
  // Counted before anything is closed: null for targets that do not count theirs.
  const counts = typeof TARGETS[opts.target].prototype.openSockets === "function";
  emit("result", {
    target: opts.target,
    mode: opts.mode,
    rooms: opts.rooms,
    rooms_open: rooms.length,
    sockets_open: counts ? rooms.reduce((n, room) => n + room.openSockets(), 0) : null,
    rate: opts.mode === "open" ? opts.rate : null,
    ...stats.summary(),
    ...(opts.samples ? { samples: stats.samples } : {}),
  });
  await Promise.all(rooms.map((room) => room.close()));
  process.exit(0);
}

// An await that never settles would end the process silently: say so instead.
process.on("beforeExit", () => {
  process.stderr.write("loadgen: stalled (a promise never settled)\n");
  process.exit(2);
});

main().catch((error) => {
  process.stderr.write(`loadgen: ${error.stack || error}\n`);
  process.exit(1);
});
