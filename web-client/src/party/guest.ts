// A guest's phone: join with a name, pair (a code, or "find me a partner", or wait for
// the host's mixer), then play the table with the couple UI itself (App + roomScreen),
// connected to "PARTY/t7" on /ws as an ordinary seat.

import { App } from "../app";
import { h, type Child } from "../dom";
import { pickLang, translator, type Lang, type T } from "../i18n";
import { seats } from "../state";
import { roomScreen } from "../ui/room";
import { can, clock, saved, secondsLeft } from "./model";
import { PartySocket, type Msg } from "./net";
import { partyWords, replyWords } from "./words";

export interface GuestView {
  meta: { code: string; locked: boolean; ended: boolean; mixer: boolean;
          round: { seconds: number | null; no: number; deadline: number | null; over: boolean } };
  you: { id: string; name: string; looking: boolean; pair_code: string | null; note?: string | null } | null;
  table?: { id: string; seat: number; partner: string } | null;
  is_host?: boolean;
  removed: boolean;
  legal?: string[]; // this guest's party actions now; every button here is offered from it
}

// Stops after which this browser's guest token is of no more use. A removed or departed
// guest's token is kept, so a reload says so again (the server refuses it with its own
// code) until they choose to join again as a new guest.
const FORGET = new Set(["join/failed", "party/ended"]);

export class GuestPage {
  view: GuestView | null = null;
  socket: PartySocket | null = null;
  table: App | null = null;
  tableRoom: string | null = null;
  stopped: string | null = null;
  online = false;
  left = false; // this guest chose to leave the party
  confirming: "table" | "party" | null = null;
  error = "";
  name = "";
  codeInput = "";
  otherCode = "";
  private seating = false;
  readonly lang: Lang = pickLang(navigator.language);
  readonly t: T = translator(this.lang);

  constructor(readonly code: string, private render: () => void, private keepUrl: () => void) {
    if (saved.get("guest", code)) this.connect();
  }

  get joined(): boolean {
    return this.socket !== null;
  }

  join(name: string): void {
    this.name = name.trim();
    if (!this.name) {
      this.error = this.t("p_enter_name");
      this.render();
      return;
    }
    this.error = "";
    this.connect();
  }

  /** After a stop: try once more (a locked door, a busy server), as the same guest if a
   *  token is kept, else as a new one. */
  retry(asNew = false): void {
    if (asNew) saved.forget("guest", this.code);
    this.stopped = null;
    this.socket = null;
    this.left = false;
    this.error = "";
    if (saved.get("guest", this.code)) this.connect();
    else this.render();
  }

  private connect(): void {
    const language = this.lang;
    this.socket?.stop();
    this.socket = new PartySocket(() => {
      const token = saved.get("guest", this.code);
      return token
        ? { party: this.code, role: "guest", token }
        : { party: this.code, role: "guest", name: this.name, language };
    }, {
      welcome: (m) => {
        if (typeof m.token === "string") saved.set("guest", this.code, m.token);
      },
      message: (m) => this.onMessage(m),
      status: (open) => {
        this.online = open;
        this.render();
      },
      stop: (reason) => this.onStop(reason),
    });
    this.socket.start();
    this.render();
  }

  private onStop(reason: string): void {
    if (FORGET.has(reason)) saved.forget("guest", this.code);
    this.stopped = this.left ? "party/left" : reason === "removed" ? "party/removed" : reason;
    this.leaveTable();
    this.render();
  }

  private onMessage(m: Msg): void {
    if (m.t !== "party") return;
    this.view = m.view as GuestView;
    if (this.view.removed) this.onStop(this.left ? "party/left" : "party/removed");
    else void this.syncTable();
    this.render();
  }

  private leaveTable(): void {
    this.table?.stop();
    this.table = null;
    this.tableRoom = null;
  }

  /** Sit at the table the party says is ours: a fresh seat token, then the couple UI. */
  private async syncTable(): Promise<void> {
    const t = this.view?.table;
    const room = t ? `${this.code}/${t.id}` : null;
    if (room === this.tableRoom || this.seating || !this.socket) return;
    if (room === null) {
      this.leaveTable();
      return;
    }
    this.seating = true;
    const reply = await this.socket.request({ t: "seat" });
    this.seating = false;
    if (reply.t !== "seat") {
      window.setTimeout(() => void this.syncTable(), 1000);
      return;
    }
    this.leaveTable();
    seats.set(reply.room as string, reply.token as string);
    const app = new App(this.lang);
    app.party = true; // no invite, no "delete our room": the host runs this room
    app.onRender(() => this.render());
    this.table = app;
    this.tableRoom = reply.room as string;
    app.resume(this.tableRoom);
    this.keepUrl();
    this.render();
  }

  async act(a: string, fields: Msg = {}): Promise<Msg | null> {
    if (!this.socket) return null;
    const reply = await this.socket.act(a, fields);
    this.error = replyWords(reply, false, this.lang);
    this.render();
    return reply;
  }

  ask(what: "table" | "party" | null): void {
    this.confirming = what;
    this.render();
  }

  async leave(what: "table" | "party"): Promise<void> {
    this.confirming = null;
    if (what === "party") this.left = true; // the socket closes right after the ack
    const reply = await this.act(what === "party" ? "leave_party" : "leave_table");
    if (what === "party" && reply?.t !== "ack") this.left = false;
    if (what === "party" && reply?.t === "ack") this.onStop("party/left");
  }

  async takeHost(): Promise<void> {
    if (!this.socket) return;
    const reply = await this.socket.request({ t: "claim_host" });
    if (reply.t !== "host_token") {
      this.error = replyWords(reply, false, this.lang);
      this.render();
      return;
    }
    saved.set("host", this.code, reply.token as string);
    if (typeof reply.display_key === "string") saved.set("display", this.code, reply.display_key);
    location.hash = `host=${this.code}`;
    location.reload();
  }
}

export function guestScreen(g: GuestPage): HTMLElement {
  const t = g.t;
  if (g.stopped) return stoppedScreen(g, g.stopped);
  if (!g.joined) return nameForm(g);
  const v = g.view;
  if (!v || !v.you)
    return calm("connecting", t("p_party_title"), g.online ? t("p_joining") : t("p_connecting_slow"));
  if (v.meta.ended) return calm("party-ended", t("p_ended_title"), t("p_thanks_playing"));
  const table = g.table;
  if (v.table && table?.s.view && table.s.route === "room")
    return h("div", { class: "party-table", "data-screen": "party-table" },
      partyStrip(g, v),
      g.confirming === "table" && can(v, "leave_table") ? confirmLeave(g, "table", v) : null,
      roomScreen(table, table.s.view));
  return h("div", { class: "screen party-guest", "data-screen": v.table ? "party-seating" : "party-lobby" },
    h("p", { class: "mark party-mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("p_party_code_title", { code: v.meta.code })),
    h("h1", null, t("p_hello", { name: v.you.name })),
    g.online ? null : h("p", { class: "banner warn", role: "status" }, t("p_reconnecting")),
    g.error ? h("p", { class: "banner error", role: "alert", "data-ui": "guest-error" }, g.error) : null,
    hostOffer(g, v),
    v.table ? h("p", { class: "big" }, t("p_taking_seat", { name: v.table.partner })) : pairing(g, v),
    v.table ? null : leaveParty(g, v));
}

function stoppedScreen(g: GuestPage, reason: string): HTMLElement {
  const t = g.t;
  const again = (label: string, asNew = false) =>
    h("button", { type: "button", class: asNew ? "btn quiet" : "btn primary", "data-ui": asNew ? "join-as-new" : "try-again", onclick: () => g.retry(asNew) }, label);
  if (reason === "party/ended") return calm("party-ended", t("p_ended_title"), t("p_thanks_playing"));
  if (reason === "party/removed")
    return h("div", { class: "screen calm-panel", "data-screen": "party-removed" },
      h("h1", null, t("p_removed_title")),
      h("p", { class: "big" }, t("p_removed_body")),
      again(t("p_join_as_new"), true));
  if (reason === "party/left")
    return h("div", { class: "screen calm-panel", "data-screen": "party-left" },
      h("h1", null, t("p_left_title")), h("p", { class: "big" }, t("p_thanks_coming")),
      again(t("p_join_as_new"), true));
  if (reason === "join/failed") return notFound(g);
  const title = reason === "party/locked" ? t("p_not_taking_guests")
    : reason === "party/full" ? t("p_full_title") : t("p_could_not_join");
  return h("div", { class: "screen calm-panel", "data-screen": "party-refused", "data-reason": reason },
    h("h1", null, title),
    h("p", { class: "big", role: "alert" }, partyWords(reason, false, g.lang)),
    again(t("p_try_again")));
}

function notFound(g: GuestPage): HTMLElement {
  const t = g.t;
  return h("div", { class: "screen start", "data-screen": "party-not-found" },
    h("h1", null, t("p_not_found_title")),
    h("p", { class: "big", role: "alert", "data-ui": "guest-error" }, t("p_not_found_body", { code: g.code })),
    h("form", { class: "stack", onsubmit: (e: Event) => {
      e.preventDefault();
      const code = g.otherCode.trim().toUpperCase();
      if (!code) return;
      location.hash = `join=${code}`;
      location.reload();
    } },
      h("div", { class: "field" },
        h("label", { for: "other-code" }, t("p_party_code")),
        h("input", { id: "other-code", "data-ui": "other-code", autocomplete: "off", maxlength: "6", value: g.otherCode,
          oninput: (e: Event) => { g.otherCode = (e.target as HTMLInputElement).value; } })),
      h("button", { type: "submit", class: "btn primary", "data-ui": "join-other" }, t("p_join_this"))));
}

function confirmLeave(g: GuestPage, what: "table" | "party", v: GuestView): HTMLElement {
  const t = g.t;
  const partner = v.table?.partner;
  const question = what === "table"
    ? partner ? t("p_confirm_leave_table", { name: partner }) : t("p_confirm_leave_table_anon")
    : t("p_confirm_leave_party");
  return h("section", { class: "banner confirm", role: "alertdialog", "aria-labelledby": `leave-${what}-q`, "data-ui": `confirm-leave-${what}` },
    h("p", { id: `leave-${what}-q` }, question),
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn danger", "data-ui": `yes-leave-${what}`, "data-party-action": `leave_${what}`, onclick: () => void g.leave(what) },
        what === "table" ? t("p_leave_the_table") : t("p_leave_party")),
      h("button", { type: "button", class: "btn quiet", "data-ui": "stay", onclick: () => g.ask(null) }, t("p_stay"))));
}

function leaveParty(g: GuestPage, v: GuestView): Child {
  if (!can(v, "leave_party")) return null; // a co-host hands the role on first
  if (g.confirming === "party") return confirmLeave(g, "party", v);
  return h("p", { class: "leave-row" },
    h("button", { type: "button", class: "btn small quiet", "data-ui": "leave-party", "data-party-action": "leave_party", onclick: () => g.ask("party") }, g.t("p_leave_party")));
}

function calm(screen: string, title: string, body: string): HTMLElement {
  return h("div", { class: "screen calm-panel", "data-screen": screen }, h("h1", null, title), h("p", { class: "big" }, body));
}

/** Above a guest's table: the party, the partner and the round's clock, big enough to
 *  read at a glance; "time for a new card" is the table's to say, between cards. */
function partyStrip(g: GuestPage, v: GuestView): HTMLElement {
  const t = g.t;
  const left = secondsLeft(v.meta);
  return h("div", { class: "party-strip", "data-ui": "party-strip" },
    h("p", { class: "strip-who" },
      h("span", { class: "strip-party" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("p_party_code_title", { code: v.meta.code })),
      h("span", { class: "strip-partner" }, t("p_with", { name: v.table?.partner ?? "" }))),
    left !== null
      ? h("p", { class: "strip-clock", role: "timer", "aria-label": t("p_round_left", { n: v.meta.round.no }) },
          h("span", { class: "mono", "data-ui": "guest-countdown" }, clock(left)))
      : null,
    hostOffer(g, v),
    g.table?.s.safety // the same on both phones: nobody in between holds the table's key
      ? h("p", { class: "strip-safety" }, t("p_safety", { name: v.table?.partner ?? "" }), " ",
          h("strong", { class: "mono", "data-ui": "safety-code" }, g.table.s.safety))
      : null,
    g.confirming === "table" || !can(v, "leave_table") ? null
      : h("button", { type: "button", class: "btn small quiet", "data-ui": "leave-table", "data-party-action": "leave_table", onclick: () => g.ask("table") }, t("p_leave_table")));
}

// Not a party action (it is its own message, claim_host): offered from `is_host`.
function hostOffer(g: GuestPage, v: GuestView): Child {
  if (!v.is_host) return null;
  return h("button", { type: "button", class: "btn small primary", "data-ui": "take-host", onclick: () => void g.takeHost() }, g.t("p_open_console"));
}

function pairing(g: GuestPage, v: GuestView): HTMLElement {
  const t = g.t;
  const you = v.you as NonNullable<GuestView["you"]>;
  const note = you.note === "partner_left"
    ? h("p", { class: "banner calm", role: "status", "data-ui": "partner-left" }, t("p_partner_left"))
    : null;
  // A guest who is looking, or waits for the host's mixer, is told to wait and offered
  // nothing: `legal` still lists pairing actions then (the engine would take them), but
  // the wait ends by itself. Everything offered below is offered only when legal.
  if (you.looking)
    return h("div", null, note,
      h("p", { class: "banner calm big", "data-ui": "looking" }, t("p_looking")));
  if (v.meta.mixer)
    return h("p", { class: "banner calm big", "data-ui": "mixer-wait" }, t("p_mixer_wait"));
  return h("div", { class: "stack" },
    you.pair_code
      ? h("p", { class: "big" }, t("p_your_pair_code"), " ", h("strong", { class: "mono pair-code", "data-ui": "pair-code" }, you.pair_code),
          h("br"), t("p_partner_enters"))
      : can(v, "make_pair_code")
        ? h("button", { type: "button", class: "btn primary", "data-ui": "make-code", "data-party-action": "make_pair_code", onclick: () => void g.act("make_pair_code") }, t("p_make_code"))
        : null,
    can(v, "enter_pair_code") ? h("form", { class: "field", onsubmit: (e: Event) => {
      e.preventDefault();
      void g.act("enter_pair_code", { code: g.codeInput });
    } },
      h("label", { for: "pair-code" }, t("p_partner_has_code")),
      h("div", { class: "row" },
        h("input", { id: "pair-code", "data-ui": "enter-code", autocomplete: "off", maxlength: "8", value: g.codeInput,
          oninput: (e: Event) => { g.codeInput = (e.target as HTMLInputElement).value; } }),
        h("button", { type: "submit", class: "btn", "data-ui": "pair-with-code", "data-party-action": "enter_pair_code" }, t("p_pair_with_code")))) : null,
    can(v, "look_for_partner")
      ? h("button", { type: "button", class: "btn quiet", "data-ui": "look", "data-party-action": "look_for_partner", onclick: () => void g.act("look_for_partner") }, t("p_find_partner"))
      : null);
}

function nameForm(g: GuestPage): HTMLElement {
  const t = g.t;
  return h("div", { class: "screen start party-guest", "data-screen": "party-join" },
    h("p", { class: "mark party-mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("p_party_title")),
    h("h1", null, t("p_join_party_code", { code: g.code })),
    g.error ? h("p", { class: "banner error", role: "alert" }, g.error) : null,
    h("form", { class: "stack", onsubmit: (e: Event) => {
      e.preventDefault();
      g.join(g.name);
    } },
      h("div", { class: "field" },
        h("label", { for: "guest-name" }, t("your_name")),
        h("input", { id: "guest-name", "data-ui": "guest-name", maxlength: "40", autocomplete: "nickname", value: g.name,
          oninput: (e: Event) => { g.name = (e.target as HTMLInputElement).value; } })),
      h("button", { type: "submit", class: "btn primary", "data-ui": "join-party" }, t("p_join"))));
}
