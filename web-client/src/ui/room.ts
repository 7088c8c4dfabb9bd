// A room's frame: the sheets (menu, boundaries), a slim top bar (name mark, level, the
// menu button), the banners, and one screen for the moment (lobby, play, pause, end).
// The whole screen takes on the level's colour (ui/theme.ts).

import type { App } from "../app";
import { h } from "../dom";
import type { Key } from "../i18n";
import { icon } from "../icons";
import type { View } from "../types";
import { actBtn, ctxFor, levelName, maybe, notices, type Ctx } from "./common";
import { endScreen } from "./end";
import { lobbyScreen } from "./lobby";
import { boundarySheet, menuSheet } from "./menu";
import { hooks } from "../hooks";
import { bar, cardView, playScreen } from "./play";
import { opener } from "./sheet";
import { applyTheme, BRAND, CALM, levelColour } from "./theme";

// Actions without arguments that a screen may not have placed get a plain button, so
// the page always offers exactly what the view says is legal.
const PLAIN: Key[] = [
  "draw", "answer", "pass", "skip", "done_speaking", "reflect", "felt_heard", "try_again", "star",
  "propose_deeper", "accept_deeper", "decline_deeper", "withdraw_proposal", "pause", "resume",
  "end", "skip_closing", "play_again", "ready", "unready",
];

function paused(v: View): boolean {
  return v.phase !== "ended" && (v.paused.me || v.paused.partner || v.paused.host);
}

function topBar(c: Ctx): HTMLElement {
  const { v, t, app } = c;
  const inGame = v.phase !== "lobby" && v.phase !== "ended";
  const n = v.deck.levels.length;
  return h("header", { class: "topbar" },
    h("div", { class: "topbar-row" },
      h("p", { class: "mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("app_name")),
      opener(app, "menu", "open-menu", [icon("menu"), t("menu")], "btn small menu-btn")),
    inGame
      ? h("p", { class: "level-line", "data-ui": "level" },
          h("span", { class: "dots", "aria-hidden": "true" },
            v.deck.levels.map((_, i) => h("span", { class: `dot ${i <= v.level ? "on" : ""}` }))),
          h("span", null, t("level_short", { name: levelName(v, v.level), n: v.level + 1, total: n })),
          h("span", { class: "visually-hidden", "data-ui": "progress" },
            t("cards_done", { n: v.progress.total })))
      : null);
}

function pauseScreen(c: Ctx): HTMLElement {
  const { v, t, partner } = c;
  const text = v.paused.host ? t("paused_host")
    : v.paused.me && v.paused.partner ? t("paused_both")
    : v.paused.me ? t("paused_me") : t("paused_partner", { name: partner });
  return h("div", { class: "screen pause", "data-screen": "pause" },
    h("div", { class: "pause-breath", "aria-hidden": "true" }, icon("pause")),
    h("h1", { tabindex: "-1" }, t("paused_title")),
    h("p", { class: "big", role: "status", "data-ui": "status-line" }, text),
    v.card ? h("div", { class: "stage" }, cardView(c, v.card, true)) : null,
    bar(c, { primary: maybe(c, "resume", t("resume"), { cls: "primary", icon: "resume" }), wait: v.paused.me ? undefined : t("waiting_for", { name: partner }) }));
}

function pick(c: Ctx): HTMLElement {
  const v = c.v;
  if (paused(v)) return pauseScreen(c); // in the lobby too: a time-out takes over both phones
  if (v.phase === "lobby") return lobbyScreen(c);
  if (v.phase === "ended") return endScreen(c);
  return playScreen(c);
}

function fillMissing(c: Ctx, root: HTMLElement): void {
  const placed = new Set(Array.from(root.querySelectorAll("[data-action]")).map((e) => e.getAttribute("data-action")));
  const missing = c.v.legal.filter((a) => !placed.has(a) && (PLAIN as string[]).includes(a));
  if (missing.length)
    root.appendChild(h("div", { class: "row" }, missing.map((a) => actBtn(c, a, c.t(a as Key)))));
}

function colourOf(v: View): string {
  if (paused(v)) return CALM;
  if (v.phase === "ended") return BRAND;
  return levelColour(v.deck.levels, v.phase === "lobby" ? 0 : v.level);
}

export function roomScreen(app: App, v: View): HTMLElement {
  const c = ctxFor(app, v);
  applyTheme(colourOf(v), v.deck.levels);
  const frame = h("div", { class: "room", "data-phase": v.phase, "data-level": String(v.level) },
    menuSheet(c),
    app.onePhone ? null : boundarySheet(c), // one phone: only behind its owner's hand-over screen
    app.party ? null : hooks.roomSheets?.(c),
    topBar(c),
    h("div", { class: "banners" }, notices(c)),
    pick(c));
  fillMissing(c, frame);
  return frame;
}
