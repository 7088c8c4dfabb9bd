// A guest's phone: join with a name, pair (a code, or "find me a partner", or wait for
// the host's mixer), then play the table with the couple UI itself (App + roomScreen),
// connected to "PARTY/t7" on /ws as an ordinary seat.

import { App } from "../app";
import { h, type Child } from "../dom";
import { pickLang } from "../i18n";
import { seats } from "../state";
import { roomScreen } from "../ui/room";
import { clock, saved, secondsLeft } from "./model";
import { PartySocket, type Msg } from "./net";

export interface GuestView {
  meta: { code: string; locked: boolean; ended: boolean; mixer: boolean;
          round: { seconds: number | null; no: number; deadline: number | null; over: boolean } };
  you: { id: string; name: string; looking: boolean; pair_code: string | null } | null;
  table?: { id: string; seat: number; partner: string } | null;
  is_host?: boolean;
  removed: boolean;
}

export class GuestPage {
  view: GuestView | null = null;
  socket: PartySocket | null = null;
  table: App | null = null;
  tableRoom: string | null = null;
  stopped: string | null = null;
  error = "";
  name = "";
  codeInput = "";
  private seating = false;

  constructor(readonly code: string, private render: () => void, private keepUrl: () => void) {
    if (saved.get("guest", code)) this.connect();
  }

  get joined(): boolean {
    return this.socket !== null;
  }

  join(name: string): void {
    this.name = name.trim();
    if (!this.name) {
      this.error = "Please enter your name.";
      this.render();
      return;
    }
    this.connect();
  }

  private connect(): void {
    const language = pickLang(navigator.language);
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
      status: () => this.render(),
      stop: (reason) => {
        if (reason === "join/failed") saved.forget("guest", this.code);
        this.stopped = reason;
        this.socket = reason === "party/locked" || reason === "join/failed" ? null : this.socket;
        this.error = reason === "party/locked" ? "This party is not taking new guests." : "";
        this.render();
      },
    });
    this.socket.start();
    this.render();
  }

  private onMessage(m: Msg): void {
    if (m.t !== "party") return;
    this.view = m.view as GuestView;
    void this.syncTable();
    this.render();
  }

  /** Sit at the table the party says is ours: a fresh seat token, then the couple UI. */
  private async syncTable(): Promise<void> {
    const t = this.view?.table;
    const room = t ? `${this.code}/${t.id}` : null;
    if (room === this.tableRoom || this.seating || !this.socket) return;
    if (room === null) {
      this.table = null;
      this.tableRoom = null;
      return;
    }
    this.seating = true;
    const reply = await this.socket.request({ t: "seat" });
    this.seating = false;
    if (reply.t !== "seat") {
      window.setTimeout(() => void this.syncTable(), 1000);
      return;
    }
    seats.set(reply.room as string, reply.token as string);
    const app = new App(pickLang(navigator.language));
    app.onRender(() => this.render());
    this.table = app;
    this.tableRoom = reply.room as string;
    app.resume(this.tableRoom);
    this.keepUrl();
    this.render();
  }

  async act(a: string, fields: Msg = {}): Promise<void> {
    if (!this.socket) return;
    const reply = await this.socket.act(a, fields);
    this.error = reply.t === "error" ? String(reply.message ?? reply.code) : "";
    this.render();
  }

  async takeHost(): Promise<void> {
    if (!this.socket) return;
    const reply = await this.socket.request({ t: "claim_host" });
    if (reply.t !== "host_token") {
      this.error = String(reply.message ?? reply.code);
      this.render();
      return;
    }
    saved.set("host", this.code, reply.token as string);
    location.hash = `host=${this.code}`;
    location.reload();
  }
}

export function guestScreen(g: GuestPage): HTMLElement {
  if (!g.joined) return nameForm(g);
  const v = g.view;
  if (g.stopped === "removed" || v?.removed)
    return calm("party-removed", "You have left the party", "The host has removed you from this party.");
  if (!v || !v.you) return calm("connecting", "Closeknit party", "Connecting...");
  if (v.meta.ended) return calm("party-ended", "The party has ended", "Thank you for playing.");
  const table = g.table;
  if (v.table && table?.s.view && table.s.route === "room")
    return h("div", { class: "party-table", "data-screen": "party-table" },
      partyStrip(g, v),
      roomScreen(table, table.s.view));
  return h("div", { class: "screen", "data-screen": v.table ? "party-seating" : "party-lobby" },
    h("h1", null, `Hello, ${v.you.name}`),
    g.error ? h("p", { class: "banner error", role: "alert", "data-ui": "guest-error" }, g.error) : null,
    hostOffer(g, v),
    v.table ? h("p", { class: "big" }, `Your partner: ${v.table.partner}. Taking your seat...`) : pairing(g, v));
}

function calm(screen: string, title: string, body: string): HTMLElement {
  return h("div", { class: "screen calm-panel", "data-screen": screen }, h("h1", null, title), h("p", { class: "big" }, body));
}

function partyStrip(g: GuestPage, v: GuestView): HTMLElement {
  const left = secondsLeft(v.meta);
  return h("div", { class: "party-strip", "data-ui": "party-strip" },
    h("span", null, `Party ${v.meta.code} · with ${v.table?.partner ?? ""}`),
    left !== null ? h("span", { class: "mono", "data-ui": "guest-countdown" }, ` · ${clock(left)}`) : null,
    hostOffer(g, v));
}

function hostOffer(g: GuestPage, v: GuestView): Child {
  if (!v.is_host) return null;
  return h("button", { type: "button", class: "btn small primary", "data-ui": "take-host", onclick: () => void g.takeHost() }, "Open the host console");
}

function pairing(g: GuestPage, v: GuestView): HTMLElement {
  const you = v.you as NonNullable<GuestView["you"]>;
  if (you.looking)
    return h("p", { class: "banner calm big", "data-ui": "looking" }, "Looking for a partner... you will be paired when someone arrives.");
  if (v.meta.mixer)
    return h("p", { class: "banner calm big", "data-ui": "mixer-wait" }, "The host will pair you with someone soon.");
  return h("div", { class: "stack" },
    you.pair_code
      ? h("p", { class: "big" }, "Your pair code: ", h("strong", { class: "mono pair-code", "data-ui": "pair-code" }, you.pair_code),
          h("br"), "Your partner enters it on their phone.")
      : h("button", { type: "button", class: "btn primary", "data-ui": "make-code", onclick: () => void g.act("make_pair_code") }, "Get a pair code for my partner"),
    h("form", { class: "field", onsubmit: (e: Event) => {
      e.preventDefault();
      void g.act("enter_pair_code", { code: g.codeInput });
    } },
      h("label", { for: "pair-code" }, "My partner has a code"),
      h("div", { class: "row" },
        h("input", { id: "pair-code", "data-ui": "enter-code", autocomplete: "off", maxlength: "8", value: g.codeInput,
          oninput: (e: Event) => { g.codeInput = (e.target as HTMLInputElement).value; } }),
        h("button", { type: "submit", class: "btn", "data-ui": "pair-with-code" }, "Pair"))),
    h("button", { type: "button", class: "btn quiet", "data-ui": "look", onclick: () => void g.act("look_for_partner") }, "Find me a partner"));
}

function nameForm(g: GuestPage): HTMLElement {
  return h("div", { class: "screen start", "data-screen": "party-join" },
    h("h1", null, `Join party ${g.code}`),
    g.error ? h("p", { class: "banner error", role: "alert" }, g.error) : null,
    h("form", { class: "stack", onsubmit: (e: Event) => {
      e.preventDefault();
      g.join(g.name);
    } },
      h("div", { class: "field" },
        h("label", { for: "guest-name" }, "Your name"),
        h("input", { id: "guest-name", "data-ui": "guest-name", maxlength: "40", autocomplete: "nickname", value: g.name,
          oninput: (e: Event) => { g.name = (e.target as HTMLInputElement).value; } })),
      h("button", { type: "submit", class: "btn primary", "data-ui": "join-party" }, "Join")));
}
