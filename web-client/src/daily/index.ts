// A daily space's part of the couple page (issue 22, "A card a day"): its own chunk,
// fetched with a daily space's first view (src/couple.ts hooks.dailyState). Loading it
// registers its words and its style sheet and hands the page its screen (hooks.daily).

import "./words"; // first: the words the screens below speak
import type { App } from "../app";
import { h } from "../dom";
import { hooks } from "../hooks";
import type { DailyView } from "../types";
// The page's shared modules, all of them (not only those used here): so the bundler keeps
// them in one shared chunk, as for the one-phone chunk, never split finer for this one.
import "../app";
import "../ui/room";
import "../ui/start";
import { dailyCue } from "./cue";
import { openDaily } from "./open";
import { announce, dailyScreen } from "./screen";

hooks.daily = { screen: dailyScreen, cue: dailyCue };
// Its own styles, fetched with it (the first load's style sheet stays the live room's).
document.head.appendChild(h("link", { rel: "stylesheet", href: "assets/daily.css" }));

/** A daily space's view: its sealed answers opened, then shown (in the page's order). */
export async function onState(app: App, view: DailyView): Promise<void> {
  if (app.s.sealed) await openDaily(view).catch(() => undefined);
  const old = app.s.daily ?? null;
  if (old && old.room === view.room && view.version <= old.version) return;
  app.s.daily = view;
  app.settle(view.version);
  const joined = view.seats[1 - view.you]?.joined;
  if (joined) app.s.knocks = []; // the seat is taken
  if (joined && !old?.seats[1 - view.you]?.joined) app.s.partnerOnline = true;
  announce(app, view, old);
  app.render();
}
