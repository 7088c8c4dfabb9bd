// A room's frame: top bar (level, progress, invite, pause), the screen for the phase
// (lobby, play, pause, end), and the common banners.

import type { App } from "../app";
import { h } from "../dom";
import type { Key } from "../i18n";
import type { View } from "../types";
import { actBtn, boundaries, can, ctxFor, levelName, maybe, notices, type Ctx } from "./common";
import { invitePanel } from "./invite";
import { languageField, lobbyScreen } from "./lobby";
import { cardView, playScreen, starControls } from "./play";

// Actions without arguments that a screen may not have placed get a plain button, so
// the page always offers exactly what the view says is legal.
const PLAIN: Key[] = [
  "draw", "answer", "pass", "skip", "done_speaking", "reflect", "felt_heard", "try_again", "star",
  "propose_deeper", "accept_deeper", "decline_deeper", "withdraw_proposal", "pause", "resume",
  "end", "skip_closing", "play_again", "ready", "unready",
];

function topBar(c: Ctx): HTMLElement {
  const { v, t, app } = c;
  const inGame = v.phase !== "lobby" && v.phase !== "ended";
  return h("header", { class: "topbar" },
    h("div", { class: "progress" },
      inGame ? h("p", { "data-ui": "level" }, t("level_of", { n: v.level + 1, total: v.deck.levels.length, name: levelName(v, v.level) })) : h("p", null, v.deck.title),
      inGame ? h("p", { class: "hint", "data-ui": "progress" }, v.progress.total === 1 ? t("cards_done_one") : t("cards_done", { n: v.progress.total })) : null),
    h("div", { class: "row tight" },
      app.party || (v.phase === "lobby" && !v.seats[1 - v.you]?.joined) ? null : h("button", { type: "button", class: "btn small", "data-ui": "toggle-invite", "aria-expanded": String(app.s.showInvite),
        "aria-controls": "invite", onclick: () => toggleInvite(app) }, t("invite_short")),
      !v.paused.me ? maybe(c, "pause", t("pause"), { cls: "small" }) : null));
}

function toggleInvite(app: App): void {
  app.s.showInvite = !app.s.showInvite;
  app.render();
  if (app.s.showInvite) document.getElementById("invite-title")?.focus();
}

function pauseScreen(c: Ctx): HTMLElement {
  const { v, t, partner } = c;
  const text = v.paused.host ? t("paused_host")
    : v.paused.me && v.paused.partner ? t("paused_both")
    : v.paused.me ? t("paused_me") : t("paused_partner", { name: partner });
  return h("div", { class: "screen pause", "data-screen": "pause" },
    h("div", { class: "calm-panel" },
      h("h1", { tabindex: "-1" }, t("paused_title")),
      h("p", { class: "big", role: "status" }, text),
      maybe(c, "resume", t("resume"), { cls: "primary" })),
    v.card ? cardView(c, v.card) : null,
    can(c, "step_back")
      ? h("div", { class: "row" }, v.deck.levels.slice(0, v.level).map((_, i) =>
          actBtn(c, "step_back", t("step_back", { level: levelName(v, i) }), { args: { level: i }, key: `step_back:${i}` })))
      : null,
    boundaries(c, false));
}

function endScreen(c: Ctx): HTMLElement {
  const { v, t, app } = c;
  const s = v.summary;
  return h("div", { class: "screen end", "data-screen": "end" },
    h("h1", { tabindex: "-1" }, t("summary_title")),
    s ? h("section", { class: "panel summary", "data-ui": "summary" },
      h("p", { class: "big" }, s.total === 1 ? t("cards_done_one") : t("summary_cards", { n: s.total })),
      h("ul", null, s.completed.map((n, i) => h("li", null, t("summary_level", { name: levelName(v, i), n })))),
      h("p", null, t("summary_time", { min: Math.max(1, Math.round(s.seconds / 60)) })),
      h("h2", null, t("stars")),
      s.starred.length ? h("ul", { class: "starred" }, s.starred.map((st) => h("li", null, st.text))) : h("p", { class: "hint" }, t("summary_none_starred")),
    ) : null,
    h("p", null, t("ended_text")),
    h("div", { class: "row" }, ...starControls(c)),
    h("div", { class: "actions stack" },
      maybe(c, "play_again", t("play_again"), { cls: "primary" }),
      app.party ? null : h("button", { type: "button", class: "btn danger", "data-ui": "delete-room", disabled: app.s.pending.has("delete_room"),
        onclick: () => app.deleteRoom() }, app.s.pending.has("delete_room") ? t("sending") : t("delete_room"))));
}

function footer(c: Ctx): HTMLElement | null {
  const { v, t } = c;
  if (v.phase === "lobby") return null;
  const paused = v.phase !== "ended" && (v.paused.me || v.paused.partner || v.paused.host);
  return h("footer", { class: "foot" },
    paused ? null : boundaries(c, false),
    languageField(c),
    can(c, "end") ? h("div", { class: "row" }, maybe(c, "end", t("end"), { cls: "quiet" })) : null);
}

function pick(c: Ctx): HTMLElement {
  const v = c.v;
  if (v.phase === "lobby") return lobbyScreen(c);
  if (v.phase === "ended") return endScreen(c);
  if (v.paused.me || v.paused.partner || v.paused.host) return pauseScreen(c);
  return playScreen(c);
}

function fillMissing(c: Ctx, root: HTMLElement): void {
  const placed = new Set(Array.from(root.querySelectorAll("[data-action]")).map((e) => e.getAttribute("data-action")));
  const missing = c.v.legal.filter((a) => !placed.has(a) && (PLAIN as string[]).includes(a));
  if (missing.length)
    root.appendChild(h("div", { class: "row" }, missing.map((a) => actBtn(c, a, c.t(a as Key)))));
}

export function roomScreen(app: App, v: View): HTMLElement {
  const c = ctxFor(app, v);
  const main = pick(c);
  const frame = h("div", { class: "room", "data-phase": v.phase },
    topBar(c),
    h("div", { class: "banners" }, notices(c)),
    app.s.showInvite && !app.party && !(v.phase === "lobby" && !v.seats[1 - v.you]?.joined) ? invitePanel(app, true) : null,
    main,
    footer(c));
  fillMissing(c, frame);
  return frame;
}
