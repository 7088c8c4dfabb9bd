// The couple page's own parts of the shared screens (src/hooks.ts): remembering cards on
// this device and a couple's own deck (issue 21).

import "./couple-words"; // first: the words the parts below speak
import { hooks } from "./hooks";
import { memory } from "./memory";
import { ownDeckPanel, ownDeckSheet } from "./ui/own-deck";
import { memoryOpener, memorySheet, playedThrough, rememberCheck } from "./ui/remember";

hooks.onView = (view, old) => memory.record(view, old);
hooks.played = (deck, version) => memory.playedFor(deck, version);
hooks.roomSheets = (c) => [memorySheet(c.app), ownDeckSheet(c)];
hooks.lobbyPanel = (c) => ownDeckPanel(c);
hooks.menuSection = (app) => [rememberCheck(app, "menu-remember"), memoryOpener(app, "menu-memory")];
hooks.betweenNotice = (c) => playedThrough(c.v, c.t);
