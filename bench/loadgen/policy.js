// Which seat does what next, from the two seats' views alone ("legal" lists every action
// a seat may take now). Progress first, in the order a couple plays; "end" only when
// nothing else moves the game on. The seat that just received its partner's move is
// asked first, so seats answer each other's updates.
"use strict";

const PRIORITY = [
  "ready",
  "accept_deeper",
  "draw",
  "answer",
  "done_speaking",
  "reflect",
  "felt_heard",
  "write_reveal",
  "propose_deeper",
  "skip_closing",
  "play_again",
  "end",
];

const FIELDS = {
  write_reveal: { text: "A short typed answer for the benchmark." },
};

function allowed(view, action) {
  if (!view || !view.legal || !view.legal.includes(action)) return false;
  // A reveal answer may be edited until both submitted: submit once, then wait.
  if (action === "write_reveal" && view.reveal && view.reveal.submitted) {
    return !view.reveal.submitted[view.you];
  }
  return true;
}

function choose(views, lastActor) {
  const order = lastActor === 0 ? [1, 0] : [0, 1];
  for (const action of PRIORITY) {
    for (const seat of order) {
      if (allowed(views[seat], action)) return { seat, action, fields: FIELDS[action] || {} };
    }
  }
  return null;
}

module.exports = { choose, PRIORITY };
