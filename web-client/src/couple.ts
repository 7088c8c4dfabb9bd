// The couple page's own parts of the shared screens (src/hooks.ts): remembering cards on
// this device and a couple's own deck (issue 21).

import "./couple-words"; // first: the words the parts below speak
import type { App } from "./app";
import { h } from "./dom";
import { hooks } from "./hooks";
import { memory } from "./memory";
import { ownDeckPanel, ownDeckSheet } from "./ui/own-deck";
import { memoryOpener, memorySheet, playedThrough, rememberCheck } from "./ui/remember";

hooks.onView = (view, old) => memory.record(view, old);
hooks.played = (deck, version) => memory.playedFor(deck, version);
hooks.roomSheets = (c) => [memorySheet(c.app), ownDeckSheet(c)];
hooks.lobbyPanel = (c) => ownDeckPanel(c);
hooks.menuSection = (app) => [rememberCheck(app, "menu-remember"), memoryOpener(app, "menu-memory"), toOnePhone(app)];

// Two phones back to one (issue 21): the one-phone chunk comes when chosen.
function toOnePhone(app: App): HTMLElement | null {
  const v = app.s.view;
  if (app.onePhone || !v || !v.seats[1 - v.you]?.joined || v.phase === "ended") return null;
  return h("button", { type: "button", class: "btn quiet", "data-ui": "to-one-phone",
    onclick: () => void import("./onephone").then((m) => m.offerSeat(app)) }, app.t()("one_to_one"));
}
hooks.betweenNotice = (c) => playedThrough(c.v, c.t);
// A daily space (issue 22): its screens are their own chunk, fetched when one opens.
hooks.dailyState = (app, view) => app.queue(() => import("./daily").then((m) => m.onState(app, view)));
