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

// Rooms are sealed by default (issue 20): a typed text travels as an envelope, which the
// server checks for shape and size only. This one has the shape and size (the 64-byte
// bucket) of a short answer sealed by the web client; its bytes are random.
const SEALED_SHORT_ANSWER =
  "ck1.AbZmkIuHkzg5xkPgl5zyoDDLlDA6mh80HVeeBfBKN6ntQyJgLyC8sIIGWezSe60awCZrYmhT07DV3GLA7etzEM4wmI4m9u5vMxu9WRr8Cr82TsbaciMi9ppBmbAH";

const FIELDS = {
  write_reveal: { text: SEALED_SHORT_ANSWER },
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
