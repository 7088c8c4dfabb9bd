// One phone, side by side (issue 21): this page holds both seats, each an App of its own
// with its own WebSocket bound to its seat at `hello` (the protocol and the engine are
// unchanged). The page shows one seat at a time, the one whose moment it is, says so in
// large type, and asks to pass the phone over whenever the next step is the other's.
// Private steps (boundaries, a reveal card's answer) sit behind a hand-over screen the
// other partner is asked to look away from; only the seat in front is ever rendered, so
// nothing of the other seat's private text is in the page.

import { App, type CreateForm } from "../app";
import { h } from "../dom";
import { hooks } from "../hooks";
import type { T } from "../i18n";
import { roomKeys, seats, secondSeats } from "../state";
import type { View } from "../types";
import { boundaryList, ctxFor } from "../ui/common";
import { qrSvg } from "../ui/invite";
import { roomScreen } from "../ui/room";
import { sheet } from "../ui/sheet";
import { stoppedScreen } from "../ui/start";
import { w } from "./words";

// The actions that make a seat's moment: the phone goes to whoever has one.
const MOVES = ["ready", "draw", "answer", "done_speaking", "reflect", "felt_heard", "accept_deeper", "resume"];

type Private = "boundaries" | "reveal" | null;

class OnePhone {
  holder = 0; // the seat holding the phone
  handTo: number | null = null; // a hand-over screen to this seat
  why: Private = null; // ...private (the other looks away), and for what
  editing: number | null = null; // the seat whose boundaries screen is open
  private done = new Set<string>(); // "boundaries:<seat>", "reveal:<card>:<half>:<seat>"
  private leaving = false;

  constructor(
    readonly apps: App[],
    private render: () => void,
  ) {
    this.done = new Set(JSON.parse(sessionStorage.getItem(this.doneKey()) ?? "[]") as string[]);
  }

  private doneKey(): string {
    return `closeknit:onephone:${this.apps[0]?.s.room ?? ""}`;
  }

  private mark(what: string): void {
    this.done.add(what);
    try {
      sessionStorage.setItem(this.doneKey(), JSON.stringify([...this.done]));
    } catch {
      // kept in this page
    }
  }

  seat(i: number): App | undefined {
    return this.apps.find((a) => a.s.view?.you === i);
  }

  front(): App {
    return this.seat(this.holder) ?? this.apps[0];
  }

  name(i: number): string {
    const v = this.front().s.view ?? this.apps.find((a) => a.s.view)?.s.view;
    return v?.seats[i]?.name?.trim() || this.front().t()("partner_label");
  }

  private needs(i: number): boolean {
    const v = this.seat(i)?.s.view;
    if (!v) return false;
    if (v.phase === "writing") return v.legal.includes("write_reveal") && !v.reveal?.submitted[v.you];
    return MOVES.some((a) => v.legal.includes(a));
  }

  private boundariesPending(i: number): boolean {
    const v = this.seat(i)?.s.view;
    return !!v && v.phase === "lobby" && v.deck.tags.length > 0 && !v.seats[i]?.ready && !this.done.has(`boundaries:${i}`);
  }

  private revealKey(v: View, i: number): string {
    return `reveal:${v.card?.id ?? ""}:${v.card?.half ?? 0}:${i}`;
  }

  /** After every change: who should hold the phone, and is a hand-over screen due. */
  settle(): void {
    this.watchStops();
    if (this.handTo !== null || this.editing !== null) return;
    const here = this.holder;
    const next = !this.needs(here) && this.needs(1 - here) ? 1 - here : here;
    const v = this.seat(next)?.s.view;
    // "We talked" closes the talk for both seats of this page.
    const talked = this.apps.map((a) => a.s.talked).find(Boolean) ?? null;
    for (const a of this.apps) if (talked) a.s.talked = talked;
    let why: Private = null;
    if (this.boundariesPending(next)) why = "boundaries";
    else if (v?.phase === "writing" && this.needs(next) && !this.done.has(this.revealKey(v, next))) why = "reveal";
    if (next !== here || why) {
      this.handTo = next;
      this.why = why;
    }
  }

  take(): void {
    const to = this.handTo ?? this.holder;
    const v = this.seat(to)?.s.view;
    this.holder = to;
    if (this.why === "boundaries") this.editing = to;
    if (this.why === "reveal" && v) this.mark(this.revealKey(v, to));
    this.handTo = null;
    this.why = null;
    this.render();
  }

  finishBoundaries(): void {
    if (this.editing !== null) this.mark(`boundaries:${this.editing}`);
    this.editing = null;
    this.render();
  }

  /** "Change my boundaries" for a seat: only behind that seat's own hand-over screen. */
  changeBoundaries(i: number): void {
    for (const a of this.apps) a.s.sheet = null;
    this.handTo = i;
    this.why = "boundaries";
    this.render();
  }

  // A seat opened on another phone (the partner scanned its link): this page keeps the
  // other seat alone, as a two-phone page, and the game goes on.
  private watchStops(): void {
    if (this.leaving) return;
    const gone = this.apps.find((a) => a.s.stop === "replaced");
    const stay = this.apps.find((a) => a !== gone);
    const room = stay?.s.room;
    if (!gone || !stay || !room) return;
    this.leaving = true;
    gone.stop();
    const token = stay.store.get(room);
    if (token) seats.set(room, token);
    secondSeats.forget(room);
    stay.stop();
    location.reload();
  }

  screen(): HTMLElement {
    this.watchStops();
    // A room deleted (by either seat) or gone: the page says so, as on two phones.
    const stopped = this.apps.find((a) => a.s.route === "stopped" && a.s.stop !== "replaced");
    if (stopped) return stoppedScreen(stopped);
    const app = this.front();
    const v = app.s.view;
    if (!v || this.apps.some((a) => !a.s.view)) return connecting(app.t(), this.apps.map((a) => a.s.error).find(Boolean) ?? null);
    this.settle();
    if (this.handTo !== null) return this.handOver(app.t());
    if (this.editing !== null) return this.boundaries(this.editing);
    const room = roomScreen(app, v);
    const said = this.moment(v); // the summary says it in its own heading
    if (said) room.querySelector(".topbar")?.after(h("p", { class: "moment", "data-ui": "moment", "aria-live": "polite" }, said));
    return h("div", { class: "one-phone" }, room);
  }

  private moment(v: View): string {
    const t = this.front().t();
    const me = v.you;
    const n = (i: number): string => this.name(i);
    const speaker = v.speaker ?? me;
    if (v.paused.me || v.paused.partner || v.paused.host) return w(t, "one_moment_pause");
    switch (v.phase) {
      case "lobby":
        return w(t, "one_moment_ready", { name: n(me) });
      case "ended":
        return "";
      case "writing":
        return w(t, "one_moment_write", { name: n(me), other: n(1 - me) });
      case "shown":
      case "speaking":
        return w(t, "one_moment_speak", { speaker: n(speaker), listener: n(1 - speaker) });
      case "reflecting":
        return w(t, "one_moment_reflect", { speaker: n(speaker), listener: n(1 - speaker) });
      case "confirming":
        return w(t, "one_moment_confirm", { speaker: n(speaker) });
      default:
        if (v.proposal) return w(t, "one_moment_deeper", { name: n(1 - v.proposal.by) });
        if (v.revealed && this.front().s.talked !== v.revealed.card.id) return w(t, "one_moment_talk", { a: n(0), b: n(1) });
        return w(t, "one_moment_draw", { name: n(speaker) });
    }
  }

  private handOver(t: T): HTMLElement {
    const to = this.handTo ?? 0;
    const name = this.name(to);
    const other = this.name(1 - to);
    const same = to === this.holder;
    const why = this.why;
    return h("div", { class: `screen hand-over ${why ? "private" : ""}`, "data-screen": "hand-over", "data-to": String(to), "data-private": why ?? "" },
      h("div", { class: "hand-mark", "aria-hidden": "true" }, h("span", { class: "hand-dot" }), h("span", { class: "hand-dot" })),
      h("h1", { tabindex: "-1", class: "hand-title" }, same ? w(t, "one_its_yours", { name }) : w(t, "one_pass_to", { name })),
      why ? h("p", { class: "look-away", role: "status" }, w(t, "one_look_away", { other })) : null,
      why ? h("p", { class: "big" }, w(t, why === "boundaries" ? "one_private_boundaries" : "one_private_reveal", { name })) : null,
      h("div", { class: "bar" }, h("div", { class: "bar-main" },
        h("button", { type: "button", class: "btn primary", "data-ui": "take-phone", "data-primary": "", onclick: () => this.take() },
          w(t, "one_take", { name })))));
  }

  private boundaries(i: number): HTMLElement {
    const app = this.seat(i) as App;
    const c = ctxFor(app, app.s.view as View);
    const t = c.t;
    return h("div", { class: "screen own-boundaries", "data-screen": "one-boundaries", "data-seat": String(i) },
      h("h1", { tabindex: "-1" }, w(t, "one_boundaries_title", { name: this.name(i) })),
      h("p", { class: "hint" }, w(t, "one_boundaries_hint", { name: this.name(i) })),
      h("section", { class: "panel" }, boundaryList(c)),
      h("p", { class: "hint" }, t("boundaries_private")),
      h("div", { class: "bar" }, h("div", { class: "bar-main" },
        h("button", { type: "button", class: "btn primary", "data-ui": "boundaries-done", "data-primary": "", onclick: () => this.finishBoundaries() },
          w(t, "one_done")))));
  }

  /** The menu's part on one phone: each partner's boundaries behind their own hand-over
   * screen, and a seat onto its own phone. */
  menuPart(app: App): HTMLElement[] {
    const v = app.s.view;
    if (!v) return [];
    const t = app.t();
    const out: HTMLElement[] = [];
    if (v.deck.tags.length)
      for (const i of [0, 1])
        out.push(h("button", { type: "button", class: "btn quiet", "data-ui": `change-boundaries-${i}`, onclick: () => this.changeBoundaries(i) },
          w(t, "one_change_boundaries", { name: this.name(i) })));
    for (const i of [0, 1])
      out.push(h("button", { type: "button", class: "btn quiet", "data-ui": `to-two-${i}`,
        onclick: () => { seatShown = i; app.s.sheet = "seat-link"; app.render(); } }, w(t, "one_to_two", { name: this.name(i) })));
    return out;
  }

  seatSheet(app: App): HTMLElement {
    const t = app.t();
    const i = seatShown;
    const link = this.seat(i) ? seatLink(this.seat(i) as App) : "";
    return sheet(app, "seat-link", w(t, "one_to_two", { name: this.name(i) }), [
      h("p", null, w(t, "one_to_two_text", { name: this.name(i), other: this.name(1 - i) })),
      link ? seatPanel(t, link) : null,
    ]);
  }
}

let seatShown = 0;

function connecting(t: T, error: string | null): HTMLElement {
  return h("div", { class: "screen", "data-screen": "connecting" },
    h("h1", { class: "visually-hidden", tabindex: "-1" }, t("app_name")),
    error ? h("div", { class: "banner error", role: "alert" }, error) : null,
    h("p", { class: "big", role: "status" }, t("connecting")));
}

/** A seat's own link: its newest token and the room key, in the fragment only (never
 * sent to the server), for the other phone to open. */
function seatLink(app: App): string {
  const room = app.s.room ?? "";
  const token = app.store.get(room) ?? "";
  const key = roomKeys.get(room);
  return `${new URL(".", location.href).href}#seat=${room}.${token}${key ? `&key=${key}` : ""}`;
}

function seatPanel(t: T, link: string): HTMLElement {
  return h("div", { class: "seat-link", "data-key": link },
    h("div", { class: "qr-wrap" }, qrSvg(link, w(t, "one_qr"))),
    h("label", { for: "seat-link" }, w(t, "one_seat_link")),
    h("input", { id: "seat-link", class: "mono", readonly: true, value: link, "data-ui": "seat-link" }),
    h("p", { class: "hint" }, w(t, "one_seat_secret")));
}

function second(lang: App["s"]["lang"]): App {
  const b = new App(lang);
  b.onePhone = true;
  b.store = secondSeats;
  b.scope = "s1:";
  return b;
}

function start(first: App, other: App, render: () => void): void {
  first.onePhone = true;
  first.scope = "s0:";
  const p = new OnePhone([first, other], render);
  other.onRender(render);
  hooks.page = { app: () => p.front(), screen: () => p.screen() };
  const menu = hooks.menuSection;
  hooks.menuSection = (app) => [...(menu?.(app) ?? []), ...p.menuPart(app)];
  const sheets = hooks.roomSheets;
  hooks.roomSheets = (c) => [...(sheets?.(c) ?? []), p.seatSheet(c.app)];
  for (const a of p.apps) if (a.s.view) p.holder = a.s.view.you;
}

/** The screen that starts one-phone play: what stays private and what a shared phone
 * cannot protect, in plain words, and the partner's name. */
export function intro(app: App, form: CreateForm, render: () => void): void {
  const t = app.t();
  hooks.page = {
    app: () => app,
    screen: () => h("form", {
      class: "screen start one-intro", "data-screen": "one-phone",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const f = e.target as HTMLFormElement;
        const mine = (f.elements.namedItem("one-me") as HTMLInputElement).value;
        const theirs = (f.elements.namedItem("one-partner") as HTMLInputElement).value;
        void begin(app, { ...form, name: mine }, theirs, render);
      },
    },
    h("h1", { tabindex: "-1" }, w(t, "one_title")),
    h("p", { class: "big" }, w(t, "one_intro")),
    h("section", { class: "panel one-promise" },
      h("p", null, w(t, "one_kept")),
      h("p", { class: "one-cannot", "data-ui": "one-cannot" }, h("strong", null, w(t, "one_cannot")))),
    app.s.error ? h("div", { class: "banner error", role: "alert" }, app.s.error) : null,
    h("div", { class: "field" }, h("label", { for: "one-me" }, t("your_name")),
      h("input", { id: "one-me", name: "one-me", required: true, maxlength: "40", defaultValue: form.name, autocomplete: "off" })),
    h("div", { class: "field" }, h("label", { for: "one-partner" }, w(t, "one_partner_name")),
      h("input", { id: "one-partner", name: "one-partner", required: true, maxlength: "40", autocomplete: "off" })),
    h("div", { class: "row" },
      h("button", { type: "submit", class: "btn primary", "data-ui": "one-start", disabled: app.s.busy }, app.s.busy ? w(t, "one_starting") : w(t, "one_start")),
      h("button", { type: "button", class: "btn quiet", "data-ui": "one-back", onclick: () => { hooks.page = undefined; render(); } }, w(t, "one_back")))),
  };
  render();
}

async function begin(app: App, form: CreateForm, partner: string, render: () => void): Promise<void> {
  if (!partner.trim() || !form.name.trim()) return;
  app.onePhone = true;
  await app.createRoom(form);
  const invite = app.s.inviteUrl?.split("#join=")[1]?.split("&")[0] ?? "";
  const [room, secret] = invite.split(".", 2);
  if (app.s.route !== "room" || !room || !secret) {
    app.onePhone = false;
    render();
    return;
  }
  const other = second(app.s.lang);
  other.s.invite = { room, secret };
  start(app, other, render);
  app.s.inviteUrl = null; // the invite is this page's own second seat
  other.joinWithInvite(partner);
  render();
}

/** A page opened on a room it holds both seats of, or on a seat link from another phone. */
export function boot(app: App, render: () => void): void {
  const hash = new URLSearchParams(location.hash.slice(1));
  const link = hash.get("seat");
  const key = hash.get("key");
  let room = hash.get("room") ?? "";
  if (link) {
    const [r, token] = link.split(".", 2);
    room = r ?? "";
    if (key && room) roomKeys.set(room, key);
    history.replaceState(null, "", `#room=${encodeURIComponent(room)}`); // the token out of the address at once
    // This browser holds no seat of the room: the link's seat is its one seat.
    if (!seats.get(room) && token) seats.set(room, token);
    else if (token) secondSeats.set(room, token);
  }
  const token = secondSeats.get(room);
  if (!room || !token || !seats.get(room)) {
    app.boot();
    return;
  }
  const other = second(app.s.lang);
  app.s.room = room; // before start: what this tab kept of the room's hand-overs
  other.s.room = room;
  start(app, other, render);
  void app.loadDecks();
  app.resume(room);
  other.enterRoom(room, { room, token });
  render();
}

let offered = false;

/** Two phones back to one: this seat's link, for the partner's phone to open; that
 * phone then holds both seats and this one is let go (closed as "replaced"). */
export function offerSeat(app: App): void {
  if (!offered) {
    offered = true;
    const sheets = hooks.roomSheets;
    hooks.roomSheets = (c) => [...(sheets?.(c) ?? []), sheet(c.app, "one-phone", c.t("one_to_one"), [
      h("p", null, w(c.t, "one_to_one_text")), seatPanel(c.t, seatLink(c.app))])];
  }
  app.s.sheet = "one-phone";
  app.render();
}
