// The daily screen (issue 22, "A card a day"): today's card, your part (answer, edit,
// pass), your partner's part (only its state), the reveal with "kept until" and hearts,
// when the next card comes, and the earlier days still kept. Never a count of days, no
// streak, no guilt. Every action control comes from `legal`.

import type { App } from "../app";
import { h, type Child } from "../dom";
import type { T } from "../i18n";
import { icon } from "../icons";
import { drafts } from "../platform/drafts";
import { roomKeys } from "../state";
import type { DailyCard, DailyDay, DailyView, DayState, DeckInfo, View } from "../types";
import { notices, type Ctx } from "../ui/common";
import { invitePanel } from "../ui/invite";
import { opener } from "../ui/sheet";
import { applyTheme, levelColour } from "../ui/theme";
import { sealAnswer, UNREADABLE } from "./open";
import { boundarySheet, deleteSheet, menuSheet, timeSheet } from "./sheets";
import { joinTonight, openTonight, talkTonight, tonightMine } from "./tonight";
import { w, type DayKey } from "./words";

export interface DCtx {
  app: App;
  v: DailyView;
  t: T;
  deck: DeckInfo | null;
  partner: string;
  /** The live pieces (notices, boundaries) read a view: this space's, with its deck. */
  live: Ctx;
}

const EMPTY_DECK: DeckInfo = { id: "", title: "", description: "", languages: [], levels: [], tags: [], has_closing: false };

export function ctxOf(app: App, v: DailyView): DCtx {
  const t = app.t();
  const deck = app.s.deck;
  const partner = v.seats[1 - v.you]?.name?.trim() || w(t, "day_partner");
  const asView = { ...v, deck: deck ?? EMPTY_DECK, phase: "daily" } as unknown as View;
  return { app, v, t, deck, partner, live: { app, v: asView, t, partner, me: v.seats[v.you]?.name ?? "" } };
}

export const can = (c: DCtx, name: string): boolean => c.v.legal.includes(name);

/** A button for one action of the space, with its pending state. */
export function actBtn(c: DCtx, name: string, label: string, args: Record<string, unknown> = {}, cls = "", key = name): HTMLElement {
  const pending = c.app.s.pending.has(key);
  return h("button", { type: "button", class: `btn ${cls}`.trim(), "data-action": name, "data-key": key,
    "aria-busy": pending ? "true" : null, disabled: pending,
    onclick: () => {
      if (c.app.s.sheet) c.app.s.sheet = null; // from a sheet: close it, the screen shows what happened
      void c.app.send(name, args, key);
    } }, pending ? w(c.t, "day_sending") : label);
}

// --- dates: a day is a calendar date of the couple's zone, an instant is formatted in it
export function dayDate(c: DCtx, day: string): string {
  try {
    return new Intl.DateTimeFormat(c.app.lang(), { dateStyle: "full", timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
  } catch {
    return day;
  }
}

export function instant(c: DCtx, seconds: number, time = false): string {
  const opts: Intl.DateTimeFormatOptions = time ? { timeStyle: "short" } : { dateStyle: "medium" };
  const at = new Date(seconds * 1000);
  try {
    return new Intl.DateTimeFormat(c.app.lang(), { ...opts, timeZone: c.v.tz }).format(at);
  } catch {
    return new Intl.DateTimeFormat(c.app.lang(), opts).format(at);
  }
}

function levelName(c: DCtx, i: number): string {
  return c.deck?.levels[i]?.name ?? "";
}

function cardBox(c: DCtx, card: DailyCard, quiet = false): HTMLElement {
  const lvl = levelName(c, card.level);
  const labels = card.tags.map((id) => c.deck?.tags.find((tg) => tg.id === id)?.label ?? "").filter(Boolean);
  return h("article", { class: `card daily-card ${quiet ? "compact quiet-card" : ""}`, "data-key": `card-${card.id}-${card.day}`,
    "data-ui": quiet ? "day-card" : "card" },
    lvl ? h("div", { class: "card-meta" }, h("span", { class: "chip" }, lvl)) : null,
    h("div", { class: "card-body" }, h("p", { class: "card-text", lang: c.v.language, "data-ui": "card-text" }, card.text)),
    labels.length ? h("p", { class: "card-foot" }, labels.join(" · ")) : null);
}

// --- your part ---------------------------------------------------------------------------
const editing = new Set<string>(); // cards whose answer this page is changing again
const draftKey = (card: DailyCard): string => `daily:${card.id}:${card.day}`;

function draftOf(c: DCtx, card: DailyCard, fallback: string): string {
  return drafts.load(c.v.room, draftKey(card)) ?? fallback;
}

async function sendAnswer(c: DCtx, card: DailyCard): Promise<void> {
  const { app, v, t } = c;
  const box = document.getElementById("daily-answer") as HTMLTextAreaElement | null;
  const text = (box?.value ?? draftOf(c, card, "")).trim();
  if (!text) {
    box?.focus();
    return;
  }
  let out = text;
  if (app.s.sealed) {
    const key = roomKeys.get(v.room);
    if (!key) return app.fail(w(t, "day_no_key")); // nothing is ever sent in clear
    try {
      out = await sealAnswer(v, key, card.id, text);
    } catch {
      return app.fail(app.errorWords("text/too_long"));
    }
  }
  if (await app.send("answer", { text: out }, "answer")) {
    drafts.clear(v.room, draftKey(card));
    editing.delete(draftKey(card));
    app.render();
  }
}

function answerBox(c: DCtx, card: DailyCard, fallback: string, again: boolean): HTMLElement {
  const { app, v, t } = c;
  const noKey = app.s.sealed && !roomKeys.get(v.room);
  const pending = app.s.pending.has("answer");
  return h("form", { class: "daily-write", "data-key": `write-${card.id}`,
    onsubmit: (e: Event) => {
      e.preventDefault();
      void sendAnswer(c, card);
    } },
    h("label", { for: "daily-answer" }, w(t, "day_your_answer")),
    h("textarea", { id: "daily-answer", rows: "4", maxlength: "2000", "data-ui": "daily-answer", "data-key": draftKey(card),
      "aria-describedby": "daily-answer-hint", disabled: noKey, value: draftOf(c, card, fallback),
      oninput: (e: Event) => drafts.save(v.room, draftKey(card), (e.target as HTMLTextAreaElement).value) }),
    h("p", { class: "hint", id: "daily-answer-hint" }, noKey ? w(t, "day_no_key") : w(t, "day_answer_hint")),
    h("div", { class: "row daily-actions" },
      h("button", { type: "submit", class: "btn primary", "data-ui": "daily-send", "data-action": "answer", disabled: pending || noKey,
        "aria-busy": pending ? "true" : null }, pending ? w(t, "day_sending") : w(t, again ? "day_save_edit" : "day_send")),
      again ? h("button", { type: "button", class: "btn quiet", "data-ui": "daily-cancel-edit",
        onclick: () => { editing.delete(draftKey(card)); drafts.clear(v.room, draftKey(card)); app.render(); } }, w(t, "day_cancel_edit")) : null,
      !again && can(c, "pass_day") && v.mine?.state === "open" ? actBtn(c, "pass_day", w(t, "day_pass"), {}, "quiet") : null));
}

function yourPart(c: DCtx, card: DailyCard): Child {
  const { app, v, t } = c;
  const mine = v.mine;
  if (!mine) return null;
  const change = (): void => {
    editing.add(draftKey(card));
    app.render();
    document.getElementById("daily-answer")?.focus();
  };
  const own = mine.text && mine.text !== UNREADABLE ? mine.text : "";
  if (mine.state === "open" || editing.has(draftKey(card)))
    return answerBox(c, card, mine.state === "answered" ? own : "", mine.state !== "open");
  if (mine.state === "answered")
    return h("section", { class: "daily-mine", "data-ui": "daily-mine" },
      h("div", { class: "answer-card" }, h("p", { class: "who" }, t("you_label")),
        h("p", { class: "text", "data-ui": "daily-my-text" }, mine.text === UNREADABLE ? w(t, "day_unreadable") : own)),
      h("p", { class: "hint", "data-ui": "daily-sent" }, w(t, "day_sent")),
      h("div", { class: "row" },
        can(c, "answer") ? h("button", { type: "button", class: "btn", "data-ui": "daily-edit", onclick: change }, w(t, "day_edit")) : null,
        can(c, "pass_day") ? actBtn(c, "pass_day", w(t, "day_pass"), {}, "quiet") : null));
  return h("section", { class: "daily-mine", "data-ui": "daily-mine" },
    h("p", { class: "big", "data-ui": "daily-passed" }, w(t, "day_passed_me")),
    can(c, "answer") ? h("button", { type: "button", class: "btn", "data-ui": "daily-answer-instead", onclick: change }, w(t, "day_answer_instead")) : null);
}

const PARTNER: Record<DayState, DayKey> = { open: "day_partner_open", answered: "day_partner_answered", passed: "day_partner_passed" };

function partnerLine(c: DCtx): HTMLElement | null {
  const p = c.v.partner;
  return p ? h("p", { class: "partner-line", "data-ui": "partner-state", "aria-live": "polite", "data-state": p.state },
    w(c.t, PARTNER[p.state], { name: c.partner })) : null;
}

// --- a revealed day ----------------------------------------------------------------------
function answerOf(c: DCtx, a: DailyDay["answers"][number]): HTMLElement {
  const { t, v } = c;
  const passed = a.state !== "answered";
  // A text that does not open here, or whose own store key expired (null), can't be read.
  const text = passed ? w(t, "day_passed_label") : a.text === UNREADABLE || a.text === null ? w(t, "day_unreadable") : a.text;
  return h("div", { class: `answer-card ${passed ? "passed" : ""}`, "data-ui": "day-answer", "data-seat": String(a.seat) },
    h("p", { class: "who" }, a.seat === v.you ? t("you_label") : c.partner),
    h("p", { class: "text" }, text));
}

function hearts(c: DCtx, d: DailyDay): Child[] {
  const { v, t } = c;
  const mine = d.hearts.includes(v.you);
  const key = `heart:${d.day}`;
  return [
    can(c, "heart") ? h("button", { type: "button", class: `btn quiet heart ${mine ? "on" : ""}`, "data-action": "heart", "data-key": key,
      "data-ui": "day-heart", "aria-pressed": String(mine), disabled: c.app.s.pending.has(key),
      onclick: () => void c.app.send("heart", { day: d.day }, key) }, icon("heart", mine), w(t, "day_heart")) : null,
    d.hearts.includes(1 - v.you) ? h("p", { class: "hint partner-heart", "data-ui": "partner-heart" },
      icon("heart", true), " ", w(t, "day_partner_heart", { name: c.partner })) : null,
  ];
}

function tonight(c: DCtx, d: DailyDay, newest: boolean): Child {
  const { t, v } = c;
  const room = d.tonight;
  if (room && tonightMine(room.room))
    return h("button", { type: "button", class: "btn", "data-ui": "tonight-open", onclick: () => openTonight(room.room) }, w(t, "day_tonight_back"));
  if (room)
    return h("div", { class: "banner calm tonight", "data-ui": "tonight-invite" },
      h("p", null, w(t, "day_tonight_join", { name: c.partner })),
      h("button", { type: "button", class: "btn primary", "data-ui": "tonight-join", onclick: () => joinTonight(v, room) }, w(t, "day_join")));
  if (!newest || !can(c, "talk_tonight") || !c.deck) return null; // offered for the newest day
  const key = `tonight:${d.day}`;
  const busy = c.app.s.pending.has(key);
  return h("button", { type: "button", class: "btn", "data-ui": "tonight", "data-key": key, disabled: busy, "aria-busy": busy ? "true" : null,
    onclick: () => void talkTonight(c, d, key) }, busy ? w(t, "day_tonight_opening") : w(t, "day_tonight"));
}

function dayView(c: DCtx, d: DailyDay, top: boolean): HTMLElement {
  const { t } = c;
  return h("article", { class: `day ${top ? "day-top" : "day-past"}`, "data-ui": top ? "reveal" : "history-day", "data-key": `day-${d.day}` },
    top ? h("h2", null, w(t, "day_reveal_title")) : h("h3", null, dayDate(c, d.day)),
    top ? h("p", { class: "hint" }, dayDate(c, d.day)) : null,
    cardBox(c, d.card, true),
    h("div", { class: "answers day-answers" }, d.answers.map((a) => answerOf(c, a))),
    h("div", { class: "row day-foot" }, hearts(c, d)),
    h("p", { class: "hint", "data-ui": "kept-until" }, w(t, "day_kept_until", { date: instant(c, d.kept_until) })),
    tonight(c, d, d === c.v.history[0]));
}

// --- deeper, the next card -----------------------------------------------------------------
function deeper(c: DCtx): HTMLElement | null {
  const { v, t, partner } = c;
  const p = v.proposal;
  if (p && p.by === v.you)
    return h("div", { class: "banner calm", "data-ui": "deeper", "data-key": "deeper" }, w(t, "day_deeper_waiting", { name: partner }));
  if (p)
    return h("div", { class: "banner calm", "data-ui": "deeper", "data-key": "deeper" },
      h("p", null, w(t, "day_deeper_asked", { name: partner })),
      can(c, "answer_deeper") ? h("div", { class: "row" },
        actBtn(c, "answer_deeper", w(t, "day_deeper_yes"), { accept: true }, "primary", "deeper:yes"),
        actBtn(c, "answer_deeper", w(t, "day_deeper_no"), { accept: false }, "quiet", "deeper:no")) : null);
  if (can(c, "propose_deeper"))
    return h("div", { class: "banner calm row", "data-ui": "deeper", "data-key": "deeper" },
      h("span", null, w(t, "day_deeper_offer")), actBtn(c, "propose_deeper", w(t, "day_deeper_propose"), {}, "small"));
  return null;
}

function nextLine(c: DCtx): HTMLElement | null {
  const { v, t } = c;
  let text: string | null = null;
  if (v.played_through && !v.card) text = w(t, "day_deck_done");
  else if (v.waiting === "partner") text = w(t, "day_next_both");
  else if (v.waiting === "tomorrow")
    text = v.next_at && v.next_at * 1000 > Date.now() ? w(t, "day_next_from", { time: instant(c, v.next_at, true) }) : w(t, "day_next_tomorrow");
  return text ? h("p", { class: "next-line", "data-ui": "next-card", role: "status" }, text) : null;
}

// --- the screen ----------------------------------------------------------------------------
function topBar(c: DCtx): HTMLElement {
  const { app, t, v } = c;
  const lvl = levelName(c, v.level);
  return h("header", { class: "topbar" },
    h("div", { class: "topbar-row" },
      h("p", { class: "mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("app_name")),
      opener(app, "menu", "open-menu", [icon("menu"), w(t, "day_menu")], "btn small menu-btn")),
    h("p", { class: "level-line", "data-ui": "level" }, w(t, "day_title"), lvl ? ` · ${lvl}` : ""));
}

function today(c: DCtx): Child[] {
  const { v, t } = c;
  const card = v.card;
  const [top, ...earlier] = v.history;
  const showTop = !card && top;
  const past = showTop ? earlier : v.history;
  return [
    card
      ? h("section", { class: "daily-today", "data-key": "today" },
          h("h1", { tabindex: "-1", class: "day-label", "data-ui": "day-label" },
            card.day < v.today ? w(t, "day_from", { date: dayDate(c, card.day) }) : w(t, "day_today")),
          h("div", { class: "stage" }, cardBox(c, card)),
          yourPart(c, card),
          partnerLine(c))
      : h("h1", { tabindex: "-1", class: "visually-hidden" }, w(t, "day_title")),
    showTop ? dayView(c, top, true) : null,
    nextLine(c),
    past.length ? h("section", { class: "daily-earlier", "data-ui": "history", "data-key": "earlier" },
      h("h2", null, w(t, "day_earlier")), past.map((d) => dayView(c, d, false))) : null,
  ];
}

function waitingForPartner(c: DCtx): Child[] {
  const { app, t } = c;
  return [
    h("h1", { tabindex: "-1", class: "day-label" }, w(t, "day_invite_title")),
    h("p", { class: "big", "data-ui": "status-line", tabindex: "-1" }, w(t, "day_first_card")),
    invitePanel(app, false),
  ];
}

function footer(c: DCtx): HTMLElement {
  const { app, t, v } = c;
  return h("footer", { class: "daily-foot" },
    h("p", { class: "hint", "data-ui": "daily-ends" }, w(t, "day_ends", { date: instant(c, v.ends_at) })),
    opener(app, "daily-delete", "daily-delete", [icon("trash"), w(t, "day_delete")], "btn quiet small"));
}

function deleted(app: App): HTMLElement {
  const t = app.t();
  return h("div", { class: "screen stopped", "data-screen": "deleted" },
    h("h1", { tabindex: "-1" }, t("app_name")),
    h("div", { class: "panel calm-panel", role: "status" }, h("p", { class: "big", "data-ui": "day-deleted" }, w(t, "day_deleted"))),
    h("a", { class: "btn primary", href: "./", "data-ui": "home" }, t("new_game")));
}

export function dailyScreen(app: App): HTMLElement {
  const v = app.s.daily;
  if (app.s.route === "stopped" || !v) return deleted(app); // (main.ts: only a deleted space)
  const c = ctxOf(app, v);
  const levels = c.deck?.levels ?? [];
  applyTheme(levelColour(levels, v.level), levels);
  const joined = v.seats[1 - v.you]?.joined;
  return h("div", { class: "room daily", "data-screen": "daily", "data-level": String(v.level) },
    menuSheet(c), timeSheet(c), deleteSheet(c), boundarySheet(c),
    topBar(c),
    h("div", { class: "banners" }, notices(c.live)),
    h("div", { class: "screen daily-screen" },
      joined ? deeper(c) : null,
      joined ? today(c) : waitingForPartner(c),
      footer(c)));
}

/** A new view: the screen reader hears what changed (a new card, the partner, a reveal). */
export function announce(app: App, v: DailyView, old: DailyView | null): void {
  if (!old) return;
  const c = ctxOf(app, v);
  if (v.card && v.card.id !== old.card?.id) app.s.announce = v.card.text;
  else if ((v.history[0]?.day ?? "") !== (old.history[0]?.day ?? "")) app.s.announce = w(c.t, "day_reveal_title");
  else if (v.partner && v.partner.state !== old.partner?.state) app.s.announce = w(c.t, PARTNER[v.partner.state], { name: c.partner });
}
